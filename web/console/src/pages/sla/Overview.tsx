import { href } from '../../router';
import { Badge } from '../../ui/Badge';
import { Sparkline } from '../../ui/charts';
import { Empty } from '../../ui/Empty';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { Loading } from '../../ui/Loading';
import { Page } from '../../ui/Page';
import { type Column, Table } from '../../ui/Table';
import { formatTime } from '../../ui/time';
import { type OverviewData, type SlaReportSummary, loadOverview } from './overview';
import { OverviewUptime } from './OverviewUptime';
import { pct, useLoad } from './sla';
import './sla.css';

const reportColumns: Column<SlaReportSummary>[] = [
  { key: 'name', header: 'Report', render: (r) => <a href={href(`/reports/sla/${encodeURIComponent(r.id)}`)}>{r.schedule_name}</a> },
  { key: 'period', header: 'Period', render: (r) => `${r.from_date} – ${r.to_date}` },
  { key: 'uptime', header: 'Uptime', numeric: true, render: (r) => pct(r.uptime_percentage) },
  { key: 'breaches', header: 'Breaches', render: (r) => (r.breached_site_count > 0 ? <Badge status={`${r.breached_site_count} of ${r.site_count} below ${r.settings.sla_target} %`} tone="bad" /> : <Badge status="none" tone="good" />) },
  { key: 'created', header: 'Generated', render: (r) => formatTime(r.created_at, { zone: r.timezone }) },
];

function Trends({ data }: { data: OverviewData }) {
  if (data.trends === null) return null;
  return (
    <section class="panel" aria-labelledby="trend-title">
      <h2 id="trend-title">Brand visibility trend</h2>
      {data.trends.length === 0 ? <p class="hint">No brand scheduled reports yet.</p> : (
        <ul class="trends">{data.trends.map((t) => {
          const rates = t.points.map((p) => p.rate).filter((r): r is number => r !== null);
          return (
            <li key={t.name}><strong>{t.brand}</strong> · {t.name}: {rates.length === 0 ? <span class="hint">no runs yet</span> : (
              <><Sparkline values={rates} label={`Visibility of ${t.brand} over ${rates.length} runs, latest ${rates[rates.length - 1]} %`} /> latest {pct(rates[rates.length - 1], 1)}</>)}
            </li>);
        })}</ul>
      )}
    </section>
  );
}

/** #/ : the SLA side at a glance (uptime this month by group and site, breaches, open faults,
 *  recent reports and failures) and the brand visibility trend. */
export function Overview() {
  const { data, error, reload } = useLoad(() => loadOverview());
  return (
    <Page title="Overview">
      {error !== null ? <ErrorBanner error={error} onRetry={reload} /> : data === null ? <Loading label="Loading the overview…" /> : (
        <>
          <OverviewUptime target={data.target} tagKeys={data.tagKeys} failedJobs={data.failedJobs.length} aside={<Trends data={data} />} />
          <h2>Recent SLA reports and breaches</h2>
          {data.reports.length === 0 ? <Empty title="No SLA reports yet" /> : <Table caption="Recent SLA reports" columns={reportColumns} rows={data.reports} rowKey={(r) => r.id} />}
          <h2>Recent failures</h2>
          {data.failedJobs.length === 0 ? <p class="hint">No failed jobs.</p> : (
            <ul class="failures">{data.failedJobs.map((j) => <li key={j.id}><Badge status="failed" /> {j.kind}, {formatTime(j.created_at)}: {j.result?.error?.message ?? j.message ?? 'no reason given'}</li>)}</ul>
          )}
        </>
      )}
    </Page>
  );
}
