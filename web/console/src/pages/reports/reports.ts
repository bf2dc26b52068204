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

interface Brand {
  id: string;
  name: string;
}

/** Brand reports are listed per brand (GET /v1/reports needs brand_id): the newest 20 of each of
 *  the first 50 brands. */
async function loadBrandReports(client: typeof Api): Promise<ReportRow[]> {
  const brands = await client.get<{ data: Brand[] }>('/v1/brands', { limit: 50 });
  const lists = await Promise.all(
    brands.data.map((b) =>
      client.get<{ data: BrandReport[] }>('/v1/reports', { brand_id: b.id, limit: 20 }).then((l) =>
        l.data.map((r) => fromBrand({ ...r, brand_name: r.brand_name || b.name })),
      ),
    ),
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
