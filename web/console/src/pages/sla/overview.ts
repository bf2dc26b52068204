// What the Overview shows, loaded in one go: month-to-date uptime per site and per tag group
// (computed from this month's faults of type `site`, around the clock) against the strictest
// schedule target, open faults, the latest
// SLA reports and failed jobs, and the brand visibility trend of up to three scheduled reports.
import { api, ApiError } from '../../api';
import { type Fault, type Job, type Site, type SlaSchedule, bySite, loadAll, monthStart, uptimePct } from './sla';

export interface SiteUptime { site: Site; uptime: number; openFaults: number }
export interface SlaReportSummary { id: string; schedule_name: string; from_date: string; to_date: string; uptime_percentage: number | null; breached_site_count: number; site_count: number; created_at: string; timezone: string; settings: { sla_target: number } }
export interface Trend { name: string; brand: string; points: { created_at: string; rate: number | null }[] }
export interface OverviewData {
  /** The strictest sla_target of the enabled schedules (99.9 without any). */
  target: number;
  sites: SiteUptime[];
  openFaults: Fault[];
  reports: SlaReportSummary[];
  failedJobs: (Job & { kind: string; created_at: string })[];
  trends: Trend[] | null;
}

const forbiddenAsNull = <T>(p: Promise<T>): Promise<T | null> =>
  p.catch((e) => (e instanceof ApiError && e.status === 403 ? null : Promise.reject(e)));

async function loadTrends(): Promise<Trend[]> {
  const brands = await api.get<{ data: { id: string; name: string }[] }>('/v1/brands', { limit: 10 });
  const lists = await Promise.all(brands.data.map((b) =>
    api.get<{ data: { id: string; name: string }[] }>('/v1/scheduled-reports', { brand_id: b.id, limit: 3 }).then((l) => l.data.map((s) => ({ ...s, brand: b.name })))));
  const schedules = lists.flat().slice(0, 3);
  return Promise.all(schedules.map(async (s) => {
    const a = await api.get<{ visibility: { created_at: string; rate: number | null }[] }>(`/v1/scheduled-reports/${s.id}/analytics`);
    return { name: s.name, brand: s.brand, points: a.visibility };
  }));
}

export async function loadOverview(now = Date.now()): Promise<OverviewData> {
  const start = monthStart(new Date(now));
  const [schedules, sites, faults, reports, jobs, trends] = await Promise.all([
    loadAll<SlaSchedule>('/reports/sla/schedules'),
    loadAll<Site>('/sites', {}, 100),
    loadAll<Fault>('/faults', { from: new Date(start).toISOString() }, 100),
    api.get<{ data: SlaReportSummary[] }>('/reports/sla/reports', { limit: 8 }).then((r) => r.data),
    forbiddenAsNull(api.get<{ data: (Job & { kind: string; created_at: string })[] }>('/v1/jobs', { status: 'failed', limit: 10 }).then((r) => r.data)),
    forbiddenAsNull(loadTrends()),
  ]);
  const faultsOf = bySite(faults);
  const targets = schedules.filter((s) => !s.disabled).map((s) => s.sla_target);
  return {
    target: targets.length ? Math.max(...targets) : 99.9,
    sites: sites.map((site) => {
      const own = faultsOf.get(site.id) ?? [];
      return { site, uptime: uptimePct(own, start, now, now), openFaults: own.filter((f) => f.status === 'unresolved').length };
    }),
    openFaults: faults.filter((f) => f.status === 'unresolved'),
    reports,
    failedJobs: jobs ?? [],
    trends,
  };
}

/** The mean month-to-date uptime of the sites of each value of tag `key` ("(none)" without it). */
export function groupUptime(sites: SiteUptime[], key: string): { label: string; value: number; count: number }[] {
  const groups = new Map<string, number[]>();
  for (const s of sites) {
    const g = s.site.tags[key] ?? '(none)';
    groups.set(g, [...(groups.get(g) ?? []), s.uptime]);
  }
  return [...groups].map(([label, v]) => ({ label, value: v.reduce((a, b) => a + b, 0) / v.length, count: v.length }))
    .sort((a, b) => a.value - b.value);
}
