import { useState } from 'preact/hooks';
import { api } from '../../api';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { Form, TextField } from '../../ui/Field';
import { CheckBox, Checks } from '../brands/fields';
import type { Webhook } from '../brands/types';
import type { Owner } from './owners';

/** Create (no `hook`) or edit an endpoint: URL, events, enabled. `onSaved` gets the answer
 *  (a new endpoint's answer carries its secret). */
export function WebhookForm({ owner, hook, onClose, onSaved }: { owner: Owner; hook?: Webhook; onClose: () => void; onSaved: (w: Webhook) => void }) {
  const [url, setUrl] = useState(hook?.url ?? 'https://');
  const [events, setEvents] = useState<string[]>(hook?.events ?? [owner.events[0]]);
  const [enabled, setEnabled] = useState(hook?.enabled ?? true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const save = async () => {
    setBusy(true);
    const body = { url: url.trim(), events, enabled };
    try {
      onSaved(hook ? await api.patch<Webhook>(`${owner.base}/${encodeURIComponent(hook.id)}`, body) : await api.post<Webhook>(owner.base, body));
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <Dialog title={hook ? 'Edit webhook endpoint' : `New webhook endpoint (${owner.label})`} onClose={onClose}>
      <Form onSubmit={save} label={hook ? 'Edit webhook endpoint' : 'New webhook endpoint'}>
        {error !== null && <ErrorBanner error={error} />}
        <TextField label="URL" type="url" value={url} onValue={setUrl} required hint="HTTPS endpoint that receives signed POSTs" />
        <Checks legend="Events" options={owner.events} value={events} onValue={setEvents} />
        <CheckBox label="Enabled" checked={enabled} onValue={setEnabled} />
        <div class="form-actions">
          <Button type="submit" variant="primary" busy={busy}>{hook ? 'Save' : 'Create endpoint'}</Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </Form>
    </Dialog>
  );
}

/** Shows a signing secret once, with the warning that it cannot be shown again. */
export function SecretDialog({ secret, onClose }: { secret: string; onClose: () => void }) {
  return (
    <Dialog title="Signing secret" onClose={onClose}>
      <p>Copy this secret now: it is shown only once. Receivers use it to check the signature of each delivery.</p>
      <p class="secret" data-secret>{secret}</p>
      <div class="form-actions"><Button variant="primary" onClick={onClose}>I have copied it</Button></div>
    </Dialog>
  );
}
