import { useState } from 'preact/hooks';
import { api } from '../../api';
import type { RouteProps } from '../../routes';
import { href, navigate } from '../../router';
import { can } from '../../session';
import { Badge } from '../../ui/Badge';
import { Button } from '../../ui/Button';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { Loading } from '../../ui/Loading';
import { Page } from '../../ui/Page';
import { formatTime } from '../../ui/time';
import '../brands/brands.css';
import { useLoad } from '../brands/load';
import type { Brand, ScheduledReport } from '../brands/types';
import { AnalyticsPanel } from './AnalyticsPanel';
import { RegionsPanel } from './RegionsPanel';
import { RunNow } from './RunNow';
import { RunsPanel } from './RunsPanel';
import { ScheduleForm } from './ScheduleForm';

function Summary({ s }: { s: ScheduledReport }) {
  const brand = useLoad(() => api.get<Brand>(`/v1/brands/${encodeURIComponent(s.brand_id)}`), [s.brand_id]);
  return (
    <dl class="facts panel">
      <dt>Brand</dt><dd><a href={href(`/brands/${encodeURIComponent(s.brand_id)}`)}>{brand.data?.name ?? 'Open the brand'}</a></dd>
      <dt>Frequency</dt><dd>{s.frequency} · <Badge status={s.is_active ? 'active' : 'paused'} /></dd>
      <dt>Next run</dt><dd>{formatTime(s.next_run_at)}</dd>
      <dt>Last run</dt><dd>{s.last_run_status ? <><Badge status={s.last_run_status} /> {formatTime(s.last_run_at)}</> : '—'}</dd>
      {s.last_error_message && <><dt>Last failure</dt><dd class="failure">{s.last_error_message}</dd></>}
      <dt>Samples per prompt</dt><dd>{s.samples_per_prompt}</dd>
      <dt>Missed runs</dt><dd>{s.missed_runs}</dd>
    </dl>
  );
}

/** #/scheduled-reports/:id: the schedule (edit, delete), region configs, run now, trend, runs. */
export function ScheduledReportDetail({ params }: RouteProps) {
  const id = encodeURIComponent(params.id);
  const schedule = useLoad(() => api.get<ScheduledReport>(`/v1/scheduled-reports/${id}`), [params.id]);
  const [editing, setEditing] = useState(false);
  const [runs, setRuns] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const remove = () => {
    if (!window.confirm('Delete this scheduled report?')) return;
    api.del(`/v1/scheduled-reports/${id}`).then(() => navigate('/scheduled-reports'), setError);
  };
  const s = schedule.data;
  const actions = can('write:scheduled') && s && (
    <><Button onClick={() => setEditing(true)}>Edit</Button><Button variant="danger" onClick={remove}>Delete</Button></>
  );
  return (
    <Page title={s?.name ?? 'Scheduled report'} actions={actions}>
      <p><a href={href('/scheduled-reports')}>← All scheduled reports</a></p>
      {error !== null && <ErrorBanner error={error} />}
      {schedule.error !== null ? <ErrorBanner error={schedule.error} onRetry={schedule.reload} /> : s === null ? <Loading /> : (
        <>
          <div class="grid-2"><Summary s={s} /><RegionsPanel schedule={s} /></div>
          {can('write:scheduled') && <RunNow scheduleId={s.id} onEnd={() => { setRuns(runs + 1); schedule.reload(); }} />}
          <AnalyticsPanel scheduleId={s.id} />
          <RunsPanel scheduleId={s.id} version={runs} />
        </>
      )}
      {editing && s && <ScheduleForm brands={[]} schedule={s} onClose={() => setEditing(false)} onSaved={() => { setEditing(false); schedule.reload(); }} />}
    </Page>
  );
}
