// The schedule editor's draft and the body it sends (POST/PUT /reports/sla/schedules, and the
// preview). Settings the editor does not show are carried over from the stored schedule.
import type { SlaSchedule } from './sla';

export interface Draft {
  name: string;
  timezone: string;
  disabled: boolean;
  daily: boolean;
  weekly: boolean;
  monthly: boolean;
  dayOfWeek: string;
  dayOfMonth: string;
  target: string;
  mode: 'manual' | 'tags';
  logic: 'and' | 'or';
  sites: string[];
  rules: string;
  grouping: string;
  businessHoursId: string;
  withinHours: boolean;
  recipients: string;
}

const readOnly = ['id', 'next_run_at', 'last_run_at', 'last_run_status', 'last_error_message', 'created_at', 'updated_at'];

export function draftOf(s?: SlaSchedule): Draft {
  return {
    name: s?.name ?? '', timezone: s?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
    disabled: s?.disabled ?? false, daily: s?.daily ?? false, weekly: s?.weekly ?? true, monthly: s?.monthly ?? false,
    dayOfWeek: String(s?.day_of_week ?? 'monday'), dayOfMonth: String(s?.day_of_month ?? 1), target: String(s?.sla_target ?? 99.9),
    mode: s?.site_selection_mode ?? 'manual', logic: s?.site_selection_logic ?? 'and', sites: s?.sites ?? [],
    rules: (s?.site_selection_rules ?? []).map((r) => `${r.key}=${r.value}`).join(', '),
    grouping: (s?.grouping_rules ?? []).map((r) => `${r.key}:${r.aggregation}`).join(', '),
    businessHoursId: s?.business_hours_id ?? '', withinHours: s?.calculate_sla_within_schedule_hours ?? false,
    recipients: (s?.recipients ?? []).join(', '),
  };
}

const list = (text: string) => text.split(/[,\n]/).map((p) => p.trim()).filter(Boolean);
const pairs = (text: string, sep: string) => list(text).map((p) => {
  const i = p.indexOf(sep);
  return i < 0 ? [p, ''] : [p.slice(0, i).trim(), p.slice(i + 1).trim()];
});

/** The JSON body of `draft`, on top of `base`'s other settings. */
export function bodyOf(draft: Draft, base?: SlaSchedule): Record<string, unknown> {
  const kept = Object.fromEntries(Object.entries(base ?? {}).filter(([k]) => !readOnly.includes(k)));
  return {
    ...kept,
    name: draft.name, timezone: draft.timezone, disabled: draft.disabled,
    daily: draft.daily, weekly: draft.weekly, monthly: draft.monthly,
    day_of_week: draft.weekly ? draft.dayOfWeek : null,
    day_of_month: draft.monthly ? Number(draft.dayOfMonth) : null,
    sla_target: Number(draft.target),
    site_selection_mode: draft.mode, site_selection_logic: draft.logic,
    sites: draft.mode === 'manual' ? draft.sites : [],
    site_selection_rules: draft.mode === 'tags' ? pairs(draft.rules, '=').map(([key, value]) => ({ key, value })) : [],
    grouping_rules: pairs(draft.grouping, ':').map(([key, aggregation]) => ({ key, aggregation: aggregation || 'avg' })),
    business_hours_id: draft.businessHoursId || null,
    calculate_sla_within_schedule_hours: draft.withinHours,
    recipients: list(draft.recipients),
  };
}
