// The brand-side pages on a real rapportd whose answer engines are a local stand-in (an
// OpenAI-compatible server in this file): brands and facts, region configs and pasted prompts,
// a scheduled report run now (progress to the report), jobs, webhooks (admin vs editor) and
// deliveries. Each page signs in for real (users made with `rapport users add`); the test's own
// API calls (to start runs behind the browser's back) use the minted bearer token.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import { addUser, assertClean as assertCleanStrict, checkAxe, launchBrowser, newPage, screenshot, signIn, startServer } from './harness.mjs';

// A new brand's facts answer 404 facts_not_generated, which the page shows as "not generated";
// the sign-in page's session probe answers 401.
const expected = [/status of 401 .*\/auth\/session\]$/, /status of 404 .*\/v1\/brands\/brand_\w+\/facts\]$/];
const assertClean = (page, allow = []) => assertCleanStrict(page, [...expected, ...allow]);

/** A chat-completions stand-in: every answer names the brand and cites one source; the judge
 *  finds no claims; facts research answers after 15 s (so its job can be watched and cancelled). */
function startFakeLlm() {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const research = body.includes('You research companies');
      const answer = research ? '{"industry": "Analytics"}' : body.includes('Reply with JSON only') ? '{"claims": []}'
        : 'Many teams pick Lumen Metrics (see https://reviews.example.org/lumen) over Globex Insights.';
      const delay = research ? 15000 : 0;
      setTimeout(() => reply(res, answer), delay);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function reply(res, answer) {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({
    id: 'cmpl-1', object: 'chat.completion', model: 'stand-in',
    choices: [{ index: 0, message: { role: 'assistant', content: answer }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 12, completion_tokens: 20, total_tokens: 32 },
  }));
}

let llm;
let server;
let browser;
before(async () => {
  llm = await startFakeLlm();
  server = await startServer({ RAPPORT_LLM_BASE_URL: `http://127.0.0.1:${llm.address().port}/v1`, RAPPORT_WEBHOOKS_ALLOW_PRIVATE: '1',
    // E-mail goes to a closed port: each delivery fails on its one attempt, and can be resent.
    RAPPORT_SMTP_URL: 'smtp://127.0.0.1:9', RAPPORT_SMTP_REQUIRE_TLS: 'false', RAPPORT_SMTP_MAX_ATTEMPTS: '1',
    RAPPORT_SMTP_FROM: 'reports@example.com',
    // Heartbeats every second, so that a cancel reaches a job waiting on the answer engine soon.
    RAPPORT_JOB_LEASE_SECONDS: '3',
    // Every page here signs in as one of three users, so each user's 120 calls a minute (live
    // progress polls included) would be spent across tests that a person would spread over hours.
    RAPPORT_RATE_LIMIT_BURST_PER_MIN: '5000' });
  assert.equal(server.cli(['demo']).status, 0, 'demo data');
  for (const role of roles) addUser(server, { email: `${role}@example.com`, password, role });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
  llm?.closeAllConnections?.();
  llm?.close();
});

const password = 'correct horse battery staple';
const roles = ['admin', 'editor', 'viewer'];

/** A page signed in through the sign-in form as `role`'s user, in a browser context of its own
 *  (its own cookie jar); closing the page closes the context. */
async function sessionPage(role, size) {
  const context = await browser.createBrowserContext();
  const page = await newPage(context, server.url, size);
  page.setDefaultTimeout(60000);  // the machine's two cores are shared with builds
  page.on('dialog', (d) => d.accept());
  await page.goto(server.url + '/', { waitUntil: 'networkidle0' });
  await signIn(page, `${role}@example.com`, password);
  const close = page.close.bind(page);
  page.close = async () => {
    await close();
    await context.close();
  };
  return page;
}

const h1 = (page) => page.$eval('h1', (h) => h.textContent);
const waitH1 = (page, text) => page.waitForFunction((t) => document.querySelector('h1')?.textContent === t, {}, text);
/** Goes to the console path and waits until its page (titled `title`) has loaded its data: the
 *  shell's first page may still be on screen right after a hash change. */
async function open(page, path, title) {
  await page.goto(`${server.url}/#${path}`, { waitUntil: 'networkidle0' });
  await waitH1(page, title);
  await page.waitForFunction(() => !document.querySelector('.loading'));
}
const hashMatches = (page, re) => page.waitForFunction((src) => new RegExp(src).test(location.hash), { timeout: 60000 }, re.source);

/** Types `value` into the field labelled `label` inside `scope` (a selector). */
async function fill(page, label, value, scope = '[role=dialog]') {
  const id = await page.$$eval(`${scope} label`, (ls, l) => ls.find((x) => x.textContent === l)?.getAttribute('for'), label);
  assert.ok(id, `a field labelled ${label}`);
  await page.$eval(`[id="${id}"]`, (el) => { el.value = ''; });
  await page.type(`[id="${id}"]`, value);
}

async function clickButton(page, text, scope = 'body') {
  const buttons = await page.$$(`${scope} button`);
  for (const b of buttons) if ((await b.evaluate((x) => x.textContent.trim())) === text) return b.click();
  throw new Error(`no button "${text}" in ${scope}`);
}

const buttonTexts = (page) => page.$$eval('main button, section button', (bs) => bs.map((b) => b.textContent.trim()));

let brandId;
let scheduleId;
let webhookUrl;

test('brands: create one, its detail with facts (edit) and citations', async () => {
  const page = await sessionPage('admin');
  await open(page, '/brands', 'Brands');
  await page.waitForSelector('.empty, table');
  await clickButton(page, 'New brand');
  await fill(page, 'Name', 'Lumen Metrics');
  await fill(page, 'Website', 'https://lumen.example');
  await fill(page, 'Competitors', 'Globex Insights, Initech Data');
  await clickButton(page, 'Create brand', '[role=dialog]');
  await hashMatches(page, /^#\/brands\/brand_/);
  brandId = decodeURIComponent((await page.evaluate(() => location.hash)).split('/')[2]);
  await waitH1(page, 'Lumen Metrics');
  await page.waitForFunction(() => [...document.querySelectorAll('button')].some((b) => b.textContent === 'Edit facts'));
  await page.waitForFunction(() => document.querySelector('#citations-title')?.parentElement.querySelector('.empty, table'));

  await clickButton(page, 'Edit facts');
  await fill(page, 'Description', 'Lumen Metrics makes dashboards for product teams.');
  await fill(page, 'Tagline', 'Metrics that shine');
  await fill(page, 'Key facts', 'Founded by analysts');
  await clickButton(page, 'Save facts', '[role=dialog]');
  await page.waitForFunction(() => !document.querySelector('[role=dialog]') && document.body.textContent.includes('Metrics that shine'));
  await checkAxe(page, 'brand detail');
  assertClean(page);
  await page.close();
});

test('region configs: create one, paste three prompts at once (preview, then create)', async () => {
  const page = await sessionPage('admin');
  await open(page, '/region-configs', 'Region configs');
  await page.waitForSelector('.empty, table');
  await clickButton(page, 'New region config');
  const brandSelect = await page.$$eval('[role=dialog] label', (ls) => ls.find((l) => l.textContent === 'Brand').getAttribute('for'));
  await page.select(`[id="${brandSelect}"]`, brandId);
  await fill(page, 'Name', 'United States');
  await fill(page, 'Country', 'US');
  await fill(page, 'Language', 'en');
  await clickButton(page, 'Create region config', '[role=dialog]');
  await hashMatches(page, /^#\/region-configs\/rcfg_/);
  await waitH1(page, 'United States');

  await page.waitForSelector('textarea');
  await page.type('textarea', 'best metrics platform?\n\nwhich analytics tool for startups?\nLumen Metrics vs Globex?\n');
  await clickButton(page, 'Preview');
  await page.waitForSelector('ul.preview');
  assert.match(await page.$eval('#paste-title ~ div h3', (e) => e.textContent), /^3 of 3 prompts will be created$/);
  await clickButton(page, 'Create 3 prompts');
  await page.waitForFunction(() => document.querySelector('[role=status]')?.textContent.startsWith('3 prompts created'));
  await page.waitForFunction(() => document.querySelectorAll('#prompts-title ~ .table-wrap tbody tr').length === 3);

  // A second paste names what will not be created: a duplicate, a line too long.
  await page.type('textarea', `best metrics platform?\n${'x'.repeat(2001)}\nis Lumen Metrics reliable?`);
  await clickButton(page, 'Preview');
  await page.waitForSelector('ul.preview');
  const why = await page.$$eval('ul.preview .why', (es) => es.map((e) => e.textContent));
  assert.equal(why.length, 2, why.join(' | '));
  assert.match(why[0], /already a prompt/);
  assert.match(why[1], /longer than 2000/);
  assert.match(await page.$eval('#paste-title ~ div h3', (e) => e.textContent), /^1 of 3 prompts will be created$/);
  await checkAxe(page, 'region config prompts');
  await screenshot(page, 'region-config-prompts');
  assertClean(page);
  await page.close();
});

test('scheduled reports: create one, attach the region config, run now until the report opens; jobs lists it', async () => {
  const page = await sessionPage('admin');
  await open(page, '/scheduled-reports', 'Scheduled reports');
  await page.waitForSelector('.empty, table');
  await clickButton(page, 'New scheduled report');
  const brandSelect = await page.$$eval('[role=dialog] label', (ls) => ls.find((l) => l.textContent === 'Brand').getAttribute('for'));
  await page.select(`[id="${brandSelect}"]`, brandId);
  await fill(page, 'Name', 'Lumen weekly');
  await clickButton(page, 'Create scheduled report', '[role=dialog]');
  await hashMatches(page, /^#\/scheduled-reports\/srep_/);
  scheduleId = decodeURIComponent((await page.evaluate(() => location.hash)).split('/')[2]);
  await waitH1(page, 'Lumen weekly');
  await page.waitForFunction(() => [...document.querySelectorAll('button')].some((b) => b.textContent === 'Attach'));
  await clickButton(page, 'Attach');
  await page.waitForFunction(() => document.querySelector('#regions-title')?.parentElement.textContent.includes('United States — 3 prompts'));
  await checkAxe(page, 'scheduled report');

  await clickButton(page, 'Run now', '.panel-head');
  await page.waitForSelector('.progress, .error-banner');
  assert.equal(await page.$eval('.error-banner', (e) => e.textContent).catch(() => null), null, 'run now started');
  await hashMatches(page, /^#\/reports\/brand\/rpt_/);
  const reportId = decodeURIComponent((await page.evaluate(() => location.hash)).split('/')[3]);
  assert.ok(reportId);

  await open(page, '/jobs', 'Jobs');
  await page.waitForSelector('table');
  const rows = await page.$$eval('tbody tr', (trs) => trs.map((tr) => tr.textContent));
  assert.ok(rows.some((r) => r.includes('Brand report') && r.includes('completed') && r.includes('Open the report')), rows.join('\n'));
  await checkAxe(page, 'jobs');
  const statusSelect = await page.$$eval('label', (ls) => ls.find((l) => l.textContent === 'Status').getAttribute('for'));
  await page.select(`[id="${statusSelect}"]`, 'failed');
  await page.waitForSelector('.empty');

  await open(page, `/brands/${brandId}`, 'Lumen Metrics');
  await page.waitForFunction(() => document.querySelector('#citations-title')?.parentElement.querySelector('.empty, table'));
  await checkAxe(page, 'brand detail after a run');
  await screenshot(page, 'brand-detail');
  assertClean(page);
  await page.close();
});

test('webhooks: an admin creates an endpoint and sees its secret once', async () => {
  const page = await sessionPage('admin');
  await open(page, '/webhooks', 'Webhooks');
  await page.waitForSelector('.empty, table');
  await clickButton(page, 'New endpoint');
  webhookUrl = `http://127.0.0.1:${llm.address().port}/hook`;
  await fill(page, 'URL', webhookUrl);
  await clickButton(page, 'Create endpoint', '[role=dialog]');
  await page.waitForSelector('[data-secret]');
  const secret = await page.$eval('[data-secret]', (e) => e.textContent);
  assert.ok(secret.length >= 16, 'the secret is shown');
  await checkAxe(page, 'webhook secret');
  await clickButton(page, 'I have copied it', '[role=dialog]');
  await page.waitForFunction((u) => document.querySelector('tbody')?.textContent.includes(u), {}, webhookUrl);
  assert.ok(!(await page.content()).includes(secret), 'the secret is not shown again');
  await clickButton(page, `Deliveries`);
  await page.waitForFunction(() => document.body.textContent.includes('No deliveries yet'));
  await checkAxe(page, 'webhooks');
  await screenshot(page, 'webhooks');
  assertClean(page);
  await page.close();
});

/** The API as the test's bearer token (not through the browser). */
async function apiCall(method, path, body) {
  const headers = { authorization: `Bearer ${server.token}`, 'content-type': 'application/json', 'idempotency-key': `${Date.now()}-${Math.random()}` };
  const r = await fetch(server.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return r.json();
}

test('webhooks: a brand endpoint, edited; its deliveries after a run; redeliver; rotate; delete', async () => {
  const page = await sessionPage('admin');
  await open(page, '/webhooks', 'Webhooks');
  await page.waitForFunction((id) => document.querySelector(`option[value="${id}"]`), {}, brandId);
  await page.select('select', brandId);
  await page.waitForSelector('.empty');
  await clickButton(page, 'New endpoint');
  const checks = await page.$$eval('[role=dialog] .checks label', (ls) => ls.map((l) => l.textContent));
  assert.deepEqual(checks.slice(0, 2), ['report.completed', 'report.failed']);
  await fill(page, 'URL', `http://127.0.0.1:${llm.address().port}/brand-hook`);
  await clickButton(page, 'Create endpoint', '[role=dialog]');
  await page.waitForSelector('[data-secret]');
  await clickButton(page, 'I have copied it', '[role=dialog]');
  await page.waitForFunction(() => document.querySelector('tbody')?.textContent.includes('/brand-hook'));

  await clickButton(page, 'Edit');
  await page.waitForSelector('[role=dialog]');
  await page.$$eval('[role=dialog] .checks label', (ls) => ls.find((l) => l.textContent === 'schedule.run.completed').querySelector('input').click());
  await clickButton(page, 'Save', '[role=dialog]');
  await page.waitForFunction(() => !document.querySelector('[role=dialog]') && document.querySelector('tbody').textContent.includes('schedule.run.completed'));

  const { job_id: jobId } = await apiCall('POST', `/v1/scheduled-reports/${scheduleId}/executions`, {});
  for (let i = 0; i < 120; i++) {
    const job = await apiCall('GET', `/v1/jobs/${jobId}`);
    if (job.status === 'completed') break;
    assert.ok(job.status === 'pending' || job.status === 'processing', JSON.stringify(job));
    await new Promise((r) => setTimeout(r, 250));
  }
  await clickButton(page, 'Deliveries');
  const delivered = () => page.evaluate(() => [...document.querySelectorAll('section[aria-label^="Deliveries"] tbody tr')]
    .some((tr) => tr.textContent.includes('report.completed') && tr.textContent.includes('succeeded')));
  for (let i = 0; i < 60 && !(await delivered()); i++) {
    await new Promise((r) => setTimeout(r, 500));
    if (i % 4 === 3) await clickButton(page, 'Refresh', 'section[aria-label^="Deliveries"]');
  }
  assert.ok(await delivered(), await page.$eval('section[aria-label^="Deliveries"]', (e) => e.textContent));
  assert.ok(await page.$('section[aria-label^="Deliveries"] ol.attempts li'), 'the attempts are listed');
  await clickButton(page, 'Redeliver', 'section[aria-label^="Deliveries"]');
  await page.waitForFunction(() => document.querySelector('[role=status]')?.textContent.startsWith('Redeliver queued'));
  await checkAxe(page, 'webhook deliveries');

  await clickButton(page, 'Rotate secret');
  await page.waitForSelector('[data-secret]');
  assert.ok((await page.$eval('[data-secret]', (e) => e.textContent)).length >= 16, 'the new secret is shown once');
  await clickButton(page, 'I have copied it', '[role=dialog]');
  await page.waitForFunction(() => !document.querySelector('[role=dialog]'));
  await clickButton(page, 'Delete');
  await page.waitForFunction(() => document.querySelector('.empty')?.textContent.includes('No webhook endpoints'));
  assertClean(page);
  await page.close();
});

test('webhooks: an editor sees the endpoints but no write actions', async () => {
  const page = await sessionPage('editor');
  await open(page, '/webhooks', 'Webhooks');
  await page.waitForFunction((u) => document.querySelector('tbody')?.textContent.includes(u), {}, webhookUrl);
  const texts = await buttonTexts(page);
  for (const t of ['New endpoint', 'Edit', 'Rotate secret', 'Delete']) assert.ok(!texts.includes(t), `editor sees ${t}`);
  assert.ok(texts.includes('Deliveries'));
  // and the API refuses the editor's write (with a valid CSRF token: the scope is what is missing).
  const status = await page.evaluate(async () => {
    const session = await (await fetch('/auth/session')).json();
    const r = await fetch('/reports/sla/webhooks', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrf_token, 'Idempotency-Key': crypto.randomUUID() },
      body: JSON.stringify({ url: 'https://example.com/hook', events: ['sla_report.completed'] }),
    });
    return r.status;
  });
  assert.equal(status, 403);
  assertClean(page, [/status of 403 .*\/reports\/sla\/webhooks\]$/]);
  await page.close();
});

test('deliveries and the brand pages at 390 px wide', async () => {
  const page = await sessionPage('admin', { width: 390, height: 844 });
  for (const [path, title] of [['/deliveries', 'Deliveries'], [`/brands/${brandId}`, 'Lumen Metrics'], ['/jobs', 'Jobs']]) {
    await page.goto(`${server.url}/#${path}`, { waitUntil: 'networkidle0' });
    await waitH1(page, title);
    await page.waitForSelector('.empty, table, select, dl');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    const wide = await page.evaluate(() => [...document.querySelectorAll('.content *')]
      .filter((e) => !e.closest('.table-wrap') && e.getBoundingClientRect().right > window.innerWidth + 1)
      .slice(0, 5).map((e) => `${e.tagName.toLowerCase()}.${e.className}`));
    assert.ok(overflow <= 0, `${path} scrolls sideways by ${overflow}px: ${wide.join(', ')}`);
    await checkAxe(page, `${path} at 390px`);
  }
  assert.equal(await h1(page), 'Jobs');
  assertClean(page);
  await page.close();
});

test('facts research shows its job live; the jobs page cancels it', async () => {
  const page = await sessionPage('admin');
  await open(page, `/brands/${brandId}`, 'Lumen Metrics');
  await page.waitForFunction(() => [...document.querySelectorAll('button')].some((b) => b.textContent === 'Research facts'));
  await clickButton(page, 'Research facts');
  await page.waitForFunction(() => document.querySelector('#facts-title')?.closest('section').querySelector('.progress progress'));
  await open(page, '/jobs', 'Jobs');
  await page.waitForFunction(() => [...document.querySelectorAll('tbody tr')].some((tr) => tr.textContent.includes('Facts research') && /pending|processing/.test(tr.textContent)));
  const cancel = await page.$('tbody button[aria-label^="Cancel job_"]');
  assert.ok(cancel, 'a live job offers Cancel');
  await cancel.click();
  await page.waitForFunction(() => [...document.querySelectorAll('tbody tr')].some((tr) => tr.textContent.includes('Facts research') && tr.textContent.includes('cancelled')), { timeout: 20000 });
  await checkAxe(page, 'jobs after cancel');
  assertClean(page);
  await page.close();
});

test('deliveries: an SLA report\'s failed e-mail, its attempts, resend', async () => {
  const schedules = await apiCall('GET', '/reports/sla/schedules');
  const withRecipients = schedules.data.find((x) => x.recipients.length > 0);
  assert.ok(withRecipients, 'the demo has a schedule with recipients');
  const now = new Date();
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0));
  const day = (d) => d.toISOString().slice(0, 10);
  const run = await apiCall('POST', `/reports/sla/schedules/${withRecipients.id}/run`, { from_date: day(first), to_date: day(last) });
  assert.ok(run.job_id, JSON.stringify(run));
  let job;
  for (let i = 0; i < 120; i++) {
    job = await apiCall('GET', `/v1/jobs/${run.job_id}`);
    if (job.status !== 'pending' && job.status !== 'processing') break;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.equal(job.status, 'completed', JSON.stringify(job));
  const reportId = job.result.report_id;

  const page = await sessionPage('admin');
  await open(page, '/deliveries', 'Deliveries');
  await page.waitForFunction((id) => document.querySelector(`option[value="${id}"]`), {}, reportId);
  await page.select('select', reportId);
  const failed = () => page.evaluate(() => [...document.querySelectorAll('section[aria-label="E-mail deliveries"] tbody tr')]
    .some((tr) => tr.textContent.includes('noc@example.com') && tr.textContent.includes('failed')));
  for (let i = 0; i < 60 && !(await failed()); i++) {
    await new Promise((r) => setTimeout(r, 500));
    if (i % 4 === 3) await clickButton(page, 'Refresh', 'section[aria-label="E-mail deliveries"]');
  }
  assert.ok(await failed(), await page.$eval('section[aria-label="E-mail deliveries"]', (e) => e.textContent));
  assert.ok(await page.$('section[aria-label="E-mail deliveries"] ol.attempts li .failure'), 'the failed attempt and its reason');
  await clickButton(page, 'Resend', 'section[aria-label="E-mail deliveries"]');
  await page.waitForFunction(() => document.querySelector('[role=status]')?.textContent.startsWith('Resend queued'));
  await checkAxe(page, 'deliveries');

  await open(page, '/jobs', 'Jobs');
  await page.waitForFunction(() => [...document.querySelectorAll('tbody tr')].some((tr) => tr.textContent.includes('E-mail delivery')));
  await screenshot(page, 'jobs');
  assertClean(page);
  await page.close();
});

test('a viewer sees the brand-side pages without any write action', async () => {
  const page = await sessionPage('viewer');
  const configs = await apiCall('GET', `/v1/region-configs?scheduled_report_id=${scheduleId}`);
  const pages = [['/brands', 'Brands'], [`/brands/${brandId}`, 'Lumen Metrics'], ['/region-configs', 'Region configs'],
    [`/region-configs/${configs.data[0].id}`, 'United States'], ['/scheduled-reports', 'Scheduled reports'],
    [`/scheduled-reports/${scheduleId}`, 'Lumen weekly'], ['/jobs', 'Jobs'], ['/webhooks', 'Webhooks'], ['/deliveries', 'Deliveries']];
  const writes = /^(New .*|Edit.*|Delete|Research facts|Run now|Attach|Preview|Cancel.*|Rotate secret|Redeliver|Resend)$/;
  for (const [path, title] of pages) {
    await page.goto(`${server.url}/#${path}`, { waitUntil: 'networkidle0' });
    await waitH1(page, title);
    await page.waitForFunction(() => !document.querySelector('.loading'));
    const offered = (await page.$$eval('.content button', (bs) => bs.map((b) => b.textContent.trim()))).filter((t) => writes.test(t));
    assert.deepEqual(offered, [], `${path} offers ${offered.join(', ')}`);
    assert.equal(await page.$('textarea'), null, `${path} has no paste box`);
  }
  assertClean(page);
  await page.close();
});
