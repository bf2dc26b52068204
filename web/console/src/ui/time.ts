// Times as the viewer reads them: in their own zone, with the report's zone named when it
// differs ("5 Dec 2026, 10:00 (report zone Europe/Paris: 11:00)").

/** `ts` (ISO string or Unix ms) in the viewer's local time; with `zone`, also that zone's clock. */
export function formatTime(ts: string | number | null | undefined, options: { zone?: string; dateOnly?: boolean } = {}): string {
  if (ts === null || ts === undefined || ts === '') return '—';
  const date = new Date(ts);
  if (Number.isNaN(date.getTime())) return String(ts);
  const style: Intl.DateTimeFormatOptions = options.dateOnly ? { dateStyle: 'medium' } : { dateStyle: 'medium', timeStyle: 'short' };
  const local = new Intl.DateTimeFormat(undefined, style).format(date);
  const viewerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!options.zone || options.zone === viewerZone) return local;
  try {
    const there = new Intl.DateTimeFormat(undefined, { ...style, timeZone: options.zone }).format(date);
    return `${local} (report zone ${options.zone}: ${there})`;
  } catch {
    return `${local} (report zone ${options.zone})`;
  }
}
