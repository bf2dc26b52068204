import { Badge } from '../../ui/Badge';
import { type Column, Table } from '../../ui/Table';
import { formatTime } from '../../ui/time';
import { DailyChart } from './charts';
import { duration, pct } from './format';
import { Kpis, Section } from './Kpis';
import type { SlaFault, SlaGroupRow, SlaReport, SlaSiteRow } from './types';

const siteColumns: Column<SlaSiteRow>[] = [
  { key: 'name', header: 'Site', render: (s) => s.site_name, sortValue: (s) => s.site_name },
  { key: 'tags', header: 'Tags', render: (s) => Object.entries(s.tags).map(([k, v]) => `${k}: ${v}`).join(', ') || '—' },
  { key: 'uptime', header: 'Uptime', numeric: true, render: (s) => pct(s.uptime_percentage, 3), sortValue: (s) => s.uptime_percentage },
  { key: 'downtime', header: 'Downtime', numeric: true, render: (s) => duration(s.downtime_seconds), sortValue: (s) => s.downtime_seconds },
  { key: 'faults', header: 'Faults', numeric: true, render: (s) => s.fault_count, sortValue: (s) => s.fault_count },
  { key: 'longest', header: 'Longest outage', numeric: true, render: (s) => duration(s.longest_outage_seconds), sortValue: (s) => s.longest_outage_seconds },
  { key: 'mttr', header: 'MTTR', numeric: true, render: (s) => duration(s.mttr_seconds), sortValue: (s) => s.mttr_seconds },
  { key: 'sla', header: 'SLA', render: (s) => <Badge status={s.breached ? 'breached' : 'met'} tone={s.breached ? 'bad' : 'good'} />, sortValue: (s) => (s.breached ? 0 : 1) },
];

const groupColumns: Column<SlaGroupRow>[] = [
  { key: 'group', header: 'Group', render: (g) => `${g.key}: ${g.value}`, sortValue: (g) => `${g.key}:${g.value}` },
  { key: 'uptime', header: 'Uptime', numeric: true, render: (g) => pct(g.uptime_percentage, 3), sortValue: (g) => g.uptime_percentage },
  { key: 'aggregation', header: 'Aggregation', render: (g) => g.aggregation },
  { key: 'sites', header: 'Sites', numeric: true, render: (g) => g.site_count, sortValue: (g) => g.site_count },
  { key: 'breached', header: 'Breached sites', numeric: true, render: (g) => g.breached_site_count, sortValue: (g) => g.breached_site_count },
  { key: 'sla', header: 'SLA', render: (g) => <Badge status={g.breached ? 'breached' : 'met'} tone={g.breached ? 'bad' : 'good'} /> },
];

const dayColumns: Column<SlaReport['daily'][number]>[] = [
  { key: 'date', header: 'Day', render: (d) => d.date, sortValue: (d) => d.date },
  { key: 'uptime', header: 'Uptime', numeric: true, render: (d) => pct(d.uptime_percentage, 3), sortValue: (d) => d.uptime_percentage },
];

function faultColumns(): Column<SlaFault>[] {
  return [
    { key: 'site', header: 'Site', render: (f) => f.site_name, sortValue: (f) => f.site_name },
    { key: 'cause', header: 'Cause', render: (f) => f.cause || '—' },
    { key: 'started', header: 'Started', render: (f) => formatTime(f.started_at), sortValue: (f) => f.started_at },
    { key: 'resolved', header: 'Resolved', render: (f) => (f.resolved_at ? formatTime(f.resolved_at) : 'open') },
    { key: 'downtime', header: 'Downtime', numeric: true, render: (f) => duration(f.downtime_seconds), sortValue: (f) => f.downtime_seconds },
  ];
}

/** The body of an SLA report (KPIs, daily chart, groups, sites, longest faults); read-only, so
 *  the console's report page and the shared page both use it. */
export function SlaReportView({ report }: { report: SlaReport }) {
  const target = report.settings?.sla_target ?? null;
  const zone = report.timezone;
  return (
    <div class="report">
      <p class="report-meta">
        {report.from_date} – {report.to_date} (report zone {zone}) · {report.trigger === 'on_demand' ? 'run on demand' : 'scheduled run'} ·
        created {formatTime(report.created_at, { zone })}
      </p>
      <Kpis items={[
        { label: 'Uptime', value: pct(report.uptime_percentage), note: target !== null ? `target ${pct(target, 1)}` : undefined,
          tone: target !== null && report.uptime_percentage !== null ? (report.uptime_percentage >= target ? 'good' : 'bad') : undefined },
        { label: 'Sites', value: report.site_count },
        { label: 'Sites in breach', value: report.breached_site_count, tone: report.breached_site_count > 0 ? 'bad' : 'good' },
        { label: 'Faults', value: report.sites.reduce((n, s) => n + s.fault_count, 0) },
      ]} />
      <Section title="Daily uptime">
        {report.daily.length === 0 ? <p>No days in this report.</p> : (
          <DailyChart days={report.daily.map((d) => ({ date: d.date, value: d.uptime_percentage }))} target={target}
            label={`Daily uptime from ${report.from_date} to ${report.to_date}: lowest ${pct(Math.min(...report.daily.map((d) => d.uptime_percentage ?? 100)), 3)}`} />
        )}
        {target !== null && <p class="muted chart-legend">Days in red are below the target of {pct(target, 1)} (the dashed line).</p>}
        {report.daily.length > 0 && (
          <details class="daily-values">
            <summary>Daily values</summary>
            <Table caption="Daily uptime" columns={dayColumns} rows={report.daily} rowKey={(d) => d.date} />
          </details>
        )}
      </Section>
      {report.groups.length > 0 && (
        <Section title="Groups">
          <Table caption="Groups" columns={groupColumns} rows={report.groups} rowKey={(g) => `${g.key}=${g.value}`} />
        </Section>
      )}
      <Section title="Sites">
        {report.sites.length === 0 ? <p>No sites in this report.</p> : (
          <Table caption="Sites, sortable" columns={siteColumns} rows={report.sites} rowKey={(s) => s.site_id} />
        )}
      </Section>
      {report.top_faults.length > 0 && (
        <Section title="Longest faults">
          <p class="muted">Times in your zone ({Intl.DateTimeFormat().resolvedOptions().timeZone}); the report counts days in {zone}.</p>
          <Table caption="Longest faults" columns={faultColumns()} rows={report.top_faults} rowKey={(f) => f.fault_id} />
        </Section>
      )}
    </div>
  );
}
