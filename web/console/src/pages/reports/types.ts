// The JSON of one report of each family, as GET /reports/sla/reports/{id} and GET /v1/reports/{id}
// answer it (and /shared/{token} repeats it): only the fields the report pages read.

export interface SlaSiteRow {
  site_id: string;
  site_name: string;
  tags: Record<string, string>;
  uptime_percentage: number | null;
  downtime_seconds: number;
  monitored_seconds: number;
  fault_count: number;
  longest_outage_seconds: number;
  mttr_seconds: number | null;
  breached: boolean;
}

export interface SlaGroupRow {
  key: string;
  value: string;
  aggregation: string;
  uptime_percentage: number | null;
  site_count: number;
  breached_site_count: number;
  breached: boolean;
}

export interface SlaFault {
  fault_id: string;
  site_id: string;
  site_name: string;
  cause: string | null;
  started_at: string;
  resolved_at: string | null;
  downtime_seconds: number;
}

export interface SlaReport {
  id: string;
  schedule_id: string;
  schedule_name: string;
  trigger: string;
  from_date: string;
  to_date: string;
  timezone: string;
  settings: { sla_target: number | null; calculate_sla_within_schedule_hours?: boolean };
  uptime_percentage: number | null;
  site_count: number;
  breached_site_count: number;
  sites: SlaSiteRow[];
  groups: SlaGroupRow[];
  daily: { date: string; uptime_percentage: number | null }[];
  top_faults: SlaFault[];
  created_at: string;
  has_pdf: boolean;
}

/** A rate with its 95% Wilson interval (percent; rate null when n is 0). */
export interface Rate {
  rate: number | null;
  successes: number;
  n: number;
  ci95_low: number;
  ci95_high: number;
}

export interface Region {
  name: string;
  country?: string | null;
  language?: string | null;
  location?: string | null;
}

export interface Source {
  url: string;
  title: string | null;
  domain: string;
  origin?: string;
}

export interface PromptResult {
  platform: string;
  sample: number;
  status: string;
  error: string | null;
  brand_appears: boolean | null;
  position: number | null;
  competitors_mentioned: string[];
  citations: string[];
  sources: Source[];
  sentiment: string | null;
  claims: { claim: string; verdict: string }[];
  answer: string | null;
}

export interface PromptRow {
  prompt_id: string;
  prompt_text: string;
  category: string | null;
  results: PromptResult[];
}

export interface BrandReport {
  id: string;
  brand_id: string;
  brand_name?: string | null;
  scheduled_report_id?: string | null;
  region: Region | null;
  regions?: (Region & { visibility: Rate })[];
  visibility: (Rate & { score: number | null }) | null;
  visibility_score: number | null;
  answers_count: number;
  answers_failed: number;
  prompts_count: number;
  average_position: number | null;
  sentiment: { positive: number; neutral: number; negative: number } | null;
  share_of_voice: (Rate & { name: string; is_brand: boolean })[];
  accuracy: {
    answers_judged: number;
    claims: number;
    correct: number;
    contradicted: number;
    unsupported: number;
    accuracy: Rate;
    contradicted_claims: { claim: string; platform?: string; prompt_text?: string }[];
  } | null;
  platforms: (Rate & { platform: string; failed: number })[];
  categories?: (Rate & { category: string })[];
  prompts: PromptRow[];
  prompts_total?: number;
  trend: (Rate & { report_id: string; created_at: string })[];
  status: string;
  error: unknown;
  trigger: string;
  created_at: string;
  has_pdf: boolean;
}

export type ReportKind = 'sla' | 'brand';

/** Where a report lives in its family's API. */
export function reportPath(kind: ReportKind, id: string): string {
  return kind === 'sla' ? `/reports/sla/reports/${encodeURIComponent(id)}` : `/v1/reports/${encodeURIComponent(id)}`;
}

/** The scope that lets a user write (share, delete) reports of `kind`. */
export function writeScope(kind: ReportKind): string {
  return kind === 'sla' ? 'write:sla' : 'write:reports';
}
