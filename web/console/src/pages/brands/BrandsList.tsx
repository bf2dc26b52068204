import { useState } from 'preact/hooks';
import { href, navigate } from '../../router';
import { can } from '../../session';
import { Button } from '../../ui/Button';
import { Empty } from '../../ui/Empty';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { Loading } from '../../ui/Loading';
import { Page } from '../../ui/Page';
import { type Column, Table } from '../../ui/Table';
import { formatTime } from '../../ui/time';
import './brands.css';
import { BrandForm } from './BrandForm';
import { listAll, useLoad } from './load';
import type { Brand } from './types';

const columns: Column<Brand>[] = [
  { key: 'name', header: 'Brand', render: (b) => <a href={href(`/brands/${encodeURIComponent(b.id)}`)}>{b.name}</a>, sortValue: (b) => b.name },
  { key: 'website', header: 'Website', render: (b) => b.website },
  { key: 'competitors', header: 'Competitors', numeric: true, render: (b) => b.competitors.length, sortValue: (b) => b.competitors.length },
  { key: 'market', header: 'Market', render: (b) => [b.country, b.language].filter(Boolean).join(' · ') || '—' },
  { key: 'created', header: 'Created', render: (b) => formatTime(b.created_at), sortValue: (b) => b.created_at },
];

/** #/brands: every brand of the tenant; "New brand" for writers. */
export function BrandsList() {
  const brands = useLoad(() => listAll<Brand>('/v1/brands'), []);
  const [creating, setCreating] = useState(false);
  return (
    <Page title="Brands" actions={can('write:brands') && <Button variant="primary" onClick={() => setCreating(true)}>New brand</Button>}>
      {brands.error !== null ? <ErrorBanner error={brands.error} onRetry={brands.reload} />
        : brands.data === null ? <Loading label="Loading brands…" />
        : brands.data.length === 0 ? <Empty title="No brands yet">Create a brand to track how answer engines talk about it.</Empty>
        : <Table caption="Brands" columns={columns} rows={brands.data} rowKey={(b) => b.id} />}
      {creating && <BrandForm onClose={() => setCreating(false)} onSaved={(b) => navigate(`/brands/${encodeURIComponent(b.id)}`)} />}
    </Page>
  );
}
