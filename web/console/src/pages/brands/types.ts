// The JSON shapes the brand, schedule, region, job, webhook and delivery pages read (see
// openapi/openapi.json; only the fields the console uses).

export interface List<T> {
  data: T[];
  has_more?: boolean;
  next_cursor?: string | null;
  meta?: { cursor?: string | null; has_more?: boolean };
}

export interface Brand {
  id: string;
  name: string;
  website: string;
  brand_aliases: string[];
  categories: string[];
  country: string | null;
  language: string | null;
  competitors: { name: string; aliases?: string[] }[];
  created_at: string;
  updated_at: string;
  brand_info: { description: string | null };
}

export interface Facts {
  description: string | null;
  industry: string | null;
  company_size: string | null;
  founded_year: number | null;
  headquarters: string | null;
  key_facts: string[];
  key_people: { name: string; title?: string | null }[];
  products: { name: string; description?: string | null }[];
  services: { name: string; description?: string | null }[];
  mission_statement: string | null;
  tagline: string | null;
  value_proposition: string | null;
  research_status: string;
  updated_at: string;
}

export interface DomainCount {
  domain: string;
  times_cited: number;
  share: number;
}

export const platforms = ['chatgpt', 'perplexity', 'ai_overviews', 'claude', 'chatgpt_search', 'claude_search', 'gemini', 'grok'] as const;

export interface RegionConfig {
  id: string;
  brand_id: string;
  name: string;
  country: string;
  language: string;
  location: string;
  ai_platforms: string[];
  is_active: boolean;
  scheduled_report_id: string | null;
  prompts_count: number;
  last_run_at: string | null;
  last_run_status: string | null;
  last_error_message: string | null;
  samples_per_prompt: number | null;
}

export interface Prompt {
  id: string;
  region_config_id: string;
  prompt_text: string;
  category: string | null;
  is_enabled: boolean;
  created_at: string;
}

export type Frequency = 'daily' | 'weekly' | 'monthly';

export interface ScheduledReport {
  id: string;
  brand_id: string;
  name: string;
  frequency: Frequency;
  is_active: boolean;
  next_run_at: string | null;
  last_run_at: string | null;
  last_run_status: string | null;
  last_error_message: string | null;
  missed_runs: 'skip' | 'once' | 'all';
  samples_per_prompt: number;
}

export interface Run {
  id: string;
  trigger: string;
  from_date: string;
  to_date: string;
  job_id: string | null;
  status: string;
  error: string | null;
  created_at: string;
  finished_at: string | null;
}

export interface Analytics {
  runs_count: number;
  visibility: Record<string, unknown>[];
  platforms: Record<string, unknown>[];
  prompts: Record<string, unknown>[];
}

export type JobStatus = 'pending' | 'processing' | 'completed' | 'failed' | 'cancelled';

export interface Job {
  id: string;
  kind: string;
  status: JobStatus;
  step: string | null;
  message: string | null;
  completed: number;
  total: number;
  progress_pct: number;
  result: unknown;
  attempts: number;
  cancel_requested?: boolean;
  created_at: string;
  started_at?: string | null;
  finished_at?: string | null;
}

export interface Webhook {
  id: string;
  brand_id?: string;
  url: string;
  events: string[];
  enabled: boolean;
  secret?: string;
  created_at: string;
}

export interface Attempt {
  at: string;
  status: string;
  response_status?: number | null;
  smtp_status?: number | null;
  error: string | null;
}

export interface Delivery {
  id: string;
  event_type?: string;
  recipient?: string;
  status: string;
  attempts: number;
  response_status?: number | null;
  smtp_status?: number | null;
  error: string | null;
  redelivery_of: string | null;
  created_at: string;
  delivered_at: string | null;
  attempt_log: Attempt[];
}
