import { useId, useState } from 'preact/hooks';
import { Button } from '../../ui/Button';

/** A secret the API shows once (a generated password, a new API token): read-only, selectable,
 *  with a copy button and a dismiss button. */
export function SecretOnce({ label, value, onDone }: { label: string; value: string; onDone: () => void }) {
  const id = useId();
  const [note, setNote] = useState('It is shown only now: copy it before you close this.');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setNote('Copied to the clipboard.');
    } catch {
      (document.getElementById(id) as HTMLInputElement | null)?.select();
      setNote('Select it and copy it (Ctrl+C).');
    }
  };
  return (
    <div class="secret-once" role="status">
      <label for={id}>{label}</label>
      <div class="copy-row">
        <input id={id} class="secret" readOnly value={value} onFocus={(e) => e.currentTarget.select()} />
        <Button onClick={() => void copy()}>Copy</Button>
        <Button onClick={onDone}>Done</Button>
      </div>
      <p class="hint">{note}</p>
    </div>
  );
}
