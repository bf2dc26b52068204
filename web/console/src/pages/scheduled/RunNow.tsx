import { useState } from 'preact/hooks';
import { api } from '../../api';
import { href, navigate } from '../../router';
import { Button } from '../../ui/Button';
import { ErrorBanner } from '../../ui/ErrorBanner';
import type { Job } from '../brands/types';
import { JobProgress } from '../jobs/JobProgress';
import { reportPathOf } from '../jobs/jobs';

/** "Run now": starts an execution, shows its job's progress live and opens the report when done. */
export function RunNow({ scheduleId, onEnd }: { scheduleId: string; onEnd: () => void }) {
  const [jobId, setJobId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [ended, setEnded] = useState<Job | null>(null);
  const start = () => {
    setBusy(true);
    setError(null);
    setEnded(null);
    api.post<{ job_id: string }>(`/v1/scheduled-reports/${encodeURIComponent(scheduleId)}/executions`, {})
      .then((r) => setJobId(r.job_id), setError).finally(() => setBusy(false));
  };
  const end = (job: Job) => {
    setEnded(job);
    onEnd();
    const report = job.status === 'completed' ? reportPathOf(job) : null;
    if (report) navigate(report);
  };
  const running = jobId !== null && ended === null;
  return (
    <section class="panel" aria-labelledby="run-title">
      <div class="panel-head">
        <h2 id="run-title">Run now</h2>
        <Button variant="primary" busy={busy} disabled={running} onClick={start}>Run now</Button>
      </div>
      {error !== null && <ErrorBanner error={error} />}
      {jobId ? <JobProgress jobId={jobId} onEnd={end} /> : <p>Asks every prompt of the attached region configs now; the report opens when it is ready.</p>}
      {ended && ended.status !== 'completed' && <p><a href={href(`/jobs/${encodeURIComponent(ended.id)}`)}>See the job</a></p>}
    </section>
  );
}
