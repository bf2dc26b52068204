// Loading helpers shared by the brand-side pages: a hook that loads, reloads and reports
// errors, and a reader that follows a list's cursors (both dialects) up to a bound.
import { api } from '../../api';
import type { List } from './types';

export { useLoad, type Loaded } from '../../useLoad';

/** The rows of a list endpoint, following cursors for at most `pages` pages of `limit`; `more`
 *  says whether rows were left. */
export async function listPages<T>(path: string, query: Record<string, string>, pages: number, limit = 100): Promise<{ rows: T[]; more: boolean }> {
  const rows: T[] = [];
  let cursor: string | null | undefined = null;
  for (let i = 0; i < pages; i++) {
    const page: List<T> = await api.get<List<T>>(path, { ...query, limit, cursor });
    rows.push(...page.data);
    cursor = page.next_cursor ?? page.meta?.cursor;
    if (!(page.has_more ?? page.meta?.has_more ?? false) || !cursor) return { rows, more: false };
  }
  return { rows, more: true };
}

/** Every row of a list endpoint, following cursors (at most `pages` pages of 100). */
export async function listAll<T>(path: string, query: Record<string, string> = {}, pages = 10): Promise<T[]> {
  return (await listPages<T>(path, query, pages)).rows;
}

/** Splits "a, b ,c" into ["a","b","c"]. */
export const splitList = (text: string): string[] =>
  text.split(',').map((s) => s.trim()).filter(Boolean);

/** An error's message for inline display. */
export const messageOf = (e: unknown): string => (e instanceof Error && e.message ? e.message : 'Something went wrong.');
