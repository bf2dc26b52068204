// Scheduled reports are listed per brand (the API requires brand_id): all brands' lists joined.
import { listAll } from '../brands/load';
import type { Brand, ScheduledReport } from '../brands/types';

export async function loadSchedules(): Promise<{ brands: Brand[]; schedules: ScheduledReport[] }> {
  const brands = await listAll<Brand>('/v1/brands');
  const lists = await Promise.all(brands.map((b) => listAll<ScheduledReport>('/v1/scheduled-reports', { brand_id: b.id })));
  return { brands, schedules: lists.flat() };
}
