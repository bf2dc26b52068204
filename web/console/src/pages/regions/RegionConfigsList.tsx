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
import { listAll, useLoad } from '../brands/load';
import type { Brand, RegionConfig } from '../brands/types';
import { RegionForm } from './RegionForm';

function columns(brands: Brand[]): Column<RegionConfig>[] {
  const brandName = (id: string) => brands.find((b) => b.id === id)?.name ?? id;
  return [
    { key: 'name', header: 'Region config', render: (c) => <a href={href(`/region-configs/${encodeURIComponent(c.id)}`)}>{c.name}</a>, sortValue: (c) => c.name },
    { key: 'brand', header: 'Brand', render: (c) => brandName(c.brand_id), sortValue: (c) => brandName(c.brand_id) },
    { key: 'where', header: 'Market', render: (c) => [c.country, c.language, c.location].filter(Boolean).join(' · ') },
    { key: 'engines', header: 'Answer engines', render: (c) => c.ai_platforms.join(', ') },
    { key: 'prompts', header: 'Prompts', numeric: true, render: (c) => c.prompts_count, sortValue: (c) => c.prompts_count },
    { key: 'status', header: 'Last run', render: (c) => (c.last_run_status ? <Badge status={c.last_run_status} /> : '—'), sortValue: (c) => c.last_run_at },
    { key: 'at', header: 'Last run at', render: (c) => formatTime(c.last_run_at), sortValue: (c) => c.last_run_at },
  ];
}

/** #/region-configs: every region config (with its brand); "New region config" for writers. */
export function RegionConfigsList() {
  const load = useLoad(() => Promise.all([listAll<RegionConfig>('/v1/region-configs'), listAll<Brand>('/v1/brands')]), []);
  const [creating, setCreating] = useState(false);
  const [configs, brands] = load.data ?? [null, []];
  const canCreate = can('write:region-configs') && brands.length > 0;
  return (
    <Page title="Region configs" actions={canCreate && <Button variant="primary" onClick={() => setCreating(true)}>New region config</Button>}>
      {load.error !== null ? <ErrorBanner error={load.error} onRetry={load.reload} />
        : configs === null ? <Loading label="Loading region configs…" />
        : configs.length === 0 ? <Empty title="No region configs yet">A region config says where and in which language a brand's prompts are asked.</Empty>
        : <Table caption="Region configs" columns={columns(brands)} rows={configs} rowKey={(c) => c.id} />}
      {creating && <RegionForm brands={brands} onClose={() => setCreating(false)} onSaved={(c) => navigate(`/region-configs/${encodeURIComponent(c.id)}`)} />}
    </Page>
  );
}
