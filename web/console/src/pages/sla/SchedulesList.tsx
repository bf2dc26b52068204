import { useState } from 'preact/hooks';
import { href } from '../../router';
import { can } from '../../session';
import { Badge } from '../../ui/Badge';
import { Button } from '../../ui/Button';
import { Empty } from '../../ui/Empty';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { Loading } from '../../ui/Loading';
import { Page } from '../../ui/Page';
import { type Column, Table } from '../../ui/Table';
import { formatTime } from '../../ui/time';
import { RunNowDialog } from './RunNowDialog';
import { type SlaSchedule, loadAll, useLoad } from './sla';
import './sla.css';

export const cadenceText = (s: Pick<SlaSchedule, 'daily' | 'weekly' | 'monthly' | 'day_of_week' | 'day_of_month'>) =>
  [s.daily && 'daily', s.weekly && `weekly (${s.day_of_week})`, s.monthly && `monthly (day ${s.day_of_month})`].filter(Boolean).join(', ') || 'on demand only';

/** #/sla-schedules: every SLA schedule, its cadence and next run; edit, run now. */
export function SchedulesList() {
  const { data, error, reload } = useLoad(() => loadAll<SlaSchedule>('/reports/sla/schedules'));
  const [running, setRunning] = useState<SlaSchedule | null>(null);
  const writable = can('write:sla');
  const columns: Column<SlaSchedule>[] = [
    { key: 'name', header: 'Schedule', render: (s) => <a href={href(`/sla-schedules/${encodeURIComponent(s.id)}`)}>{s.name}</a>, sortValue: (s) => s.name },
    { key: 'cadence', header: 'Cadence', render: (s) => (s.disabled ? <Badge status="disabled" tone="neutral" /> : cadenceText(s)) },
    { key: 'target', header: 'Target', numeric: true, render: (s) => `${s.sla_target} %`, sortValue: (s) => s.sla_target },
    { key: 'next', header: 'Next run', render: (s) => formatTime(s.next_run_at, { zone: s.timezone }), sortValue: (s) => s.next_run_at },
    { key: 'last', header: 'Last run', render: (s) => (s.last_run_status ? <Badge status={s.last_run_status} /> : '—'), sortValue: (s) => s.last_run_status },
    ...(writable ? [{ key: 'actions', header: 'Actions', render: (s: SlaSchedule) => (
      <Button onClick={() => setRunning(s)} aria-label={`Run ${s.name} now`}>Run now</Button>) }] : []),
  ];
  return (
    <Page title="SLA schedules" actions={writable && <a class="button primary" href={href('/sla-schedules/new')}>New schedule</a>}>
      {error !== null ? <ErrorBanner error={error} onRetry={reload} /> : data === null ? <Loading label="Loading schedules…" /> :
        data.length === 0 ? <Empty title="No SLA schedules yet">A schedule picks sites, a target and a cadence; it can also be run on demand.</Empty> :
        <Table caption="SLA schedules" columns={columns} rows={data} rowKey={(s) => s.id} />}
      {running && <RunNowDialog schedule={running} onClose={() => setRunning(null)} />}
    </Page>
  );
}
