import { useState } from 'preact/hooks';
import { api } from '../../api';
import type { RouteProps } from '../../routes';
import { href } from '../../router';
import { can } from '../../session';
import { Button } from '../../ui/Button';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { Page } from '../../ui/Page';
import { formatTime } from '../../ui/time';
import '../brands/brands.css';
import type { Job } from '../brands/types';
import { JobProgress } from './JobProgress';
import { reportPathOf } from './jobs';

/** #/jobs/:id: one job's live progress, its times, its report or failure; cancel while live. */
export function JobDetail({ params }: RouteProps) {
  const [ended, setEnded] = useState<Job | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);
  const cancel = () => {
    setError(null);
    api.del(`/v1/jobs/${encodeURIComponent(params.id)}`).then(() => setVersion(version + 1), setError);
  };
  const report = ended && ended.status === 'completed' ? reportPathOf(ended) : null;
  return (
    <Page title="Job" actions={can('write:jobs') && !ended && <Button onClick={cancel}>Cancel job</Button>}>
      <p><a href={href('/jobs')}>← All jobs</a></p>
      {error !== null && <ErrorBanner error={error} />}
      <section class="panel"><JobProgress key={version} jobId={params.id} onEnd={setEnded} /></section>
      {ended && (
        <dl class="facts panel">
          <dt>Kind</dt><dd>{ended.kind}</dd>
          <dt>Created</dt><dd>{formatTime(ended.created_at)}</dd>
          <dt>Started</dt><dd>{formatTime(ended.started_at)}</dd>
          <dt>Finished</dt><dd>{formatTime(ended.finished_at)}</dd>
          <dt>Attempts</dt><dd>{ended.attempts}</dd>
          {report && <><dt>Report</dt><dd><a href={href(report)}>Open the report</a></dd></>}
        </dl>
      )}
    </Page>
  );
}
