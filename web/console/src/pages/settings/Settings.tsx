import { useSession } from '../../session';
import { can } from '../../session';
import { Empty } from '../../ui/Empty';
import { Page } from '../../ui/Page';
import { BrandingSection } from './BrandingSection';
import { TokensSection } from './TokensSection';
import { UsersSection } from './UsersSection';
import './settings.css';

/** #/settings (admins): users, API tokens and branding, each shown to whoever may manage it. */
export function Settings() {
  const state = useSession();
  if (state.status !== 'signed-in') return null;
  const users = can('write:users'), tokens = can('write:tokens'), branding = can('write:white-label');
  return (
    <Page title="Settings">
      {!users && !tokens && !branding && <Empty title="Settings are for admins">Ask an admin of {state.session.tenant} to add users, create API tokens or change the branding.</Empty>}
      {users && <UsersSection session={state.session} />}
      {tokens && <TokensSection />}
      {branding && <BrandingSection />}
    </Page>
  );
}
