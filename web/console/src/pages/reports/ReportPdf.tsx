import { useState } from 'preact/hooks';
import { Button } from '../../ui/Button';

/** The report's PDF framed inline (`?disposition=inline`, same origin, so the session cookie
 *  authenticates it) behind a button, so that the page does not load it unasked. */
export function ReportPdf({ url, title }: { url: string; title: string }) {
  const [shown, setShown] = useState(false);
  return (
    <section class="report-section pdf" aria-label="PDF">
      <h2>PDF</h2>
      <p class="pdf-actions">
        <a class="button primary" href={url} download>Download the PDF</a>
        <Button aria-expanded={shown} aria-controls="report-pdf-frame" onClick={() => setShown(!shown)}>
          {shown ? 'Hide the PDF' : 'Show the PDF here'}
        </Button>
      </p>
      {shown && <iframe id="report-pdf-frame" class="pdf-frame" src={`${url}${url.includes('?') ? '&' : '?'}disposition=inline`} title={`PDF of ${title}`} />}
    </section>
  );
}
