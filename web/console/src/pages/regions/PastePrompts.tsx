import { useState } from 'preact/hooks';
import { Button } from '../../ui/Button';
import { Form } from '../../ui/Field';
import { TextArea } from '../brands/fields';
import { type CreateOutcome, type PastedLine, createPrompts, previewLines } from './paste';

const plural = (n: number) => `${n} prompt${n === 1 ? '' : 's'}`;
const shorten = (t: string) => (t.length > 160 ? `${t.slice(0, 160)}… (${t.length} characters)` : t);

/** Paste prompts, one per line: a preview names what will be created and what will not, then
 *  "Create" sends them and names each prompt the server refused. */
export function PastePrompts({ configId, existing, onCreated }: { configId: string; existing: string[]; onCreated: () => void }) {
  const [text, setText] = useState('');
  const [preview, setPreview] = useState<PastedLine[] | null>(null);
  const [outcome, setOutcome] = useState<CreateOutcome | null>(null);
  const [busy, setBusy] = useState(false);
  const good = preview?.filter((l) => !l.problem) ?? [];
  const create = async () => {
    setBusy(true);
    const result = await createPrompts(configId, good.map((l) => l.text));
    setBusy(false);
    setOutcome(result);
    setPreview(null);
    if (result.failures.length === 0) setText('');
    onCreated();
  };
  return (
    <section class="panel" aria-labelledby="paste-title">
      <h2 id="paste-title">Add prompts</h2>
      <Form onSubmit={() => { setOutcome(null); setPreview(previewLines(text, existing)); }} label="Add prompts">
        <TextArea label="Prompts, one per line" value={text} onValue={(v) => { setText(v); setPreview(null); }} rows={5}
          hint="Paste many at once; blank lines are skipped. Preview shows what will be created." />
        <div class="form-actions"><Button type="submit" disabled={!text.trim()}>Preview</Button></div>
      </Form>
      {preview && (
        <div aria-live="polite">
          <h3>{good.length} of {plural(preview.length)} will be created</h3>
          <ul class="preview" aria-label="Preview">
            {preview.map((l, i) => (
              <li key={i}><span aria-hidden="true">{l.problem ? '✗' : '✓'}</span> <span class="text">{shorten(l.text)}{l.problem && <span class="why"> — not created: {l.problem}</span>}</span></li>
            ))}
          </ul>
          <div class="form-actions">
            <Button variant="primary" busy={busy} disabled={good.length === 0} onClick={create}>Create {plural(good.length)}</Button>
            <Button onClick={() => setPreview(null)}>Back</Button>
          </div>
        </div>
      )}
      {outcome && (
        <div role="status">
          <p>{plural(outcome.created)} created{outcome.failures.length > 0 && `, ${outcome.failures.length} refused:`}</p>
          {outcome.failures.length > 0 && (
            <ul class="preview">{outcome.failures.map((f, i) => <li key={i}><span aria-hidden="true">✗</span> <span class="text">{shorten(f.text)}<span class="why"> — {f.message}</span></span></li>)}</ul>
          )}
        </div>
      )}
    </section>
  );
}
