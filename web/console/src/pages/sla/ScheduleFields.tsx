import type { JSX } from 'preact';
import { SelectField, TextField } from '../../ui/Field';
import type { Draft } from './schedule';
import type { BusinessHours, Site } from './sla';

const days: [string, string][] = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'].map((d) => [d, d[0].toUpperCase() + d.slice(1)]);

function Check({ label, checked, onValue }: { label: string; checked: boolean; onValue: (v: boolean) => void }) {
  return (
    <div class="field check">
      <label><input type="checkbox" checked={checked} onChange={(e: JSX.TargetedEvent<HTMLInputElement>) => onValue(e.currentTarget.checked)} /> {label}</label>
    </div>
  );
}

/** The editor's fields; `set` changes one field of the draft. */
export function ScheduleFields({ draft, set, sites, hours, readOnly }: {
  draft: Draft; set: <K extends keyof Draft>(k: K, v: Draft[K]) => void; sites: Site[]; hours: BusinessHours[]; readOnly: boolean;
}) {
  const toggleSite = (id: string, on: boolean) => set('sites', on ? [...draft.sites, id] : draft.sites.filter((s) => s !== id));
  return (
    <fieldset class="schedule-fields" disabled={readOnly}>
      <TextField label="Name" value={draft.name} onValue={(v) => set('name', v)} />
      <TextField label="Time zone" value={draft.timezone} onValue={(v) => set('timezone', v)} hint="Runs at 08:00 in this IANA zone" />
      <fieldset><legend>Cadence</legend>
        <Check label="Daily (covers the previous day)" checked={draft.daily} onValue={(v) => set('daily', v)} />
        <Check label="Weekly (covers the previous 7 days)" checked={draft.weekly} onValue={(v) => set('weekly', v)} />
        {draft.weekly && <SelectField label="Day of the week" value={draft.dayOfWeek} onValue={(v) => set('dayOfWeek', v)} options={days} />}
        <Check label="Monthly (covers the previous month)" checked={draft.monthly} onValue={(v) => set('monthly', v)} />
        {draft.monthly && <TextField label="Day of the month" type="number" min={1} max={28} value={draft.dayOfMonth} onValue={(v) => set('dayOfMonth', v)} />}
        <Check label="Disabled (no scheduled runs)" checked={draft.disabled} onValue={(v) => set('disabled', v)} />
      </fieldset>
      <TextField label="SLA target (%)" type="number" step="0.01" min={75} max={100} value={draft.target} onValue={(v) => set('target', v)} />
      <SelectField label="Sites by" value={draft.mode} onValue={(v) => set('mode', v as Draft['mode'])} options={[['manual', 'Choosing them'], ['tags', 'Tags']]} />
      {draft.mode === 'manual' && readOnly ? (
        <p><strong>Sites:</strong> {sites.filter((s) => draft.sites.includes(s.id)).map((s) => s.name).join(', ') || 'none'}</p>
      ) : draft.mode === 'manual' ? (
        <fieldset class="site-picks"><legend>Sites ({draft.sites.length} chosen)</legend>
          {sites.map((s) => <Check key={s.id} label={s.name} checked={draft.sites.includes(s.id)} onValue={(v) => toggleSite(s.id, v)} />)}
        </fieldset>
      ) : (
        <>
          <TextField label="Tag rules" value={draft.rules} onValue={(v) => set('rules', v)} hint="key=value, separated by commas" />
          <SelectField label="Match" value={draft.logic} onValue={(v) => set('logic', v as Draft['logic'])} options={[['and', 'Every rule'], ['or', 'Any rule']]} />
        </>
      )}
      <TextField label="Group by" value={draft.grouping} onValue={(v) => set('grouping', v)} hint="tag:avg|min|max, e.g. region:avg" />
      <SelectField label="Business hours" value={draft.businessHoursId} onValue={(v) => set('businessHoursId', v)} options={[['', 'None'], ...hours.map((h): [string, string] => [h.id, h.name])]} />
      {draft.businessHoursId && <Check label="Measure only within these hours" checked={draft.withinHours} onValue={(v) => set('withinHours', v)} />}
      <TextField label="E-mail the report to" value={draft.recipients} onValue={(v) => set('recipients', v)} hint="Addresses separated by commas" />
    </fieldset>
  );
}
