// The report pages' two charts, plain SVG like src/ui/charts.tsx: daily uptime as columns (the
// axis starts near the lowest day so that 99.5 and 99.9 differ visibly), and rates with their
// 95 % intervals as bars with whiskers. Each has role="img", a label, and a <title> per mark.
import { pct } from './format';

/** Columns of `days` (percent), the y axis from just under the lowest value to 100, and a
 *  dashed line at `target` when given. */
export function DailyChart({ days, target, label }: { days: { date: string; value: number | null }[]; target: number | null; label: string }) {
  const values = days.map((d) => d.value).filter((v): v is number => v !== null);
  if (values.length === 0) return null;
  const floor = Math.max(0, Math.floor(Math.min(...values, target ?? 100) - 0.5));
  const width = 640, height = 180, left = 44, bottom = 22;
  const plotH = height - bottom - 8;
  const step = (width - left) / days.length;
  const y = (v: number) => 8 + plotH - ((v - floor) / (100 - floor || 1)) * plotH;
  const labelEvery = Math.ceil(days.length / 8);
  return (
    <svg class="daily-chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
      <text x={left - 6} y={y(100) + 4} class="axis" text-anchor="end">100</text>
      <text x={left - 6} y={y(floor) + 4} class="axis" text-anchor="end">{floor}</text>
      <line x1={left} x2={width} y1={y(floor)} y2={y(floor)} class="baseline" />
      {days.map((d, i) => (
        <g key={d.date}>
          {d.value !== null && (
            <rect x={left + i * step + step * 0.15} width={step * 0.7} y={y(d.value)} height={Math.max(1, y(floor) - y(d.value))}
              class={target !== null && d.value < target ? 'day below' : 'day'}>
              <title>{`${d.date}: ${pct(d.value, 3)}`}</title>
            </rect>
          )}
          {i % labelEvery === 0 && <text x={left + i * step + step / 2} y={height - 6} class="axis" text-anchor="middle">{d.date.slice(5)}</text>}
        </g>
      ))}
      {target !== null && target >= floor && <line x1={left} x2={width} y1={y(target)} y2={y(target)} class="target" />}
    </svg>
  );
}

export interface IntervalItem {
  label: string;
  rate: number | null;
  low: number;
  high: number;
  highlight?: boolean;
}

/** One bar per item (0–100 %) with its interval as a whisker and the rate printed. */
export function IntervalChart({ items, label }: { items: IntervalItem[]; label: string }) {
  const row = 28, left = 150, span = 200, width = 440;
  const x = (v: number) => left + (Math.min(100, Math.max(0, v)) / 100) * span;
  return (
    <svg class="interval-chart" viewBox={`0 0 ${width} ${Math.max(1, items.length) * row}`} role="img" aria-label={label}>
      {items.map((item, i) => (
        <g key={item.label} transform={`translate(0 ${i * row})`}>
          <title>{`${item.label}: ${item.rate === null ? 'no data' : `${item.rate.toFixed(1)} %, 95 % interval ${item.low.toFixed(1)}–${item.high.toFixed(1)} %`}`}</title>
          <text x="0" y="18" class={item.highlight ? 'bar-label strong' : 'bar-label'}>{item.label.length > 20 ? `${item.label.slice(0, 19)}…` : item.label}</text>
          <rect x={left} y="6" width={span} height="16" class="track" />
          {item.rate !== null && <rect x={left} y="6" width={x(item.rate) - left} height="16" class={item.highlight ? 'bar strong' : 'bar'} />}
          {item.rate !== null && <line x1={x(item.low)} x2={x(item.high)} y1="14" y2="14" class="whisker" />}
          {item.rate !== null && <line x1={x(item.low)} x2={x(item.low)} y1="9" y2="19" class="whisker" />}
          {item.rate !== null && <line x1={x(item.high)} x2={x(item.high)} y1="9" y2="19" class="whisker" />}
          <text x={left + span + 10} y="18" class="bar-value">{item.rate === null ? '—' : `${item.rate.toFixed(1)} %`}</text>
        </g>
      ))}
    </svg>
  );
}
