// The tenant's white label (GET /v1/white-label): name and logo in the header, the accent colour
// as CSS custom properties (--accent, and --accent-text chosen for 4.5:1 contrast on it).
import { useEffect, useState } from 'preact/hooks';
import { api } from './api';
import { readableTextOn } from './ui/color';

export interface Branding {
  name: string;
  accent_color: string | null;
  logo: { url: string } | null;
}

/** Sets (or, with null, clears) the accent custom properties on the document. */
export function applyAccent(accent: string | null): void {
  const root = document.documentElement.style;
  if (accent && /^#[0-9a-f]{6}$/i.test(accent)) {
    root.setProperty('--accent', accent);
    root.setProperty('--accent-text', readableTextOn(accent));
  } else {
    root.removeProperty('--accent');
    root.removeProperty('--accent-text');
  }
}

/** The white label once loaded (null before, or when the call fails: the default look stays). */
export function useBranding(): Branding | null {
  const [branding, setBranding] = useState<Branding | null>(null);
  useEffect(() => {
    api.get<Branding>('/v1/white-label').then(
      (b) => {
        setBranding(b);
        applyAccent(b.accent_color);
      },
      () => setBranding(null),
    );
  }, []);
  return branding;
}
