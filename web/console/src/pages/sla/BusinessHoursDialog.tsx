import { useState } from 'preact/hooks';
import { api } from '../../api';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { Form, SelectField, TextField } from '../../ui/Field';
import type { BusinessHours, OpeningHours } from './sla';

export const weekdays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const dayOptions = weekdays.map((d): [string, string] => [d, d[0].toUpperCase() + d.slice(1)]);
const officeWeek = weekdays.slice(0, 5).map((day) => ({ day, start: '09:00', end: '17:00' }));

/** Creates (no `hours`) or replaces business hours: a name, a zone and opening periods. */
export function BusinessHoursDialog({ hours, onClose, onSaved }: { hours?: BusinessHours; onClose: () => void; onSaved: () => void }) {
  const [name, setName] = useState(hours?.name ?? '');
  const [timezone, setTimezone] = useState(hours?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
  const [periods, setPeriods] = useState<OpeningHours[]>(hours?.hours ?? officeWeek);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const update = (i: number, change: Partial<OpeningHours>) => setPeriods(periods.map((p, j) => (j === i ? { ...p, ...change } : p)));
  const save = async () => {
    setBusy(true);
    setError(null);
    const body = { name, timezone, hours: periods };
    try {
      await (hours ? api.put(`/business-hours/${hours.id}`, body) : api.post('/business-hours', body));
      onSaved();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <Dialog title={hours ? `Edit ${hours.name}` : 'New business hours'} onClose={onClose}>
      <Form onSubmit={save} label="Business hours">
        <TextField label="Name" value={name} onValue={setName} />
        <TextField label="Time zone" value={timezone} onValue={setTimezone} hint="IANA name, e.g. Europe/London" />
        <fieldset class="periods">
          <legend>Opening periods</legend>
          {periods.map((p, i) => (
            <div class="period" key={i}>
              <SelectField label={`Day ${i + 1}`} value={p.day} onValue={(day) => update(i, { day })} options={dayOptions} />
              <TextField label="Opens" type="time" value={p.start} onValue={(start) => update(i, { start })} />
              <TextField label="Closes" type="time" value={p.end} onValue={(end) => update(i, { end })} />
              <Button onClick={() => setPeriods(periods.filter((_, j) => j !== i))} aria-label={`Remove period ${i + 1}`}>Remove</Button>
            </div>
          ))}
          <Button onClick={() => setPeriods([...periods, { day: 'monday', start: '09:00', end: '17:00' }])}>Add a period</Button>
        </fieldset>
        {error !== null && <ErrorBanner error={error} />}
        <div class="form-actions">
          <Button type="submit" variant="primary" busy={busy}>{hours ? 'Save' : 'Create'}</Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </Form>
    </Dialog>
  );
}
