import { useState } from 'preact/hooks';
import { ApiError, api } from '../../api';
import { can } from '../../session';
import { Badge } from '../../ui/Badge';
import { Button } from '../../ui/Button';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { Loading } from '../../ui/Loading';
import { formatTime } from '../../ui/time';
import { JobProgress } from '../jobs/JobProgress';
import { FactsForm } from './FactsForm';
import { useLoad } from './load';
import type { Facts } from './types';

export const noFacts: Facts = {
  description: null, industry: null, company_size: null, founded_year: null, headquarters: null, key_facts: [],
  key_people: [], products: [], services: [], mission_statement: null, tagline: null, value_proposition: null,
  research_status: 'not generated', updated_at: '',
};

/** The brand's facts; a brand without any yet (404 facts_not_generated) has empty ones. */
async function loadFacts(brandId: string): Promise<Facts> {
  try {
    return await api.get<Facts>(`/v1/brands/${encodeURIComponent(brandId)}/facts`);
  } catch (e) {
    if (e instanceof ApiError && e.code === 'facts_not_generated') return noFacts;
    throw e;
  }
}

const names = (items: { name: string }[]) => items.map((i) => i.name).join(', ');

function FactsList({ f }: { f: Facts }) {
  const rows: [string, string | number | null][] = [
    ['Description', f.description], ['Tagline', f.tagline], ['Industry', f.industry], ['Company size', f.company_size],
    ['Founded', f.founded_year], ['Headquarters', f.headquarters], ['Mission', f.mission_statement],
    ['Value proposition', f.value_proposition], ['Key facts', f.key_facts.join(' · ')], ['Key people', names(f.key_people)],
    ['Products', names(f.products)], ['Services', names(f.services)],
  ];
  return (
    <dl class="facts">
      {rows.map(([k, v]) => [<dt key={`${k}-t`}>{k}</dt>, <dd key={`${k}-d`}>{v === null || v === '' ? '—' : v}</dd>])}
    </dl>
  );
}

/** The brand's facts: shown, edited in a dialog, or researched by a job (live progress). */
export function FactsPanel({ brandId }: { brandId: string }) {
  const facts = useLoad(() => loadFacts(brandId), [brandId]);
  const [editing, setEditing] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const research = () => {
    setError(null);
    api.post<{ job_id: string }>(`/v1/brands/${encodeURIComponent(brandId)}/facts`, {}).then((r) => setJobId(r.job_id), setError);
  };
  return (
    <section class="panel" aria-labelledby="facts-title">
      <div class="panel-head">
        <h2 id="facts-title">Facts</h2>
        {can('write:brands') && facts.data && (
          <div class="row-actions">
            <Button onClick={() => setEditing(true)}>Edit facts</Button>
            <Button onClick={research} disabled={jobId !== null}>Research facts</Button>
          </div>
        )}
      </div>
      {error !== null && <ErrorBanner error={error} />}
      {jobId && <JobProgress jobId={jobId} onEnd={() => { setJobId(null); facts.reload(); }} />}
      {facts.error !== null ? <ErrorBanner error={facts.error} onRetry={facts.reload} />
        : facts.data === null ? <Loading label="Loading facts…" />
        : <>
            <p class="meta">Research: <Badge status={facts.data.research_status || 'none'} /> {facts.data.updated_at && <> · updated {formatTime(facts.data.updated_at)}</>}</p>
            <FactsList f={facts.data} />
          </>}
      {editing && facts.data && (
        <FactsForm brandId={brandId} facts={facts.data} onClose={() => setEditing(false)} onSaved={() => { setEditing(false); facts.reload(); }} />
      )}
    </section>
  );
}
