import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { formatTime } from '../../ui/time';

interface PlannedRun { run_at: string; local: string; from_date: string; to_date: string; cadence: string }

/** The next five runs of `body` (POST /reports/sla/schedules/preview), refreshed 400 ms after
 *  the last change; a body the API refuses shows its message instead (the editor's early
 *  validation). Nothing is asked before the body has a name and a cadence. */
export function SchedulePreview({ body, timezone }: { body: Record<string, unknown>; timezone: string }) {
  const [runs, setRuns] = useState<PlannedRun[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const key = JSON.stringify(body);
  const ready = Boolean(body.name) && (body.daily === true || body.weekly === true || body.monthly === true);
  useEffect(() => {
    if (!ready) return;
    let live = true;
    const timer = window.setTimeout(() => {
      api.post<{ data: PlannedRun[] }>('/reports/sla/schedules/preview?count=5', body).then(
        (r) => { if (live) { setRuns(r.data); setError(null); } },
        (e) => { if (live) { setRuns(null); setError(e); } });
    }, 400);
    return () => { live = false; window.clearTimeout(timer); };
  }, [key]);
  return (
    <section class="preview" aria-labelledby="preview-title" aria-live="polite">
      <h2 id="preview-title">Next runs</h2>
      {!ready ? <p class="hint">Name the schedule and choose daily, weekly or monthly to see its next runs.</p> :
        error !== null ? <ErrorBanner error={error} /> : runs === null ? <p class="hint">Computing…</p> : (
        <ol class="preview-runs">
          {runs.map((r) => (
            <li key={r.run_at + r.cadence}>
              {formatTime(r.run_at, { zone: timezone })}
              <span class="covers">{r.cadence}, covers {r.from_date === r.to_date ? r.from_date : `${r.from_date} – ${r.to_date}`}</span>
            </li>
          ))}
        </ol>
      )}
      {body.disabled === true && <p class="hint">The schedule is disabled: these runs happen only once it is enabled.</p>}
    </section>
  );
}
