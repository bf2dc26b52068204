import { useState } from 'preact/hooks';
import { api } from '../../api';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { Form, TextField } from '../../ui/Field';
import { TextArea } from './fields';
import { splitList } from './load';
import type { Brand } from './types';

/** Create (no `brand`) or edit a brand in a dialog; `onSaved` gets the saved brand. */
export function BrandForm({ brand, onClose, onSaved }: { brand?: Brand; onClose: () => void; onSaved: (b: Brand) => void }) {
  const [name, setName] = useState(brand?.name ?? '');
  const [website, setWebsite] = useState(brand?.website ?? 'https://');
  const [aliases, setAliases] = useState(brand?.brand_aliases.join(', ') ?? '');
  const [competitors, setCompetitors] = useState(brand?.competitors.map((c) => c.name).join(', ') ?? '');
  const [categories, setCategories] = useState(brand?.categories.join(', ') ?? '');
  const [country, setCountry] = useState(brand?.country ?? '');
  const [language, setLanguage] = useState(brand?.language ?? '');
  const [description, setDescription] = useState(brand?.brand_info.description ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const save = async () => {
    setBusy(true);
    setError(null);
    const body = {
      name: name.trim(), website: website.trim(), brand_aliases: splitList(aliases), competitors: splitList(competitors),
      categories: splitList(categories), country: country.trim() || null, language: language.trim() || null,
      brand_info: { description: description.trim() || null },
    };
    try {
      onSaved(brand ? await api.patch<Brand>(`/v1/brands/${brand.id}`, body) : await api.post<Brand>('/v1/brands', body));
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <Dialog title={brand ? `Edit ${brand.name}` : 'New brand'} onClose={onClose}>
      <Form onSubmit={save} label={brand ? 'Edit brand' : 'New brand'}>
        {error !== null && <ErrorBanner error={error} />}
        <TextField label="Name" value={name} onValue={setName} required />
        <TextField label="Website" type="url" value={website} onValue={setWebsite} required />
        <TextField label="Aliases" value={aliases} onValue={setAliases} hint="Comma-separated" />
        <TextField label="Competitors" value={competitors} onValue={setCompetitors} hint="Comma-separated names" />
        <TextField label="Categories" value={categories} onValue={setCategories} hint="Comma-separated" />
        <TextField label="Country" value={country} onValue={setCountry} hint="ISO code, e.g. US" />
        <TextField label="Language" value={language} onValue={setLanguage} hint="ISO code, e.g. en" />
        <TextArea label="Description" value={description} onValue={setDescription} rows={3} />
        <div class="form-actions">
          <Button type="submit" variant="primary" busy={busy}>{brand ? 'Save' : 'Create brand'}</Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </Form>
    </Dialog>
  );
}
