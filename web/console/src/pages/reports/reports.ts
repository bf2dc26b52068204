// The two report families as one list of rows (GET /reports/sla/reports, GET /v1/reports).
import type { api as Api } from '../../api';
import { ApiError } from '../../api';

export interface ReportRow {
  kind: 'sla' | 'brand';
  id: string;
  name: string;
  period: string;
  /** Uptime % (SLA) or visibility score % (brand); null when none. */
  score: number | null;
  status: string;
  createdAt: string;
  /** The SLA schedule or brand scheduled report that made it ("" when none). */
  scheduleId: string;
  scheduleName: string;
  /** The period it covers, as dates (SLA: from_date–to_date; brand: the day it ran). */
  from: string;
  to: string;
}

interface SlaReport {
  id: string;
  schedule_id: string;
  schedule_name: string;
  from_date: string;
  to_date: string;
  uptime_percentage: number | null;
  breached_site_count: number;
  created_at: string;
}
interface BrandReport {
  id: string;
  brand_name?: string | null;
  brand_id: string;
  status: string;
  scheduled_report_id?: string | null;
  region?: { name: string } | null;
  visibility_score: number | null;
  created_at: string;
}

function fromSla(r: SlaReport): ReportRow {
  return {
    kind: 'sla', id: r.id, name: r.schedule_name, period: `${r.from_date} – ${r.to_date}`,
    score: r.uptime_percentage, status: r.breached_site_count > 0 ? 'breached' : 'completed', createdAt: r.created_at,
    scheduleId: r.schedule_id, scheduleName: r.schedule_name, from: r.from_date, to: r.to_date,
  };
}

function fromBrand(r: BrandReport, schedules: Map<string, string>): ReportRow {
  const day = r.created_at.slice(0, 10);
  const scheduleId = r.scheduled_report_id ?? '';
  return {
    kind: 'brand', id: r.id, name: `${r.brand_name || r.brand_id}${r.region?.name ? ` · ${r.region.name}` : ''}`,
    period: day, score: r.visibility_score, status: r.status, createdAt: r.created_at,
    scheduleId, scheduleName: schedules.get(scheduleId) ?? (scheduleId ? 'Scheduled report' : 'On demand'), from: day, to: day,
  };
}

interface Brand {
  id: string;
  name: string;
}

/** Brand reports are listed per brand (GET /v1/reports needs brand_id): the newest 20 of each of
 *  the first 50 brands. */
async function loadBrandReports(client: typeof Api): Promise<ReportRow[]> {
  const brands = await client.get<{ data: Brand[] }>('/v1/brands', { limit: 50 });
  const lists = await Promise.all(
    brands.data.map(async (b) => {
      const [reports, schedules] = await Promise.all([
        client.get<{ data: BrandReport[] }>('/v1/reports', { brand_id: b.id, limit: 20 }),
        client.get<{ data: { id: string; name: string }[] }>('/v1/scheduled-reports', { brand_id: b.id, limit: 100 })
          .then((l) => l.data, () => []),
      ]);
      const names = new Map(schedules.map((s) => [s.id, s.name]));
      return reports.data.map((r) => fromBrand({ ...r, brand_name: r.brand_name || b.name }, names));
    }),
  );
  return lists.flat();
}

/** Reports of `kind` ("all": both families), newest first: the newest 100 SLA reports and the
 *  brand reports of loadBrandReports. A family the user may not read (403) is left out when
 *  listing both. */
export async function loadReports(client: typeof Api, kind: 'all' | 'sla' | 'brand'): Promise<ReportRow[]> {
  const sla = kind === 'brand' ? Promise.resolve([]) :
    client.get<{ data: SlaReport[] }>('/reports/sla/reports', { limit: 100 }).then((l) => l.data.map(fromSla));
  const brand = kind === 'sla' ? Promise.resolve([]) : loadBrandReports(client);
  const settle = (p: Promise<ReportRow[]>) =>
    kind === 'all' ? p.catch((e) => (e instanceof ApiError && e.status === 403 ? [] : Promise.reject(e))) : p;
  const rows = (await Promise.all([settle(sla), settle(brand)])).flat();
  return rows.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

export interface ReportFilter {
  /** A schedule id ("" for any). */
  schedule: string;
  /** Dates (YYYY-MM-DD, "" for open): reports whose period overlaps [from, to]. */
  from: string;
  to: string;
}

/** The rows that pass `filter`. */
export function filterReports(rows: ReportRow[], filter: ReportFilter): ReportRow[] {
  return rows.filter((r) =>
    (!filter.schedule || r.scheduleId === filter.schedule) &&
    (!filter.from || r.to >= filter.from) &&
    (!filter.to || r.from <= filter.to));
}

/** The schedules the rows come from, as [id, label] options, sorted by label. */
export function scheduleOptions(rows: ReportRow[]): [string, string][] {
  const seen = new Map<string, string>();
  for (const r of rows) if (r.scheduleId) seen.set(r.scheduleId, `${r.scheduleName} (${r.kind === 'sla' ? 'SLA' : 'brand'})`);
  return [...seen.entries()].sort((a, b) => a[1].localeCompare(b[1]));
}
