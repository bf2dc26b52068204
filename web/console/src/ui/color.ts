// WCAG 2.1 contrast, for the tenant's accent colour: the text on it must reach 4.5:1.

function channel(c: number): number {
  const s = c / 255;
  return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

/** Relative luminance of "#RRGGBB", or null when it is not one. */
export function luminance(hex: string): number | null {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return null;
  const [r, g, b] = m.slice(1).map((x) => channel(Number.parseInt(x, 16)));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a: string, b: string): number {
  const la = luminance(a) ?? 0, lb = luminance(b) ?? 0;
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** The text colour (near-black or white) with the higher contrast on `accent`. */
export function readableTextOn(accent: string): string {
  return contrastRatio(accent, '#111111') >= contrastRatio(accent, '#ffffff') ? '#111111' : '#ffffff';
}
