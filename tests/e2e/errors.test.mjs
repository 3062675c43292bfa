// No error leaves the package without a code: every misuse of the public entries (pkg/tactful.js,
// pkg/tactful_message.js and their Node entries) throws an `Error` (never a bare TypeError) with a `code` that
// TactfulError declares, a `message` and a `path` — before init(), after free(), with arguments of the wrong type,
// with bytes that are not a packed catalog, with a wasm that is not the module's. Each case runs in Node here; the
// installed-tarball tests (package.test.mjs, examples/) repeat the main ones through the package name and in Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const url = (file) => pathToFileURL(`${root}pkg/${file}`).href;
const wasm = readFileSync(`${root}pkg/tactful_bg.wasm`);
const messageWasm = readFileSync(`${root}pkg/tactful_message_bg.wasm`);
// The codes TactfulError declares (generated into src/types.d.ts from the Rust ErrorCode enum).
const declared = readFileSync(`${root}src/types.d.ts`, 'utf8')
  .match(/interface TactfulError[\s\S]*?code: ([^;]+);/)[1].match(/"([A-Z_]+)"/g).map((c) => c.slice(1, -1));

// A fresh instance of an entry (its own "initialised" state); the glue under it is shared, as in one page.
let fresh = 0;
const load = (file) => import(`${url(file)}?fresh=${++fresh}`);

/** Runs `fn` (sync or async) and checks what it throws: an Error, not a TypeError, with a declared code and a path. */
async function throwsCoded(fn, code, path) {
  let err;
  try {
    await fn();
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof Error, `throws an Error (got ${err})`);
  assert.ok(!(err instanceof TypeError), `not a bare TypeError: ${err.message}`);
  if (code !== undefined) assert.equal(err.code, code, err.message);
  assert.ok(declared.includes(err.code), `${err.code} is declared in TactfulError`);
  if (path !== undefined) assert.equal(err.path, path, err.message);
  assert.equal(typeof err.path, 'string');
  assert.ok(err.message.length > 10, 'a message that says something');
  return err;
}

test('TactfulError declares the codes the JavaScript entries and storage.js throw', () => {
  for (const code of ['INVALID_INPUT', 'LIMIT_EXCEEDED', 'UNSUPPORTED_VERSION', 'INTERNAL', 'NOT_INITIALIZED', 'FREED',
    'LOAD_FAILED', 'NO_CONSENT', 'STORAGE_FAILED']) {
    assert.ok(declared.includes(code), code);
  }
});

test('before init(), every call of the ranking entry is NOT_INITIALIZED', async () => {
  const { Engine } = await load('tactful.js');
  await throwsCoded(() => new Engine([]), 'NOT_INITIALIZED', '');
  await throwsCoded(() => new Engine([{ id: 'a' }], { policy: 'balanced' }), 'NOT_INITIALIZED', '');
});

test('before init(), every messaging function is NOT_INITIALIZED', async () => {
  const message = await load('tactful_message.js');
  for (const name of ['planSend', 'lintCopy', 'inHoldout', 'liftReport', 'checkSegments']) {
    const err = await throwsCoded(() => message[name]({}), 'NOT_INITIALIZED', '');
    assert.match(err.message, new RegExp(`${name}\\(\\).*init\\(\\)`));
  }
});

test('init() and initSync() refuse what they cannot load from, as INVALID_INPUT at module_or_path', async () => {
  const { default: init, initSync, Engine } = await load('tactful.js');
  // ({} and { module_or_path: undefined } are the default: the wasm beside the module.)
  for (const bad of [42, null, true, { module_or_path: 42 }, [1, 2], () => 1]) {
    await throwsCoded(() => init(bad), 'INVALID_INPUT', 'module_or_path');
  }
  for (const bad of [undefined, 'tactful_bg.wasm', 42, {}]) {
    await throwsCoded(() => initSync(bad), 'INVALID_INPUT', 'module_or_path');
  }
  // Still not initialised: a refused init() leaves nothing half-done.
  await throwsCoded(() => new Engine([]), 'NOT_INITIALIZED');
});

