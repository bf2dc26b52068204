import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../../api';
import { navigate } from '../../router';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { Form, TextField } from '../../ui/Field';
import { nextPollMs } from '../jobs/jobs';
import type { Job, SlaSchedule } from './sla';

const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** Polls the job (nextPollMs) until it ends; the report page opens when it completes. */
function useJob(jobId: string | null) {
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (!jobId) return;
    let live = true;
    let timer = 0;
    const since = Date.now();
    const poll = async () => {
      try {
        const j = await api.get<Job>(`/v1/jobs/${jobId}`);
        if (!live) return;
        setJob(j);
        if (j.status === 'completed' && j.result?.report_id) navigate(`/reports/sla/${encodeURIComponent(j.result.report_id)}`);
        else if (j.status === 'pending' || j.status === 'processing') timer = window.setTimeout(poll, nextPollMs(since));
      } catch (e) {
        if (!live) return;
        if (e instanceof ApiError && e.status === 429) timer = window.setTimeout(poll, nextPollMs(since, e));
        else setError(e);
      }
    };
    poll();
    return () => { live = false; window.clearTimeout(timer); };
  }, [jobId]);
  return { job, error };
}

/** Run now: a date range, then the job's progress live until the report page opens. */
export function RunNowDialog({ schedule, onClose }: { schedule: SlaSchedule; onClose: () => void }) {
  const [from, setFrom] = useState(day(-7));
  const [to, setTo] = useState(day(-1));
  const [jobId, setJobId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const { job, error: pollError } = useJob(jobId);
  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.post<{ job_id: string }>(`/reports/sla/schedules/${schedule.id}/run`, { from_date: from, to_date: to });
      setJobId(r.job_id);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  const failed = job && (job.status === 'failed' || job.status === 'cancelled');
  const failure = failed ? new ApiError(0, job.result?.error?.code ?? job.status, job.result?.error?.message ?? job.message ?? `The run was ${job.status}.`) : null;
  return (
    <Dialog title={`Run ${schedule.name} now`} onClose={onClose}>
      {!jobId ? (
        <Form onSubmit={start} label="Run now">
          <TextField label="From (first day)" type="date" value={from} onValue={setFrom} max={day(0)} />
          <TextField label="To (last day)" type="date" value={to} onValue={setTo} max={day(0)} hint={`Days in the schedule's zone, ${schedule.timezone}`} />
          {error !== null && <ErrorBanner error={error} />}
          <div class="form-actions">
            <Button type="submit" variant="primary" busy={busy}>Run</Button>
            <Button onClick={onClose}>Cancel</Button>
          </div>
        </Form>
      ) : (
        <div class="run-progress">
          <label for="run-progress-bar">{job ? `${capitalized(job.step ?? job.status)} (${job.progress_pct} %)` : 'Queued…'}</label>
          <progress id="run-progress-bar" max={100} value={job?.progress_pct ?? 0} aria-valuetext={`${job?.progress_pct ?? 0} percent`} />
          <p role="status" class="hint">{job?.status === 'completed' ? 'Done. Opening the report…' : job?.message ?? 'The report is being generated.'}</p>
          {(failure ?? pollError) && <ErrorBanner error={failure ?? pollError} />}
          <div class="form-actions"><Button onClick={onClose}>Close</Button></div>
        </div>
      )}
    </Dialog>
  );
}
