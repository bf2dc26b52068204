import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api';
import type { RouteProps } from '../../routes';
import { href } from '../../router';
import { can } from '../../session';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { Loading } from '../../ui/Loading';
import { Page } from '../../ui/Page';
import { BrandReportView } from './BrandReportView';
import { ReportPdf } from './ReportPdf';
import { SharePanel } from './SharePanel';
import { SlaReportView } from './SlaReportView';
import { type BrandReport, type ReportKind, type SlaReport, reportPath, writeScope } from './types';
import './reports.css';

type Loaded = { kind: 'sla'; report: SlaReport } | { kind: 'brand'; report: BrandReport };

/** The report's heading: the schedule (SLA) or the brand and region (brand). */
export function reportTitle(loaded: Loaded): string {
  if (loaded.kind === 'sla') return loaded.report.schedule_name || 'SLA report';
  const r = loaded.report;
  return `${r.brand_name || r.brand_id}${r.region ? ` · ${r.region.name}` : ''}`;
}

/** The read-only body of a report of either kind. */
export function ReportBody({ loaded }: { loaded: Loaded }) {
  return loaded.kind === 'sla' ? <SlaReportView report={loaded.report} /> : <BrandReportView report={loaded.report} />;
}

function ReportPage({ kind, id }: { kind: ReportKind; id: string }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const [sharing, setSharing] = useState(false);
  useEffect(() => {
    setLoaded(null);
    setError(null);
    api.get<SlaReport & BrandReport>(reportPath(kind, id)).then((report) => setLoaded({ kind, report } as Loaded), setError);
  }, [kind, id, attempt]);
  const title = loaded ? reportTitle(loaded) : kind === 'sla' ? 'SLA report' : 'Brand report';
  const pdf = `${reportPath(kind, id)}/pdf`;
  const actions = loaded && (
    <>
      {loaded.report.has_pdf && <a class="button secondary" href={pdf} download>Download PDF</a>}
      {can(writeScope(kind)) && <Button variant="primary" onClick={() => setSharing(true)}>Share…</Button>}
    </>
  );
  return (
    <Page title={title} actions={actions}>
      <p class="crumbs"><a href={href('/reports')}>All reports</a> · {kind === 'sla' ? 'SLA report' : 'Brand report'}</p>
      {error !== null ? <ErrorBanner error={error} onRetry={() => setAttempt(attempt + 1)} /> : loaded === null ? <Loading label="Loading the report…" /> : (
        <>
          <ReportBody loaded={loaded} />
          {loaded.report.has_pdf ? <ReportPdf url={pdf} title={title} /> : <p class="muted">This report has no PDF.</p>}
        </>
      )}
      {sharing && (
        <Dialog title={`Share “${title}”`} onClose={() => setSharing(false)}>
          <SharePanel kind={kind} reportId={id} />
        </Dialog>
      )}
    </Page>
  );
}

/** #/reports/sla/<id> */
export const SlaReportPage = ({ params }: RouteProps) => <ReportPage kind="sla" id={params.id} />;
/** #/reports/brand/<id> */
export const BrandReportPage = ({ params }: RouteProps) => <ReportPage kind="brand" id={params.id} />;
