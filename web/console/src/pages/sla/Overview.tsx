import { useState } from 'preact/hooks';
import { href } from '../../router';
import { Badge } from '../../ui/Badge';
import { BarChart, Sparkline } from '../../ui/charts';
import { Empty } from '../../ui/Empty';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { SelectField } from '../../ui/Field';
import { Loading } from '../../ui/Loading';
import { Page } from '../../ui/Page';
import { type Column, Table } from '../../ui/Table';
import { formatTime } from '../../ui/time';
import { type OverviewData, type SiteUptime, type SlaReportSummary, groupUptime, loadOverview } from './overview';
import { pct, useLoad } from './sla';
import './sla.css';

const siteColumns = (target: number): Column<SiteUptime>[] => [
  { key: 'site', header: 'Site', render: (s) => <a href={href(`/sites/${encodeURIComponent(s.site.id)}`)}>{s.site.name}</a>, sortValue: (s) => s.site.name },
  { key: 'uptime', header: 'Uptime this month', numeric: true, render: (s) => pct(s.uptime, 3), sortValue: (s) => s.uptime },
  { key: 'state', header: `Against ${target} %`, render: (s) => <Badge status={s.uptime < target ? 'breached' : 'ok'} />, sortValue: (s) => (s.uptime < target ? 0 : 1) },
  { key: 'open', header: 'Open faults', numeric: true, render: (s) => s.openFaults, sortValue: (s) => s.openFaults },
];

const reportColumns: Column<SlaReportSummary>[] = [
  { key: 'name', header: 'Report', render: (r) => <a href={href(`/reports/sla/${encodeURIComponent(r.id)}`)}>{r.schedule_name}</a> },
  { key: 'period', header: 'Period', render: (r) => `${r.from_date} – ${r.to_date}` },
  { key: 'uptime', header: 'Uptime', numeric: true, render: (r) => pct(r.uptime_percentage) },
  { key: 'breaches', header: 'Breaches', render: (r) => (r.breached_site_count > 0 ? <Badge status={`${r.breached_site_count} of ${r.site_count} below ${r.settings.sla_target} %`} tone="bad" /> : <Badge status="none" tone="good" />) },
  { key: 'created', header: 'Generated', render: (r) => formatTime(r.created_at, { zone: r.timezone }) },
];

function Kpis({ data }: { data: OverviewData }) {
  const mean = data.sites.length ? data.sites.reduce((a, s) => a + s.uptime, 0) / data.sites.length : null;
  const breached = data.sites.filter((s) => s.uptime < data.target).length;
  return (
    <dl class="kpis">
      <div><dt>Uptime this month (mean of sites)</dt><dd>{pct(mean, 3)}</dd></div>
      <div><dt>Sites below {data.target} % (strictest target)</dt><dd>{breached} of {data.sites.length}</dd></div>
      <div><dt>Open faults</dt><dd><a href={href('/faults')}>{data.openFaults.length}</a></dd></div>
      <div><dt>Failed jobs (latest)</dt><dd>{data.failedJobs.length}</dd></div>
    </dl>
  );
}

/** Mean uptime per group as bars drawn from a floor below the lowest group, so 97 % and 100 %
 *  look different; the floor is printed under the chart. */
function GroupChart({ data, groupKey }: { data: OverviewData; groupKey: string }) {
  const groups = groupUptime(data.sites, groupKey);
  const floor = Math.max(0, Math.floor(Math.min(...groups.map((g) => g.value)) - 1));
  return (
    <>
      <BarChart items={groups.map((g) => ({ label: `${g.label} (${g.count})`, value: g.value - floor }))}
        label={`Mean uptime this month by ${groupKey}: ${groups.map((g) => `${g.label} ${pct(g.value)}`).join(', ')}`}
        max={100 - floor} format={(v) => pct(v + floor)} />
      <p class="hint">Bars start at {floor} %.</p>
    </>
  );
}

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

/** #/ : the SLA side at a glance, plus the brand visibility trend. */
export function Overview() {
  const { data, error, reload } = useLoad(() => loadOverview());
  const [groupKey, setGroupKey] = useState('region');
  const keys = data ? [...new Set(data.sites.flatMap((s) => Object.keys(s.site.tags)))].sort() : [];
  return (
    <Page title="Overview">
      {error !== null ? <ErrorBanner error={error} onRetry={reload} /> : data === null ? <Loading label="Loading the overview…" /> : (
        <>
          <Kpis data={data} />
          <p class="hint">Uptime this month counts faults of type site since the 1st (UTC), around the clock; reports apply each schedule's business hours and rules.</p>
          <div class="panels">
            <section class="panel" aria-labelledby="group-title">
              <h2 id="group-title">Uptime this month by group</h2>
              {keys.length > 0 && <SelectField label="Group by tag" value={groupKey} onValue={setGroupKey} options={keys.map((k): [string, string] => [k, k])} />}
              {data.sites.length === 0 ? <Empty title="No sites yet" /> :
                <GroupChart data={data} groupKey={groupKey} />}
            </section>
            <Trends data={data} />
          </div>
          <h2>Sites, lowest uptime first</h2>
          {data.sites.length === 0 ? <Empty title="No sites yet"><a href={href('/sites')}>Add a site</a></Empty> :
            <Table caption="Uptime this month by site" columns={siteColumns(data.target)} rows={[...data.sites].sort((a, b) => a.uptime - b.uptime).slice(0, 10)} rowKey={(s) => s.site.id} />}
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
