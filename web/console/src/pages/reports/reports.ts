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
}

interface SlaReport {
  id: string;
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
  region?: string | null;
  visibility_score: number | null;
  created_at: string;
}

function fromSla(r: SlaReport): ReportRow {
  return {
    kind: 'sla', id: r.id, name: r.schedule_name, period: `${r.from_date} – ${r.to_date}`,
    score: r.uptime_percentage, status: r.breached_site_count > 0 ? 'breached' : 'completed', createdAt: r.created_at,
  };
}

function fromBrand(r: BrandReport): ReportRow {
  return {
    kind: 'brand', id: r.id, name: r.brand_name || r.brand_id, period: r.region ?? '—',
    score: r.visibility_score, status: r.status, createdAt: r.created_at,
  };
}

/** The newest 100 reports of `kind` ("all": both), newest first. A family the user may not read
 *  (403) is left out when listing both. */
export async function loadReports(client: typeof Api, kind: 'all' | 'sla' | 'brand'): Promise<ReportRow[]> {
  const sla = kind === 'brand' ? Promise.resolve([]) :
    client.get<{ data: SlaReport[] }>('/reports/sla/reports', { limit: 100 }).then((l) => l.data.map(fromSla));
  const brand = kind === 'sla' ? Promise.resolve([]) :
    client.get<{ data: BrandReport[] }>('/v1/reports', { limit: 100 }).then((l) => l.data.map(fromBrand));
  const settle = (p: Promise<ReportRow[]>) =>
    kind === 'all' ? p.catch((e) => (e instanceof ApiError && e.status === 403 ? [] : Promise.reject(e))) : p;
  const rows = (await Promise.all([settle(sla), settle(brand)])).flat();
  return rows.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
