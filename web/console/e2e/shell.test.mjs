// The signed-in shell and the Reports list on real demo data, before (and independent of) the
// session endpoints: the browser's /auth/session and /auth/logout are answered here, and the
// other requests carry a minted bearer token. Also /docs (Redoc) under its CSP.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertClean as assertCleanStrict, checkAxe, launchBrowser, newPage, screenshot, startServer } from './harness.mjs';

// GET /v1/white-label is another helper's; until it lands it answers 404 (the default look stays).
const pending = [/status of 404 .*\/v1\/white-label\]$/];
const assertClean = (page, allow = []) => assertCleanStrict(page, [...pending, ...allow]);

let server;
let browser;
before(async () => {
  server = await startServer();
  assert.equal(server.cli(['demo']).status, 0, 'demo data');
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const session = {
  user: { id: 'u1', email: 'viewer@example.com', role: 'admin', tenant: 'demo' },
  tenant: 'demo', role: 'admin', scopes: ['*'], csrf_token: 'csrf-1',
  idle_expires_at: '2099-01-01T00:00:00Z', expires_at: '2099-01-01T00:00:00Z',
};

/** A page whose session is this file's stand-in (see the header comment). */
async function sessionPage(size) {
  const page = await newPage(browser, server.url, size);
  page.removeAllListeners('request');
  let signedIn = true;
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.protocol === 'data:') return req.continue();  // Chromium's own icons (a date input's)
    if (url.origin !== server.url) {
      page.problems.push(`request to another host: ${req.url()}`);
      return req.abort();
    }
    if (url.pathname === '/auth/session') {
      return signedIn ? req.respond({ status: 200, contentType: 'application/json', body: JSON.stringify(session) })
        : req.respond({ status: 401, contentType: 'application/json', body: '{"type":"authentication_error","code":"unauthenticated","message":"Sign in","doc_url":"/docs/errors#unauthenticated"}' });
    }
    if (url.pathname === '/auth/logout') {
      assert.equal(req.headers()['x-csrf-token'], 'csrf-1');
      signedIn = false;
      return req.respond({ status: 204 });
    }
    return req.continue({ headers: { ...req.headers(), authorization: `Bearer ${server.token}` } });
  });
  return page;
}

test('the shell and the Reports list, on the demo data', async () => {
  const page = await sessionPage();
  await page.goto(server.url + '/#/reports', { waitUntil: 'networkidle0' });
  await page.waitForSelector('table');
  assert.equal(await page.$eval('h1', (h) => h.textContent), 'Reports');
  assert.equal(await page.$eval('nav a[aria-current=page]', (a) => a.textContent), 'Reports');
  const links = await page.$$eval('table tbody a', (as) => as.map((a) => a.getAttribute('href')));
  assert.ok(links.length > 0, 'the demo has reports');
  assert.ok(links.every((h) => /^#\/reports\/(sla|brand)\/[^/]+$/.test(h)), links.join(' '));
  await checkAxe(page, 'reports');
  await screenshot(page, 'reports');

  await page.click('th button.sort');
  assert.equal(await page.$eval('th[aria-sort]', (th) => th.getAttribute('aria-sort')), 'ascending');
  await page.click('th button.sort');
  assert.equal(await page.$eval('th[aria-sort]', (th) => th.getAttribute('aria-sort')), 'descending');

  await page.select('select', 'brand');
  await page.waitForFunction(() => [...document.querySelectorAll('table tbody a, .empty')].length > 0 &&
    [...document.querySelectorAll('table tbody a')].every((a) => a.getAttribute('href').startsWith('#/reports/brand/')));

  await page.goto(server.url + '/#/jobs', { waitUntil: 'networkidle0' });
  await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Jobs');
  await checkAxe(page, 'coming page');
  assertClean(page);
  await page.close();
});

test('at 390 px the navigation folds into a menu; sign out returns to sign-in', async () => {
  const page = await sessionPage({ width: 390, height: 844 });
  await page.goto(server.url + '/#/reports', { waitUntil: 'networkidle0' });
  await page.waitForSelector('table, .empty');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page scrolls sideways by ${overflow}px`);
  assert.equal(await page.$('nav.open'), null);
  await page.click('.nav-toggle');
  await page.click('nav.open a[href="#/settings"]');
  await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Settings');
  await checkAxe(page, 'settings at 390px');
  await screenshot(page, 'shell-390');
  await page.click('.user-menu > button');
  await page.click('#user-menu-list button');
  await page.waitForSelector('form[aria-label="Sign in"]');
  assertClean(page);
  await page.close();
});

/** A session page whose requests to `path` go out with `limit=0`: rapportd's real 400. */
async function pageWithBadLimit(path) {
  const page = await newPage(browser, server.url);
  page.removeAllListeners('request');
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.pathname === '/auth/session') return req.respond({ status: 200, contentType: 'application/json', body: JSON.stringify(session) });
    if (url.pathname === path) url.searchParams.set('limit', '0');
    return req.continue({ url: url.toString(), headers: { ...req.headers(), authorization: `Bearer ${server.token}` } });
  });
  return page;
}

test('an API error shows the API message, not a blank, in both dialects', async () => {
  for (const [path, kind] of [['/reports/sla/reports', 'sla'], ['/v1/brands', 'brand']]) {
    const page = await pageWithBadLimit(path);
    await page.goto(`${server.url}/#/reports`, { waitUntil: 'networkidle0' });
    await page.select('select', kind);
    await page.waitForFunction(() => /limit/i.test(document.querySelector('[role=alert]')?.textContent ?? ''));
    const text = await page.$eval('[role=alert]', (e) => e.textContent);
    assert.match(text, kind === 'sla' ? /\(parameter_invalid\)/ : /\(validation_error\)/, text);
    await page.click('[role=alert] button');
    await page.waitForSelector('[role=alert]');
    assertClean(page, [/status of 400/]);
    await page.close();
  }
});

test('/docs renders Redoc under its own CSP', async () => {
  const page = await newPage(browser, server.url);
  await page.goto(server.url + '/docs', { waitUntil: 'networkidle0' });
  await page.waitForSelector('#redoc h1, #redoc .api-info', { timeout: 30000 });
  // Redoc's attribution always asks for its logo from its CDN: the CSP blocks it (no request
  // leaves), and /docs has no favicon. Anything else (a blocked script or style) fails.
  assertClean(page, [/cdn\.redoc\.ly\/redoc\/logo-mini\.svg/, /status of 404 .*\/favicon\.ico\]$/]);
  await page.close();
});
