import { useState } from 'preact/hooks';
import { href, navigate } from '../../router';
import { can } from '../../session';
import { Badge } from '../../ui/Badge';
import { Button } from '../../ui/Button';
import { Empty } from '../../ui/Empty';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { Loading } from '../../ui/Loading';
import { Page } from '../../ui/Page';
import { type Column, Table } from '../../ui/Table';
import { formatTime } from '../../ui/time';
import '../brands/brands.css';
import { useLoad } from '../brands/load';
import type { Brand, ScheduledReport } from '../brands/types';
import { ScheduleForm } from './ScheduleForm';
import { loadSchedules } from './schedules';

function columns(brands: Brand[]): Column<ScheduledReport>[] {
  const brandName = (id: string) => brands.find((b) => b.id === id)?.name ?? id;
  return [
    { key: 'name', header: 'Scheduled report', render: (s) => <a href={href(`/scheduled-reports/${encodeURIComponent(s.id)}`)}>{s.name}</a>, sortValue: (s) => s.name },
    { key: 'brand', header: 'Brand', render: (s) => brandName(s.brand_id), sortValue: (s) => brandName(s.brand_id) },
    { key: 'frequency', header: 'Frequency', render: (s) => s.frequency, sortValue: (s) => s.frequency },
    { key: 'active', header: 'State', render: (s) => <Badge status={s.is_active ? 'active' : 'paused'} /> },
    { key: 'next', header: 'Next run', render: (s) => formatTime(s.next_run_at), sortValue: (s) => s.next_run_at },
    { key: 'last', header: 'Last run', render: (s) => (s.last_run_status ? <><Badge status={s.last_run_status} /> {formatTime(s.last_run_at)}</> : '—'), sortValue: (s) => s.last_run_at },
  ];
}

/** #/scheduled-reports: every brand's scheduled reports; "New scheduled report" for writers. */
export function ScheduledReportsList() {
  const load = useLoad(loadSchedules, []);
  const [creating, setCreating] = useState(false);
  const brands = load.data?.brands ?? [];
  return (
    <Page title="Scheduled reports" actions={can('write:scheduled') && brands.length > 0 && <Button variant="primary" onClick={() => setCreating(true)}>New scheduled report</Button>}>
      {load.error !== null ? <ErrorBanner error={load.error} onRetry={load.reload} />
        : load.data === null ? <Loading label="Loading scheduled reports…" />
        : load.data.schedules.length === 0 ? <Empty title="No scheduled reports yet">{brands.length === 0 ? 'Create a brand first.' : 'A scheduled report asks the prompts of its region configs on a cadence.'}</Empty>
        : <Table caption="Scheduled reports" columns={columns(brands)} rows={load.data.schedules} rowKey={(s) => s.id} />}
      {creating && <ScheduleForm brands={brands} onClose={() => setCreating(false)} onSaved={(s) => navigate(`/scheduled-reports/${encodeURIComponent(s.id)}`)} />}
    </Page>
  );
}
