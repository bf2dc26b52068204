// The settings page (admins): users (add with a generated password shown once, role, disable and
// enable, reset password, delete), API tokens (create shown once, use, revoke) and branding (name,
// accent with its live contrast check, logo upload), with a real sign-in; a viewer gets none.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { viewportShot } from './report-fixtures.mjs';
import { addUser, assertClean as assertCleanStrict, checkAxe, launchBrowser, newPage, screenshot, signIn, startServer, usersCliAvailable } from './harness.mjs';

const skip = !usersCliAvailable() && 'needs `rapport users` (branch accounts)';
const password = 'correct horse battery';
const expected = [/status of 401 .*\/auth\/session\]$/];
const assertClean = (page, allow = []) => assertCleanStrict(page, [...expected, ...allow]);
let server;
let browser;

before(async () => {
  if (skip) return;
  server = await startServer();
  addUser(server, { email: 'admin@example.com', password, role: 'admin' });
  addUser(server, { email: 'viewer@example.com', password, role: 'viewer' });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function signedIn(email, size) {
  const context = await browser.createBrowserContext();
  const page = await newPage(context, server.url, size);
  page.once('close', () => void context.close().catch(() => {}));
  await page.goto(`${server.url}/#/settings`, { waitUntil: 'networkidle0' });
  await signIn(page, email, password);
  await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Settings');
  return page;
}

const login = async (email, pass) =>
  (await fetch(`${server.url}/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password: pass }) })).status;

/** Clicks the button whose text is `label` inside `scope`. */
async function clickText(page, scope, label) {
  const handle = await page.waitForSelector(`::-p-xpath(//${scope}//button[normalize-space()="${label}"])`);
  await handle.click();
}

const rowOf = (page, email) => page.waitForSelector(`::-p-xpath(//section[@aria-labelledby="users-title"]//tr[td[1][normalize-space()="${email}"]])`);

test('users: add with a generated password shown once, change role, disable, enable, reset, delete', { skip }, async () => {
  const page = await signedIn('admin@example.com');
  await page.waitForSelector('section[aria-labelledby=users-title] table');
  const form = 'form[aria-label="Add a user"]';
  await page.type(`${form} input[type=email]`, 'new@example.com');
  await page.select(`${form} select`, 'editor');
  await page.click(`${form} button[type=submit]`);
  const generated = await page.waitForSelector('.secret-once input').then((i) => i.evaluate((e) => e.value));
  assert.ok(generated.length >= 12, generated);
  assert.equal(await login('new@example.com', generated), 200);
  await clickText(page, 'div[contains(@class,"secret-once")]', 'Done');

  let row = await rowOf(page, 'new@example.com');
  assert.equal(await row.$eval('select', (s) => s.value), 'editor');
  await row.$eval('select', (s) => { s.value = 'viewer'; s.dispatchEvent(new Event('change', { bubbles: true })); });
  await page.waitForFunction(() => [...document.querySelectorAll('tr')].some((tr) => tr.textContent.includes('new@example.com') && tr.querySelector('select')?.value === 'viewer'));

  await page.click('button[aria-label="Disable new@example.com"]');
  await page.waitForSelector('button[aria-label="Enable new@example.com"]');
  row = await rowOf(page, 'new@example.com');
  assert.match(await row.evaluate((tr) => tr.textContent), /disabled/);
  await checkAxe(page, 'settings');
  await screenshot(page, 'settings-full');
  await viewportShot(page, 'settings');
  await page.click('button[aria-label="Enable new@example.com"]');
  await page.waitForSelector('button[aria-label="Disable new@example.com"]');

  await page.click('button[aria-label="Reset the password of new@example.com"]');
  const reset = await page.waitForSelector('.secret-once input').then((i) => i.evaluate((e) => e.value));
  assert.notEqual(reset, generated);
  assert.equal(await login('new@example.com', reset), 200);

  await page.click('button[aria-label="Delete new@example.com"]');
  await page.waitForSelector('[role=dialog]');
  await checkAxe(page, 'delete dialog');
  await clickText(page, 'div[@role="dialog"]', 'Delete user');
  await page.waitForFunction(() => !document.querySelector('button[aria-label="Delete new@example.com"]'));
  assertClean(page);
  await page.close();
});

test('API tokens: create with scopes and TTL (shown once), it works, revoke', { skip }, async () => {
  const page = await signedIn('admin@example.com');
  const form = 'form[aria-label="Create an API token"]';
  await page.waitForSelector(form);
  await page.type(`${form} input:not([type=checkbox])`, 'CI export');
  await page.select(`${form} select`, '86400');
  await page.click(`${form} button[type=submit]`);
  const token = await page.waitForSelector('.secret-once input').then((i) => i.evaluate((e) => e.value));
  assert.match(token, /^rpt_[A-Za-z0-9_-]{43}$/);
  const me = async () => (await fetch(`${server.url}/v1/me`, { headers: { Authorization: `Bearer ${token}` } })).status;
  assert.equal(await me(), 200);
  await page.waitForSelector('button[aria-label="Revoke CI export"]');
  await page.click('button[aria-label="Revoke CI export"]');
  await clickText(page, 'div[@role="dialog"]', 'Revoke token');
  await page.waitForFunction(() => !document.querySelector('button[aria-label="Revoke CI export"]'));
  assert.equal(await me(), 401);
  assertClean(page);
  await page.close();
});

test('branding: the live contrast check, name, accent and logo saved', { skip }, async () => {
  const page = await signedIn('admin@example.com');
  const form = 'form[aria-label="Branding"]';
  await page.waitForSelector(form);
  const accent = await page.$$(`${form} input:not([type=color]):not([type=file])`).then((inputs) => inputs[1]);
  await accent.click({ clickCount: 3 });
  await accent.type('#777777');
  assert.match(await page.$eval('.contrast', (c) => c.textContent), /below WCAG AA/);
  assert.equal(await page.$eval(`${form} button[type=submit]`, (b) => b.disabled), true);
  await accent.click({ clickCount: 3 });
  await accent.type('#0f766e');
  assert.match(await page.$eval('.contrast', (c) => c.textContent), /passes WCAG AA/);
  await page.type(`${form} input`, 'Northwind Ops');
  const dir = mkdtempSync(join(tmpdir(), 'rapport-logo-'));
  const logo = join(dir, 'logo.svg');
  writeFileSync(logo, '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="32" viewBox="0 0 96 32"><rect width="96" height="32" rx="6" fill="#0f766e"/><circle cx="16" cy="16" r="9" fill="#ffffff"/></svg>');
  await page.$(`${form} input[type=file]`).then((i) => i.uploadFile(logo));
  await page.waitForFunction(() => document.querySelector('form[aria-label=Branding] .hint:last-of-type, form[aria-label=Branding]')?.textContent.includes('New logo: logo.svg'));
  await page.click(`${form} button[type=submit]`);
  await page.waitForSelector('.settings-section p.ok[role=status]');
  const saved = await (await fetch(`${server.url}/v1/white-label`, { headers: { Authorization: `Bearer ${server.token}` } })).json();
  assert.equal(saved.name, 'Northwind Ops');
  assert.equal(saved.accent_color.toLowerCase(), '#0f766e');
  assert.equal(saved.logo.content_type, 'image/svg+xml');
  await page.waitForSelector('img.logo-preview');
  await checkAxe(page, 'branding');
  assertClean(page);
  await page.close();
});

test('a viewer gets no settings, and the API refuses their writes', { skip }, async () => {
  const page = await signedIn('viewer@example.com');
  assert.equal(await page.$eval('.empty h2', (h) => h.textContent), 'Settings are for admins');
  assert.equal(await page.$('form'), null);
  const status = await page.evaluate(async () => {
    const session = await (await fetch('/auth/session')).json();
    const r = await fetch('/v1/users', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrf_token, 'Idempotency-Key': crypto.randomUUID() }, body: JSON.stringify({ email: 'x@example.com', role: 'admin' }) });
    return r.status;
  });
  assert.equal(status, 403);
  await checkAxe(page, 'settings as viewer');
  assertClean(page, [/status of 403/]);
  await page.close();
});
