import { useState } from 'preact/hooks';
import { api } from '../../api';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { Form, TextField } from '../../ui/Field';
import { type Site, parseTags, tagText } from './sla';

/** Creates a site (no `site`) or edits one; `onSaved` gets the API's answer. */
export function SiteDialog({ site, onClose, onSaved }: { site?: Site; onClose: () => void; onSaved: (s: Site) => void }) {
  const [name, setName] = useState(site?.name ?? '');
  const [timezone, setTimezone] = useState(site?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
  const [tags, setTags] = useState(site ? tagText(site.tags) : '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const parsed = parseTags(tags);
  const save = async () => {
    if ('error' in parsed) return;
    setBusy(true);
    setError(null);
    const body = { name, timezone, tags: parsed.tags };
    try {
      onSaved(site ? await api.patch<Site>(`/sites/${site.id}`, body) : await api.post<Site>('/sites', body));
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <Dialog title={site ? `Edit ${site.name}` : 'New site'} onClose={onClose}>
      <Form onSubmit={save} label={site ? 'Edit site' : 'New site'}>
        <TextField label="Name" value={name} onValue={setName} required />
        <TextField label="Time zone" value={timezone} onValue={setTimezone} hint="IANA name, e.g. Europe/London" />
        <TextField label="Tags" value={tags} onValue={setTags} hint="key=value, separated by commas"
          error={'error' in parsed ? parsed.error : undefined} />
        {error !== null && <ErrorBanner error={error} />}
        <div class="form-actions">
          <Button type="submit" variant="primary" busy={busy}>{site ? 'Save' : 'Create site'}</Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </Form>
    </Dialog>
  );
}
