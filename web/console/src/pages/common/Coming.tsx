import { Empty } from '../../ui/Empty';
import { Page } from '../../ui/Page';

/** The placeholder of a page not built yet. */
export function Coming({ area }: { area: string }) {
  return (
    <Page title={area}>
      <Empty title="Coming soon">{area} will be managed here in a later version of the console.</Empty>
    </Page>
  );
}
