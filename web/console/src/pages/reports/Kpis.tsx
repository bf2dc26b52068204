import type { ComponentChildren } from 'preact';

export interface Kpi {
  label: string;
  value: ComponentChildren;
  note?: ComponentChildren;
  tone?: 'good' | 'bad';
}

/** The report's headline numbers as a row of cards (a description list). */
export function Kpis({ items }: { items: Kpi[] }) {
  return (
    <dl class="kpis">
      {items.map((k) => (
        <div key={k.label} class={`kpi${k.tone ? ` ${k.tone}` : ''}`}>
          <dt>{k.label}</dt>
          <dd>
            <span class="kpi-value">{k.value}</span>
            {k.note && <span class="kpi-note">{k.note}</span>}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** A titled part of a report page. */
export function Section({ title, children, id }: { title: string; children: ComponentChildren; id?: string }) {
  return (
    <section class="report-section" aria-label={title} id={id}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}
