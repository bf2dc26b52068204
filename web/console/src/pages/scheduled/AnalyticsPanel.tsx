import { api } from '../../api';
import { BarChart, Sparkline } from '../../ui/charts';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { Loading } from '../../ui/Loading';
import { type Column, Table } from '../../ui/Table';
import { formatTime } from '../../ui/time';
import { useLoad } from '../brands/load';

interface Point { batch_id: string; created_at: string; rate: number | null; n: number; ci95_low: number; ci95_high: number }
interface Analytics { runs_count: number; visibility: Point[]; platforms: { platform: string; series: Point[] }[] }

const pct = (v: number | null) => (v === null ? '—' : `${v.toFixed(1)} %`);
const columns: Column<Point>[] = [
  { key: 'at', header: 'Run', render: (p) => formatTime(p.created_at), sortValue: (p) => p.created_at },
  { key: 'rate', header: 'Visibility', numeric: true, render: (p) => pct(p.rate), sortValue: (p) => p.rate },
  { key: 'ci', header: '95 % interval', render: (p) => `${p.ci95_low.toFixed(1)}–${p.ci95_high.toFixed(1)} %` },
  { key: 'n', header: 'Answers', numeric: true, render: (p) => p.n, sortValue: (p) => p.n },
];

/** The visibility trend over a scheduled report's runs, and the latest rate per answer engine. */
export function AnalyticsPanel({ scheduleId }: { scheduleId: string }) {
  const load = useLoad(() => api.get<Analytics>(`/v1/scheduled-reports/${encodeURIComponent(scheduleId)}/analytics`), [scheduleId]);
  const a = load.data;
  const rates = a?.visibility.map((p) => p.rate ?? 0) ?? [];
  const latest = a?.platforms.map((p) => ({ label: p.platform, value: p.series[p.series.length - 1]?.rate ?? 0 })) ?? [];
  return (
    <section class="panel" aria-labelledby="trend-title">
      <h2 id="trend-title">Visibility trend</h2>
      {load.error !== null ? <ErrorBanner error={load.error} onRetry={load.reload} /> : a === null ? <Loading /> :
        a.runs_count === 0 ? <p>No runs yet: the trend starts with the first report.</p> : (
          <>
            <p class="meta">{a.runs_count} run{a.runs_count === 1 ? '' : 's'} · latest {pct(a.visibility[a.visibility.length - 1]?.rate ?? null)}</p>
            {rates.length > 1 && <Sparkline values={rates} label={`Visibility over ${rates.length} runs: ${rates.map((r) => `${r} %`).join(', ')}`} width={240} height={48} />}
            {latest.length > 0 && <BarChart label="Latest visibility by answer engine" items={latest} max={100} format={(v) => `${v.toFixed(1)} %`} />}
            <Table caption="Visibility by run" columns={columns} rows={[...a.visibility].reverse()} rowKey={(p) => p.batch_id} />
          </>
        )}
    </section>
  );
}
