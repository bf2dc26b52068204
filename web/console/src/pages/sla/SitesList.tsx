import { useMemo, useState } from 'preact/hooks';
import { api } from '../../api';
import { href } from '../../router';
import { can } from '../../session';
import { Button } from '../../ui/Button';
import { Empty } from '../../ui/Empty';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { SelectField, TextField } from '../../ui/Field';
import { Loading } from '../../ui/Loading';
import { Page } from '../../ui/Page';
import { Sparkline } from '../../ui/charts';
import { type Column, Table } from '../../ui/Table';
import { ConfirmDialog } from './ConfirmDialog';
import { SiteDialog } from './SiteDialog';
import { type Fault, type Site, bySite, dailyUptime, loadAll, pct, tagText, useLoad } from './sla';
import './sla.css';

interface Row { site: Site; daily: number[] }

const maxSites = 2000;

async function loadSites(): Promise<Row[]> {
  const from = new Date(Date.now() - 14 * 86_400_000).toISOString();
  const [sites, faults] = await Promise.all([loadAll<Site>('/sites', {}, maxSites / 100), loadAll<Fault>('/faults', { from, type: 'site' })]);
  const faultsOf = bySite(faults);
  return sites.map((site) => ({ site, daily: dailyUptime(faultsOf.get(site.id) ?? [], 14) }));
}

/** #/sites: search by name, filter by tag, a 14-day uptime sparkline; create, edit, delete. */
export function SitesList() {
  const { data, error, reload } = useLoad(loadSites);
  const [query, setQuery] = useState('');
  const [tag, setTag] = useState('');
  const [dialog, setDialog] = useState<{ kind: 'edit' | 'delete'; site?: Site } | null>(null);
  const tagOptions = useMemo(() => {
    const all = new Set<string>();
    for (const r of data ?? []) for (const [k, v] of Object.entries(r.site.tags)) all.add(`${k}=${v}`);
    return [...all].sort();
  }, [data]);
  const rows = (data ?? []).filter((r) => r.site.name.toLowerCase().includes(query.trim().toLowerCase()) &&
    (!tag || tagText(r.site.tags).split(', ').includes(tag)));
  const writable = can('write:sla');
  const columns: Column<Row>[] = [
    { key: 'name', header: 'Site', render: (r) => <a href={href(`/sites/${encodeURIComponent(r.site.id)}`)}>{r.site.name}</a>, sortValue: (r) => r.site.name },
    { key: 'tags', header: 'Tags', render: (r) => <span class="tags">{Object.entries(r.site.tags).map(([k, v]) => <span class="tag" key={k}>{k}={v}</span>)}</span> },
    { key: 'tz', header: 'Time zone', render: (r) => r.site.timezone, sortValue: (r) => r.site.timezone },
    { key: 'uptime', header: 'Uptime, 14 days', numeric: true, sortValue: (r) => avg(r.daily),
      render: (r) => <span class="uptime-cell"><Sparkline values={r.daily} label={`Daily uptime of ${r.site.name} over 14 days, lowest ${pct(Math.min(...r.daily))}`} width={90} height={24} /> {pct(avg(r.daily))}</span> },
    ...(writable ? [{ key: 'actions', header: 'Actions', render: (r: Row) => (
      <span class="row-actions">
        <Button onClick={() => setDialog({ kind: 'edit', site: r.site })} aria-label={`Edit ${r.site.name}`}>Edit</Button>
        <Button variant="danger" onClick={() => setDialog({ kind: 'delete', site: r.site })} aria-label={`Delete ${r.site.name}`}>Delete</Button>
      </span>) }] : []),
  ];
  return (
    <Page title="Sites" actions={writable && <Button variant="primary" onClick={() => setDialog({ kind: 'edit' })}>New site</Button>}>
      <div class="toolbar">
        <TextField label="Search" type="search" value={query} onValue={setQuery} placeholder="Site name" />
        <SelectField label="Tag" value={tag} onValue={setTag} options={[['', 'Any tag'], ...tagOptions.map((t): [string, string] => [t, t])]} />
      </div>
      {error !== null ? <ErrorBanner error={error} onRetry={reload} /> : data === null ? <Loading label="Loading sites…" /> :
        rows.length === 0 ? <Empty title={data.length ? 'No site matches' : 'No sites yet'}>{data.length ? 'Change the search or the tag.' : 'Sites are what SLA reports measure.'}</Empty> :
        <Table caption="Sites" columns={columns} rows={rows} rowKey={(r) => r.site.id} />}
      {data && data.length >= maxSites && <p class="hint">Showing the newest {maxSites} sites; the Overview counts every site.</p>}
      {dialog?.kind === 'edit' && <SiteDialog site={dialog.site} onClose={() => setDialog(null)} onSaved={() => { setDialog(null); reload(); }} />}
      {dialog?.kind === 'delete' && dialog.site && <ConfirmDialog title={`Delete ${dialog.site.name}?`} text="This removes the site from Rapport. Reports already generated are kept."
        action={() => api.del(`/sites/${dialog.site!.id}`)} onClose={() => setDialog(null)} onDone={() => { setDialog(null); reload(); }} />}
    </Page>
  );
}

const avg = (v: number[]) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : 100);
