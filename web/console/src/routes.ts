// Every page of the console, in one list: add a page with one line here (see README.md, "How to
// add a page"). `nav` puts it in the navigation under that label; pages without `nav` (details)
// are reached by links. The first matching pattern wins.
import { type ComponentType, h } from 'preact';
import { Coming } from './pages/common/Coming';
import { NotFound } from './pages/common/NotFound';
import { matchPath } from './router';
import { ReportsList } from './pages/reports/ReportsList';
import { BrandDetail } from './pages/brands/BrandDetail';
import { BrandsList } from './pages/brands/BrandsList';
import { JobDetail } from './pages/jobs/JobDetail';
import { JobsList } from './pages/jobs/JobsList';
import { ScheduledReportDetail } from './pages/scheduled/ScheduledReportDetail';
import { ScheduledReportsList } from './pages/scheduled/ScheduledReportsList';
import { WebhooksPage } from './pages/webhooks/WebhooksPage';
import { DeliveriesPage } from './pages/deliveries/DeliveriesPage';
import { RegionConfigDetail } from './pages/regions/RegionConfigDetail';
import { RegionConfigsList } from './pages/regions/RegionConfigsList';

export interface RouteProps {
  /** The pattern's ":name" parameters, decoded. */
  params: Record<string, string>;
}

export interface RouteEntry {
  pattern: string;
  component: ComponentType<RouteProps>;
  /** The navigation label; omit for detail pages. */
  nav?: string;
}

const coming = (area: string): ComponentType<RouteProps> => () => h(Coming, { area });

export const routes: RouteEntry[] = [
  { pattern: '/', nav: 'Overview', component: coming('Overview') },
  { pattern: '/sites', nav: 'Sites', component: coming('Sites') },
  { pattern: '/faults', nav: 'Faults', component: coming('Faults') },
  { pattern: '/business-hours', nav: 'Business hours', component: coming('Business hours') },
  { pattern: '/sla-schedules', nav: 'SLA schedules', component: coming('SLA schedules') },
  { pattern: '/reports', nav: 'Reports', component: ReportsList },
  { pattern: '/reports/sla/:id', component: coming('The SLA report page') },
  { pattern: '/reports/brand/:id', component: coming('The brand report page') },
  { pattern: '/brands', nav: 'Brands', component: BrandsList },
  { pattern: '/brands/:id', component: BrandDetail },
  { pattern: '/scheduled-reports', nav: 'Scheduled reports', component: ScheduledReportsList },
  { pattern: '/scheduled-reports/:id', component: ScheduledReportDetail },
  { pattern: '/region-configs', nav: 'Region configs', component: RegionConfigsList },
  { pattern: '/region-configs/:id', component: RegionConfigDetail },
  { pattern: '/jobs', nav: 'Jobs', component: JobsList },
  { pattern: '/jobs/:id', component: JobDetail },
  { pattern: '/webhooks', nav: 'Webhooks', component: WebhooksPage },
  { pattern: '/deliveries', nav: 'Deliveries', component: DeliveriesPage },
  { pattern: '/settings', nav: 'Settings', component: coming('Settings') },
  { pattern: '/*', component: NotFound },
];

/** The first route whose pattern matches `path`, with its parameters. */
export function resolveRoute(path: string): { route: RouteEntry; params: Record<string, string> } {
  for (const route of routes) {
    const params = matchPath(route.pattern, path);
    if (params) return { route, params };
  }
  return { route: routes[routes.length - 1], params: {} };
}
