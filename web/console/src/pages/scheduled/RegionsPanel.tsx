import { useState } from 'preact/hooks';
import { api } from '../../api';
import { href } from '../../router';
import { can } from '../../session';
import { Button } from '../../ui/Button';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { SelectField } from '../../ui/Field';
import { Loading } from '../../ui/Loading';
import { listAll, useLoad } from '../brands/load';
import type { RegionConfig, ScheduledReport } from '../brands/types';

/** The region configs a scheduled report runs, and a picker to attach another of its brand's. */
export function RegionsPanel({ schedule }: { schedule: ScheduledReport }) {
  const id = encodeURIComponent(schedule.id);
  const load = useLoad(() => Promise.all([listAll<RegionConfig>(`/v1/scheduled-reports/${id}/region-configs`), listAll<RegionConfig>('/v1/region-configs')]), [schedule.id]);
  const [pick, setPick] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [attached, all] = load.data ?? [null, []];
  const free = all.filter((c) => c.brand_id === schedule.brand_id && c.scheduled_report_id !== schedule.id);
  const attach = () => {
    const chosen = pick || free[0]?.id;
    if (!chosen) return;
    setError(null);
    api.post(`/v1/scheduled-reports/${id}/region-configs/${encodeURIComponent(chosen)}`).then(() => { setPick(''); load.reload(); }, setError);
  };
  return (
    <section class="panel" aria-labelledby="regions-title">
      <h2 id="regions-title">Region configs</h2>
      {error !== null && <ErrorBanner error={error} />}
      {load.error !== null ? <ErrorBanner error={load.error} onRetry={load.reload} /> : attached === null ? <Loading /> : (
        <>
          {attached.length === 0 ? <p>No region config is attached: a run has nothing to ask.</p> : (
            <ul>{attached.map((c) => <li key={c.id}><a href={href(`/region-configs/${encodeURIComponent(c.id)}`)}>{c.name}</a> — {c.prompts_count} prompts, {c.ai_platforms.join(', ')}</li>)}</ul>
          )}
          {can('write:region-configs') && free.length > 0 && (
            <div class="toolbar">
              <SelectField label="Attach a region config" value={pick || free[0].id} onValue={setPick}
                options={free.map((c) => [c.id, c.scheduled_report_id ? `${c.name} (moves it from another schedule)` : c.name])} />
              <div class="form-actions"><Button onClick={attach}>Attach</Button></div>
            </div>
          )}
          {can('write:region-configs') && <p class="hint"><a href={href('/region-configs')}>Create region configs</a> on their page.</p>}
        </>
      )}
    </section>
  );
}
