import { href } from '../../router';
import { Badge } from '../../ui/Badge';
import { Empty } from '../../ui/Empty';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { Loading } from '../../ui/Loading';
import { type Column, Table } from '../../ui/Table';
import { formatTime } from '../../ui/time';
import { listAll, useLoad } from '../brands/load';
import type { Run } from '../brands/types';

const columns: Column<Run>[] = [
  { key: 'at', header: 'Started', render: (r) => formatTime(r.created_at), sortValue: (r) => r.created_at },
  { key: 'trigger', header: 'Trigger', render: (r) => (r.trigger === 'on_demand' ? 'Run now' : 'Schedule') },
  { key: 'status', header: 'Status', render: (r) => <Badge status={r.status} />, sortValue: (r) => r.status },
  { key: 'job', header: 'Job', render: (r) => (r.job_id ? <a href={href(`/jobs/${encodeURIComponent(r.job_id)}`)}>{r.job_id}</a> : '—') },
  { key: 'error', header: 'Failure', render: (r) => (r.error ? <span class="failure">{r.error}</span> : '—') },
];

/** A scheduled report's executions, newest first; `version` changes reload it. */
export function RunsPanel({ scheduleId, version }: { scheduleId: string; version: number }) {
  const load = useLoad(() => listAll<Run>(`/v1/scheduled-reports/${encodeURIComponent(scheduleId)}/runs`, {}, 1), [scheduleId, version]);
  return (
    <section class="panel" aria-labelledby="runs-title">
      <h2 id="runs-title">Executions</h2>
      {load.error !== null ? <ErrorBanner error={load.error} onRetry={load.reload} /> : load.data === null ? <Loading /> :
        load.data.length === 0 ? <Empty title="No executions yet" /> : <Table caption="Executions" columns={columns} rows={load.data} rowKey={(r) => r.id} />}
    </section>
  );
}
