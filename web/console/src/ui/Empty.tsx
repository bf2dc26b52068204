import type { ComponentChildren } from 'preact';

/** What a list shows when it has nothing (or a page that is not built yet). */
export function Empty({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="empty">
      <h2>{title}</h2>
      {children && <p>{children}</p>}
    </div>
  );
}
