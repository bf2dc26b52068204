// Hash routing: `#/reports/sla/<id>` matches the pattern `/reports/sla/:id`. The server serves
// the same page at `/` (and at `/s/<token>` for shared reports, read from location.pathname).
import { useEffect, useState } from 'preact/hooks';

/** The path after `#`, "/" when empty. */
export function currentPath(): string {
  const hash = window.location.hash.replace(/^#/, '');
  return hash.startsWith('/') ? hash.split('?')[0] : '/';
}

/** Re-renders on every hash change; returns the current path. */
export function usePath(): string {
  const [path, setPath] = useState(currentPath());
  useEffect(() => {
    const update = () => setPath(currentPath());
    window.addEventListener('hashchange', update);
    update(); // a change between the first render and this effect would be missed otherwise
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return path;
}

/** Parameters of `path` under `pattern` (":name" segments), or null when it does not match. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  if (pattern === '/*') return {};
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) params[want[i].slice(1)] = decodeURIComponent(got[i]);
    else if (want[i] !== got[i]) return null;
  }
  return params;
}

/** A link target for a console path. */
export function href(path: string): string {
  return `#${path}`;
}

export function navigate(path: string): void {
  window.location.hash = path;
}
