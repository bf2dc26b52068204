// The SLA pages in a real browser against a real rapportd with the demo data: an editor creates a
// site, a fault and a schedule (with the next-runs preview), runs it now, watches the progress and
// lands on the report; CSV import names every bad row before sending; a viewer sees no write
// action and the API refuses a write made with the viewer's session (403).
// Users are real (`rapport users add`) and sign in through the form.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { addUser, assertClean as assertCleanStrict, checkAxe, launchBrowser, newPage, screenshot, signIn, startServer } from './harness.mjs';

// GET /v1/white-label is another helper's; until it lands it answers 404 (the default look stays).
// Before signing in, /auth/session answers 401: that is "signed out" (Chromium logs the load).
const pending = [/status of 404 .*\/v1\/white-label\]$/, /status of 401 .*\/auth\/session\]$/];
const assertClean = (page, allow = []) => assertCleanStrict(page, [...pending, ...allow]);

let server;
let browser;
before(async () => {
  // Five tests walk a dozen pages as one user: more than the default 120 calls a minute.
  server = await startServer({ RAPPORT_RATE_LIMIT_BURST_PER_MIN: '0' });
  assert.equal(server.cli(['demo']).status, 0, 'demo data');
  browser = await launchBrowser();
  for (const role of ['editor', 'viewer']) addUser(server, { email: `${role}@example.com`, password: `${role}-password-1`, role });
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

/** A signed-in page for `role`, in a browser context of its own (its own cookies); `hold(url)`
 *  may return milliseconds to delay a request. */
async function pageAs(role, { size, hold } = {}) {
  const context = await browser.createBrowserContext();
  const page = await newPage(context, server.url, size);
  page.once('close', () => context.close().catch(() => {}));
  page.removeAllListeners('request');
  page.on('request', async (req) => {
    if (/^(data|blob):/.test(req.url())) return req.continue();
    const url = new URL(req.url());
    if (url.origin !== server.url) {
      page.problems.push(`request to another host: ${req.url()}`);
      return req.abort();
    }
    const wait = hold?.(url, req) ?? 0;
    if (wait) await new Promise((r) => setTimeout(r, wait));
    return req.continue();
  });
  await page.goto(server.url + '/', { waitUntil: 'networkidle0' });
  await signIn(page, `${role}@example.com`, `${role}-password-1`);
  return page;
}

const titles = { '/': 'Overview', '/sites': 'Sites', '/faults': 'Faults', '/business-hours': 'Business hours', '/sla-schedules': 'SLA schedules' };

/** Goes to `path` and waits for `ready` on that page (a hash change keeps the old page on
 *  screen for a moment: list pages also wait for their title). */
async function open(page, path, ready) {
  await page.goto(`${server.url}/#${path}`, { waitUntil: 'networkidle0' });
  const title = titles[path];
  const selector = title ? `::-p-xpath(//h1[text()="${title}"])` : '.page';
  await page.waitForSelector(selector, { timeout: 15000 })
    .then(() => page.waitForSelector(ready, { timeout: 15000 })).catch(async (e) => {
    throw new Error(`${e.message} on ${path}: ${await page.evaluate(() => document.querySelector('.content')?.textContent)}`);
  });
}

/** Types into the labelled input of the open dialog or page (clears it first). */
async function fill(page, label, text) {
  const id = await page.evaluate((l) => [...document.querySelectorAll('label')].find((e) => e.textContent.trim() === l)?.htmlFor, label);
  assert.ok(id, `a field labelled ${label}`);
  await page.click(`[id="${id}"]`, { clickCount: 3 });
  await page.keyboard.press('Backspace');
  await page.type(`[id="${id}"]`, text);
}

/** Clicks the button called `text`, inside the open dialog when there is one. */
const clickButton = (page, text) => page.evaluate((t) => {
  const scope = document.querySelector('[role=dialog]') ?? document;
  const b = [...scope.querySelectorAll('button, a.button')].find((e) => e.textContent.trim() === t && !e.disabled);
  if (!b) throw new Error(`no button ${t}`);
  b.click();
}, text);

const buttonTexts = (page) => page.$$eval('button, a.button', (bs) => bs.map((b) => b.textContent.trim()));

test('an editor creates a site, a fault and a schedule, runs it now and lands on the report', async () => {
  // The second poll of the run's job waits 1.5 s, so the first state it reported stays on screen.
  let polls = 0;
  const page = await pageAs('editor', { hold: (url) => (url.pathname.startsWith('/v1/jobs/') && ++polls === 2 ? 1500 : 0) });
  await open(page, '/sites', 'table');
  await checkAxe(page, 'sites');
  await screenshot(page, 'sla-sites');
  await clickButton(page, 'New site');
  await page.waitForSelector('[role=dialog]');
  await fill(page, 'Name', 'E2E Lisbon');
  await fill(page, 'Time zone', 'Europe/Lisbon');
  await fill(page, 'Tags', 'region=emea, tier=gold');
  await checkAxe(page, 'site dialog');
  await clickButton(page, 'Create site');
  await page.waitForFunction(() => !document.querySelector('[role=dialog]') && [...document.querySelectorAll('table a')].some((a) => a.textContent === 'E2E Lisbon'));
  const siteHref = await page.evaluate(() => [...document.querySelectorAll('table a')].find((a) => a.textContent === 'E2E Lisbon').getAttribute('href'));
  const siteId = siteHref.split('/').pop();

  await open(page, '/faults', 'table');
  await clickButton(page, 'Record fault');
  await page.waitForSelector('[role=dialog] select');
  await page.select('[role=dialog] select', siteId);
  await fill(page, 'Cause', 'Fiber cut');
  await checkAxe(page, 'fault dialog');
  await clickButton(page, 'Record fault');
  await page.waitForFunction(() => document.querySelector('[role=status]')?.textContent === 'Fault recorded.');
  await open(page, `/sites/${siteId}`, '.timeline');
  assert.equal(await page.$eval('h1', (h) => h.textContent), 'E2E Lisbon');
  await page.waitForFunction(() => [...document.querySelectorAll('td')].some((td) => td.textContent === 'Fiber cut'));
  await checkAxe(page, 'site detail');

  await open(page, '/sla-schedules/new', '.schedule-fields');
  await fill(page, 'Name', 'E2E weekly');
  await fill(page, 'Time zone', 'Europe/Lisbon');
  await page.evaluate(() => [...document.querySelectorAll('.site-picks label')].find((l) => l.textContent.trim() === 'E2E Lisbon').click());
  await page.waitForFunction(() => document.querySelectorAll('.preview-runs li').length === 5, { timeout: 10000 });
  const first = await page.$eval('.preview-runs li', (li) => li.textContent);
  assert.match(first, /weekly, covers \d{4}-\d\d-\d\d – \d{4}-\d\d-\d\d/);
  await checkAxe(page, 'schedule editor');
  await screenshot(page, 'sla-schedule-editor');
  await clickButton(page, 'Create schedule');
  await page.waitForFunction(() => /^#\/sla-schedules\/sla_[0-9a-zA-Z]{27}$/.test(location.hash) && document.querySelector('h1')?.textContent === 'E2E weekly');

  await page.waitForFunction(() => [...document.querySelectorAll('button')].some((b) => b.textContent === 'Run now'));
  assert.equal(await page.$eval('.schedule-fields input', (i) => i.value), 'E2E weekly', 'the saved schedule is shown');
  assert.match(await page.$eval('.site-picks legend', (l) => l.textContent), /1 chosen/);
  await clickButton(page, 'Run now');
  await page.waitForSelector('[role=dialog] form');
  await clickButton(page, 'Run');
  await page.waitForSelector('progress');
  await page.waitForFunction(() => !document.querySelector('progress') || /%/.test(document.querySelector('.run-progress label').textContent));
  if (await page.$('progress')) {
    await checkAxe(page, 'run progress');
    await screenshot(page, 'sla-run-progress');
  }
  await page.waitForFunction(() => /^#\/reports\/sla\/rpt_[0-9a-zA-Z]{27}$/.test(location.hash), { timeout: 30000 }).catch(async (e) => {
    throw new Error(`${e.message}: ${await page.evaluate(() => location.hash + ' ' + document.querySelector('main, .content')?.textContent)}`);
  });
  assert.match(new URL(page.url()).hash, /^#\/reports\/sla\/rpt_[0-9a-zA-Z]{27}$/);
  // The preview shows the API's 400 while the draft has no site yet (the editor's validation).
  assertClean(page, [/status of 400 .*\/reports\/sla\/schedules\/preview/]);
  await page.close();
});

test('the overview, business hours and the schedule list, with a business-hours write', async () => {
  const page = await pageAs('editor');
  await open(page, '/', '.kpis');
  assert.equal(await page.$eval('h1', (h) => h.textContent), 'Overview');
  await page.waitForSelector('svg.barchart');
  assert.ok((await page.$$('table tbody tr')).length > 0, 'sites and reports are listed');
  await checkAxe(page, 'overview');
  await screenshot(page, 'sla-overview');

  await open(page, '/business-hours', 'table');
  await clickButton(page, 'New business hours');
  await page.waitForSelector('[role=dialog]');
  await fill(page, 'Name', 'E2E office');
  await fill(page, 'Time zone', 'Europe/Berlin');
  await checkAxe(page, 'business hours dialog');
  await clickButton(page, 'Create');
  await page.waitForFunction(() => [...document.querySelectorAll('td')].some((td) => td.textContent === 'E2E office'));
  const row = await page.evaluate(() => [...document.querySelectorAll('tr')].find((tr) => tr.textContent.includes('E2E office')).textContent);
  assert.match(row, /mon 09:00–17:00/);
  await checkAxe(page, 'business hours');

  await open(page, '/sla-schedules', 'table');
  await checkAxe(page, 'schedules');
  assertClean(page);
  await page.close();
});

test('a CSV import names every bad row and sends nothing until the file is clean', async () => {
  const page = await pageAs('editor');
  const sent = [];
  page.on('request', (req) => { if (new URL(req.url()).pathname === '/faults/bulk') sent.push(req.method()); });
  await open(page, '/faults', 'table');
  assert.equal((await page.$$('table tbody tr')).length, 100, await page.$eval('.content', (c) => c.textContent.slice(0, 600)));
  await clickButton(page, 'Show 100 more faults');
  await page.waitForFunction(() => document.querySelectorAll('table tbody tr').length > 100);
  const site = await page.evaluate(() => [...document.querySelectorAll('select option')].find((o) => o.value)?.textContent);
  const dir = mkdtempSync(join(tmpdir(), 'rapport-csv-'));
  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, `site,severity,created_at,resolved_at,cause\n"${site}",HIGH,2026-11-01T01:00:00Z,2026-11-01T02:00:00Z,"Cut, fiber"\nNowhere,HIGH,,,\n"${site}",SEVERE,2026-11-02T01:00:00Z,2026-11-01T01:00:00Z,\n`);
  await clickButton(page, 'Import CSV');
  await page.waitForSelector('#fault-csv');
  await (await page.$('#fault-csv')).uploadFile(bad);
  await page.waitForSelector('.csv-problems');
  const problems = await page.$$eval('.csv-problems li', (lis) => lis.map((li) => li.textContent));
  assert.equal(problems.length, 2, problems.join('\n'));
  assert.match(problems[0], /^Line 3: no site "Nowhere"/);
  assert.match(problems[1], /^Line 4: severity "SEVERE".*resolved_at is before created_at/);
  assert.equal(await page.$eval('[role=dialog] .button.primary', (b) => b.disabled), true);
  await checkAxe(page, 'csv problems');

  const good = join(dir, 'good.csv');
  writeFileSync(good, `resource_id,severity,created_at,resolved_at,cause\n"${site}",HIGH,2026-11-01T01:00:00Z,2026-11-01T02:00:00Z,"Cut, fiber"\n"${site}",low,2026-11-03T01:00:00Z,,\n`);
  await (await page.$('#fault-csv')).uploadFile(good);
  await page.waitForFunction(() => /2 faults ready/.test(document.querySelector('[role=dialog] [role=status]')?.textContent ?? ''));
  assert.deepEqual(sent, []);
  await clickButton(page, 'Import');
  await page.waitForFunction(() => document.querySelector('.notice')?.textContent === '2 faults imported.');
  assert.deepEqual(sent, ['POST']);
  assertClean(page);
  await page.close();
});

test('a viewer sees no write action on the SLA pages and the API refuses a viewer write', async () => {
  const page = await pageAs('viewer');
  const writes = ['New site', 'Edit', 'Delete', 'Record fault', 'Import CSV', 'Resolve / edit', 'New business hours', 'New schedule', 'Run now', 'Create schedule', 'Save changes'];
  for (const [path, ready] of [['/', '.kpis'], ['/sites', 'table'], ['/faults', 'table'], ['/business-hours', 'table'], ['/sla-schedules', 'table']]) {
    await open(page, path, ready);
    const shown = (await buttonTexts(page)).filter((t) => writes.includes(t));
    assert.deepEqual(shown, [], `${path} shows ${shown.join(', ')}`);
  }
  const schedule = await page.$eval('table tbody a', (a) => a.getAttribute('href'));
  await open(page, schedule.slice(1), '.preview-runs li, .preview [role=alert]');
  assert.deepEqual((await buttonTexts(page)).filter((t) => writes.includes(t)), []);
  assert.equal(await page.$eval('.schedule-fields', (f) => f.disabled), true);
  await checkAxe(page, 'schedule as viewer');
  const site = await page.evaluate(() => fetch('/sites?limit=1').then((r) => r.json()).then((b) => b.data[0].id));
  await open(page, `/sites/${site}`, '.timeline');
  assert.deepEqual((await buttonTexts(page)).filter((t) => writes.includes(t)), []);

  // The viewer's own session cookie and CSRF token: refused for the role, not for CSRF.
  const refused = await page.evaluate(async () => {
    const session = await fetch('/auth/session').then((r) => r.json());
    const r = await fetch('/sites', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrf_token },
      body: JSON.stringify({ name: 'Not allowed', timezone: 'UTC' }) });
    return { status: r.status, body: await r.json() };
  });
  assert.equal(refused.status, 403, JSON.stringify(refused.body));
  assert.doesNotMatch(refused.body.code, /csrf/);
  assertClean(page, [/status of 403/]);
  await page.close();
});

test('at 390 px the overview and the schedule editor fit the width', async () => {
  const page = await pageAs('editor', { size: { width: 390, height: 844 } });
  for (const [path, ready] of [['/', '.kpis'], ['/sla-schedules/new', '.schedule-fields'], ['/faults', 'table']]) {
    await open(page, path, ready);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${path} scrolls sideways by ${overflow}px`);
    await checkAxe(page, `${path} at 390px`);
  }
  assertClean(page);
  await page.close();
});
