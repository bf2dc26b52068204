// What the Overview shows, loaded in one go: month-to-date uptime by tag group and the lowest
// sites (GET /reports/sla/uptime, computed by the server with the report's uptime engine, cheap at
// 10k sites) against the strictest enabled schedule target, the latest SLA reports and failed
// jobs, and the brand visibility trend of up to three scheduled reports.
import { api, ApiError } from '../../api';
import { type Job, type SlaSchedule, loadAll } from './sla';

export interface LowSite { site_id: string; site_name: string; tags: Record<string, string>; uptime_percentage: number; downtime_seconds: number; open_fault_count: number }
export interface UptimeSummary {
  from: string;
  to: string;
  site_count: number;
  uptime_percentage: number | null;
  open_fault_count: number;
  target: number;
  below_target_count: number;
  group_by: string | null;
  groups: { value: string | null; site_count: number; uptime_percentage: number }[];
  lowest: LowSite[];
}
export interface SlaReportSummary { id: string; schedule_name: string; from_date: string; to_date: string; uptime_percentage: number | null; breached_site_count: number; site_count: number; created_at: string; timezone: string; settings: { sla_target: number } }
export interface Trend { name: string; brand: string; points: { created_at: string; rate: number | null }[] }
export interface OverviewData {
  /** The strictest sla_target of the enabled schedules (99.9 without any). */
  target: number;
  /** Tag keys to group by: the schedules' grouping keys, then their selection keys, then region. */
  tagKeys: string[];
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

/** Month-to-date uptime grouped by tag `groupBy`, with the ten lowest sites, against `target`. */
export const loadUptime = (groupBy: string, target: number) =>
  api.get<UptimeSummary>('/reports/sla/uptime', { group_by: groupBy, lowest: 10, target });

export async function loadOverview(): Promise<OverviewData> {
  const [schedules, reports, jobs, trends] = await Promise.all([
    loadAll<SlaSchedule>('/reports/sla/schedules'),
    api.get<{ data: SlaReportSummary[] }>('/reports/sla/reports', { limit: 8 }).then((r) => r.data),
    forbiddenAsNull(api.get<{ data: (Job & { kind: string; created_at: string })[] }>('/v1/jobs', { status: 'failed', limit: 10 }).then((r) => r.data)),
    forbiddenAsNull(loadTrends()),
  ]);
  const targets = schedules.filter((s) => !s.disabled).map((s) => s.sla_target);
  const tagKeys = [...new Set([...schedules.flatMap((s) => s.grouping_rules.map((g) => g.key)),
    ...schedules.flatMap((s) => s.site_selection_rules.map((r) => r.key)), 'region'])];
  return { target: targets.length ? Math.max(...targets) : 99.9, tagKeys, reports, failedJobs: jobs ?? [], trends };
}
