// Property tests of the fault CSV importer (src/pages/sla/csv.ts), the console's parser of
// untrusted files: compiled here with TypeScript's transpiler, no browser needed. Seeded, so a
// failure repeats.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { sourceDir } from './harness.mjs';

const ts = createRequire(import.meta.url)(join(sourceDir, 'web', 'node_modules', 'typescript'));
const source = readFileSync(join(sourceDir, 'web', 'console', 'src', 'pages', 'sla', 'csv.ts'), 'utf8');
const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
const { parseCsv, faultsFromCsv } = await import(`data:text/javascript,${encodeURIComponent(js)}`);

function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}
const alphabet = ['a', 'Z', '0', ' ', ',', '"', '\n', '\r\n', 'é', '東', '=', ';'];
const field = (r) => Array.from({ length: Math.floor(r() * 8) }, () => alphabet[Math.floor(r() * alphabet.length)]).join('');
const quote = (f) => (/[",\r\n]/.test(f) || f === '' ? `"${f.replaceAll('"', '""')}"` : f);

test('parseCsv gives back every field of any quoted file (1,000 random files)', () => {
  const r = rng(20261205);
  for (let i = 0; i < 1000; i++) {
    const rows = Array.from({ length: 1 + Math.floor(r() * 5) }, () => Array.from({ length: 1 + Math.floor(r() * 5) }, () => field(r)))
      .filter((row) => row.some((c) => c.trim() !== ''));
    const text = rows.map((row) => row.map(quote).join(',')).join(r() < 0.5 ? '\n' : '\r\n');
    assert.deepEqual(parseCsv(text), rows, JSON.stringify(text));
  }
});

test('faultsFromCsv never throws on garbage and either accepts a row or names its line', () => {
  const r = rng(7);
  const sites = [{ id: 'site_a', name: 'Lisbon', tags: {}, timezone: 'UTC', created_at: '' }];
  for (let i = 0; i < 1000; i++) {
    const lines = Array.from({ length: 1 + Math.floor(r() * 6) }, () => field(r));
    const text = `site,severity,created_at\n${lines.join('\n')}`;
    const { faults, problems } = faultsFromCsv(text, sites, Date.parse('2026-12-05T00:00:00Z'));
    const rows = parseCsv(text).length - 1;
    assert.ok(rows < 1 || faults.length + problems.length === rows || problems.length === 1, JSON.stringify({ text, faults, problems }));
    for (const p of problems) assert.match(p, /^(Line \d+: |The file needs)/);
    for (const f of faults) assert.equal(f.resource_id, 'site_a');
  }
});

test('faultsFromCsv maps site names and ids, normalises severity and times, names each bad row', () => {
  const sites = [{ id: 'site_a', name: 'Lisbon', tags: {}, timezone: 'UTC', created_at: '' }];
  const now = Date.parse('2026-12-05T00:00:00Z');
  const ok = faultsFromCsv('site,severity,created_at,resolved_at,cause\nlisbon,high,2026-11-01T01:00:00+01:00,2026-11-01T02:00:00Z,"Cut, fiber"\nsite_a,LOW,,,\n', sites, now);
  assert.deepEqual(ok.problems, []);
  assert.deepEqual(ok.faults, [
    { resource_id: 'site_a', type: 'site', severity: 'HIGH', created_at: '2026-11-01T00:00:00.000Z', resolved_at: '2026-11-01T02:00:00.000Z', status: 'resolved', cause: 'Cut, fiber' },
    { resource_id: 'site_a', type: 'site', severity: 'LOW' },
  ]);
  const bad = faultsFromCsv('resource_id,severity,type,created_at\nsite_a,HIGH,Bad Type,\nsite_b,HIGH,site,\nsite_a,LOW,site,2027-01-01T00:00:00Z\n', sites, now);
  assert.deepEqual(bad.faults, []);
  assert.deepEqual(bad.problems, [
    'Line 2: type "Bad Type" must be 1-32 of a-z 0-9 _ -',
    'Line 3: no site "site_b"',
    'Line 4: created_at is in the future',
  ]);
  assert.deepEqual(faultsFromCsv('name,severity\nx,HIGH\n', sites, now).problems, ['Line 1: the header needs a resource_id (or site) column.']);
});
