import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { href } from '../../router';
import { Badge } from '../../ui/Badge';
import { BarChart } from '../../ui/charts';
import { Empty } from '../../ui/Empty';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { SelectField } from '../../ui/Field';
import { Loading } from '../../ui/Loading';
import { type Column, Table } from '../../ui/Table';
import { formatTime } from '../../ui/time';
import { type LowSite, type UptimeSummary, loadUptime } from './overview';
import { pct, useLoad } from './sla';

const siteColumns = (target: number): Column<LowSite>[] => [
  { key: 'site', header: 'Site', render: (s) => <a href={href(`/sites/${encodeURIComponent(s.site_id)}`)}>{s.site_name}</a>, sortValue: (s) => s.site_name },
  { key: 'uptime', header: 'Uptime this month', numeric: true, render: (s) => pct(s.uptime_percentage, 3), sortValue: (s) => s.uptime_percentage },
  { key: 'state', header: `Against ${target} %`, render: (s) => <Badge status={s.uptime_percentage < target ? 'breached' : 'ok'} />, sortValue: (s) => (s.uptime_percentage < target ? 0 : 1) },
  { key: 'open', header: 'Open faults', numeric: true, render: (s) => s.open_fault_count, sortValue: (s) => s.open_fault_count },
];

/** Mean uptime per group as bars drawn from a floor below the lowest group, so 97 % and 100 %
 *  look different; the floor is printed under the chart. */
function GroupChart({ summary }: { summary: UptimeSummary }) {
  const groups = summary.groups.map((g) => ({ label: `${g.value ?? '(no tag)'} (${g.site_count})`, value: g.uptime_percentage }));
  if (groups.length === 0) return <p class="hint">No site has this tag.</p>;
  const floor = Math.max(0, Math.floor(Math.min(...groups.map((g) => g.value)) - 1));
  return (
    <>
      <BarChart items={groups.map((g) => ({ label: g.label, value: g.value - floor }))} max={100 - floor} format={(v) => pct(v + floor)}
        label={`Mean uptime this month by ${summary.group_by}: ${groups.map((g) => `${g.label} ${pct(g.value)}`).join(', ')}`} />
      <p class="hint">Bars start at {floor} %.</p>
    </>
  );
}

/** The uptime half of the Overview: KPIs, by group (a tag key to choose; `aside` beside it) and
 *  the lowest sites, from GET /reports/sla/uptime. */
export function OverviewUptime({ target, tagKeys, failedJobs, aside }: { target: number; tagKeys: string[]; failedJobs: number; aside?: ComponentChildren }) {
  const [groupKey, setGroupKey] = useState(tagKeys[0] ?? 'region');
  const { data, error, reload } = useLoad(() => loadUptime(groupKey, target), [groupKey, target]);
  if (error !== null) return <ErrorBanner error={error} onRetry={reload} />;
  if (data === null) return <Loading label="Computing uptime…" />;
  return (
    <>
      <dl class="kpis">
        <div><dt>Uptime this month (mean of sites)</dt><dd>{pct(data.uptime_percentage, 3)}</dd></div>
        <div><dt>Sites below {data.target} % (strictest target)</dt><dd>{data.below_target_count} of {data.site_count}</dd></div>
        <div><dt>Open faults</dt><dd><a href={href('/faults')}>{data.open_fault_count}</a></dd></div>
        <div><dt>Failed jobs (latest)</dt><dd>{failedJobs}</dd></div>
      </dl>
      <p class="hint">From {formatTime(data.from)} to {formatTime(data.to)}: faults of type site, around the clock; reports apply each schedule's business hours and rules.</p>
      <div class="panels">
      <section class="panel" aria-labelledby="group-title">
        <h2 id="group-title">Uptime this month by group</h2>
        <SelectField label="Group by tag" value={groupKey} onValue={setGroupKey} options={[...new Set([groupKey, ...tagKeys])].map((k): [string, string] => [k, k])} />
        {data.site_count === 0 ? <Empty title="No sites yet" /> : <GroupChart summary={data} />}
      </section>
      {aside}
      </div>
      <h2>Sites, lowest uptime first</h2>
      {data.site_count === 0 ? <Empty title="No sites yet"><a href={href('/sites')}>Add a site</a></Empty> :
        <Table caption="Uptime this month, lowest sites" columns={siteColumns(data.target)} rows={data.lowest} rowKey={(s) => s.site_id} />}
    </>
  );
}
