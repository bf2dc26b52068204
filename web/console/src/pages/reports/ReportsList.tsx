import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api';
import { href } from '../../router';
import { Badge } from '../../ui/Badge';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { SelectField, TextField } from '../../ui/Field';
import { Empty } from '../../ui/Empty';
import { Loading } from '../../ui/Loading';
import { Page } from '../../ui/Page';
import { type Column, Table } from '../../ui/Table';
import { formatTime } from '../../ui/time';
import { type ReportFilter, type ReportRow, filterReports, loadReports, scheduleOptions } from './reports';
import './reports.css';

type Kind = 'all' | 'sla' | 'brand';

const columns: Column<ReportRow>[] = [
  { key: 'name', header: 'Report', render: (r) => <a href={href(`/reports/${r.kind}/${encodeURIComponent(r.id)}`)}>{r.name}</a>, sortValue: (r) => r.name },
  { key: 'kind', header: 'Kind', render: (r) => (r.kind === 'sla' ? 'SLA' : 'Brand'), sortValue: (r) => r.kind },
  { key: 'period', header: 'Period', render: (r) => r.period },
  { key: 'score', header: 'Score', numeric: true, render: (r) => (r.score === null ? '—' : `${r.score.toFixed(2)} %`), sortValue: (r) => r.score },
  { key: 'status', header: 'Status', render: (r) => <Badge status={r.status} /> , sortValue: (r) => r.status },
  { key: 'created', header: 'Created', render: (r) => formatTime(r.createdAt), sortValue: (r) => r.createdAt },
];

/** #/reports: SLA and brand reports together, newest first, filterable by kind, schedule and
 *  period (reports whose period overlaps the dates given). */
export function ReportsList() {
  const [kind, setKind] = useState<Kind>('all');
  const [rows, setRows] = useState<ReportRow[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const [filter, setFilter] = useState<ReportFilter>({ schedule: '', from: '', to: '' });
  const set = (change: Partial<ReportFilter>) => setFilter({ ...filter, ...change });
  useEffect(() => {
    let live = true;
    setRows(null);
    setError(null);
    loadReports(api, kind).then((r) => live && setRows(r), (e) => live && setError(e));
    return () => { live = false; };
  }, [kind, attempt]);
  return (
    <Page title="Reports">
      <div class="toolbar filters">
        <SelectField label="Kind" value={kind} onValue={(v) => { setKind(v as Kind); set({ schedule: '' }); }}
          options={[['all', 'All reports'], ['sla', 'SLA reports'], ['brand', 'Brand reports']]} />
        <SelectField label="Schedule" value={filter.schedule} onValue={(v) => set({ schedule: v })}
          options={[['', 'Any schedule'], ...scheduleOptions(rows ?? [])]} />
        <TextField label="Period from" type="date" value={filter.from} onValue={(v) => set({ from: v })} />
        <TextField label="Period to" type="date" value={filter.to} onValue={(v) => set({ to: v })} />
      </div>
      {error !== null ? (
        <ErrorBanner error={error} onRetry={() => setAttempt(attempt + 1)} />
      ) : rows === null ? (
        <Loading label="Loading reports…" />
      ) : rows.length === 0 ? (
        <Empty title="No reports yet">Reports appear here when a schedule runs or when one is run on demand.</Empty>
      ) : (
        <Filtered rows={filterReports(rows, filter)} />
      )}
    </Page>
  );
}

function Filtered({ rows }: { rows: ReportRow[] }) {
  if (rows.length === 0) return <Empty title="No reports match">Change the schedule or the period to see more.</Empty>;
  return (
    <>
      <p class="muted" role="status">{rows.length === 1 ? '1 report' : `${rows.length} reports`}</p>
      <Table caption="Reports" columns={columns} rows={rows} rowKey={(r) => `${r.kind}:${r.id}`} />
    </>
  );
}
