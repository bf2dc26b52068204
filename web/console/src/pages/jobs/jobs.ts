// What the console shows of a job: its failure reason and the report it produced.
import { ApiError } from '../../api';
import type { Job } from '../brands/types';

/** The reason a job failed (or is retrying): the result's error message, else the job's message. */
export function failureOf(job: Job): string | null {
  const r = job.result as { error?: { message?: string } } | null;
  const reason = r && typeof r === 'object' && r.error?.message;
  if (reason) return reason;
  if (job.status === 'cancelled') return job.message ? `Cancelled while: ${job.message}` : 'Cancelled';
  return job.status === 'failed' ? job.message : null;
}

/** The console path of the report a finished job made, if any. */
export function reportPathOf(job: Job): string | null {
  const r = (job.result ?? {}) as { report_ids?: string[]; report_id?: string };
  if (Array.isArray(r.report_ids) && r.report_ids.length > 0) return `/reports/brand/${encodeURIComponent(r.report_ids[0])}`;
  if (typeof r.report_id === 'string') return `/reports/${job.kind.startsWith('sla') ? 'sla' : 'brand'}/${encodeURIComponent(r.report_id)}`;
  return null;
}

export const isLive = (job: Job): boolean => job.status === 'pending' || job.status === 'processing';

/**
 * How long to wait before asking for a running job again: every half second for its first
 * seconds (a short run opens its report at once), then every 2 s, then every 5 s after a minute,
 * so a long brand run stays far below the per-user rate limit (120 calls a minute). After a 429,
 * the Retry-After the API gave.
 */
export function nextPollMs(watchingSinceMs: number, error?: unknown): number {
  if (error instanceof ApiError && error.status === 429) return Math.max(1, error.retryAfter ?? 5) * 1000;
  const elapsed = Date.now() - watchingSinceMs;
  return elapsed < 5_000 ? 500 : elapsed < 60_000 ? 2_000 : 5_000;
}
