import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';

/** A yes/no question in a modal dialog; `onYes` runs the destructive action. */
export function Confirm({ title, text, yes, onYes, onClose }: { title: string; text: string; yes: string; onYes: () => void; onClose: () => void }) {
  return (
    <Dialog title={title} onClose={onClose}>
      <p>{text}</p>
      <div class="dialog-actions">
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="danger" onClick={() => { onClose(); onYes(); }}>{yes}</Button>
      </div>
    </Dialog>
  );
}
