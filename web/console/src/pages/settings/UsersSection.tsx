import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api';
import type { Session } from '../../session';
import { Badge } from '../../ui/Badge';
import { Button } from '../../ui/Button';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { Form, SelectField, TextField } from '../../ui/Field';
import { Loading } from '../../ui/Loading';
import { type Column, Table } from '../../ui/Table';
import { formatTime } from '../../ui/time';
import { Confirm } from './Confirm';
import { SecretOnce } from './SecretOnce';

interface User {
  id: string;
  email: string;
  role: 'admin' | 'editor' | 'viewer';
  disabled: boolean;
  created_at: string;
  last_login_at: string | null;
  password?: string;
}

const roles: [string, string][] = [['viewer', 'Viewer (reads)'], ['editor', 'Editor (reads and writes)'], ['admin', 'Admin (also users, tokens, branding)']];

function AddUser({ onAdded }: { onAdded: (u: User) => void }) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState('viewer');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      onAdded(await api.post<User>('/v1/users', { email: email.trim(), role, ...(password ? { password } : {}) }));
      setEmail('');
      setPassword('');
    } catch (e) { setError(e); } finally { setBusy(false); }
  };
  return (
    <Form onSubmit={submit} label="Add a user">
      {error !== null && <ErrorBanner error={error} />}
      <div class="toolbar">
        <TextField label="Email" type="email" required value={email} onValue={setEmail} />
        <SelectField label="Role" value={role} onValue={setRole} options={roles} />
        <TextField label="Password" type="password" autoComplete="new-password" value={password} onValue={setPassword} hint="Leave empty to generate one." />
        <Button type="submit" variant="primary" busy={busy} class="align-end">Add user</Button>
      </div>
    </Form>
  );
}

/** Console users of the tenant: add with a role (a generated password shown once), change role,
 *  disable/enable, reset password (shown once), delete. */
export function UsersSection({ session }: { session: Session }) {
  const [users, setUsers] = useState<User[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [secret, setSecret] = useState<{ label: string; value: string } | null>(null);
  const [deleting, setDeleting] = useState<User | null>(null);
  const load = () => api.get<{ data: User[] }>('/v1/users', { limit: 100 }).then((l) => setUsers(l.data), setError);
  useEffect(() => void load(), []);
  const act = async (work: () => Promise<void>) => {
    setError(null);
    try { await work(); } catch (e) { setError(e); }
    await load();
  };
  const patch = (u: User, body: Partial<User>) => act(async () => { await api.patch(`/v1/users/${u.id}`, body); });
  const reset = (u: User) => act(async () => {
    const r = await api.post<{ password: string }>(`/v1/users/${u.id}/reset-password`);
    setSecret({ label: `New password of ${u.email}`, value: r.password });
  });
  const self = (u: User) => u.id === session.user.id;
  const columns: Column<User>[] = [
    { key: 'email', header: 'Email', render: (u) => u.email, sortValue: (u) => u.email },
    { key: 'role', header: 'Role', render: (u) => (
      <select aria-label={`Role of ${u.email}`} value={u.role} disabled={self(u)} onChange={(e) => void patch(u, { role: (e.currentTarget as HTMLSelectElement).value as User['role'] })}>
        {roles.map(([v]) => <option key={v} value={v}>{v}</option>)}
      </select>
    ), sortValue: (u) => u.role },
    { key: 'state', header: 'State', render: (u) => <Badge status={u.disabled ? 'disabled' : 'active'} tone={u.disabled ? 'warn' : 'good'} /> },
    { key: 'login', header: 'Last sign-in', render: (u) => formatTime(u.last_login_at), sortValue: (u) => u.last_login_at },
    { key: 'actions', header: 'Actions', render: (u) => !self(u) && (
      <span class="row-actions">
        <Button onClick={() => void patch(u, { disabled: !u.disabled })} aria-label={`${u.disabled ? 'Enable' : 'Disable'} ${u.email}`}>{u.disabled ? 'Enable' : 'Disable'}</Button>
        <Button onClick={() => void reset(u)} aria-label={`Reset the password of ${u.email}`}>Reset password</Button>
        <Button variant="danger" onClick={() => setDeleting(u)} aria-label={`Delete ${u.email}`}>Delete</Button>
      </span>
    ) },
  ];
  return (
    <section class="settings-section" aria-labelledby="users-title">
      <h2 id="users-title">Users</h2>
      <AddUser onAdded={(u) => { if (u.password) setSecret({ label: `Generated password of ${u.email}`, value: u.password }); void load(); }} />
      {secret && <SecretOnce label={secret.label} value={secret.value} onDone={() => setSecret(null)} />}
      {error !== null && <ErrorBanner error={error} />}
      {users === null ? (error === null && <Loading label="Loading users…" />) : (
        <Table caption="Users" columns={columns} rows={users} rowKey={(u) => u.id} />
      )}
      {deleting && (
        <Confirm title="Delete this user?" text={`${deleting.email} will no longer be able to sign in. This cannot be undone.`} yes="Delete user"
          onClose={() => setDeleting(null)} onYes={() => void act(async () => { await api.del(`/v1/users/${deleting.id}`); })} />
      )}
    </section>
  );
}
