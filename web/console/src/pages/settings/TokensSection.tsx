import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api';
import { Badge } from '../../ui/Badge';
import { Button } from '../../ui/Button';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { Form, SelectField, TextField } from '../../ui/Field';
import { Loading } from '../../ui/Loading';
import { type Column, Table } from '../../ui/Table';
import { formatTime } from '../../ui/time';
import { Confirm } from './Confirm';
import { SecretOnce } from './SecretOnce';

interface Token {
  id: string;
  name: string;
  scopes: string[];
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at?: string | null;
  token?: string;
}

const scopeChoices = ['read:all', 'write:sla', 'write:reports', 'write:brands', 'write:scheduled', 'write:region-configs', 'write:prompts', 'write:jobs', 'write:webhooks'];
const ttls: [string, string][] = [['86400', '1 day'], ['2592000', '30 days'], ['7776000', '90 days'], ['31536000', '1 year'], ['', 'Never expires']];

function state(t: Token): string {
  if (t.revoked_at) return 'revoked';
  return t.expires_at && new Date(t.expires_at).getTime() <= Date.now() ? 'expired' : 'active';
}

function CreateToken({ onCreated }: { onCreated: (t: Token) => void }) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>(['read:all']);
  const [ttl, setTtl] = useState('2592000');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const toggle = (s: string) => setScopes(scopes.includes(s) ? scopes.filter((x) => x !== s) : [...scopes, s]);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      onCreated(await api.post<Token>('/v1/tokens', { name: name.trim(), scopes, ...(ttl ? { ttl_seconds: Number(ttl) } : {}) }));
      setName('');
    } catch (e) { setError(e); } finally { setBusy(false); }
  };
  return (
    <Form onSubmit={submit} label="Create an API token">
      {error !== null && <ErrorBanner error={error} />}
      <div class="toolbar">
        <TextField label="Name" required value={name} onValue={setName} hint="What uses it, e.g. “CI export”." />
        <SelectField label="Expires after" value={ttl} onValue={setTtl} options={ttls} />
      </div>
      <fieldset class="scopes">
        <legend>Scopes</legend>
        {scopeChoices.map((s) => (
          <label key={s} class="check"><input type="checkbox" checked={scopes.includes(s)} onChange={() => toggle(s)} /> {s}</label>
        ))}
      </fieldset>
      <Button type="submit" variant="primary" busy={busy}>Create token</Button>
    </Form>
  );
}

/** API tokens of the tenant: create with scopes and a lifetime (the secret shown once), list,
 *  revoke. */
export function TokensSection() {
  const [tokens, setTokens] = useState<Token[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [created, setCreated] = useState<Token | null>(null);
  const [revoking, setRevoking] = useState<Token | null>(null);
  const load = () => api.get<{ data: Token[] }>('/v1/tokens', { limit: 100 }).then((l) => setTokens(l.data), setError);
  useEffect(() => void load(), []);
  const revoke = async (t: Token) => {
    setError(null);
    try { await api.del(`/v1/tokens/${t.id}`); } catch (e) { setError(e); }
    await load();
  };
  const columns: Column<Token>[] = [
    { key: 'name', header: 'Name', render: (t) => t.name, sortValue: (t) => t.name },
    { key: 'scopes', header: 'Scopes', render: (t) => t.scopes.join(', ') },
    { key: 'created', header: 'Created', render: (t) => formatTime(t.created_at), sortValue: (t) => t.created_at },
    { key: 'expires', header: 'Expires', render: (t) => (t.expires_at ? formatTime(t.expires_at) : 'never'), sortValue: (t) => t.expires_at },
    { key: 'used', header: 'Last used', render: (t) => formatTime(t.last_used_at), sortValue: (t) => t.last_used_at },
    { key: 'state', header: 'State', render: (t) => <Badge status={state(t)} tone={state(t) === 'active' ? 'good' : 'neutral'} /> },
    { key: 'actions', header: 'Action', render: (t) => state(t) === 'active' && (
      <Button variant="danger" onClick={() => setRevoking(t)} aria-label={`Revoke ${t.name}`}>Revoke</Button>
    ) },
  ];
  return (
    <section class="settings-section" aria-labelledby="tokens-title">
      <h2 id="tokens-title">API tokens</h2>
      <CreateToken onCreated={(t) => { setCreated(t); void load(); }} />
      {created?.token && <SecretOnce label={`Token “${created.name}”`} value={created.token} onDone={() => setCreated(null)} />}
      {error !== null && <ErrorBanner error={error} />}
      {tokens === null ? (error === null && <Loading label="Loading tokens…" />) : tokens.length === 0 ? <p>No API tokens yet.</p> : (
        <Table caption="API tokens" columns={columns} rows={tokens} rowKey={(t) => t.id} />
      )}
      {revoking && (
        <Confirm title="Revoke this token?" text={`Programs using “${revoking.name}” will get 401 from now on.`} yes="Revoke token"
          onClose={() => setRevoking(null)} onYes={() => void revoke(revoking)} />
      )}
    </section>
  );
}
