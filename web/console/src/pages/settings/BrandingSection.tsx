import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api';
import { applyAccent } from '../../branding';
import { Button } from '../../ui/Button';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { Form, TextField } from '../../ui/Field';
import { Loading } from '../../ui/Loading';
import { contrastRatio, luminance, readableTextOn } from '../../ui/color';

interface WhiteLabel {
  name: string | null;
  accent_color: string | null;
  logo: { content_type: string; url: string; bytes: number } | null;
  updated_at: string | null;
}

type Logo = { content_type: string; data_base64: string; name: string } | null | undefined;

const maxLogoBytes = 256 * 1024;
const pageBackground = '#f6f7f9';

/** Reads a PNG or SVG file of at most 256 KiB as base64; rejects with a message otherwise. */
function readLogo(file: File): Promise<NonNullable<Logo>> {
  if (file.type !== 'image/png' && file.type !== 'image/svg+xml') return Promise.reject(new Error('The logo must be a PNG or an SVG file.'));
  if (file.size > maxLogoBytes) return Promise.reject(new Error(`The logo is ${Math.ceil(file.size / 1024)} KiB; at most 256 KiB.`));
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve({ content_type: file.type, data_base64: String(reader.result).replace(/^data:[^,]*,/, ''), name: file.name });
    reader.onerror = () => reject(new Error('Could not read the file.'));
    reader.readAsDataURL(file);
  });
}

function ContrastCheck({ accent }: { accent: string }) {
  if (luminance(accent) === null) return <p class="field-error">Use the form #RRGGBB.</p>;
  const text = readableTextOn(accent);
  const onIt = contrastRatio(accent, text);
  const onPage = contrastRatio(accent, pageBackground);
  return (
    <div class="contrast" role="status">
      <span class="swatch" style={{ background: accent, color: text }}>Sample text</span>
      <p class={onIt >= 4.5 ? 'ok' : 'field-error'}>Text on it: {onIt.toFixed(2)}:1 {onIt >= 4.5 ? '— passes WCAG AA (4.5:1)' : '— below WCAG AA (4.5:1): pick a darker or lighter colour'}</p>
      <p class={onPage >= 3 ? 'ok' : 'warn-text'}>Against the page: {onPage.toFixed(2)}:1 {onPage >= 3 ? '— bars and borders stand out (3:1)' : '— bars and borders will be faint (under 3:1)'}</p>
    </div>
  );
}

function BrandingForm({ current, onSaved }: { current: WhiteLabel; onSaved: (w: WhiteLabel) => void }) {
  const [name, setName] = useState(current.name ?? '');
  const [accent, setAccent] = useState(current.accent_color ?? '#1f5fbf');
  const [logo, setLogo] = useState<Logo>(undefined);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const valid = luminance(accent) !== null && contrastRatio(accent, readableTextOn(accent)) >= 4.5;
  const pick = (file: File | undefined) => { if (file) readLogo(file).then((l) => { setError(null); setLogo(l); }, setError); };
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const body: Record<string, unknown> = { name: name.trim() || null, accent_color: accent };
      if (logo !== undefined) body.logo = logo && { content_type: logo.content_type, data_base64: logo.data_base64 };
      const saved = await api.patch<WhiteLabel>('/v1/white-label', body);
      applyAccent(saved.accent_color);
      setLogo(undefined);
      onSaved(saved);
    } catch (e) { setError(e); } finally { setBusy(false); }
  };
  return (
    <Form onSubmit={save} label="Branding">
      {error !== null && <ErrorBanner error={error} />}
      <TextField label="Name" value={name} onValue={setName} maxLength={100} hint="Shown in the header, on shared pages and in PDFs." />
      <div class="accent-row">
        <TextField label="Accent colour" value={accent} onValue={setAccent} pattern="#[0-9A-Fa-f]{6}" hint="#RRGGBB" />
        <div class="field"><label for="accent-picker">Pick</label><input id="accent-picker" type="color" value={luminance(accent) === null ? '#000000' : accent} onInput={(e) => setAccent(e.currentTarget.value)} /></div>
      </div>
      <ContrastCheck accent={accent} />
      <div class="field">
        <label for="logo-file">Logo (PNG or SVG, at most 256 KiB)</label>
        <input id="logo-file" type="file" accept="image/png,image/svg+xml" onChange={(e) => pick(e.currentTarget.files?.[0])} />
        <p class="hint">{logo ? `New logo: ${logo.name}` : logo === null ? 'The logo will be removed.' : current.logo ? `Current logo: ${current.logo.content_type}, ${current.logo.bytes} bytes.` : 'No logo yet.'}</p>
      </div>
      {current.logo && logo === undefined && <img class="logo-preview" src={`${current.logo.url}?v=${encodeURIComponent(current.updated_at ?? '')}`} alt="Current logo" />}
      <div class="form-actions">
        <Button type="submit" variant="primary" busy={busy} disabled={!valid}>Save branding</Button>
        {current.logo && logo !== null && <Button onClick={() => setLogo(null)}>Remove the logo</Button>}
      </div>
    </Form>
  );
}

/** The tenant's white label: name, accent colour (with a live contrast check) and logo. */
export function BrandingSection() {
  const [current, setCurrent] = useState<WhiteLabel | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(0);
  useEffect(() => { api.get<WhiteLabel>('/v1/white-label').then(setCurrent, setError); }, []);
  return (
    <section class="settings-section" aria-labelledby="branding-title">
      <h2 id="branding-title">Branding</h2>
      {saved > 0 && <p class="ok" role="status">Saved. Reload the page to see the new name and logo in the header.</p>}
      {error !== null ? <ErrorBanner error={error} /> : current === null ? <Loading label="Loading branding…" /> : (
        <BrandingForm key={saved} current={current} onSaved={(w) => { setCurrent(w); setSaved(saved + 1); }} />
      )}
    </section>
  );
}
