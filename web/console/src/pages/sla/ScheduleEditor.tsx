import { useState } from 'preact/hooks';
import { api } from '../../api';
import type { RouteProps } from '../../routes';
import { href, navigate } from '../../router';
import { can } from '../../session';
import { Button } from '../../ui/Button';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { Form } from '../../ui/Field';
import { Loading } from '../../ui/Loading';
import { Page } from '../../ui/Page';
import { ConfirmDialog } from './ConfirmDialog';
import { RunNowDialog } from './RunNowDialog';
import { type Draft, bodyOf, draftOf } from './schedule';
import { ScheduleFields } from './ScheduleFields';
import { SchedulePreview } from './SchedulePreview';
import { type BusinessHours, type Site, type SlaSchedule, loadAll, useLoad } from './sla';
import './sla.css';

async function loadEditor(id: string | undefined) {
  const [schedule, sites, hours] = await Promise.all([
    id ? api.get<SlaSchedule>(`/reports/sla/schedules/${encodeURIComponent(id)}`) : Promise.resolve(undefined),
    loadAll<Site>('/sites'), loadAll<BusinessHours>('/business-hours')]);
  return { schedule, sites, hours };
}

/** #/sla-schedules/new and #/sla-schedules/:id: the form, the next-runs preview beside it,
 *  save, delete and run now. */
export function ScheduleEditor({ params }: RouteProps) {
  const id = params.id === 'new' ? undefined : params.id;
  const { data, error, reload } = useLoad(() => loadEditor(id), [id]);
  // After "Create", the hash names the new id while `data` still holds the blank form's load.
  const stale = data !== null && data.schedule?.id !== id;
  return error !== null ? <Page title="SLA schedule"><ErrorBanner error={error} onRetry={reload} /></Page> :
    data === null || stale ? <Page title="SLA schedule"><Loading label="Loading the schedule…" /></Page> :
    <EditorForm key={id ?? 'new'} {...data} />;
}

function EditorForm({ schedule, sites, hours }: { schedule?: SlaSchedule; sites: Site[]; hours: BusinessHours[] }) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(schedule));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [dialog, setDialog] = useState<'run' | 'delete' | null>(null);
  const writable = can('write:sla');
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setDraft((d) => ({ ...d, [k]: v }));
  const body = bodyOf(draft, schedule);
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const saved = schedule ? await api.put<SlaSchedule>(`/reports/sla/schedules/${schedule.id}`, body) : await api.post<SlaSchedule>('/reports/sla/schedules', body);
      navigate(`/sla-schedules/${encodeURIComponent(saved.id)}`);
      if (schedule) setBusy(false);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  const actions = schedule && writable && (
    <>
      <Button onClick={() => setDialog('run')}>Run now</Button>
      <Button variant="danger" onClick={() => setDialog('delete')}>Delete</Button>
    </>
  );
  return (
    <Page title={schedule ? schedule.name : 'New SLA schedule'} actions={actions}>
      <p><a href={href('/sla-schedules')}>← All SLA schedules</a></p>
      <div class="editor">
        <Form onSubmit={save} label="SLA schedule">
          <ScheduleFields draft={draft} set={set} sites={sites} hours={hours} readOnly={!writable} />
          {error !== null && <ErrorBanner error={error} />}
          {writable && <div class="form-actions"><Button type="submit" variant="primary" busy={busy}>{schedule ? 'Save changes' : 'Create schedule'}</Button></div>}
        </Form>
        <SchedulePreview body={body} timezone={draft.timezone} />
      </div>
      {dialog === 'run' && schedule && <RunNowDialog schedule={schedule} onClose={() => setDialog(null)} />}
      {dialog === 'delete' && schedule && <ConfirmDialog title={`Delete ${schedule.name}?`} text="The schedule and its future runs are removed."
        action={() => api.del(`/reports/sla/schedules/${schedule.id}`)} onClose={() => setDialog(null)} onDone={() => navigate('/sla-schedules')} />}
    </Page>
  );
}
