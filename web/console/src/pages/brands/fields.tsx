// Inputs the brand-side pages need beyond the UI kit: a labelled textarea and a group of
// checkboxes (a fieldset with a legend).
import { useId } from 'preact/hooks';

/** A labelled multi-line input. */
export function TextArea({ label, value, onValue, hint, rows = 6 }: { label: string; value: string; onValue: (v: string) => void; hint?: string; rows?: number }) {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <textarea id={id} rows={rows} value={value} aria-describedby={hint ? `${id}-hint` : undefined}
        onInput={(e) => onValue((e.currentTarget as HTMLTextAreaElement).value)} />
      {hint && <p id={`${id}-hint`} class="hint">{hint}</p>}
    </div>
  );
}

/** Checkboxes for a set of `options`; `value` is the checked subset. */
export function Checks({ legend, options, value, onValue }: { legend: string; options: readonly string[]; value: string[]; onValue: (v: string[]) => void }) {
  const toggle = (o: string, on: boolean) => onValue(on ? [...value, o] : value.filter((v) => v !== o));
  return (
    <fieldset class="checks">
      <legend>{legend}</legend>
      {options.map((o) => (
        <label key={o}>
          <input type="checkbox" checked={value.includes(o)} onChange={(e) => toggle(o, (e.currentTarget as HTMLInputElement).checked)} />
          {o}
        </label>
      ))}
    </fieldset>
  );
}

/** A single labelled checkbox. */
export function CheckBox({ label, checked, onValue }: { label: string; checked: boolean; onValue: (v: boolean) => void }) {
  return (
    <div class="field">
      <label class="check-inline">
        <input type="checkbox" checked={checked} onChange={(e) => onValue((e.currentTarget as HTMLInputElement).checked)} /> {label}
      </label>
    </div>
  );
}
