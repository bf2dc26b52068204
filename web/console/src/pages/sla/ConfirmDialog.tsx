import { useState } from 'preact/hooks';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { ErrorBanner } from '../../ui/ErrorBanner';

/** Asks before a destructive call; shows the API's error if `action` fails. */
export function ConfirmDialog({ title, text, action, onClose, onDone }: {
  title: string; text: string; action: () => Promise<unknown>; onClose: () => void; onDone: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async () => {
    setBusy(true);
    try {
      await action();
      onDone();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <Dialog title={title} onClose={onClose}>
      <p>{text}</p>
      {error !== null && <ErrorBanner error={error} />}
      <div class="form-actions">
        <Button variant="danger" busy={busy} onClick={run}>Delete</Button>
        <Button onClick={onClose}>Cancel</Button>
      </div>
    </Dialog>
  );
}
