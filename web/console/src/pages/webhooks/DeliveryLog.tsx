import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api';
import { Badge } from '../../ui/Badge';
import { Button } from '../../ui/Button';
import { Empty } from '../../ui/Empty';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { Loading } from '../../ui/Loading';
import { type Column, Table } from '../../ui/Table';
import { formatTime } from '../../ui/time';
import type { Attempt, Delivery } from '../brands/types';

function Attempts({ log }: { log: Attempt[] }) {
  if (log.length === 0) return <>—</>;
  return (
    <ol class="attempts">
      {log.map((a, i) => (
        <li key={i}>{formatTime(a.at)}: {a.status}{(a.response_status ?? a.smtp_status) != null && ` (${a.response_status ?? a.smtp_status})`}{a.error && <span class="failure"> — {a.error}</span>}</li>
      ))}
    </ol>
  );
}

/** Delivery attempts (webhook or e-mail): status, each attempt, and a redeliver/resend action
 *  (`resendPath(d)` POSTs; omitted when the viewer may not). Refreshes while one is pending. */
export function DeliveryLog({ title, load, resendPath, resendLabel }: {
  title: string; load: { data: Delivery[] | null; error: unknown; reload: () => void };
  resendPath: ((d: Delivery) => string) | null; resendLabel: string;
}) {
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  useEffect(() => {
    if (!load.data?.some((d) => d.status === 'pending')) return undefined;
    const timer = window.setTimeout(load.reload, 2000);
    return () => window.clearTimeout(timer);
  }, [load.data]);
  const resend = (d: Delivery) => {
    setError(null);
    api.post<Delivery>(resendPath!(d)).then((n) => { setDone(`${resendLabel} queued as ${n.id}.`); load.reload(); }, setError);
  };
  const columns: Column<Delivery>[] = [
    { key: 'at', header: 'Created', render: (d) => formatTime(d.created_at), sortValue: (d) => d.created_at },
    { key: 'what', header: 'Event or recipient', render: (d) => d.event_type ?? d.recipient ?? '—' },
    { key: 'status', header: 'Status', render: (d) => <Badge status={d.status} />, sortValue: (d) => d.status },
    { key: 'attempts', header: 'Attempts', render: (d) => <>{d.attempts}<Attempts log={d.attempt_log ?? []} /></> },
    { key: 'error', header: 'Last error', render: (d) => (d.error ? <span class="failure">{d.error}</span> : '—') },
    { key: 'delivered', header: 'Delivered', render: (d) => formatTime(d.delivered_at) },
  ];
  if (resendPath) columns.push({ key: 'act', header: 'Actions', render: (d) => <Button class="small" onClick={() => resend(d)} aria-label={`${resendLabel} ${d.id}`}>{resendLabel}</Button> });
  return (
    <section class="panel" aria-label={title}>
      <div class="panel-head"><h2>{title}</h2><Button class="small" onClick={load.reload}>Refresh</Button></div>
      {error !== null && <ErrorBanner error={error} />}
      {done && <p role="status">{done}</p>}
      {load.error !== null ? <ErrorBanner error={load.error} onRetry={load.reload} /> : load.data === null ? <Loading label="Loading deliveries…" /> :
        load.data.length === 0 ? <Empty title="No deliveries yet" /> : <Table caption={title} columns={columns} rows={load.data} rowKey={(d) => d.id} />}
    </section>
  );
}
