import { useEffect, useState } from 'preact/hooks';
import { ApiError, api } from '../../api';
import { applyAccent } from '../../branding';
import { Empty } from '../../ui/Empty';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { Loading } from '../../ui/Loading';
import { Page } from '../../ui/Page';
import { formatTime } from '../../ui/time';
import { ReportBody, reportTitle } from '../reports/ReportPage';
import type { BrandReport, SlaReport } from '../reports/types';
import '../reports/reports.css';
import './shared.css';

type Shared = {
  expires_at: string;
  branding: { name: string | null; accent_color: string | null; logo_url: string | null };
} & ({ kind: 'sla'; report: SlaReport } | { kind: 'brand'; report: BrandReport });

function Header({ branding }: { branding: Shared['branding'] | null }) {
  return (
    <header class="shared-head">
      {branding?.logo_url && <img class="shared-logo" src={branding.logo_url} alt="" />}
      <span class="shared-name">{branding?.name || 'Rapport'}</span>
    </header>
  );
}

function SharedBody({ shared, token }: { shared: Shared; token: string }) {
  const pdf = `/shared/${encodeURIComponent(token)}/pdf`;
  const loaded = shared.kind === 'sla' ? { kind: 'sla' as const, report: shared.report } : { kind: 'brand' as const, report: shared.report };
  return (
    <Page title={reportTitle(loaded)} actions={shared.report.has_pdf && <a class="button primary" href={pdf} download>Download PDF</a>}>
      <p class="muted">Shared {shared.branding.name ? `by ${shared.branding.name}` : 'with you'}, read-only; this link works until {formatTime(shared.expires_at)}.</p>
      <ReportBody loaded={loaded} />
      {shared.report.has_pdf && (
        <section class="report-section" aria-label="PDF">
          <h2>PDF</h2>
          <iframe class="pdf-frame" src={pdf} title={`PDF of ${reportTitle(loaded)}`} />
        </section>
      )}
    </Page>
  );
}

/** /s/<token>: one report shared by link (GET /shared/{token}), read-only, without signing in
 *  and without the console's navigation, in the tenant's branding (name, logo, accent). */
export function SharedReport({ token }: { token: string }) {
  const [shared, setShared] = useState<Shared | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.get<Shared>(`/shared/${encodeURIComponent(token)}`).then((s) => {
      setShared(s);
      applyAccent(s.branding.accent_color);
    }, setError);
  }, [token]);
  const gone = error instanceof ApiError && error.status === 404;
  useEffect(() => { if (gone) document.title = 'Link not found · Rapport'; }, [gone]);
  return (
    <>
      <Header branding={shared?.branding ?? null} />
      <main id="main" class="shared">
        {gone ? (
          <Empty title="This link does not work">It may have expired or been revoked. Ask whoever shared it for a new one.</Empty>
        ) : error !== null ? <ErrorBanner error={error} /> : shared === null ? <Loading label="Loading the shared report…" /> : (
          <SharedBody shared={shared} token={token} />
        )}
      </main>
    </>
  );
}
