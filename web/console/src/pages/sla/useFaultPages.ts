// GET /faults 100 at a time: the first page loads when the filter changes, more() appends the
// next one (its own busy and error state, so the loaded rows stay on screen).
import { useEffect, useState } from 'preact/hooks';
import { type Fault, loadPage, useLoad } from './sla';

interface More { items: Fault[]; cursor: string | null; busy: boolean; error: unknown }

export function useFaultPages(query: Record<string, string>) {
  const key = JSON.stringify(query);
  const first = useLoad(() => loadPage<Fault>('/faults', query, null), [key]);
  const [more, setMore] = useState<More | null>(null);
  useEffect(() => setMore(null), [first.data]);
  const cursor = more ? more.cursor : first.data?.cursor ?? null;
  const loadMore = async () => {
    const before = more?.items ?? [];
    setMore({ items: before, cursor, busy: true, error: null });
    try {
      const next = await loadPage<Fault>('/faults', query, cursor);
      setMore({ items: [...before, ...next.items], cursor: next.cursor, busy: false, error: null });
    } catch (e) {
      setMore({ items: before, cursor, busy: false, error: e });
    }
  };
  return {
    items: first.data ? [...first.data.items, ...(more?.items ?? [])] : null,
    error: first.error,
    reload: first.reload,
    hasMore: first.data !== null && cursor !== null,
    loadMore, moreBusy: more?.busy ?? false, moreError: more?.error ?? null,
  };
}
