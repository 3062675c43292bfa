// The TypeScript types generated from the Rust side (pkg/tactful.d.ts) type-check a page's use of the API, and refuse
// the mistakes they should (tests/types/example.ts holds both).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
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
