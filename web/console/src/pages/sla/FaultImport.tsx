import { useState } from 'preact/hooks';
import { api } from '../../api';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { type FaultInput, faultsFromCsv } from './csv';
import type { Site } from './sla';

/** CSV import: the file is parsed here, every bad row is listed, and only a clean file is sent
 *  (POST /faults/bulk, all or nothing). */
export function FaultImport({ sites, onClose, onDone }: { sites: Site[]; onClose: () => void; onDone: (count: number) => void }) {
  const [parsed, setParsed] = useState<{ name: string; faults: FaultInput[]; problems: string[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const read = async (file: File | undefined) => {
    setError(null);
    if (!file) return setParsed(null);
    setParsed({ name: file.name, ...faultsFromCsv(await file.text(), sites) });
  };
  const send = async () => {
    if (!parsed) return;
    setBusy(true);
    try {
      const r = await api.post<{ meta: { count: number } }>('/faults/bulk', { faults: parsed.faults });
      onDone(r.meta.count);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  const clean = parsed && parsed.problems.length === 0 && parsed.faults.length > 0;
  return (
    <Dialog title="Import faults from CSV" onClose={onClose}>
      <p class="hint">Header row with <code>resource_id</code> (or <code>site</code>: a name), <code>severity</code>, and optionally <code>type</code> (default site), <code>created_at</code>, <code>resolved_at</code>, <code>cause</code>, <code>message</code>. Nothing is sent while a row is wrong.</p>
      <div class="field">
        <label for="fault-csv">CSV file</label>
        <input id="fault-csv" type="file" accept=".csv,text/csv" onChange={(e) => read((e.currentTarget as HTMLInputElement).files?.[0])} />
      </div>
      {parsed && parsed.problems.length > 0 && (
        <div class="error-banner" role="alert">
          <p>{parsed.problems.length} problem{parsed.problems.length === 1 ? '' : 's'} in {parsed.name}; fix the file and choose it again:</p>
          <ul class="csv-problems">{parsed.problems.slice(0, 200).map((p) => <li key={p}>{p}</li>)}</ul>
        </div>
      )}
      {clean && <p role="status">{parsed.faults.length} fault{parsed.faults.length === 1 ? '' : 's'} ready to import from {parsed.name}.</p>}
      {error !== null && <ErrorBanner error={error} />}
      <div class="form-actions">
        <Button variant="primary" disabled={!clean} busy={busy} onClick={send}>Import</Button>
        <Button onClick={onClose}>Cancel</Button>
      </div>
    </Dialog>
  );
}
