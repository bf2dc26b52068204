// Every page of the console, in one list: add a page with one line here (see README.md, "How to
// add a page"). `nav` puts it in the navigation under that label; pages without `nav` (details)
// are reached by links. The first matching pattern wins.
import { type ComponentType, h } from 'preact';
import { Coming } from './pages/common/Coming';
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
  { pattern: '/brands', nav: 'Brands', component: coming('Brands') },
  { pattern: '/scheduled-reports', nav: 'Scheduled reports', component: coming('Scheduled reports') },
  { pattern: '/region-configs', nav: 'Region configs', component: coming('Region configs') },
  { pattern: '/jobs', nav: 'Jobs', component: coming('Jobs') },
  { pattern: '/webhooks', nav: 'Webhooks', component: coming('Webhooks') },
  { pattern: '/deliveries', nav: 'Deliveries', component: coming('Deliveries') },
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
