import { useState } from 'preact/hooks';
import { api } from '../../api';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { Form, SelectField, TextField } from '../../ui/Field';
import { CheckBox } from '../brands/fields';
import type { Brand, ScheduledReport } from '../brands/types';

/** Create (for one of `brands`) or edit (`schedule`) a scheduled report in a dialog. */
export function ScheduleForm({ brands, schedule, onClose, onSaved }: { brands: Brand[]; schedule?: ScheduledReport; onClose: () => void; onSaved: (s: ScheduledReport) => void }) {
  const [brandId, setBrandId] = useState(schedule?.brand_id ?? brands[0]?.id ?? '');
  const [name, setName] = useState(schedule?.name ?? '');
  const [frequency, setFrequency] = useState<string>(schedule?.frequency ?? 'weekly');
  const [missed, setMissed] = useState<string>(schedule?.missed_runs ?? 'once');
  const [samples, setSamples] = useState(String(schedule?.samples_per_prompt ?? 1));
  const [active, setActive] = useState(schedule?.is_active ?? true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const save = async () => {
    setBusy(true);
    const body: Record<string, unknown> = { name: name.trim(), frequency, missed_runs: missed, is_active: active, samples_per_prompt: Number(samples) };
    try {
      onSaved(schedule ? await api.patch<ScheduledReport>(`/v1/scheduled-reports/${encodeURIComponent(schedule.id)}`, body)
        : await api.post<ScheduledReport>('/v1/scheduled-reports', { ...body, brand_id: brandId }));
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <Dialog title={schedule ? `Edit ${schedule.name}` : 'New scheduled report'} onClose={onClose}>
      <Form onSubmit={save} label={schedule ? 'Edit scheduled report' : 'New scheduled report'}>
        {error !== null && <ErrorBanner error={error} />}
        {!schedule && <SelectField label="Brand" value={brandId} onValue={setBrandId} options={brands.map((b) => [b.id, b.name])} />}
        <TextField label="Name" value={name} onValue={setName} required />
        <SelectField label="Frequency" value={frequency} onValue={setFrequency} options={[['daily', 'Daily'], ['weekly', 'Weekly'], ['monthly', 'Monthly']]} />
        <SelectField label="Missed runs" value={missed} onValue={setMissed}
          options={[['once', 'Run once after downtime'], ['skip', 'Skip missed runs'], ['all', 'Run every missed run']]} />
        <TextField label="Samples per prompt" type="number" min={1} value={samples} onValue={setSamples} />
        <CheckBox label="Active (runs on its schedule)" checked={active} onValue={setActive} />
        <div class="form-actions">
          <Button type="submit" variant="primary" busy={busy}>{schedule ? 'Save' : 'Create scheduled report'}</Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </Form>
    </Dialog>
  );
}