test('a wasm that will not load is LOAD_FAILED, with the original error as its cause', async () => {
  const { default: init, initSync, Engine } = await load('tactful.js');
  let err = await throwsCoded(() => init({ module_or_path: new Uint8Array([0, 1, 2, 3]) }), 'LOAD_FAILED',
    'module_or_path');
  assert.ok(err.cause instanceof WebAssembly.CompileError, `cause: ${err.cause}`);
  // The messaging module's wasm is a wasm, but not this module's: its imports do not match.
  err = await throwsCoded(() => initSync({ module: messageWasm }), 'LOAD_FAILED', 'module_or_path');
  assert.match(err.message, /same version of the package/);
  // A URL Node's fetch cannot read (the browser entry's init() fetches; the Node entry reads the file instead).
  err = await throwsCoded(() => init({ module_or_path: url('tactful_bg.wasm') }), 'LOAD_FAILED', 'module_or_path');
  assert.ok(err.cause instanceof Error);
  await throwsCoded(() => new Engine([]), 'NOT_INITIALIZED');
  // And the right bytes still load afterwards.
  await init({ module_or_path: wasm });
  assert.equal(new Engine([{ id: 'a' }]).size, 1);
});

test('after init(): arguments of the wrong type are coded, and the engine stays usable', async () => {
  const { default: init, Engine } = await load('tactful.js');
  await init({ module_or_path: wasm });
  await throwsCoded(() => Engine([]), 'INVALID_INPUT', '');
  await throwsCoded(() => new Engine(), 'INVALID_INPUT', 'catalog');
  await throwsCoded(() => new Engine(42), 'INVALID_INPUT', 'catalog');
  await throwsCoded(() => new Engine('milk'), 'INVALID_INPUT', 'catalog');
  await throwsCoded(() => new Engine({ id: 'a' }), 'INVALID_INPUT', 'catalog');
  await throwsCoded(() => new Engine([{ id: 'a' }], 'balanced'), 'INVALID_INPUT', 'options');
  await throwsCoded(() => new Engine([{ id: 'a' }], { policy: 'reckless' }), 'INVALID_INPUT', 'options.policy');
  await throwsCoded(() => new Engine([{ id: 1n }]), 'INVALID_INPUT', 'catalog[0].id');
  const engine = new Engine([{ id: 'a', title: 'A' }, { id: 'b', title: 'B' }]);
  const ok = { history: [], context: { now: 0 } };
  for (const bad of [undefined, null, 42, 'rank', [], () => 1, Symbol('x')]) {
    await throwsCoded(() => engine.rank(bad), 'INVALID_INPUT');
    await throwsCoded(() => engine.profile(bad), 'INVALID_INPUT');
  }
  await throwsCoded(() => engine.rank({ history: [{ productId: 'a', at: () => 0 }], context: { now: 0 } }),
    'INVALID_INPUT', 'history[0].at');
  await throwsCoded(() => engine.rank({ ...ok, context: { now: 0, k: Symbol('k') } }), 'INVALID_INPUT', 'context.k');
  assert.equal(engine.rank(ok).items.length, 2, 'the engine still ranks after every refused call');
  engine.free();
});

test('bytes that are not a packed catalog are coded, never a trap', async () => {
  const { default: init, Engine } = await load('tactful.js');
  await init({ module_or_path: wasm });
  for (const bytes of [new Uint8Array(0), new Uint8Array([1, 2, 3]), new TextEncoder().encode('[{"id":"a"}]'),
    new Uint8Array(wasm.subarray(0, 4096))]) {
    const err = await throwsCoded(() => new Engine(bytes));
    assert.ok(['INVALID_INPUT', 'UNSUPPORTED_VERSION'].includes(err.code), `${err.code}: ${err.message}`);
  }
  // An ArrayBuffer or a plain array of numbers is not the packed form (a Uint8Array is).
  await throwsCoded(() => new Engine(new ArrayBuffer(16)), 'INVALID_INPUT', 'catalog');
  await throwsCoded(() => new Engine([1, 2, 3]), 'INVALID_INPUT', 'catalog[0]');
  await throwsCoded(() => new Engine(new Uint8Array(8), { model: { version: 1 } }), 'INVALID_INPUT', 'options.model');
  assert.equal(new Engine([{ id: 'a' }]).size, 1, 'the module still works');
});

