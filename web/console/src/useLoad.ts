// The one loading hook of the console's pages: loads, reloads and reports errors.
import { useEffect, useState } from 'preact/hooks';

export interface Loaded<T> {
  data: T | null;
  error: unknown;
  reload: () => void;
}

/** Runs `load` now and whenever `deps` change or `reload()` is called; stale answers are dropped. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[] = []): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    setError(null);
    load().then((d) => live && setData(d), (e) => live && setError(e));
    return () => {
      live = false;
    };
  }, [...deps, attempt]);
  return { data, error, reload: () => setAttempt((a) => a + 1) };
}
