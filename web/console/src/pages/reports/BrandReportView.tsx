import { Sparkline } from '../../ui/charts';
import { type Column, Table } from '../../ui/Table';
import { formatTime } from '../../ui/time';
import { BrandPrompts } from './BrandPrompts';
import { IntervalChart } from './charts';
import { rateText } from './format';
import { Kpis, Section } from './Kpis';
import type { BrandReport, Rate } from './types';

type PlatformRow = BrandReport['platforms'][number];
type TrendRow = BrandReport['trend'][number];
type VoiceRow = BrandReport['share_of_voice'][number];

const voiceColumns: Column<VoiceRow>[] = [
  { key: 'name', header: 'Name', render: (x) => (x.is_brand ? <strong>{x.name}</strong> : x.name), sortValue: (x) => x.name },
  { key: 'rate', header: 'Share of voice (95 % interval)', numeric: true, render: (x) => rateText(x), sortValue: (x) => x.rate },
  { key: 'mentions', header: 'Mentions', numeric: true, render: (x) => `${x.successes} of ${x.n}`, sortValue: (x) => x.successes },
];

const platformColumns: Column<PlatformRow>[] = [
  { key: 'platform', header: 'Platform', render: (p) => p.platform, sortValue: (p) => p.platform },
  { key: 'rate', header: 'Visibility (95 % interval)', numeric: true, render: (p) => rateText(p), sortValue: (p) => p.rate },
  { key: 'n', header: 'Answers', numeric: true, render: (p) => p.n, sortValue: (p) => p.n },
  { key: 'failed', header: 'Failed', numeric: true, render: (p) => p.failed, sortValue: (p) => p.failed },
];

const trendColumns: Column<TrendRow>[] = [
  { key: 'when', header: 'Report', render: (t) => formatTime(t.created_at), sortValue: (t) => t.created_at },
  { key: 'rate', header: 'Visibility (95 % interval)', numeric: true, render: (t) => rateText(t), sortValue: (t) => t.rate },
  { key: 'n', header: 'Answers', numeric: true, render: (t) => t.n },
];

const interval = (label: string, r: Rate, highlight = false) => ({ label, rate: r.rate, low: r.ci95_low, high: r.ci95_high, highlight });

function regionText(r: BrandReport['region']): string {
  if (!r) return 'all regions';
  return [r.name, r.location, r.language].filter(Boolean).join(' · ');
}

function Accuracy({ accuracy }: { accuracy: NonNullable<BrandReport['accuracy']> }) {
  return (
    <>
      <p>
        {accuracy.claims} claims in {accuracy.answers_judged} judged answers: {accuracy.correct} correct,{' '}
        {accuracy.contradicted} contradicted, {accuracy.unsupported} unsupported. Accuracy {rateText(accuracy.accuracy)}.
      </p>
      {accuracy.contradicted_claims.length > 0 && (
        <ul class="claims">
          {accuracy.contradicted_claims.map((c, i) => <li key={i}>{c.claim}{c.platform ? ` (${c.platform})` : ''}</li>)}
        </ul>
      )}
    </>
  );
}

/** The body of a brand report: visibility with intervals, by platform, share of voice, accuracy,
 *  trend and the prompts with their answers; read-only (console page and shared page). */
export function BrandReportView({ report }: { report: BrandReport }) {
  const v = report.visibility;
  const s = report.sentiment;
  return (
    <div class="report">
      <p class="report-meta">
        {regionText(report.region)} · {report.trigger === 'on_demand' ? 'run on demand' : 'scheduled run'} · created {formatTime(report.created_at)}
      </p>
      <Kpis items={[
        { label: 'Visibility', value: v?.rate == null ? '—' : `${v.rate.toFixed(1)} %`, note: v && v.rate !== null ? `95 % interval ${v.ci95_low.toFixed(1)}–${v.ci95_high.toFixed(1)} %, n=${v.n}` : undefined },
        { label: 'Answers', value: report.answers_count, note: report.answers_failed ? `${report.answers_failed} failed` : `${report.prompts_count} prompts` },
        { label: 'Average position', value: report.average_position === null ? '—' : report.average_position.toFixed(1) },
        { label: 'Accuracy', value: report.accuracy?.accuracy.rate == null ? '—' : `${report.accuracy.accuracy.rate.toFixed(1)} %`, note: report.accuracy ? `${report.accuracy.contradicted} contradicted` : undefined },
        { label: 'Sentiment', value: s ? `${s.positive} / ${s.neutral} / ${s.negative}` : '—', note: 'positive / neutral / negative' },
      ]} />
      {report.platforms.length > 0 && (
        <Section title="Visibility by platform">
          <IntervalChart label="Visibility by platform with 95 % intervals" items={[...(v ? [interval('All platforms', v, true)] : []), ...report.platforms.map((p) => interval(p.platform, p))]} />
          <Table caption="Visibility by platform" columns={platformColumns} rows={report.platforms} rowKey={(p) => p.platform} />
        </Section>
      )}
      {report.share_of_voice.length > 0 && (
        <Section title="Share of voice">
          <IntervalChart label="Share of voice: mentions of the brand and each competitor among all mentions"
            items={report.share_of_voice.map((x) => interval(x.name, x, x.is_brand))} />
          <Table caption="Share of voice" columns={voiceColumns} rows={report.share_of_voice} rowKey={(x) => x.name} />
        </Section>
      )}
      {report.accuracy && <Section title="Accuracy"><Accuracy accuracy={report.accuracy} /></Section>}
      {(report.regions?.length ?? 0) > 1 && (
        <Section title="Regions">
          <IntervalChart label="Visibility by region" items={report.regions!.map((r) => interval(r.name, r.visibility))} />
        </Section>
      )}
      {report.trend.length > 0 && (
        <Section title="Trend">
          {report.trend.length > 1 && <Sparkline values={report.trend.map((t) => t.rate ?? 0)} width={240} height={40}
            label={`Visibility over the last ${report.trend.length} reports`} />}
          <Table caption="Visibility trend" columns={trendColumns} rows={report.trend} rowKey={(t) => t.report_id} />
        </Section>
      )}
      <Section title="Prompts and answers">
        <BrandPrompts prompts={report.prompts} total={report.prompts_total ?? report.prompts.length} />
      </Section>
    </div>
  );
}
