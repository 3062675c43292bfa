// README examples are tests: the "Use it in a page" block of README.md runs against the built package (pkg/), with
// only its loading adapted to Node (import path, wasm bytes instead of a fetch). Its console.assert calls must hold.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

function block(markdown, heading) {
  const section = markdown.slice(markdown.indexOf(heading));
  const match = section.match(/```js\n([\s\S]*?)```/);
  assert.ok(match, `a js block under ${heading}`);
  return match[1];
}

test('the README page example runs and its assertions hold', async () => {
  const code = block(readFileSync(`${root}README.md`, 'utf8'), '## Use it in a page');
  const pkg = pathToFileURL(`${root}pkg/tactful.js`).href;
  const wasm = `${root}pkg/tactful_bg.wasm`;
  assert.match(code, /from '\.\/pkg\/tactful\.js'/);
  assert.match(code, /await init\(\);/);
  const adapted = code
    .replace("from './pkg/tactful.js'", `from '${pkg}'`)
    .replace('await init();', `await init({ module_or_path: (await import('node:fs')).readFileSync(${JSON.stringify(wasm)}) });`);
  const failures = [];
  const logs = [];
  const { assert: origAssert, log: origLog } = console;
  console.assert = (ok, ...msg) => ok || failures.push(msg.join(' '));
  console.log = (...args) => logs.push(args);
  try {
    await import(`data:text/javascript;base64,${Buffer.from(adapted).toString('base64')}`);
  } finally {
    console.assert = origAssert;
    console.log = origLog;
  }
  assert.deepEqual(failures, []);
  assert.equal(logs.length, 1, 'the example logs its ranking');
  const [mode, lines] = logs[0];
  assert.ok(['personal', 'blended', 'default'].includes(mode));
  assert.equal(lines.length, 5);
});
