import { useState } from 'preact/hooks';
import { api } from '../../api';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { Form, SelectField, TextField } from '../../ui/Field';
import type { Fault, Site } from './sla';

const severities: [string, string][] = [['LOW', 'Low'], ['MEDIUM', 'Medium'], ['HIGH', 'High'], ['CRITICAL', 'Critical']];

/** "2026-12-05T10:30" in the viewer's zone, for a datetime-local input. */
function localInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}
const toIso = (local: string) => (local ? new Date(local).toISOString() : undefined);

/** Records a fault (no `fault`), or resolves/edits one (status, end, severity, cause, message). */
export function FaultDialog({ fault, sites, onClose, onSaved }: { fault?: Fault; sites: Site[]; onClose: () => void; onSaved: () => void }) {
  const [site, setSite] = useState(fault?.resource_id ?? sites[0]?.id ?? '');
  const [type, setType] = useState(fault?.type ?? 'site');
  const [severity, setSeverity] = useState<string>(fault?.severity ?? 'HIGH');
  const [began, setBegan] = useState(localInput(fault?.created_at ?? new Date().toISOString()));
  const [ended, setEnded] = useState(localInput(fault?.resolved_at ?? null));
  const [cause, setCause] = useState(fault?.cause ?? '');
  const [message, setMessage] = useState(fault?.message ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const save = async () => {
    setBusy(true);
    setError(null);
    const end = toIso(ended);
    try {
      if (fault) {
        await api.patch(`/faults/${fault.id}`, { status: end ? 'resolved' : 'unresolved', resolved_at: end ?? null, severity, cause, message });
      } else {
        await api.post('/faults', { resource_id: site, type, severity, created_at: toIso(began), ...(end ? { status: 'resolved', resolved_at: end } : {}), cause, message });
      }
      onSaved();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <Dialog title={fault ? 'Edit fault' : 'Record a fault'} onClose={onClose}>
      <Form onSubmit={save} label={fault ? 'Edit fault' : 'Record a fault'}>
        {!fault && <SelectField label="Site" value={site} onValue={setSite} options={sites.map((s): [string, string] => [s.id, s.name])} />}
        {!fault && <TextField label="Type" value={type} onValue={setType} hint="site counts as downtime; wantunnel and others do not" />}
        <SelectField label="Severity" value={severity} onValue={setSeverity} options={severities} />
        {!fault && <TextField label="Began (your time)" type="datetime-local" value={began} onValue={setBegan} />}
        <TextField label="Ended (your time)" type="datetime-local" value={ended} onValue={setEnded} hint="Leave empty while the fault is open" />
        {fault && !ended && <Button onClick={() => setEnded(localInput(new Date().toISOString()))}>Resolve now</Button>}
        <TextField label="Cause" value={cause} onValue={setCause} />
        <TextField label="Message" value={message} onValue={setMessage} />
        {error !== null && <ErrorBanner error={error} />}
        <div class="form-actions">
          <Button type="submit" variant="primary" busy={busy}>{fault ? 'Save' : 'Record fault'}</Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </Form>
    </Dialog>
  );
}
