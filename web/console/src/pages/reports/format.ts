// Numbers as the report pages print them.
import type { Rate } from './types';

/** "99.78 %", or "—" when there is no value. */
export function pct(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined ? '—' : `${value.toFixed(digits)} %`;
}

/** A rate with its 95 % interval: "66.7 % (30.0–90.3)". */
export function rateText(r: Rate | null | undefined): string {
  if (!r || r.rate === null) return '—';
  return `${r.rate.toFixed(1)} % (${r.ci95_low.toFixed(1)}–${r.ci95_high.toFixed(1)})`;
}

/** Seconds as "1 h 2 min", "27 min 6 s" or "40 s". */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), rest = s % 60;
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min${rest ? ` ${rest} s` : ''}`;
  return `${rest} s`;
}

/** The first `max` characters of `text` at a word boundary, with an ellipsis when cut. */
export function excerpt(text: string, max = 280): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
