// Plain-SVG charts: no library, no inline styles (colours come from CSS classes).

/** A small line of `values` (e.g. daily uptime); `label` is read by screen readers. */
export function Sparkline({ values, label, width = 120, height = 32 }: { values: number[]; label: string; width?: number; height?: number }) {
  if (values.length === 0) return null;
  const min = Math.min(...values), max = Math.max(...values);
  const span = max - min || 1;
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - 2 - ((v - min) / span) * (height - 4)).toFixed(1)}`);
  return (
    <svg class="sparkline" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
      <polyline points={points.join(' ')} fill="none" />
    </svg>
  );
}

/** Horizontal bars, one per item, with the value printed; `max` defaults to the largest. */
export function BarChart({ items, label, max, format = String }: { items: { label: string; value: number }[]; label: string; max?: number; format?: (v: number) => string }) {
  const top = max ?? Math.max(1, ...items.map((i) => i.value));
  const row = 24;
  return (
    <svg class="barchart" viewBox={`0 0 400 ${items.length * row}`} role="img" aria-label={label}>
      {items.map((item, i) => (
        <g key={item.label} transform={`translate(0 ${i * row})`}>
          <text x="0" y="16" class="bar-label">{item.label}</text>
          <rect x="140" y="4" height="16" width={Math.max(0, (item.value / top) * 200)} class="bar" />
          <text x="400" y="16" text-anchor="end" class="bar-value">{format(item.value)}</text>
        </g>
      ))}
    </svg>
  );
}
