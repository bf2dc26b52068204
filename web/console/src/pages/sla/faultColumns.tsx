import { href } from '../../router';
import { Badge } from '../../ui/Badge';
import { Button } from '../../ui/Button';
import type { Column } from '../../ui/Table';
import { formatTime } from '../../ui/time';
import type { Fault, Site } from './sla';

const severityOrder = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

/** The Faults table's columns; times in the viewer's zone with the site's; `onEdit` (writers
 *  only) adds the resolve/edit button. */
export function faultColumns(sites: Map<string, Site>, onEdit?: (f: Fault) => void): Column<Fault>[] {
  const name = (f: Fault) => sites.get(f.resource_id)?.name ?? f.resource_id;
  const zone = (f: Fault) => sites.get(f.resource_id)?.timezone;
  const open = (f: Fault) => f.status === 'unresolved';
  const columns: Column<Fault>[] = [
    { key: 'site', header: 'Site', render: (f) => <a href={href(`/sites/${encodeURIComponent(f.resource_id)}`)}>{name(f)}</a>, sortValue: name },
    { key: 'status', header: 'Status', render: (f) => <Badge status={open(f) ? 'open' : 'resolved'} tone={open(f) ? 'bad' : 'good'} />, sortValue: (f) => f.status },
    { key: 'severity', header: 'Severity', render: (f) => f.severity, sortValue: (f) => severityOrder.indexOf(f.severity) },
    { key: 'type', header: 'Type', render: (f) => f.type },
    { key: 'began', header: 'Began', render: (f) => formatTime(f.created_at, { zone: zone(f) }), sortValue: (f) => f.created_at },
    { key: 'ended', header: 'Ended', render: (f) => formatTime(f.resolved_at, { zone: zone(f) }), sortValue: (f) => f.resolved_at },
    { key: 'cause', header: 'Cause', render: (f) => f.cause || '—' },
  ];
  if (!onEdit) return columns;
  return [...columns, { key: 'actions', header: 'Actions', render: (f) => (
    <Button onClick={() => onEdit(f)} aria-label={`${open(f) ? 'Resolve or edit' : 'Edit'} the fault of ${name(f)} from ${formatTime(f.created_at)}`}>
      {open(f) ? 'Resolve / edit' : 'Edit'}
    </Button>) }];
}
