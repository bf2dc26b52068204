import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api';
import { applyAccent } from '../../branding';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { Loading } from '../../ui/Loading';
import { Page } from '../../ui/Page';
import { formatTime } from '../../ui/time';

interface Shared {
  kind: 'sla' | 'brand';
  report: Record<string, unknown>;
  branding: { name: string; accent_color: string | null; logo_url: string | null };
  expires_at: string;
}

/** /s/<token>: a report shared by link, without signing in (GET /shared/{token}). Phase 1 shows
 *  its heading and PDF; the report pages fill in the body later. */
export function SharedReport({ token }: { token: string }) {
  const [shared, setShared] = useState<Shared | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.get<Shared>(`/shared/${encodeURIComponent(token)}`).then((s) => {
      setShared(s);
      applyAccent(s.branding.accent_color);
    }, setError);
  }, [token]);
  const title = shared ? String(shared.report.schedule_name ?? shared.report.brand_name ?? 'Shared report') : 'Shared report';
  return (
    <main id="main" class="shared">
      {shared?.branding.logo_url && <img class="brand-logo" src={shared.branding.logo_url} alt={shared.branding.name} />}
      <Page title={title}>
        {error !== null ? <ErrorBanner error={error} /> : shared === null ? <Loading /> : (
          <p>
            Shared by {shared.branding.name}; the link expires {formatTime(shared.expires_at)}.{' '}
            <a href={`/shared/${encodeURIComponent(token)}/pdf`}>Download the PDF</a>
          </p>
        )}
      </Page>
    </main>
  );
}
