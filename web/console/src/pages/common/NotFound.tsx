import { href } from '../../router';
import { Empty } from '../../ui/Empty';
import { Page } from '../../ui/Page';

export function NotFound() {
  return (
    <Page title="Page not found">
      <Empty title="Nothing here">
        This address does not name a page of the console. <a href={href('/')}>Go to the overview</a>.
      </Empty>
    </Page>
  );
}
