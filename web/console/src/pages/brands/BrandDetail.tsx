import { useState } from 'preact/hooks';
import { api } from '../../api';
import type { RouteProps } from '../../routes';
import { href, navigate } from '../../router';
import { can } from '../../session';
import { Button } from '../../ui/Button';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { Loading } from '../../ui/Loading';
import { Page } from '../../ui/Page';
import { formatTime } from '../../ui/time';
import './brands.css';
import { BrandForm } from './BrandForm';
import { CitationsPanel } from './CitationsPanel';
import { FactsPanel } from './FactsPanel';
import { listAll, useLoad } from './load';
import type { Brand, ScheduledReport } from './types';

function Summary({ b }: { b: Brand }) {
  return (
    <section class="panel" aria-labelledby="brand-summary">
      <h2 id="brand-summary">Brand</h2>
      <dl class="facts">
        <dt>Website</dt><dd>{b.website}</dd>
        <dt>Aliases</dt><dd>{b.brand_aliases.join(', ') || '—'}</dd>
        <dt>Competitors</dt><dd>{b.competitors.map((c) => c.name).join(', ') || '—'}</dd>
        <dt>Categories</dt><dd>{b.categories.join(', ') || '—'}</dd>
        <dt>Market</dt><dd>{[b.country, b.language].filter(Boolean).join(' · ') || '—'}</dd>
        <dt>Description</dt><dd>{b.brand_info.description ?? '—'}</dd>
        <dt>Updated</dt><dd>{formatTime(b.updated_at)}</dd>
      </dl>
    </section>
  );
}

function Schedules({ brandId }: { brandId: string }) {
  const s = useLoad(() => listAll<ScheduledReport>('/v1/scheduled-reports', { brand_id: brandId }), [brandId]);
  return (
    <section class="panel" aria-labelledby="brand-schedules">
      <h2 id="brand-schedules">Scheduled reports</h2>
      {s.error !== null ? <ErrorBanner error={s.error} onRetry={s.reload} /> : s.data === null ? <Loading /> :
        s.data.length === 0 ? <p>None yet. <a href={href('/scheduled-reports')}>Create one</a>.</p> : (
          <ul>{s.data.map((r) => <li key={r.id}><a href={href(`/scheduled-reports/${encodeURIComponent(r.id)}`)}>{r.name}</a> ({r.frequency})</li>)}</ul>
        )}
    </section>
  );
}

/** #/brands/:id: the brand, its facts (edit, research), citations by domain, its schedules. */
export function BrandDetail({ params }: RouteProps) {
  const brand = useLoad(() => api.get<Brand>(`/v1/brands/${encodeURIComponent(params.id)}`), [params.id]);
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const remove = () => {
    if (!brand.data || !window.confirm(`Delete ${brand.data.name} and everything under it?`)) return;
    api.del(`/v1/brands/${encodeURIComponent(params.id)}`).then(() => navigate('/brands'), setError);
  };
  const actions = can('write:brands') && brand.data && (
    <>
      <Button onClick={() => setEditing(true)}>Edit</Button>
      <Button variant="danger" onClick={remove}>Delete</Button>
    </>
  );
  return (
    <Page title={brand.data?.name ?? 'Brand'} actions={actions}>
      <p><a href={href('/brands')}>← All brands</a></p>
      {error !== null && <ErrorBanner error={error} />}
      {brand.error !== null ? <ErrorBanner error={brand.error} onRetry={brand.reload} />
        : brand.data === null ? <Loading label="Loading the brand…" />
        : <>
            <div class="grid-2"><Summary b={brand.data} /><Schedules brandId={params.id} /></div>
            <FactsPanel brandId={params.id} />
            <CitationsPanel brandId={params.id} />
          </>}
      {editing && brand.data && <BrandForm brand={brand.data} onClose={() => setEditing(false)} onSaved={() => { setEditing(false); brand.reload(); }} />}
    </Page>
  );
}
