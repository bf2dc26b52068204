import { formatTime } from '../../ui/time';
import type { Fault } from './sla';

/** The faults of one site over `[start, end)` as bars on a time axis (plain SVG); each bar is
 *  described in a list for screen readers. */
export function FaultTimeline({ faults, start, end, zone }: { faults: Fault[]; start: number; end: number; zone: string }) {
  const span = end - start;
  const x = (t: number) => (Math.min(end, Math.max(start, t)) - start) / span * 1000;
  const ticks = Array.from({ length: 5 }, (_, i) => start + (span * i) / 4);
  return (
    <figure class="timeline">
      <svg viewBox="0 0 1000 70" role="img" aria-label={`Faults from ${formatTime(start, { dateOnly: true })} to ${formatTime(end, { dateOnly: true })}: ${faults.length}`}>
        <rect x="0" y="10" width="1000" height="30" class="timeline-track" />
        {faults.map((f) => {
          const a = x(Date.parse(f.created_at));
          const b = x(f.resolved_at ? Date.parse(f.resolved_at) : Date.now());
          return <rect key={f.id} x={a} y="10" width={Math.max(3, b - a)} height="30" class={`timeline-fault ${f.type === 'site' ? 'down' : 'other'}`} />;
        })}
        {ticks.map((t) => <text key={t} x={Math.min(x(t), 930)} y="62" class="timeline-tick">{new Date(t).toLocaleDateString(undefined, { month: 'short', day: 'numeric' })}</text>)}
      </svg>
      <figcaption>Dark bars count as downtime (type site); light bars are other fault types. Times in your zone; the site's zone is {zone}.</figcaption>
    </figure>
  );
}