test('after free(), every method is FREED; free() again does nothing; a detached method is INVALID_INPUT', async () => {
  const { default: init, Engine } = await load('tactful.js');
  await init({ module_or_path: wasm });
  const engine = new Engine([{ id: 'a' }]);
  const request = { history: [], context: { now: 0 } };
  const { rank } = engine;
  await throwsCoded(() => rank(request), 'INVALID_INPUT', 'this');
  await throwsCoded(() => Engine.prototype.profile.call({}, request), 'INVALID_INPUT', 'this');
  await throwsCoded(() => Object.getOwnPropertyDescriptor(Engine.prototype, 'size').get.call(null), 'INVALID_INPUT',
    'this');
  assert.equal(engine.rank(request).items.length, 1);
  engine.free();
  await throwsCoded(() => engine.rank(request), 'FREED', '');
  await throwsCoded(() => engine.profile(request), 'FREED', '');
  await throwsCoded(() => engine.size, 'FREED', '');
  assert.doesNotThrow(() => engine.free(), 'a second free() is a no-op');
  if (typeof Symbol.dispose === 'symbol') assert.doesNotThrow(() => engine[Symbol.dispose]());
  const other = new Engine([{ id: 'b' }]);
  assert.equal(other.rank(request).items[0].productId, 'b', 'other engines are untouched');
  assert.ok(other instanceof Engine);
  other.free();
});

test('after init(), the messaging functions code every wrong argument', async () => {
  const message = await load('tactful_message.js');
  await message.default({ module_or_path: messageWasm });
  for (const name of ['planSend', 'lintCopy', 'inHoldout', 'liftReport', 'checkSegments']) {
    for (const bad of [undefined, 42, 'x', [], () => 1]) await throwsCoded(() => message[name](bad), 'INVALID_INPUT');
  }
  assert.equal(typeof message.inHoldout({ customerKey: 'c', salt: 's', share: 0.5 }), 'boolean');
});

test('the entries export exactly what the wasm-bindgen glue exports', async () => {
  for (const [entry, glue] of [['tactful.js', 'tactful_glue.js'], ['tactful_message.js', 'tactful_message_glue.js']]) {
    const names = Object.keys(await import(url(entry))).sort();
    assert.deepEqual(names, Object.keys(await import(url(glue))).sort(), entry);
  }
});

test('the Node entries: init() with no argument loads, and init() then works exactly as in the browser entry',
  async () => {
    const node = await load('tactful.node.js');
    await throwsCoded(() => new node.Engine([]), 'NOT_INITIALIZED');
    await throwsCoded(() => node.default(42), 'INVALID_INPUT', 'module_or_path');
    await node.default();
    const engine = new node.Engine([{ id: 'a' }]);
    engine.free();
    await throwsCoded(() => engine.rank({ context: { now: 0 } }), 'FREED');
    const message = await load('tactful_message.node.js');
    await throwsCoded(() => message.lintCopy({ subject: 'x' }), 'NOT_INITIALIZED');
    await message.default();
    assert.deepEqual(message.lintCopy({ subject: 'Hello' }), []);
  });

test('storage.js under Node (no IndexedDB): coded, and arguments are checked first', async () => {
  const storage = await import(url('storage.js'));
  await throwsCoded(() => storage.loadHistory(), 'STORAGE_FAILED', '');
  await throwsCoded(() => storage.erase(), 'STORAGE_FAILED', '');
  await throwsCoded(() => storage.saveHistory('milk'), 'INVALID_INPUT', 'events');
  await throwsCoded(() => storage.savePreferences([]), 'INVALID_INPUT', 'prefs');
  await throwsCoded(() => storage.saveConsent(null), 'INVALID_INPUT', 'options');
  await throwsCoded(() => storage.saveConsent({ at: 'now' }), 'INVALID_INPUT', 'options.at');
  await throwsCoded(() => storage.openStore({ name: 42 }), 'INVALID_INPUT', 'options.name');
});
