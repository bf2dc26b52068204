// Webhook endpoints belong to a family: the SLA side's (one set per tenant) or a brand's.
import type { Brand } from '../brands/types';

export interface Owner {
  key: string;
  label: string;
  /** The collection path: /reports/sla/webhooks or /v1/brands/{id}/webhooks. */
  base: string;
  events: string[];
}

export const slaOwner: Owner = {
  key: 'sla', label: 'SLA reports', base: '/reports/sla/webhooks',
  events: ['sla_report.completed', 'sla_report.failed', 'schedule.run.missed', 'delivery.failed'],
};

const brandEvents = ['report.completed', 'report.failed', 'schedule.run.completed', 'schedule.run.failed', 'schedule.run.missed'];

export function ownersOf(brands: Brand[]): Owner[] {
  return [slaOwner, ...brands.map((b) => ({ key: b.id, label: `Brand: ${b.name}`, base: `/v1/brands/${encodeURIComponent(b.id)}/webhooks`, events: brandEvents }))];
}
