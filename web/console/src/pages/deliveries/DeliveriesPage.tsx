import { useState } from 'preact/hooks';
import { href } from '../../router';
import { can } from '../../session';
import { Empty } from '../../ui/Empty';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { SelectField } from '../../ui/Field';
import { Loading } from '../../ui/Loading';
import { Page } from '../../ui/Page';
import { formatTime } from '../../ui/time';
import '../brands/brands.css';
import { listAll, useLoad } from '../brands/load';
import type { Delivery } from '../brands/types';
import { DeliveryLog } from '../webhooks/DeliveryLog';

interface SlaReport { id: string; name?: string; schedule_name?: string; from_date?: string; to_date?: string; created_at: string; timezone?: string }

const labelOf = (r: SlaReport) => `${r.name ?? r.schedule_name ?? r.id} · ${r.from_date ?? ''} to ${r.to_date ?? ''}`;

function ReportDeliveries({ report }: { report: SlaReport }) {
  const reportId = report.id;
  const path = `/reports/sla/reports/${encodeURIComponent(reportId)}/deliveries`;
  const load = useLoad(() => listAll<Delivery>(path, {}, 1), [path]);
  return (
    <>
      <p class="meta">Created {formatTime(report.created_at, { zone: report.timezone })} · <a href={href(`/reports/sla/${encodeURIComponent(reportId)}`)}>Open the report</a></p>
      <DeliveryLog title="E-mail deliveries" load={load} resendLabel="Resend"
        resendPath={can('write:sla') ? (d) => `${path}/${encodeURIComponent(d.id)}/resend` : null} />
    </>
  );
}

/** #/deliveries: the e-mail deliveries of an SLA report (pick one): attempts, resend. */
export function DeliveriesPage() {
  const reports = useLoad(() => listAll<SlaReport>('/reports/sla/reports', {}, 2), []);
  const [chosen, setChosen] = useState('');
  const list = reports.data ?? [];
  const report = list.find((r) => r.id === chosen) ?? list[0];
  return (
    <Page title="Deliveries">
      {reports.error !== null ? <ErrorBanner error={reports.error} onRetry={reports.reload} /> : reports.data === null ? <Loading label="Loading SLA reports…" /> :
        list.length === 0 ? <Empty title="No SLA reports yet">E-mail deliveries are sent when a scheduled SLA report with recipients completes.</Empty> : (
          <>
            <div class="toolbar">
              <SelectField label="SLA report" value={report?.id ?? ''} onValue={setChosen} options={list.map((r) => [r.id, labelOf(r)])} />
            </div>
            <ReportDeliveries key={report.id} report={report} />
          </>
        )}
    </Page>
  );
}
