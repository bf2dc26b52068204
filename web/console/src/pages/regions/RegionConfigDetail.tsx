import { useState } from 'preact/hooks';
import { api } from '../../api';
import type { RouteProps } from '../../routes';
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
import { listAll, useLoad } from '../brands/load';
import type { Brand, Prompt, RegionConfig } from '../brands/types';
import { PastePrompts } from './PastePrompts';

function promptColumns(onDelete: ((p: Prompt) => void) | null): Column<Prompt>[] {
  const cols: Column<Prompt>[] = [
    { key: 'text', header: 'Prompt', render: (p) => <span class="wrap">{p.prompt_text}</span>, sortValue: (p) => p.prompt_text },
    { key: 'category', header: 'Category', render: (p) => p.category ?? '—', sortValue: (p) => p.category },
    { key: 'enabled', header: 'Status', render: (p) => <Badge status={p.is_enabled ? 'enabled' : 'disabled'} tone={p.is_enabled ? 'good' : 'neutral'} /> },
    { key: 'created', header: 'Added', render: (p) => formatTime(p.created_at), sortValue: (p) => p.created_at },
  ];
  if (onDelete) cols.push({ key: 'actions', header: 'Actions', render: (p) => <Button class="small" variant="danger" onClick={() => onDelete(p)} aria-label={`Delete prompt: ${p.prompt_text}`}>Delete</Button> });
  return cols;
}

/** #/region-configs/:id: the config, its prompts (delete one; paste many at once). */
export function RegionConfigDetail({ params }: RouteProps) {
  const id = encodeURIComponent(params.id);
  const config = useLoad(() => api.get<RegionConfig>(`/v1/region-configs/${id}`), [params.id]);
  const brand = useLoad(() => (config.data ? api.get<Brand>(`/v1/brands/${encodeURIComponent(config.data.brand_id)}`) : Promise.resolve(null)), [config.data?.brand_id]);
  const prompts = useLoad(() => listAll<Prompt>(`/v1/region-configs/${id}/prompts`), [params.id]);
  const [error, setError] = useState<unknown>(null);
  const deletePrompt = (p: Prompt) => {
    setError(null);
    api.del(`/v1/region-configs/${id}/prompts/${encodeURIComponent(p.id)}`).then(prompts.reload, setError);
  };
  const remove = () => {
    if (!window.confirm('Delete this region config and its prompts?')) return;
    api.del(`/v1/region-configs/${id}`).then(() => navigate('/region-configs'), setError);
  };
  const c = config.data;
  return (
    <Page title={c?.name ?? 'Region config'} actions={can('write:region-configs') && c && <Button variant="danger" onClick={remove}>Delete</Button>}>
      <p><a href={href('/region-configs')}>← All region configs</a></p>
      {error !== null && <ErrorBanner error={error} />}
      {config.error !== null ? <ErrorBanner error={config.error} onRetry={config.reload} /> : c === null ? <Loading /> : (
        <p class="meta">
          <a href={href(`/brands/${encodeURIComponent(c.brand_id)}`)}>{brand.data?.name ?? 'Brand'}</a> · {[c.country, c.language, c.location].filter(Boolean).join(' · ')} · {c.ai_platforms.join(', ')}
          {c.scheduled_report_id && <> · <a href={href(`/scheduled-reports/${encodeURIComponent(c.scheduled_report_id)}`)}>its scheduled report</a></>}
        </p>
      )}
      {can('write:prompts') && prompts.data && <PastePrompts configId={params.id} existing={prompts.data.map((p) => p.prompt_text)} onCreated={prompts.reload} />}
      <section class="panel" aria-labelledby="prompts-title">
        <h2 id="prompts-title">Prompts{prompts.data && ` (${prompts.data.length})`}</h2>
        {prompts.error !== null ? <ErrorBanner error={prompts.error} onRetry={prompts.reload} />
          : prompts.data === null ? <Loading label="Loading prompts…" />
          : prompts.data.length === 0 ? <Empty title="No prompts yet">Add the questions people ask answer engines about this market.</Empty>
          : <Table caption="Prompts" columns={promptColumns(can('write:prompts') ? deletePrompt : null)} rows={prompts.data} rowKey={(p) => p.id} />}
      </section>
    </Page>
  );
}
