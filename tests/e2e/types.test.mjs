// The TypeScript types generated from the Rust side (pkg/tactful.d.ts) type-check a page's use of the API, and refuse
// the mistakes they should (tests/types/example.ts holds both).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

test('the example type-checks against pkg/tactful.d.ts', () => {
  const tsc = spawnSync(
    `${root}node_modules/.bin/tsc`,
    ['--noEmit', '--strict', '--target', 'es2022', '--lib', 'esnext,dom', '--module', 'esnext', '--moduleResolution', 'bundler',
      '--skipLibCheck', 'false', 'tests/types/example.ts'],
    { cwd: root, encoding: 'utf8' },
  );
  assert.equal(tsc.status, 0, `tsc failed:\n${tsc.stdout}${tsc.stderr}`);
});

test('every knob of Policy, Context, SendPolicy and LintPolicy carries a doc comment (what an editor shows on hover)',
  () => {
  const dts = readFileSync(`${root}src/types.d.ts`, 'utf8');
  const least = { Policy: 27, Context: 9, SendPolicy: 13, LintPolicy: 5 };
  for (const type of Object.keys(least)) {
    const start = dts.indexOf(`export type ${type} = {`);
    const block = dts.slice(start, dts.indexOf('};', start)).replace(/\/\*\*[\s\S]*?\*\//g, '@DOC@');
    const fields = [...block.matchAll(/(@DOC@\s*)?\b([a-zA-Z]+)\??: /g)];
    assert.ok(fields.length >= least[type], `${type}: ${fields.length} fields`);
    const bare = fields.filter((m) => !m[1]).map((m) => m[2]);
    assert.deepEqual(bare, [], `${type} fields without a doc comment`);
  }
});
