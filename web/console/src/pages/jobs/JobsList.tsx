import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api';
import { listPages } from '../brands/load';
import { href } from '../../router';
import { can } from '../../session';
import { Badge } from '../../ui/Badge';
import { Button } from '../../ui/Button';
import { Empty } from '../../ui/Empty';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { SelectField } from '../../ui/Field';
import { Loading } from '../../ui/Loading';
import { Page } from '../../ui/Page';
import { type Column, Table } from '../../ui/Table';
import { formatTime } from '../../ui/time';
import '../brands/brands.css';
import type { Job } from '../brands/types';
import { failureOf, isLive, reportPathOf } from './jobs';

const kinds: [string, string][] = [['', 'All kinds'], ['brand_report', 'Brand reports'], ['sla_report', 'SLA reports'], ['brand_facts', 'Facts research'], ['webhook_delivery', 'Webhook deliveries'], ['email_delivery', 'E-mail deliveries']];
const statuses: [string, string][] = [['', 'Any status'], ['pending', 'Pending'], ['processing', 'Processing'], ['completed', 'Completed'], ['failed', 'Failed'], ['cancelled', 'Cancelled']];

const singular: Record<string, string> = { brand_report: 'Brand report', sla_report: 'SLA report', brand_facts: 'Facts research', webhook_delivery: 'Webhook delivery', email_delivery: 'E-mail delivery' };
const kindLabel = (kind: string) => singular[kind] ?? kind;

function columns(cancel: ((j: Job) => void) | null): Column<Job>[] {
  return [
    { key: 'kind', header: 'Job', render: (j) => <a href={href(`/jobs/${encodeURIComponent(j.id)}`)} title={j.id}>{kindLabel(j.kind)}</a>, sortValue: (j) => j.kind },
    { key: 'status', header: 'Status', render: (j) => <Badge status={j.status} />, sortValue: (j) => j.status },
    { key: 'progress', header: 'Progress', render: (j) => <><progress class="mini" max={100} value={j.progress_pct} aria-label={`Progress of ${j.id}`} /> {j.progress_pct} %{isLive(j) && j.step && ` · ${j.step}`}</> },
    { key: 'created', header: 'Created', render: (j) => formatTime(j.created_at), sortValue: (j) => j.created_at },
    { key: 'why', header: 'Failure or result', render: (j) => { const r = reportPathOf(j); const f = failureOf(j); return f ? <span class="failure">{f}</span> : r && j.status === 'completed' ? <a href={href(r)}>Open the report</a> : '—'; } },
    { key: 'act', header: 'Actions', render: (j) => (cancel && isLive(j) && !j.cancel_requested ? <Button class="small" onClick={() => cancel(j)} aria-label={`Cancel ${j.id}`}>Cancel</Button> : j.cancel_requested && isLive(j) ? 'cancelling…' : '') },
  ];
}

/** #/jobs: recent jobs with filters; refreshes every 2 s while one is pending or processing. */
export function JobsList() {
  const [status, setStatus] = useState('');
  const [kind, setKind] = useState('');
  const [jobs, setJobs] = useState<Job[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  const [pages, setPages] = useState(1);
  const [more, setMore] = useState(false);
  useEffect(() => {
    let live = true;
    let timer = 0;
    listPages<Job>('/v1/jobs', status ? { status } : {}, pages, 50).then((l) => {
      if (!live) return;
      setJobs(l.rows);
      setMore(l.more);
      setError(null);
      if (l.rows.some(isLive)) timer = window.setTimeout(() => setTick((t) => t + 1), 2000);
    }, (e) => live && setError(e));
    return () => { live = false; window.clearTimeout(timer); };
  }, [status, tick, pages]);
  const cancel = (j: Job) => api.del(`/v1/jobs/${encodeURIComponent(j.id)}`).then(() => setTick(tick + 1), setError);
  const rows = jobs?.filter((j) => !kind || j.kind === kind) ?? null;
  return (
    <Page title="Jobs">
      <div class="toolbar">
        <SelectField label="Status" value={status} onValue={(v) => { setJobs(null); setPages(1); setStatus(v); }} options={statuses} />
        <SelectField label="Kind" value={kind} onValue={setKind} options={kinds} />
      </div>
      {error !== null && <ErrorBanner error={error} onRetry={() => setTick(tick + 1)} />}
      {rows === null ? (error === null && <Loading label="Loading jobs…" />)
        : rows.length === 0 ? <Empty title="No jobs match">Jobs appear when a report runs, facts are researched or a delivery is sent.</Empty>
        : <Table caption="Jobs" columns={columns(can('write:jobs') ? cancel : null)} rows={rows} rowKey={(j) => j.id} />}
      {more && <div class="form-actions"><Button onClick={() => setPages(pages + 1)}>Show older jobs</Button></div>}
    </Page>
  );
}
