import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api';
import { Badge } from '../../ui/Badge';
import { Button } from '../../ui/Button';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { Form, SelectField } from '../../ui/Field';
import { Loading } from '../../ui/Loading';
import { type Column, Table } from '../../ui/Table';
import { formatTime } from '../../ui/time';
import { type ReportKind, reportPath } from './types';

/** A share link as the API lists it (its token is never listed again). */
export interface Share {
  id: string;
  report_id: string;
  url?: string;
  token?: string;
  expires_at: string;
  created_at: string;
  revoked_at: string | null;
  views: number;
  last_viewed_at: string | null;
}

const expiries: [string, string][] = [['1', '1 day'], ['7', '7 days'], ['30', '30 days'], ['90', '90 days'], ['365', '1 year']];

function state(s: Share): string {
  if (s.revoked_at) return 'revoked';
  return new Date(s.expires_at).getTime() <= Date.now() ? 'expired' : 'active';
}

function columns(onRevoke: (s: Share) => void, busy: string | null): Column<Share>[] {
  return [
    { key: 'created', header: 'Created', render: (s) => formatTime(s.created_at), sortValue: (s) => s.created_at },
    { key: 'expires', header: 'Expires', render: (s) => formatTime(s.expires_at), sortValue: (s) => s.expires_at },
    { key: 'views', header: 'Views', numeric: true, render: (s) => s.views, sortValue: (s) => s.views },
    { key: 'last', header: 'Last viewed', render: (s) => formatTime(s.last_viewed_at) },
    { key: 'state', header: 'State', render: (s) => <Badge status={state(s)} tone={state(s) === 'active' ? 'good' : 'neutral'} /> },
    { key: 'revoke', header: 'Action', render: (s) => state(s) === 'active' && (
      <Button variant="danger" busy={busy === s.id} onClick={() => onRevoke(s)} aria-label={`Revoke the link created ${formatTime(s.created_at)}`}>Revoke</Button>
    ) },
  ];
}

function NewLink({ share }: { share: Share }) {
  const [copied, setCopied] = useState<string | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(share.url ?? '');
      setCopied('Copied to the clipboard.');
    } catch {
      (document.getElementById('new-share-url') as HTMLInputElement | null)?.select();
      setCopied('Select the link and copy it (Ctrl+C).');
    }
  };
  return (
    <div class="new-share" role="status">
      <label for="new-share-url">New link (anyone with it can read this report until it expires)</label>
      <div class="copy-row">
        <input id="new-share-url" readOnly value={share.url ?? ''} onFocus={(e) => e.currentTarget.select()} />
        <Button onClick={() => void copy()}>Copy</Button>
      </div>
      {copied && <p class="hint">{copied}</p>}
    </div>
  );
}

/** Share links of one report: create one (expiry choice), copy it, the list with views, revoke. */
export function SharePanel({ kind, reportId }: { kind: ReportKind; reportId: string }) {
  const base = `${reportPath(kind, reportId)}/shares`;
  const [shares, setShares] = useState<Share[] | null>(null);
  const [days, setDays] = useState('30');
  const [created, setCreated] = useState<Share | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = () => api.get<{ data: Share[] }>(base).then((l) => setShares(l.data), setError);
  useEffect(() => void load(), [base]);
  const act = async (id: string, work: () => Promise<void>) => {
    setBusy(id);
    setError(null);
    try { await work(); await load(); } catch (e) { setError(e); } finally { setBusy(null); }
  };
  const create = () => act('new', async () => setCreated(await api.post<Share>(base, { expires_in_days: Number(days) })));
  const revoke = (s: Share) => act(s.id, async () => { await api.del(`${base}/${encodeURIComponent(s.id)}`); });
  return (
    <section class="report-section share-panel" aria-label="Share">
      <h2>Share</h2>
      <Form onSubmit={create} label="Create a share link">
        <div class="toolbar">
          <SelectField label="Link expires after" value={days} onValue={setDays} options={expiries} />
          <Button type="submit" variant="primary" busy={busy === 'new'} class="align-end">Create link</Button>
        </div>
      </Form>
      {created && <NewLink share={created} />}
      {error !== null && <ErrorBanner error={error} />}
      {shares === null ? (error === null && <Loading label="Loading share links…" />) : shares.length === 0 ? <p>No share links yet.</p> : (
        <Table caption="Share links" columns={columns(revoke, busy)} rows={shares} rowKey={(s) => s.id} />
      )}
    </section>
  );
}
