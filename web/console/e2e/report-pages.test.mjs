// The report pages of both kinds, the PDF, the Reports list's filters, share links and the
// shared page, on demo data with a real sign-in (`rapport users add` + the sign-in form).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addUser, assertClean as assertCleanStrict, checkAxe, launchBrowser, newPage, screenshot, signIn, usersCliAvailable } from './harness.mjs';
import { brandReportId, call, northwind, slaReportId, startServerWithLlm, viewportShot } from './report-fixtures.mjs';

const skip = !usersCliAvailable() && 'needs `rapport users` (branch accounts)';
const password = 'correct horse battery';
let server;
let browser;
let sla;
let brand;

before(async () => {
  if (skip) return;
  server = await startServerWithLlm();
  assert.equal(server.cli(['demo']).status, 0, 'demo data');
  addUser(server, { email: 'admin@example.com', password, role: 'admin' });
  addUser(server, { email: 'viewer@example.com', password, role: 'viewer' });
  [sla, brand] = await Promise.all([slaReportId(server), brandReportId(server)]);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

// Expected noise: the session probe before signing in, and Chromium's PDF viewer (its own
// chrome:// and extension resources, which the harness keeps from loading).
const expected = [/status of 401 .*\/auth\/session\]$/, /request to another host: chrome(-extension)?:\/\//];
const assertClean = (page, allow = []) => assertCleanStrict(page, [...expected, ...allow]);

/** A page in a fresh browser context (its own cookies), signed in as `email`. */
async function signedIn(email = 'admin@example.com', size) {
  const context = await browser.createBrowserContext();
  const page = await newPage(context, server.url, size);
  page.once('close', () => void context.close().catch(() => {}));
  await page.goto(server.url + '/', { waitUntil: 'networkidle0' });
  await signIn(page, email, password);
  return page;
}

const text = (page, selector) => page.$eval(selector, (e) => e.textContent);
const sections = (page) => page.$$eval('.report-section h2', (hs) => hs.map((h) => h.textContent));

test('the SLA report page: KPIs, daily chart, groups, sortable sites, zone, the PDF', { skip }, async () => {
  const page = await signedIn();
  await page.goto(`${server.url}/#/reports/sla/${sla}`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('.kpis');
  assert.equal(await text(page, 'h1'), 'All sites, daily');
  assert.match(await text(page, '.report-meta'), /report zone Europe\/London/);
  assert.deepEqual(await sections(page), ['Daily uptime', 'Groups', 'Sites', 'Longest faults', 'PDF']);
  assert.equal(await page.$$eval('.daily-chart rect.day', (r) => r.length), 7);
  const uptimes = async () => page.$$eval('section[aria-label=Sites] tbody tr td:nth-child(3)', (tds) => tds.map((t) => parseFloat(t.textContent)));
  await page.click('section[aria-label=Sites] th:nth-child(3) button');
  const asc = await uptimes();
  assert.deepEqual(asc, [...asc].sort((a, b) => a - b));
  await checkAxe(page, 'SLA report');
  await screenshot(page, 'report-sla-full');
  await viewportShot(page, 'report-sla');

  const pdf = `/reports/sla/reports/${sla}/pdf`;
  assert.equal(await page.$eval('.pdf-actions a[download]', (a) => a.getAttribute('href')), pdf);
  await page.click('.pdf-actions button');
  const frame = await page.waitForSelector('iframe.pdf-frame');
  assert.equal(await frame.evaluate((f) => f.getAttribute('src')), `${pdf}?disposition=inline`);
  const head = await page.evaluate(async (u) => {
    const r = await fetch(u);
    return { disposition: r.headers.get('content-disposition'), magic: new TextDecoder().decode((await r.arrayBuffer()).slice(0, 5)) };
  }, `${pdf}?disposition=inline`);
  assert.equal(head.magic, '%PDF-');
  assert.match(head.disposition, /^inline;/);
  assertClean(page);
  await page.close();
});

test('the brand report page: visibility with intervals, platforms, share of voice, answers and sources', { skip }, async () => {
  const page = await signedIn();
  await page.goto(`${server.url}/#/reports/brand/${brand}`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('.kpis');
  assert.match(await text(page, 'h1'), /^Acme Analytics · /);
  assert.deepEqual(await sections(page), ['Visibility by platform', 'Share of voice', 'Accuracy', 'Trend', 'Prompts and answers', 'PDF']);
  assert.match(await text(page, '.kpi:first-child'), /95 % interval \d+\.\d–\d+\.\d %/);
  assert.ok((await page.$$('.interval-chart line.whisker')).length > 0, 'intervals drawn');
  assert.ok((await page.$$('.answer blockquote')).length > 0, 'answer excerpts');
  const sources = await page.$$eval('.sources a', (as) => as.map((a) => [a.href, a.rel]));
  assert.ok(sources.some(([h]) => h.startsWith('https://acme.example.com')), JSON.stringify(sources));
  assert.ok(sources.every(([, rel]) => rel.includes('noopener')));
  await checkAxe(page, 'brand report');
  await screenshot(page, 'report-brand-full');
  await viewportShot(page, 'report-brand');
  assertClean(page);
  await page.close();
});

test('at 390 px the report pages do not scroll sideways', { skip }, async () => {
  const page = await signedIn('admin@example.com', { width: 390, height: 844 });
  for (const path of [`/reports/sla/${sla}`, `/reports/brand/${brand}`]) {
    await page.goto(`${server.url}/#${path}`, { waitUntil: 'networkidle0' });
    await page.waitForSelector('.kpis');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${path} scrolls sideways by ${overflow}px`);
    await checkAxe(page, `${path} at 390 px`);
    await screenshot(page, `report-${path.split('/')[2]}-390`);
  }
  assertClean(page);
  await page.close();
});

test('the Reports list filters by kind, schedule and period', { skip }, async () => {
  const page = await signedIn();
  await page.goto(`${server.url}/#/reports`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('table');
  const rows = () => page.$$eval('table tbody tr', (trs) => trs.length);
  assert.equal(await rows(), 2);
  const schedule = await page.$$eval('.filters select', (ss) => [...ss[1].options].find((o) => o.text.includes('(SLA)')).value);
  await page.select('.filters .field:nth-child(2) select', schedule);
  assert.equal(await rows(), 1);
  assert.match(await page.$eval('table tbody a', (a) => a.getAttribute('href')), /^#\/reports\/sla\//);
  await page.select('.filters .field:nth-child(2) select', '');
  await page.type('.filters input[type=date]', '01012001');
  await page.type('.filters .field:nth-child(4) input', '12312001');
  await page.waitForSelector('.empty');
  assert.equal(await text(page, '.empty h2'), 'No reports match');
  await checkAxe(page, 'reports list, filtered');
  assertClean(page);
  await page.close();
});

test('an unknown report shows the API message', { skip }, async () => {
  const page = await signedIn();
  await page.goto(`${server.url}/#/reports/sla/rpt_000000000000000000000000000`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('[role=alert]');
  assert.match(await text(page, '[role=alert]'), /not found|No /i);
  assertClean(page, [/status of 404/]);
  await page.close();
});

test('share: create with an expiry, copy, open signed out, views counted, revoke', { skip }, async () => {
  const page = await signedIn();
  await page.goto(`${server.url}/#/reports/sla/${sla}`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('.page-actions button');
  await page.click('.page-actions button');
  await page.waitForSelector('[role=dialog] form[aria-label="Create a share link"]');
  await page.select('[role=dialog] select', '7');
  await page.click('[role=dialog] button[type=submit]');
  const url = await page.waitForSelector('#new-share-url').then((i) => i.evaluate((e) => e.value));
  assert.match(url, new RegExp(`^${server.url}/s/[A-Za-z0-9_-]{43}$`));
  await page.waitForSelector('[role=dialog] table');
  await checkAxe(page, 'share dialog');

  assert.equal((await call(server, 'PATCH', '/v1/white-label', northwind)).status, 200);
  const context = await browser.createBrowserContext();
  const visitor = await newPage(context, server.url);
  await visitor.goto(url, { waitUntil: 'networkidle0' });
  await visitor.waitForSelector('.kpis');
  assert.equal(await text(visitor, 'h1'), 'All sites, daily');
  assert.equal(await visitor.$('nav'), null, 'no console navigation');
  assert.equal(await visitor.$('form[aria-label="Sign in"]'), null);
  assert.ok(await visitor.$('iframe.pdf-frame'));
  await checkAxe(visitor, 'shared page');
  assert.equal(await text(visitor, '.shared-name'), 'Northwind Ops');
  assert.ok(await visitor.$('img.shared-logo'));
  await screenshot(visitor, 'shared-full');
  await viewportShot(visitor, 'shared');
  assertClean(visitor);

  const list = await call(server, 'GET', `/reports/sla/reports/${sla}/shares`);
  assert.equal(list.body.data[0].views, 1);
  await page.click('[role=dialog] button.danger');
  await page.waitForFunction(() => document.querySelector('[role=dialog] tbody .badge')?.textContent === 'revoked');
  await visitor.reload({ waitUntil: 'networkidle0' });
  await visitor.waitForSelector('.empty');
  assert.equal(await text(visitor, '.empty h2'), 'This link does not work');
  assertClean(visitor, [/status of 404/]);
  await context.close();
  assertClean(page);
  await page.close();
});

test('a brand report is shared through /v1 the same way', { skip }, async () => {
  const page = await signedIn();
  await page.goto(`${server.url}/#/reports/brand/${brand}`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('.page-actions button');
  await page.click('.page-actions button');
  await page.waitForSelector('[role=dialog] form[aria-label="Create a share link"]');
  await page.click('[role=dialog] button[type=submit]');
  const url = await page.waitForSelector('#new-share-url').then((i) => i.evaluate((e) => e.value));
  const shared = await (await fetch(`${server.url}/shared/${url.split('/').pop()}`)).json();
  assert.equal(shared.kind, 'brand');
  assert.equal(shared.report.id, brand);
  await page.waitForSelector('[role=dialog] table');
  assert.equal((await call(server, 'GET', `/v1/reports/${brand}/shares`)).body.data.length, 1);
  assertClean(page);
  await page.close();
});

test('a viewer sees no share action, and the API refuses a write', { skip }, async () => {
  const page = await signedIn('viewer@example.com');
  await page.goto(`${server.url}/#/reports/sla/${sla}`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('.kpis');
  assert.equal(await page.$('.page-actions button'), null);
  const status = await page.evaluate(async (path) => {
    const session = await (await fetch('/auth/session')).json();
    const r = await fetch(path, { method: 'DELETE', headers: { 'X-CSRF-Token': session.csrf_token } });
    return r.status;
  }, `/reports/sla/reports/${sla}`);
  assert.equal(status, 403);
  assertClean(page, [/status of 403/]);
  await page.close();
});
