// Fixtures of the report-page tests (report-pages, settings, scenario): a rapportd whose brand
// runs ask a local answer engine (bench/llm_provider.py, a few ms a call), the API called with
// the harness's minted token, and reports of both kinds made from the demo data.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sourceDir, startServer } from './harness.mjs';

/** Starts the fake answer engine, then rapportd pointed at it; stop() ends both. */
export async function startServerWithLlm(extraEnv = {}) {
  const llm = spawn('python3', [join(sourceDir, 'bench', 'llm_provider.py'), '--port', '0', '--median-ms', '5', '--p95-ms', '20'],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve, reject) => {
    llm.stdout.once('data', (d) => resolve(String(d).split('\n')[0].trim()));
    llm.once('exit', (code) => reject(new Error(`llm_provider.py exited with ${code}`)));
  });
  const server = await startServer({ RAPPORT_LLM_BASE_URL: `http://127.0.0.1:${port}/v1`, RAPPORT_LLM_API_KEY: 'test', ...extraEnv });
  const stop = server.stop;
  server.stop = async () => {
    await stop();
    llm.kill('SIGTERM');
  };
  return server;
}

/** Calls the API with the server's minted `*` token (or `token`); resolves {status, body}. */
export async function call(server, method, path, body, token = server.token) {
  const headers = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method === 'POST') headers['Idempotency-Key'] = randomUUID();
  const r = await fetch(server.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
}

/** Polls `probe` (async, returns a value or null) every 200 ms for up to `ms`. */
export async function until(probe, ms = 30000, what = 'condition') {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 200))) {
    const v = await probe();
    if (v) return v;
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The id of the demo's SLA report (the demo queues one run). */
export async function slaReportId(server) {
  return until(async () => (await call(server, 'GET', '/reports/sla/reports?limit=1')).body?.data?.[0]?.id, 30000, 'the demo SLA report');
}

/** Runs the demo's first brand scheduled report now; resolves the new brand report's id. */
export async function brandReportId(server) {
  const brands = (await call(server, 'GET', '/v1/brands')).body.data;
  for (const brand of brands) {
    const schedules = (await call(server, 'GET', `/v1/scheduled-reports?brand_id=${brand.id}`)).body.data;
    if (schedules.length === 0) continue;
    const run = await call(server, 'POST', `/v1/scheduled-reports/${schedules[0].id}/executions`, {});
    if (run.status !== 202) throw new Error(`execution: ${JSON.stringify(run.body)}`);
    const job = await until(async () => {
      const j = (await call(server, 'GET', `/v1/jobs/${run.body.job_id}`)).body;
      return ['completed', 'failed', 'cancelled'].includes(j.status) ? j : null;
    }, 60000, 'the brand run');
    if (job.status !== 'completed') throw new Error(`brand run ${job.status}: ${JSON.stringify(job.result)}`);
    return job.result.report_ids[0];
  }
  throw new Error('the demo has no brand scheduled report');
}

/** A screenshot of what the viewport shows (the harness's screenshot() takes the whole page):
 *  small enough for the README. Into docs/console/ with RAPPORT_SCREENSHOTS=1, else a temp dir. */
export async function viewportShot(page, name) {
  const dir = process.env.RAPPORT_SCREENSHOTS === '1' ? join(sourceDir, 'docs', 'console') : mkdtempSync(join(tmpdir(), 'rapport-shots-'));
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

/** The white label the shared-page test shows: a name, a teal accent and a small SVG logo. */
export const northwind = {
  name: 'Northwind Ops',
  accent_color: '#0f766e',
  logo: {
    content_type: 'image/svg+xml',
    data_base64: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="96" height="32" viewBox="0 0 96 32">' +
      '<rect width="96" height="32" rx="6" fill="#0f766e"/><circle cx="16" cy="16" r="9" fill="#ffffff"/>' +
      '<rect x="32" y="11" width="52" height="10" rx="3" fill="#ffffff"/></svg>').toString('base64'),
  },
};
