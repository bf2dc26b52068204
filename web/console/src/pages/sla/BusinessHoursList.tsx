import { useState } from 'preact/hooks';
import { api } from '../../api';
import { can } from '../../session';
import { Button } from '../../ui/Button';
import { Empty } from '../../ui/Empty';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { Loading } from '../../ui/Loading';
import { Page } from '../../ui/Page';
import { type Column, Table } from '../../ui/Table';
import { BusinessHoursDialog, weekdays } from './BusinessHoursDialog';
import { ConfirmDialog } from './ConfirmDialog';
import { type BusinessHours, loadAll, useLoad } from './sla';
import './sla.css';

const summary = (b: BusinessHours) =>
  [...b.hours].sort((x, y) => weekdays.indexOf(x.day) - weekdays.indexOf(y.day))
    .map((h) => `${h.day.slice(0, 3)} ${h.start}–${h.end}`).join(', ') || 'Closed every day';

/** #/business-hours: the opening hours SLA schedules may measure within; create, edit, delete. */
export function BusinessHoursList() {
  const { data, error, reload } = useLoad(() => loadAll<BusinessHours>('/business-hours'));
  const [dialog, setDialog] = useState<{ kind: 'edit' | 'delete'; hours?: BusinessHours } | null>(null);
  const writable = can('write:sla');
  const columns: Column<BusinessHours>[] = [
    { key: 'name', header: 'Name', render: (b) => b.name, sortValue: (b) => b.name },
    { key: 'tz', header: 'Time zone', render: (b) => b.timezone, sortValue: (b) => b.timezone },
    { key: 'hours', header: 'Opening hours', render: summary },
    ...(writable ? [{ key: 'actions', header: 'Actions', render: (b: BusinessHours) => (
      <span class="row-actions">
        <Button onClick={() => setDialog({ kind: 'edit', hours: b })} aria-label={`Edit ${b.name}`}>Edit</Button>
        <Button variant="danger" onClick={() => setDialog({ kind: 'delete', hours: b })} aria-label={`Delete ${b.name}`}>Delete</Button>
      </span>) }] : []),
  ];
  const close = () => { setDialog(null); reload(); };
  return (
    <Page title="Business hours" actions={writable && <Button variant="primary" onClick={() => setDialog({ kind: 'edit' })}>New business hours</Button>}>
      {error !== null ? <ErrorBanner error={error} onRetry={reload} /> : data === null ? <Loading label="Loading business hours…" /> :
        data.length === 0 ? <Empty title="No business hours yet">A schedule can measure uptime only within opening hours.</Empty> :
        <Table caption="Business hours" columns={columns} rows={data} rowKey={(b) => b.id} />}
      {dialog?.kind === 'edit' && <BusinessHoursDialog hours={dialog.hours} onClose={() => setDialog(null)} onSaved={close} />}
      {dialog?.kind === 'delete' && dialog.hours && <ConfirmDialog title={`Delete ${dialog.hours.name}?`} text="Business hours a schedule still uses cannot be deleted (the API says which)."
        action={() => api.del(`/business-hours/${dialog.hours!.id}`)} onClose={() => setDialog(null)} onDone={close} />}
    </Page>
  );
}
