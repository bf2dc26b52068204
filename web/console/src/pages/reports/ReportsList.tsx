import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api';
import { href } from '../../router';
import { Badge } from '../../ui/Badge';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { SelectField } from '../../ui/Field';
import { Empty } from '../../ui/Empty';
import { Loading } from '../../ui/Loading';
import { Page } from '../../ui/Page';
import { type Column, Table } from '../../ui/Table';
import { formatTime } from '../../ui/time';
import { type ReportRow, loadReports } from './reports';

type Kind = 'all' | 'sla' | 'brand';

const columns: Column<ReportRow>[] = [
  { key: 'name', header: 'Report', render: (r) => <a href={href(`/reports/${r.kind}/${encodeURIComponent(r.id)}`)}>{r.name}</a>, sortValue: (r) => r.name },
  { key: 'kind', header: 'Kind', render: (r) => (r.kind === 'sla' ? 'SLA' : 'Brand'), sortValue: (r) => r.kind },
  { key: 'period', header: 'Period', render: (r) => r.period },
  { key: 'score', header: 'Score', numeric: true, render: (r) => (r.score === null ? '—' : `${r.score.toFixed(2)} %`), sortValue: (r) => r.score },
  { key: 'status', header: 'Status', render: (r) => <Badge status={r.status} /> , sortValue: (r) => r.status },
  { key: 'created', header: 'Created', render: (r) => formatTime(r.createdAt), sortValue: (r) => r.createdAt },
];

/** #/reports: SLA and brand reports together, newest first, filterable by kind. */
export function ReportsList() {
  const [kind, setKind] = useState<Kind>('all');
  const [rows, setRows] = useState<ReportRow[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    setRows(null);
    setError(null);
    loadReports(api, kind).then((r) => live && setRows(r), (e) => live && setError(e));
    return () => { live = false; };
  }, [kind, attempt]);
  return (
    <Page title="Reports">
      <div class="toolbar">
        <SelectField label="Kind" value={kind} onValue={(v) => setKind(v as Kind)}
          options={[['all', 'All reports'], ['sla', 'SLA reports'], ['brand', 'Brand reports']]} />
      </div>
      {error !== null ? (
        <ErrorBanner error={error} onRetry={() => setAttempt(attempt + 1)} />
      ) : rows === null ? (
        <Loading label="Loading reports…" />
      ) : rows.length === 0 ? (
        <Empty title="No reports yet">Reports appear here when a schedule runs or when one is run on demand.</Empty>
      ) : (
        <Table caption="Reports" columns={columns} rows={rows} rowKey={(r) => `${r.kind}:${r.id}`} />
      )}
    </Page>
  );
}
