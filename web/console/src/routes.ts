// Every page of the console, in one list: add a page with one line here (see README.md, "How to
// add a page"). `nav` puts it in the navigation under that label; pages without `nav` (details)
// are reached by links. The first matching pattern wins.
import type { ComponentType } from 'preact';
import { NotFound } from './pages/common/NotFound';
import { matchPath } from './router';
import { ReportsList } from './pages/reports/ReportsList';
import { BrandReportPage, SlaReportPage } from './pages/reports/ReportPage';
import { Settings } from './pages/settings/Settings';
import { BusinessHoursList } from './pages/sla/BusinessHoursList';
import { FaultsList } from './pages/sla/FaultsList';
import { Overview } from './pages/sla/Overview';
import { ScheduleEditor } from './pages/sla/ScheduleEditor';
import { SchedulesList } from './pages/sla/SchedulesList';
import { SiteDetail } from './pages/sla/SiteDetail';
import { SitesList } from './pages/sla/SitesList';
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

export const routes: RouteEntry[] = [
  { pattern: '/', nav: 'Overview', component: Overview },
  { pattern: '/overview', component: Overview },
  { pattern: '/sites', nav: 'Sites', component: SitesList },
  { pattern: '/sites/:id', component: SiteDetail },
  { pattern: '/faults', nav: 'Faults', component: FaultsList },
  { pattern: '/business-hours', nav: 'Business hours', component: BusinessHoursList },
  { pattern: '/sla-schedules', nav: 'SLA schedules', component: SchedulesList },
  { pattern: '/sla-schedules/:id', component: ScheduleEditor },
  { pattern: '/reports', nav: 'Reports', component: ReportsList },
  { pattern: '/reports/sla/:id', component: SlaReportPage },
  { pattern: '/reports/brand/:id', component: BrandReportPage },
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
  { pattern: '/settings', nav: 'Settings', component: Settings },
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
