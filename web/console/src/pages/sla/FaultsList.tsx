import { useEffect, useState } from 'preact/hooks';
import { href } from '../../router';
import { can } from '../../session';
import { Badge } from '../../ui/Badge';
import { Button } from '../../ui/Button';
import { Empty } from '../../ui/Empty';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { SelectField, TextField } from '../../ui/Field';
import { Loading } from '../../ui/Loading';
import { Page } from '../../ui/Page';
import { type Column, Table } from '../../ui/Table';
import { formatTime } from '../../ui/time';
import { FaultDialog } from './FaultDialog';
import { FaultImport } from './FaultImport';
import { type Fault, type Site, loadAll, loadPage, useLoad } from './sla';
import './sla.css';

const initialSite = () => new URLSearchParams(window.location.hash.split('?')[1] ?? '').get('site') ?? '';
const dayIso = (d: string, end: boolean) => (d ? new Date(`${d}T00:00:00Z`).getTime() + (end ? 86_400_000 : 0) : null);

/** #/faults: filter by site, open only and time range (100 at a time, newest first); record,
 *  resolve/edit, import a CSV. */
export function FaultsList() {
  const [site, setSite] = useState(initialSite);
  const [openOnly, setOpenOnly] = useState(false);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [dialog, setDialog] = useState<{ kind: 'edit' | 'import'; fault?: Fault } | null>(null);
  const [notice, setNotice] = useState('');
  const sites = useLoad(() => loadAll<Site>('/sites'));
  const f = dayIso(from, false), t = dayIso(to, true);
  const query = { ...(site ? { resource_id: site } : {}), ...(f ? { from: new Date(f).toISOString() } : {}), ...(t ? { to: new Date(t).toISOString() } : {}) };
  const faults = useLoad(() => loadPage<Fault>('/faults', query, null), [site, from, to]);
  const [more, setMore] = useState<{ items: Fault[]; cursor: string | null; busy: boolean; error: unknown } | null>(null);
  useEffect(() => setMore(null), [faults.data]);
  const cursor = more ? more.cursor : faults.data?.cursor ?? null;
  const showMore = async () => {
    const before = more?.items ?? [];
    setMore({ items: before, cursor, busy: true, error: null });
    try {
      const next = await loadPage<Fault>('/faults', query, cursor);
      setMore({ items: [...before, ...next.items], cursor: next.cursor, busy: false, error: null });
    } catch (e) {
      setMore({ items: before, cursor, busy: false, error: e });
    }
  };
  const names = new Map((sites.data ?? []).map((s) => [s.id, s]));
  const rows = [...(faults.data?.items ?? []), ...(more?.items ?? [])].filter((x) => !openOnly || x.status === 'unresolved');
  const writable = can('write:sla');
  const zone = (f: Fault) => names.get(f.resource_id)?.timezone;
  const columns: Column<Fault>[] = [
    { key: 'site', header: 'Site', render: (f) => <a href={href(`/sites/${encodeURIComponent(f.resource_id)}`)}>{names.get(f.resource_id)?.name ?? f.resource_id}</a>, sortValue: (f) => names.get(f.resource_id)?.name ?? f.resource_id },
    { key: 'status', header: 'Status', render: (f) => <Badge status={f.status === 'unresolved' ? 'open' : 'resolved'} tone={f.status === 'unresolved' ? 'bad' : 'good'} />, sortValue: (f) => f.status },
    { key: 'severity', header: 'Severity', render: (f) => f.severity, sortValue: (f) => ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'].indexOf(f.severity) },
    { key: 'type', header: 'Type', render: (f) => f.type },
    { key: 'began', header: 'Began', render: (f) => formatTime(f.created_at, { zone: zone(f) }), sortValue: (f) => f.created_at },
    { key: 'ended', header: 'Ended', render: (f) => formatTime(f.resolved_at, { zone: zone(f) }), sortValue: (f) => f.resolved_at },
    { key: 'cause', header: 'Cause', render: (f) => f.cause || '—' },
    ...(writable ? [{ key: 'actions', header: 'Actions', render: (f: Fault) => (
      <Button onClick={() => setDialog({ kind: 'edit', fault: f })} aria-label={`${f.status === 'unresolved' ? 'Resolve or edit' : 'Edit'} the fault of ${names.get(f.resource_id)?.name ?? f.resource_id} from ${formatTime(f.created_at)}`}>
        {f.status === 'unresolved' ? 'Resolve / edit' : 'Edit'}
      </Button>) }] : []),
  ];
  const done = (text: string) => { setDialog(null); setNotice(text); faults.reload(); };
  const actions = writable && sites.data && (
    <>
      <Button onClick={() => setDialog({ kind: 'import' })}>Import CSV</Button>
      <Button variant="primary" disabled={sites.data.length === 0} onClick={() => setDialog({ kind: 'edit' })}>Record fault</Button>
    </>
  );
  const error = faults.error ?? sites.error;
  return (
    <Page title="Faults" actions={actions}>
      <div class="toolbar">
        <SelectField label="Site" value={site} onValue={setSite} options={[['', 'All sites'], ...(sites.data ?? []).map((s): [string, string] => [s.id, s.name])]} />
        <TextField label="From (UTC day)" type="date" value={from} onValue={setFrom} />
        <TextField label="To (UTC day)" type="date" value={to} onValue={setTo} />
        <div class="field check"><label><input type="checkbox" checked={openOnly} onChange={(e) => setOpenOnly((e.currentTarget as HTMLInputElement).checked)} /> Open only</label></div>
      </div>
      {notice && <p role="status" class="notice">{notice}</p>}
      {error !== null ? <ErrorBanner error={error} onRetry={() => { faults.reload(); sites.reload(); }} /> : faults.data === null || sites.data === null ? <Loading label="Loading faults…" /> :
        rows.length === 0 ? <Empty title="No faults match">Faults come from Alertmanager, the API, a CSV import or this page.</Empty> :
        <Table caption="Faults" columns={columns} rows={rows} rowKey={(x) => x.id} />}
      {more?.error ? <ErrorBanner error={more.error} /> : null}
      {faults.data && cursor && <p><Button busy={more?.busy} onClick={showMore}>Show 100 more faults</Button></p>}
      {dialog?.kind === 'edit' && <FaultDialog fault={dialog.fault} sites={sites.data ?? []} onClose={() => setDialog(null)} onSaved={() => done(dialog.fault ? 'Fault saved.' : 'Fault recorded.')} />}
      {dialog?.kind === 'import' && <FaultImport sites={sites.data ?? []} onClose={() => setDialog(null)} onDone={(n) => done(`${n} faults imported.`)} />}
    </Page>
  );
}
