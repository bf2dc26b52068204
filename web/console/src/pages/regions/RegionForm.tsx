import { useState } from 'preact/hooks';
import { api } from '../../api';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { Form, SelectField, TextField } from '../../ui/Field';
import { Checks } from '../brands/fields';
import { type Brand, type RegionConfig, platforms } from '../brands/types';

/** Creates a region config for one of `brands` (POST /v1/region-configs). */
export function RegionForm({ brands, onClose, onSaved }: { brands: Brand[]; onClose: () => void; onSaved: (c: RegionConfig) => void }) {
  const [brandId, setBrandId] = useState(brands[0]?.id ?? '');
  const [name, setName] = useState('');
  const [country, setCountry] = useState('');
  const [language, setLanguage] = useState('');
  const [location, setLocation] = useState('');
  const [chosen, setChosen] = useState<string[]>(['chatgpt']);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const save = async () => {
    setBusy(true);
    const body: Record<string, unknown> = { brand_id: brandId, name: name.trim(), country: country.trim(), ai_platforms: chosen };
    if (language.trim()) body.language = language.trim();
    if (location.trim()) body.location = location.trim();
    try {
      onSaved(await api.post<RegionConfig>('/v1/region-configs', body));
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <Dialog title="New region config" onClose={onClose}>
      <Form onSubmit={save} label="New region config">
        {error !== null && <ErrorBanner error={error} />}
        <SelectField label="Brand" value={brandId} onValue={setBrandId} options={brands.map((b) => [b.id, b.name])} />
        <TextField label="Name" value={name} onValue={setName} required />
        <TextField label="Country" value={country} onValue={setCountry} hint="ISO code or name, e.g. US" required />
        <TextField label="Language" value={language} onValue={setLanguage} hint="e.g. en (optional)" />
        <TextField label="Location" value={location} onValue={setLocation} hint="City or region (optional)" />
        <Checks legend="Answer engines" options={platforms} value={chosen} onValue={setChosen} />
        <div class="form-actions">
          <Button type="submit" variant="primary" busy={busy}>Create region config</Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </Form>
    </Dialog>
  );
}
