import { api } from '../../api';
import { BarChart } from '../../ui/charts';
import { Empty } from '../../ui/Empty';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { Loading } from '../../ui/Loading';
import { type Column, Table } from '../../ui/Table';
import { useLoad } from './load';
import type { DomainCount } from './types';

/** `share` is a percentage (0–100). */
const pct = (v: number) => `${v.toFixed(1)} %`;
const columns: Column<DomainCount>[] = [
  { key: 'domain', header: 'Domain', render: (d) => d.domain, sortValue: (d) => d.domain },
  { key: 'times', header: 'Citations', numeric: true, render: (d) => d.times_cited, sortValue: (d) => d.times_cited },
  { key: 'share', header: 'Share', numeric: true, render: (d) => pct(d.share), sortValue: (d) => d.share },
];

/** Where answer engines' citations about the brand come from, by domain. */
export function CitationsPanel({ brandId }: { brandId: string }) {
  const load = useLoad(() => api.get<{ data: DomainCount[]; total_citations: number }>(
    `/v1/brands/${encodeURIComponent(brandId)}/citations/by-domain`, { limit: 20 }), [brandId]);
  const rows = load.data?.data ?? [];
  return (
    <section class="panel" aria-labelledby="citations-title">
      <h2 id="citations-title">Citations by domain</h2>
      {load.error !== null ? <ErrorBanner error={load.error} onRetry={load.reload} />
        : load.data === null ? <Loading label="Loading citations…" />
        : rows.length === 0 ? <Empty title="No citations yet">Citations appear after a run whose answers cite sources.</Empty>
        : <>
            <p class="meta">{load.data.total_citations} citations in all.</p>
            <BarChart label="Share of citations by domain" items={rows.slice(0, 8).map((d) => ({ label: d.domain, value: d.share }))} max={100} format={pct} />
            <Table caption="Citations by domain" columns={columns} rows={rows} rowKey={(d) => d.domain} />
          </>}
    </section>
  );
}
