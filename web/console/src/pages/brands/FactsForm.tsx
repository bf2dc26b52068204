import { useState } from 'preact/hooks';
import { api } from '../../api';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { Form, TextField } from '../../ui/Field';
import { TextArea } from './fields';
import type { Facts } from './types';

type TextKey = 'description' | 'tagline' | 'industry' | 'company_size' | 'headquarters' | 'mission_statement' | 'value_proposition';
const textFields: [TextKey, string][] = [
  ['tagline', 'Tagline'], ['industry', 'Industry'], ['company_size', 'Company size'], ['headquarters', 'Headquarters'],
  ['mission_statement', 'Mission'], ['value_proposition', 'Value proposition'],
];
const lines = (text: string) => text.split('\n').map((s) => s.trim()).filter(Boolean);

/** Edits the facts (PATCH): the text facts, founding year, key facts and products one per line. */
export function FactsForm({ brandId, facts, onClose, onSaved }: { brandId: string; facts: Facts; onClose: () => void; onSaved: () => void }) {
  const [text, setText] = useState<Record<TextKey, string>>(() =>
    Object.fromEntries([...textFields.map(([k]) => k), 'description'].map((k) => [k, facts[k as TextKey] ?? ''])) as Record<TextKey, string>);
  const [year, setYear] = useState(facts.founded_year === null ? '' : String(facts.founded_year));
  const [keyFacts, setKeyFacts] = useState(facts.key_facts.join('\n'));
  const [products, setProducts] = useState(facts.products.map((p) => p.name).join('\n'));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const set = (k: TextKey) => (v: string) => setText({ ...text, [k]: v });
  const save = async () => {
    setBusy(true);
    const body: Record<string, unknown> = Object.fromEntries(Object.entries(text).map(([k, v]) => [k, v.trim() || null]));
    body.founded_year = year.trim() ? Number(year) : null;
    body.key_facts = lines(keyFacts);
    body.products = lines(products).map((name) => ({ name, description: facts.products.find((p) => p.name === name)?.description ?? null }));
    try {
      await api.patch(`/v1/brands/${encodeURIComponent(brandId)}/facts`, body);
      onSaved();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <Dialog title="Edit facts" onClose={onClose}>
      <Form onSubmit={save} label="Edit facts">
        {error !== null && <ErrorBanner error={error} />}
        <TextArea label="Description" value={text.description} onValue={set('description')} rows={3} />
        {textFields.map(([k, label]) => <TextField key={k} label={label} value={text[k]} onValue={set(k)} />)}
        <TextField label="Founded (year)" inputMode="numeric" value={year} onValue={setYear} />
        <TextArea label="Key facts" value={keyFacts} onValue={setKeyFacts} hint="One per line" rows={4} />
        <TextArea label="Products" value={products} onValue={setProducts} hint="One name per line" rows={3} />
        <div class="form-actions">
          <Button type="submit" variant="primary" busy={busy}>Save facts</Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </Form>
    </Dialog>
  );
}
