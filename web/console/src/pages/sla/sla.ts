// The SLA family's JSON shapes as the console reads them, the list loaders, and the month-to-date
// uptime the Overview and Sites pages compute from faults (type `site`, around the clock).
import { api } from '../../api';

export interface Site {
  id: string;
  name: string;
  tags: Record<string, string>;
  timezone: string;
  created_at: string;
}
export interface Fault {
  id: string;
  resource_id: string;
  type: string;
  severity: 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';
  status: 'unresolved' | 'resolved';
  cause: string;
  message: string;
  created_at: string;
  resolved_at: string | null;
}
export interface OpeningHours {
  day: string;
  start: string;
  end: string;
}
export interface BusinessHours {
  id: string;
  name: string;
  timezone: string;
  hours: OpeningHours[];
}
export interface SlaSchedule {
  id: string;
  name: string;
  disabled: boolean;
  daily: boolean;
  weekly: boolean;
  monthly: boolean;
  day_of_week: string | number | null;
  day_of_month: number | null;
  sla_target: number;
  timezone: string;
  site_selection_mode: 'manual' | 'tags';
  site_selection_logic: 'and' | 'or';
  site_selection_rules: { key: string; value: string }[];
  grouping_rules: { key: string; aggregation: string }[];
  sites: string[];
  recipients: string[];
  business_hours_id: string | null;
  calculate_sla_within_schedule_hours: boolean;
  next_run_at: string | null;
  last_run_at: string | null;
  last_run_status: string | null;
  last_error_message: string | null;
}
export interface ScheduleRun {
  id: string;
  schedule_id: string;
  trigger: string;
  from_date: string;
  to_date: string;
  job_id: string | null;
  status: string;
  error: string | null;
  created_at: string;
}
export interface Job {
  id: string;
  status: 'pending' | 'processing' | 'completed' | 'failed' | 'cancelled';
  step: string | null;
  message: string | null;
  progress_pct: number;
  result: { report_id?: string; error?: { code: string; message: string } } | null;
}

interface SlaPage<T> {
  data: T[];
  meta: { cursor: string | null; has_more: boolean };
}

/** Every item of an SLA list (100 a page), up to `maxPages` pages. */
export async function loadAll<T>(path: string, query: Record<string, string> = {}, maxPages = 20): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < maxPages; i++) {
    const page: SlaPage<T> = await api.get<SlaPage<T>>(path, { ...query, limit: 100, cursor });
    items.push(...page.data);
    if (!page.meta.has_more || !page.meta.cursor) break;
    cursor = page.meta.cursor;
  }
  return items;
}

/** One page of an SLA list and the cursor of the next (null at the end). */
export async function loadPage<T>(path: string, query: Record<string, string>, cursor: string | null): Promise<{ items: T[]; cursor: string | null }> {
  const page = await api.get<SlaPage<T>>(path, { ...query, limit: 100, cursor });
  return { items: page.data, cursor: page.meta.has_more ? page.meta.cursor : null };
}

export { useLoad } from '../../useLoad';

const dayMs = 86_400_000;

/** Milliseconds of `[start, end)` covered by the union of the faults' intervals. */
export function downtimeWithin(faults: Fault[], start: number, end: number, now = Date.now()): number {
  const spans = faults
    .filter((f) => f.type === 'site')
    .map((f) => [Math.max(start, Date.parse(f.created_at)), Math.min(end, f.resolved_at ? Date.parse(f.resolved_at) : now)])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let total = 0;
  let [curA, curB] = [-1, -1];
  for (const [a, b] of spans) {
    if (a > curB) {
      total += curB - curA;
      [curA, curB] = [a, b];
    } else curB = Math.max(curB, b);
  }
  return total + (curB - curA);
}

/** Uptime % of `[start, end)` (end capped at now); 100 when the window is empty. */
export function uptimePct(faults: Fault[], start: number, end: number, now = Date.now()): number {
  const stop = Math.min(end, now);
  if (stop <= start) return 100;
  return 100 * (1 - downtimeWithin(faults, start, stop, now) / (stop - start));
}

/** The daily uptime of the last `days` days (UTC days, today last). */
export function dailyUptime(faults: Fault[], days: number, now = Date.now()): number[] {
  const today = Math.floor(now / dayMs) * dayMs;
  return Array.from({ length: days }, (_, i) => {
    const start = today - (days - 1 - i) * dayMs;
    return uptimePct(faults, start, start + dayMs, now);
  });
}

/** Faults grouped by their site id. */
export function bySite(faults: Fault[]): Map<string, Fault[]> {
  const map = new Map<string, Fault[]>();
  for (const f of faults) map.set(f.resource_id, [...(map.get(f.resource_id) ?? []), f]);
  return map;
}

/** The first instant of the current month (UTC). */
export function monthStart(now = new Date()): number {
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
}

export const pct = (v: number | null | undefined, digits = 2) => (v === null || v === undefined ? '—' : `${v.toFixed(digits)} %`);

/** "region=emea, tier=gold" for display. */
export const tagText = (tags: Record<string, string>) =>
  Object.entries(tags).map(([k, v]) => `${k}=${v}`).join(', ');

/** Parses "region=emea, tier=gold" (also newlines) into tags; null names the bad part. */
export function parseTags(text: string): { tags: Record<string, string> } | { error: string } {
  const tags: Record<string, string> = {};
  for (const part of text.split(/[,\n]/).map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) return { error: `"${part}" is not key=value` };
    tags[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return { tags };
}
