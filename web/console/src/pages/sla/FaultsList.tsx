import { useState } from 'preact/hooks';
import { can } from '../../session';
import { Button } from '../../ui/Button';
import { Empty } from '../../ui/Empty';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { SelectField, TextField } from '../../ui/Field';
import { Loading } from '../../ui/Loading';
import { Page } from '../../ui/Page';
import { Table } from '../../ui/Table';
import { FaultDialog } from './FaultDialog';
import { FaultImport } from './FaultImport';
import { faultColumns } from './faultColumns';
import { type Fault, type Site, loadAll, useLoad } from './sla';
import { useFaultPages } from './useFaultPages';
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
  const faults = useFaultPages({ ...(site ? { resource_id: site } : {}), ...(f ? { from: new Date(f).toISOString() } : {}), ...(t ? { to: new Date(t).toISOString() } : {}) });
  const names = new Map((sites.data ?? []).map((s) => [s.id, s]));
  const rows = (faults.items ?? []).filter((x) => !openOnly || x.status === 'unresolved');
  const writable = can('write:sla');
  const columns = faultColumns(names, writable ? (fault) => setDialog({ kind: 'edit', fault }) : undefined);
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
      {error !== null ? <ErrorBanner error={error} onRetry={() => { faults.reload(); sites.reload(); }} /> : faults.items === null || sites.data === null ? <Loading label="Loading faults…" /> :
        rows.length === 0 ? <Empty title="No faults match">Faults come from Alertmanager, the API, a CSV import or this page.</Empty> :
        <Table caption="Faults" columns={columns} rows={rows} rowKey={(x) => x.id} />}
      {faults.moreError !== null && <ErrorBanner error={faults.moreError} />}
      {faults.hasMore && <p><Button busy={faults.moreBusy} onClick={faults.loadMore}>Show 100 more faults</Button></p>}
      {dialog?.kind === 'edit' && <FaultDialog fault={dialog.fault} sites={sites.data ?? []} onClose={() => setDialog(null)} onSaved={() => done(dialog.fault ? 'Fault saved.' : 'Fault recorded.')} />}
      {dialog?.kind === 'import' && <FaultImport sites={sites.data ?? []} onClose={() => setDialog(null)} onDone={(n) => done(`${n} faults imported.`)} />}
    </Page>
  );
}
