import { useState } from 'preact/hooks';
import { api } from '../../api';
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
import { listAll, useLoad } from '../brands/load';
import type { Brand, Delivery, Webhook } from '../brands/types';
import { DeliveryLog } from './DeliveryLog';
import { type Owner, ownersOf } from './owners';
import { SecretDialog, WebhookForm } from './WebhookForm';

interface Actions { edit: (w: Webhook) => void; rotate: (w: Webhook) => void; remove: (w: Webhook) => void; log: (w: Webhook) => void }

function columns(a: Actions, write: boolean): Column<Webhook>[] {
  return [
    { key: 'url', header: 'Endpoint', render: (w) => w.url, sortValue: (w) => w.url },
    { key: 'events', header: 'Events', render: (w) => <span class="wrap">{w.events.join(', ')}</span> },
    { key: 'enabled', header: 'State', render: (w) => <Badge status={w.enabled ? 'enabled' : 'disabled'} tone={w.enabled ? 'good' : 'neutral'} /> },
    { key: 'created', header: 'Created', render: (w) => formatTime(w.created_at), sortValue: (w) => w.created_at },
    { key: 'act', header: 'Actions', render: (w) => (
      <div class="row-actions">
        <Button class="small" onClick={() => a.log(w)} aria-label={`Deliveries of ${w.url}`}>Deliveries</Button>
        {write && <>
          <Button class="small" onClick={() => a.edit(w)} aria-label={`Edit ${w.url}`}>Edit</Button>
          <Button class="small" onClick={() => a.rotate(w)} aria-label={`Rotate the secret of ${w.url}`}>Rotate secret</Button>
          <Button class="small" variant="danger" onClick={() => a.remove(w)} aria-label={`Delete ${w.url}`}>Delete</Button>
        </>}
      </div>) },
  ];
}

function Deliveries({ owner, hook }: { owner: Owner; hook: Webhook }) {
  const path = `${owner.base}/${encodeURIComponent(hook.id)}/deliveries`;
  const load = useLoad(() => listAll<Delivery>(path, {}, 1), [path]);
  return <DeliveryLog title={`Deliveries to ${hook.url}`} load={load} resendLabel="Redeliver"
    resendPath={can('write:webhooks') ? (d) => `${path}/${encodeURIComponent(d.id)}/redeliver` : null} />;
}

/** #/webhooks: endpoints of the SLA side or of a brand; create (secret shown once), edit,
 *  rotate, delete (write:webhooks), and each endpoint's delivery attempts with redeliver. */
export function WebhooksPage() {
  const brands = useLoad(() => listAll<Brand>('/v1/brands'), []);
  const owners = ownersOf(brands.data ?? []);
  const [ownerKey, setOwnerKey] = useState('sla');
  const owner = owners.find((o) => o.key === ownerKey) ?? owners[0];
  const hooks = useLoad(() => listAll<Webhook>(owner.base), [owner.base]);
  const [form, setForm] = useState<{ hook?: Webhook } | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [logOf, setLogOf] = useState<Webhook | null>(null);
  const [error, setError] = useState<unknown>(null);
  const write = can('write:webhooks');
  const one = (w: Webhook) => `${owner.base}/${encodeURIComponent(w.id)}`;
  const actions: Actions = {
    edit: (w) => setForm({ hook: w }),
    rotate: (w) => api.post<Webhook>(`${one(w)}/rotate-secret`).then((r) => setSecret(r.secret ?? ''), setError),
    remove: (w) => window.confirm(`Delete the endpoint ${w.url}?`) && api.del(one(w)).then(() => { setLogOf(null); hooks.reload(); }, setError),
    log: setLogOf,
  };
  const saved = (w: Webhook) => {
    setForm(null);
    if (w.secret) setSecret(w.secret);
    hooks.reload();
  };
  return (
    <Page title="Webhooks" actions={write && <Button variant="primary" onClick={() => setForm({})}>New endpoint</Button>}>
      <div class="toolbar">
        <SelectField label="Events of" value={owner.key} onValue={(k) => { setOwnerKey(k); setLogOf(null); }} options={owners.map((o) => [o.key, o.label])} />
      </div>
      {brands.error !== null && <ErrorBanner error={brands.error} onRetry={brands.reload} />}
      {error !== null && <ErrorBanner error={error} />}
      {hooks.error !== null ? <ErrorBanner error={hooks.error} onRetry={hooks.reload} /> : hooks.data === null ? <Loading label="Loading endpoints…" /> :
        hooks.data.length === 0 ? <Empty title="No webhook endpoints">Endpoints receive a signed POST when a report completes or fails.</Empty> :
        <Table caption="Webhook endpoints" columns={columns(actions, write)} rows={hooks.data} rowKey={(w) => w.id} />}
      {logOf && <Deliveries key={logOf.id} owner={owner} hook={logOf} />}
      {form && <WebhookForm owner={owner} hook={form.hook} onClose={() => setForm(null)} onSaved={saved} />}
      {secret !== null && <SecretDialog secret={secret} onClose={() => setSecret(null)} />}
    </Page>
  );
}
