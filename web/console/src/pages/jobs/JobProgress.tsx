import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api';
import { Badge } from '../../ui/Badge';
import { ErrorBanner } from '../../ui/ErrorBanner';
import type { Job } from '../brands/types';
import { failureOf, isLive, nextPollMs } from './jobs';

/** Live progress of one job (GET /v1/jobs/{id}, as often as nextPollMs says, until it ends); `onEnd` once. */
export function JobProgress({ jobId, onEnd }: { jobId: string; onEnd?: (job: Job) => void }) {
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    let timer = 0;
    const since = Date.now();
    const poll = () =>
      api.get<Job>(`/v1/jobs/${encodeURIComponent(jobId)}`).then((j) => {
        if (!live) return;
        setJob(j);
        setError(null);
        if (isLive(j)) timer = window.setTimeout(poll, nextPollMs(since));
        else onEnd?.(j);
      }, (e) => {
        if (!live) return;
        setError(e);
        timer = window.setTimeout(poll, Math.max(3_000, nextPollMs(since, e)));
      });
    poll();
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [jobId]);
  const reason = job && failureOf(job);
  return (
    <div class="progress" role="status" aria-live="polite">
      {error !== null && <ErrorBanner error={error} />}
      <p>
        Job <code>{jobId}</code>: {job ? <Badge status={job.status} /> : 'starting…'}
        {job?.step && <> · {job.step}</>}
      </p>
      <progress max={100} value={job?.progress_pct ?? 0} aria-label="Progress">{job?.progress_pct ?? 0} %</progress>
      {job && <p>{job.progress_pct} %{job.total > 0 && ` (${job.completed} of ${job.total})`}{job.message && ` — ${job.message}`}</p>}
      {reason && <p class="failure">{reason}</p>}
    </div>
  );
}
