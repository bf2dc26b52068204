import { useState } from 'preact/hooks';
import { api } from '../../api';
import type { RouteProps } from '../../routes';
import { href, navigate } from '../../router';
import { can } from '../../session';
import { Badge } from '../../ui/Badge';
import { Button } from '../../ui/Button';
import { Empty } from '../../ui/Empty';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { Loading } from '../../ui/Loading';
import { Page } from '../../ui/Page';
import { type Column, Table } from '../../ui/Table';
import { formatTime } from '../../ui/time';
import { ConfirmDialog } from './ConfirmDialog';
import { FaultTimeline } from './FaultTimeline';
import { SiteDialog } from './SiteDialog';
import { type Fault, type Site, loadAll, monthStart, pct, uptimePct, useLoad } from './sla';
import './sla.css';

const days = 30;

async function loadSite(id: string) {
  const from = new Date(Math.min(Date.now() - days * 86_400_000, monthStart())).toISOString();
  const [site, faults] = await Promise.all([api.get<Site>(`/sites/${encodeURIComponent(id)}`), loadAll<Fault>('/faults', { resource_id: id, from })]);
  return { site, faults };
}

/** #/sites/:id: the site, its uptime this month and over 30 days, and its faults timeline. */
export function SiteDetail({ params }: RouteProps) {
  const { data, error, reload } = useLoad(() => loadSite(params.id), [params.id]);
  const [dialog, setDialog] = useState<'edit' | 'delete' | null>(null);
  const now = Date.now();
  const start = now - days * 86_400_000;
  const columns: Column<Fault>[] = [
    { key: 'start', header: 'Began', render: (f) => formatTime(f.created_at, { zone: data?.site.timezone }), sortValue: (f) => f.created_at },
    { key: 'end', header: 'Ended', render: (f) => (f.resolved_at ? formatTime(f.resolved_at, { zone: data?.site.timezone }) : <Badge status="open" tone="bad" />), sortValue: (f) => f.resolved_at },
    { key: 'type', header: 'Type', render: (f) => f.type },
    { key: 'severity', header: 'Severity', render: (f) => f.severity, sortValue: (f) => f.severity },
    { key: 'cause', header: 'Cause', render: (f) => f.cause || '—' },
  ];
  const title = data ? data.site.name : 'Site';
  const actions = data && can('write:sla') && (
    <>
      <Button onClick={() => setDialog('edit')}>Edit</Button>
      <Button variant="danger" onClick={() => setDialog('delete')}>Delete</Button>
    </>
  );
  return (
    <Page title={title} actions={actions}>
      <p><a href={href('/sites')}>← All sites</a></p>
      {error !== null ? <ErrorBanner error={error} onRetry={reload} /> : data === null ? <Loading label="Loading the site…" /> : (
        <>
          <dl class="facts">
            <div><dt>Time zone</dt><dd>{data.site.timezone}</dd></div>
            <div><dt>Tags</dt><dd>{Object.entries(data.site.tags).map(([k, v]) => `${k}=${v}`).join(', ') || '—'}</dd></div>
            <div><dt>Uptime this month</dt><dd>{pct(uptimePct(data.faults, monthStart(), now))}</dd></div>
            <div><dt>Uptime, {days} days</dt><dd>{pct(uptimePct(data.faults, start, now))}</dd></div>
            <div><dt>Open faults</dt><dd>{data.faults.filter((f) => f.status === 'unresolved').length}</dd></div>
          </dl>
          <h2>Faults, last {days} days</h2>
          <FaultTimeline faults={data.faults} start={start} end={now} zone={data.site.timezone} />
          {data.faults.length === 0 ? <Empty title="No faults in 30 days" /> :
            <Table caption={`Faults of ${data.site.name}`} columns={columns} rows={data.faults} rowKey={(f) => f.id} />}
          <p><a href={href(`/faults?site=${encodeURIComponent(data.site.id)}`)}>Manage this site's faults</a></p>
        </>
      )}
      {dialog === 'edit' && data && <SiteDialog site={data.site} onClose={() => setDialog(null)} onSaved={() => { setDialog(null); reload(); }} />}
      {dialog === 'delete' && data && <ConfirmDialog title={`Delete ${data.site.name}?`} text="This removes the site from Rapport. Reports already generated are kept."
        action={() => api.del(`/sites/${data.site.id}`)} onClose={() => setDialog(null)} onDone={() => navigate('/sites')} />}
    </Page>
  );
}
