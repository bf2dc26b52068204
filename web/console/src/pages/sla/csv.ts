// Fault CSV import, parsed in the browser: every bad row is named before anything is sent.
// Columns (header row, any order): resource_id (or site name), type, severity, created_at,
// resolved_at, cause, message. Quoted fields may hold commas, quotes ("") and newlines.
import type { Site } from './sla';

export interface FaultInput {
  resource_id: string;
  type: string;
  severity: string;
  created_at?: string;
  resolved_at?: string | null;
  status?: string;
  cause?: string;
  message?: string;
}

/** RFC 4180 rows of `text`. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(field); field = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows.filter((r) => r.some((c) => c.trim() !== ''));
}

const severities = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

function checkRow(get: (k: string) => string, sites: Map<string, string>, now: number): { fault?: FaultInput; problems: string[] } {
  const problems: string[] = [];
  const ref = get('resource_id') || get('site');
  const resource = sites.get(ref) ?? sites.get(ref.toLowerCase());
  if (!ref) problems.push('resource_id is empty');
  else if (!resource) problems.push(`no site "${ref}"`);
  const type = get('type') || 'site';
  if (!/^[a-z0-9_-]{1,32}$/.test(type)) problems.push(`type "${type}" must be 1-32 of a-z 0-9 _ -`);
  const severity = get('severity').toUpperCase();
  if (!severities.includes(severity)) problems.push(`severity "${get('severity')}" must be LOW, MEDIUM, HIGH or CRITICAL`);
  const created = get('created_at');
  const resolved = get('resolved_at');
  const c = created ? Date.parse(created) : now;
  if (created && Number.isNaN(c)) problems.push(`created_at "${created}" is not a date-time`);
  else if (c > now) problems.push('created_at is in the future');
  const r = resolved ? Date.parse(resolved) : null;
  if (resolved && Number.isNaN(r)) problems.push(`resolved_at "${resolved}" is not a date-time`);
  else if (r !== null && r < c) problems.push('resolved_at is before created_at');
  if (problems.length) return { problems };
  const fault: FaultInput = { resource_id: resource!, type, severity };
  if (created) fault.created_at = new Date(c).toISOString();
  if (resolved) { fault.resolved_at = new Date(r!).toISOString(); fault.status = 'resolved'; }
  if (get('cause')) fault.cause = get('cause');
  if (get('message')) fault.message = get('message');
  return { fault, problems };
}

/** The faults of a CSV, or every problem by line number (line 1 is the header). */
export function faultsFromCsv(text: string, sites: Site[], now = Date.now()): { faults: FaultInput[]; problems: string[] } {
  const rows = parseCsv(text);
  if (rows.length < 2) return { faults: [], problems: ['The file needs a header row and at least one fault.'] };
  const header = rows[0].map((h) => h.trim().toLowerCase());
  if (!header.includes('resource_id') && !header.includes('site')) return { faults: [], problems: ['Line 1: the header needs a resource_id (or site) column.'] };
  if (!header.includes('severity')) return { faults: [], problems: ['Line 1: the header needs a severity column.'] };
  const lookup = new Map<string, string>();
  for (const s of sites) { lookup.set(s.id, s.id); lookup.set(s.name.toLowerCase(), s.id); }
  const faults: FaultInput[] = [];
  const problems: string[] = [];
  rows.slice(1).forEach((cells, i) => {
    const get = (k: string) => (header.indexOf(k) >= 0 ? (cells[header.indexOf(k)] ?? '').trim() : '');
    const checked = checkRow(get, lookup, now);
    if (checked.fault) faults.push(checked.fault);
    else problems.push(`Line ${i + 2}: ${checked.problems.join('; ')}`);
  });
  if (faults.length + problems.length > 10000) problems.push('At most 10,000 faults at once.');
  return { faults, problems };
}
