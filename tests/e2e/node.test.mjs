// Node scripts as a Node user writes them, run from the packed tarball: the messaging helpers
// (examples/node/message.mjs) and the native tool's outputs (examples/node/cli-outputs.mjs) — the catalog, request
// and model JSON `tactful` writes type-check as the package's `Product[]`, `RankRequest` and `Model` under strict
// TypeScript, and an engine from the JSON ranks exactly as one from the bytes `tactful pack` writes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tactful = join(process.env.CARGO_TARGET_DIR ?? `${root}target`, 'debug', 'tactful');
let dir;
let app;

function run(cmd, args, cwd = app) {
  const out = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  assert.equal(out.status, 0, `${cmd} ${args.join(' ')} failed:\n${out.stdout}${out.stderr}`);
  return out.stdout;
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'tactful-node-'));
  const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', dir, `${root}pkg`], root));
  app = join(dir, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'node-app', private: true, type: 'module' }));
  run('npm', ['install', '--no-audit', '--no-fund', '--offline', join(dir, packed.filename)]);
  for (const script of ['message.mjs', 'cli-outputs.mjs']) {
    copyFileSync(`${root}examples/node/${script}`, join(app, script));
  }
  // The native tool (already built by the native test group; a no-op then).
  run('cargo', ['build', '--quiet', '--features', 'cli', '--bin', 'tactful'], root);
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('examples/node/message.mjs: the messaging helpers from the installed package', () => {
  const out = JSON.parse(run(process.execPath, ['message.mjs']));
  // The shopper reads at 19:00 UTC; yesterday's 09:00 email leaves today open under maxPerWeek 3.
  assert.equal(out.suppressed, null, JSON.stringify(out));
  assert.equal(out.sendAt, '2026-05-11T19:00:00.000Z');
  assert.ok(out.planReasons.length >= 1);
  // FNAME is confirmed, so only "Cheap" next to the name is flagged.
  assert.deepEqual(out.lint, ['PERSONAL_NEAR_PRICE']);
  assert.ok(out.heldOut > 60 && out.heldOut < 140, `about 10 % of 1,000 held out: ${out.heldOut}`);
  const [difference, low, high] = out.lift;
  assert.ok(Math.abs(difference - 0.05) < 1e-9 && low < difference && difference < high, String(out.lift));
});

test("the native tool's JSON type-checks as the package's types, and ranks as its packed bytes do", () => {
  const out = join(dir, 'case');
  run(tactful, ['bench-case', '--out', out, '--products', '60', '--dim', '4', '--history', '20', '--k', '8']);
  const orders = readFileSync(`${root}data/online-retail/sample.csv`, 'utf8').split('\n').slice(0, 400).join('\n');
  writeFileSync(join(dir, 'orders.csv'), `${orders}\n`);
  run(tactful, ['model', 'build', '--orders', join(dir, 'orders.csv'), '--out', join(out, 'orders-model.json'),
    '--dim', '4', '--min-customers', '1']);
  run(tactful, ['pack', '--catalog', join(out, 'catalog.json'), '--model', join(out, 'model.json'), '--out',
    join(out, 'shop.bin')]);
  const json = (file) => readFileSync(join(out, file), 'utf8');
  const check = (name, body) => {
    writeFileSync(join(app, name), `import type { Model, Product, RankRequest } from 'tactful';\n${body}\n`);
    return spawnSync(`${root}node_modules/.bin/tsc`, ['--noEmit', '--strict', '--target', 'es2022', '--module',
      'nodenext', '--moduleResolution', 'nodenext', '--skipLibCheck', 'false', name], { cwd: app, encoding: 'utf8' });
  };
  const typed = check('outputs.ts', [
    `export const catalog: Product[] = ${json('catalog.json')};`,
    `export const request: RankRequest = ${json('request.json')};`,
    `export const model: Model = ${json('model.json')};`,
    `export const built: Model = ${json('orders-model.json')};`,
  ].join('\n'));
  assert.equal(typed.status, 0, `tsc:\n${typed.stdout}${typed.stderr}`);
  // The check can fail: a model whose popularity is not [id, number] pairs is refused.
  const wrong = check('wrong.ts', `export const model: Model = ${json('model.json').replace(/0\.\d+\]/, '"0.5"]')};`);
  assert.notEqual(wrong.status, 0, 'a mistyped model does not type-check');

  const lines = run(process.execPath, ['cli-outputs.mjs', ...['catalog.json', 'model.json', 'shop.bin', 'request.json']
    .map((f) => join(out, f))]).trim().split('\n').map((line) => JSON.parse(line));
  assert.equal(lines.length, 2);
  assert.equal(lines[0].size, 60);
  assert.equal(lines[0].items.length, 8);
  assert.deepEqual(lines[1], lines[0], 'the packed bytes rank as the JSON does');
});
