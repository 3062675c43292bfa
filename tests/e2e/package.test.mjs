// The npm package as a newcomer gets it: `npm pack` of pkg/ holds every file package.json lists (licences
// included), publint and @arethetypeswrong/cli report nothing on the tarball, and installed from the tarball into a
// fresh folder, the Node example (examples/node/rank.mjs, shown verbatim in pkg/README.md) runs and a strict
// TypeScript consumer of all three entries compiles.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, copyFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = (name) => `${root}node_modules/.bin/${name}`;
const manifest = JSON.parse(readFileSync(`${root}pkg/package.json`, 'utf8'));
let dir;
let tarball;
let packed;

function run(cmd, args, cwd) {
  const out = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  assert.equal(out.status, 0, `${cmd} ${args.join(' ')} failed:\n${out.stdout}${out.stderr}`);
  return out;
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'tactful-pack-'));
  const out = run('npm', ['pack', '--json', '--pack-destination', dir, `${root}pkg`], root);
  [packed] = JSON.parse(out.stdout);
  tarball = join(dir, packed.filename);
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('the tarball holds every file package.json lists, the licences among them', () => {
  const names = packed.files.map((f) => f.path).sort();
  assert.deepEqual(names, [...manifest.files, 'package.json'].sort());
  for (const licence of ['LICENSE-MIT', 'LICENSE-APACHE']) {
    assert.equal(readFileSync(`${root}pkg/${licence}`, 'utf8'), readFileSync(`${root}${licence}`, 'utf8'));
  }
});

test('every exports target is in the tarball', () => {
  const names = new Set(packed.files.map((f) => f.path));
  const targets = JSON.stringify(manifest.exports).match(/"\.\/[^"]+\.[a-z.]+"/g).map((t) => t.slice(3, -1));
  for (const target of targets) assert.ok(names.has(target), `${target} is packed`);
});

test('publint reports nothing on the tarball', () => {
  const out = run(bin('publint'), ['run', tarball, '--strict', '--level', 'suggestion'], dir);
  assert.match(out.stdout, /All good!/, `publint:\n${out.stdout}${out.stderr}`);
});

test('@arethetypeswrong/cli reports nothing on the tarball (an ES-module-only package)', () => {
  // esm-only: the package has no CommonJS build (README "Install"), so the node10 and node16-from-CommonJS
  // resolutions are out of scope; the two .wasm subpaths are assets (for a bundler's `?url` import), not typed modules.
  const out = spawnSync(bin('attw'), [tarball, '--profile', 'esm-only', '--format', 'json',
    '--exclude-entrypoints', './tactful_bg.wasm', './tactful_message_bg.wasm'], { cwd: dir, encoding: 'utf8' });
  const { analysis } = JSON.parse(out.stdout);
  const inScope = analysis.problems.filter((p) => !['node10', 'node16-cjs'].includes(p.resolutionKind));
  assert.deepEqual(inScope, [], out.stdout);
  assert.ok(['.', './message', './storage.js'].every((e) => e in analysis.entrypoints), 'all three entries checked');
  assert.equal(out.status, 0, out.stdout + out.stderr);
});

test('installed from the tarball, the README Node example runs as written', () => {
  const example = readFileSync(`${root}examples/node/rank.mjs`, 'utf8');
  const readme = readFileSync(`${root}pkg/README.md`, 'utf8');
  const section = readme.slice(readme.indexOf('## Use it from Node'));
  const block = section.match(/```js\n([\s\S]*?)```/)[1];
  assert.equal(block, example.split('\n').filter((line) => !line.startsWith('//')).join('\n'),
    'pkg/README.md shows examples/node/rank.mjs (less its header comment)');
  const app = join(dir, 'node-app');
  run('mkdir', ['-p', app], dir);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'node-app', private: true, type: 'module' }));
  run('npm', ['install', '--no-audit', '--no-fund', '--offline', tarball], app);
  copyFileSync(`${root}examples/node/rank.mjs`, join(app, 'rank.mjs'));
  const out = run(process.execPath, ['rank.mjs'], app);
  const lines = out.stdout.trim().split('\n');
  // Milk, bought weekly and last a week ago, comes first and is due again; the owned kettle is held back.
  assert.match(lines[0], /^milk .*DUE_AGAIN/, out.stdout);
  assert.ok(lines.includes('(kettle held back: OWNED_DURABLE)'), out.stdout);
  assert.ok(!lines.some((line) => line.startsWith('kettle ')), out.stdout);
  assert.ok(lines.at(-1).split(',').includes('UNCONFIRMED_FACT'), `lint codes: ${lines.at(-1)}`);
  assert.ok(existsSync(join(app, 'node_modules/tactful/LICENSE-MIT')));
});

test('installed from the tarball, misuse through the package name is coded under Node', () => {
  const app = join(dir, 'errors-app');
  run('mkdir', ['-p', app], dir);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'errors-app', private: true, type: 'module' }));
  run('npm', ['install', '--no-audit', '--no-fund', '--offline', tarball], app);
  writeFileSync(join(app, 'errors.mjs'), `
import init, { Engine } from 'tactful';
import initMessage, { planSend } from 'tactful/message';
const seen = [];
const attempt = async (fn) => {
  try { await fn(); seen.push('no error'); } catch (e) { seen.push([e.constructor.name, e.code, e.path].join(' ')); }
};
await attempt(() => new Engine([]));
await attempt(() => planSend({}));
await attempt(() => init(42));
await attempt(() => init({ module_or_path: new Uint8Array(8) }));
await init();
await initMessage();
const engine = new Engine([{ id: 'a' }]);
await attempt(() => engine.rank('x'));
engine.free();
await attempt(() => engine.rank({ context: { now: 0 } }));
console.log(JSON.stringify(seen));
`);
  const seen = JSON.parse(run(process.execPath, ['errors.mjs'], app).stdout);
  assert.deepEqual(seen, ['Error NOT_INITIALIZED ', 'Error NOT_INITIALIZED ', 'Error INVALID_INPUT module_or_path',
    'Error LOAD_FAILED module_or_path', 'Error INVALID_INPUT ', 'Error FREED ']);
});

test('installed from the tarball, all three entries type-check under strict TypeScript (Node and bundler)', () => {
  const app = join(dir, 'ts-app');
  run('mkdir', ['-p', app], dir);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'ts-app', private: true, type: 'module' }));
  run('npm', ['install', '--no-audit', '--no-fund', '--offline', tarball], app);
  writeFileSync(join(app, 'consumer.ts'), `
import init, { Engine } from 'tactful';
import type { Product, TactfulError } from 'tactful';
import initMessage, { lintCopy } from 'tactful/message';
import { loadHistory, saveConsent } from 'tactful/storage.js';
await init();
const catalog: Product[] = [{ id: 'a', lifecycle: { kind: 'consumable', repurchaseDays: 7 } }];
const engine = new Engine(catalog);
await saveConsent();
const ranking = engine.rank({ history: await loadHistory(), context: { now: 0 } });
await initMessage();
const codes: string[] = lintCopy({ subject: 'x' }).map((issue) => issue.code);
const code: TactfulError['code'] = 'INVALID_INPUT';
console.log(ranking.mode, codes, code);
`);
  for (const resolution of [['nodenext', 'nodenext'], ['esnext', 'bundler']]) {
    run(bin('tsc'), ['--noEmit', '--strict', '--target', 'es2022', '--lib', 'esnext,dom', '--module', resolution[0],
      '--moduleResolution', resolution[1], '--skipLibCheck', 'false', 'consumer.ts'], app);
  }
});
