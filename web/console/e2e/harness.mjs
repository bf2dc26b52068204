// The console's browser-test harness: a rapportd of its own (SQLite in a temp dir, a free port,
// an HS256 secret), Debian's Chromium through puppeteer-core, and the helpers every page test
// uses. Each page fails its test on a console error, a CSP violation or a request to another host.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';

const here = dirname(fileURLToPath(import.meta.url));
export const sourceDir = process.env.RAPPORT_SOURCE_DIR ?? join(here, '..', '..', '..');
const binDir = join(sourceDir, 'build', 'bin');
export const rapportdPath = process.env.RAPPORTD ?? join(binDir, 'rapportd');
export const cliPath = process.env.RAPPORT_CLI ?? join(binDir, 'rapport');

/** Starts rapportd on 127.0.0.1:0 with a fresh data dir; `stop()` ends it and removes the dir. */
export async function startServer(extraEnv = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'rapport-console-'));
  const secret = randomBytes(32).toString('hex');
  const env = { ...process.env, RAPPORT_AUTH_HS256_SECRET: secret, RAPPORT_LOG_REQUESTS: 'false', ...extraEnv };
  const child = spawn(rapportdPath, ['--listen', '127.0.0.1:0', '--data-dir', dataDir], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const addrFile = join(dataDir, 'rapportd.addr');
  for (let i = 0; i < 200 && !(existsSync(addrFile) && readFileSync(addrFile, 'utf8').trim()); i++) {
    if (child.exitCode !== null) throw new Error(`rapportd exited: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const url = `http://${readFileSync(addrFile, 'utf8').trim()}`;
  const cliEnv = { ...env, RAPPORT_URL: url, RAPPORT_DATA_DIR: dataDir };
  /** Runs the rapport CLI against this server; returns {status, stdout, stderr}. */
  const cli = (args, input) => spawnSync(cliPath, args, { env: cliEnv, input, encoding: 'utf8', timeout: 30000 });
  const token = cli(['token', 'mint', '--tenant', 'demo', '--scope', '*', '--ttl', '1h']).stdout.trim();
  cliEnv.RAPPORT_TOKEN = token;
  return {
    url, dataDir, token, cli,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** True when the `rapport users` command exists (another helper builds it). */
export function usersCliAvailable() {
  // CLI11 answers --help of an unknown command with the main help (exit 0): look for the option.
  const r = spawnSync(cliPath, ['users', 'add', '--help'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('--role');
}

/** Creates a console user with the CLI (password on stdin). */
export function addUser(server, { email, password, tenant = 'demo', role = 'admin' }) {
  const r = server.cli(['users', 'add', email, '--tenant', tenant, '--role', role], `${password}\n`);
  if (r.status !== 0) throw new Error(`rapport users add failed: ${r.stderr}${r.stdout}`);
}

/** Launches headless Chromium with a fresh profile. */
export async function launchBrowser() {
  const profile = mkdtempSync(join(tmpdir(), 'rapport-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', `--user-data-dir=${profile}`],
  });
  const close = browser.close.bind(browser);
  browser.close = async () => {
    await close();
    rmSync(profile, { recursive: true, force: true });
  };
  return browser;
}

/** A new page that records every problem (console errors, CSP violations, page errors, requests
 *  to another origin than `origin`) in page.problems; assertClean(page) fails on any. */
export async function newPage(browser, origin, { width = 1280, height = 900 } = {}) {
  const page = await browser.newPage();
  await page.setViewport({ width, height });
  page.problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error') page.problems.push(`console error: ${m.text()} [${m.location()?.url ?? ''}]`);
  });
  page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
  await page.setRequestInterception(true);
  page.on('request', (req) => {
    const u = req.url();
    if (u.startsWith('data:') || u.startsWith('blob:') || u.startsWith(`${origin}/`) || u === origin) return req.continue();
    page.problems.push(`request to another host: ${u}`);
    return req.abort();
  });
  await page.evaluateOnNewDocument(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  return page;
}

/** Fails (throws) when the page recorded a problem; `allow` filters expected ones (regexes). */
export function assertClean(page, allow = []) {
  const problems = page.problems.filter((p) => !allow.some((re) => re.test(p)));
  if (problems.length) throw new Error(`browser problems:\n  ${problems.join('\n  ')}`);
}

/** Signs in through the form and waits for the shell's navigation. */
export async function signIn(page, email, password) {
  await page.waitForSelector('form[aria-label="Sign in"]');
  await page.type('input[type=email]', email);
  await page.type('input[type=password]', password);
  await page.click('button[type=submit]');
  await page.waitForSelector('nav[aria-label="Main"]', { timeout: 15000 });
}

/** Runs axe-core (WCAG 2.0 A/AA, 2.1 AA) on the page; throws on serious or critical violations. */
export async function checkAxe(page, label = page.url()) {
  const source = readFileSync(join(sourceDir, 'web', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  // Injected through the DevTools protocol (not a <script>): the page's CSP stays as it is.
  await page.evaluate(source);
  const result = await page.evaluate(() =>
    globalThis.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] } }));
  if (process.env.RAPPORT_AXE_LOG) {  // one JSON line per check, for the closing figures
    const impacts = {};
    for (const v of result.violations) impacts[v.impact] = (impacts[v.impact] ?? 0) + v.nodes.length;
    appendFileSync(process.env.RAPPORT_AXE_LOG, JSON.stringify({ label, passes: result.passes.length,
      violations: result.violations.map((v) => `${v.id}:${v.impact}`), impacts }) + '\n');
  }
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length) {
    const text = bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    throw new Error(`axe on ${label}:\n  ${text.join('\n  ')}`);
  }
}

let shotDir = null;
/** Saves a PNG named `name`: into docs/console/ when RAPPORT_SCREENSHOTS=1, else a temp dir. */
export async function screenshot(page, name) {
  if (!shotDir) {
    shotDir = process.env.RAPPORT_SCREENSHOTS === '1' ? join(sourceDir, 'docs', 'console') : mkdtempSync(join(tmpdir(), 'rapport-shots-'));
    mkdirSync(shotDir, { recursive: true });
  }
  const path = join(shotDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
