// The Worker side of pkg/worker.js: one Engine in a dedicated module Worker. It receives the compiled wasm module and
// the catalog (packed bytes, transferred, or Product objects) from the page, and answers id-tagged calls. It never
// fetches anything itself: the demo server sends this script with `connect-src 'none'` (docs/performance.md), so the
// code holding the shopper's history has no way to send it anywhere. With `historyFrom` / `preferencesFrom` set to
// 'indexeddb', it reads the shopper's history (and preferences) from the page origin's IndexedDB itself, through
// storage.js's readShopper() (the same database the pages write), so the page never hands them over for ranking.
//
// Messages in:  { id, op: 'init', module } (instantiate early, while the page still fetches the catalog)
//             | { id, op: 'load', module, catalog, options, storeName }   (catalog and options.model may be
//               { json: bytes }: a JSON file's bytes, transferred, parsed here)
//             | { id, op: 'rank' | 'profile', request, from: { history, preferences } } | { id, op: 'size' }
// Messages out: { id, ok: true, value } | { id, ok: false, error: { name, message, code, path }, trapped }
// `trapped` is true when the call ended in a WebAssembly trap (RuntimeError): the instance is no longer trusted and
// the page side replaces this Worker.
import { Engine, initSync } from './tactful.js';
import { withStored } from './storage.js';

let engine = null;
let storeName; // the IndexedDB database `from` reads (undefined: storage.js's default, "tactful")

function errorOf(e) {
  return {
    name: e?.name ?? 'Error',
    message: String(e?.message ?? e),
    code: e?.code,
    path: e?.path,
  };
}

// `{ json: bytes }` (a JSON file the page fetched and transferred) parsed here; anything else as it is.
function parsed(value, path) {
  if (value === null || typeof value !== 'object' || !(value.json instanceof Uint8Array)) return value;
  try {
    return JSON.parse(new TextDecoder().decode(value.json));
  } catch (e) {
    const err = new Error(`${path}: not JSON (${e.message})`);
    err.code = 'INVALID_INPUT';
    err.path = path;
    throw err;
  }
}

function engineOptions(options) {
  if (!options || options.model === undefined) return options ?? undefined;
  return { ...options, model: parsed(options.model, 'options.model') };
}

// The engine, looked up after the storage read (the instance may have changed while it was awaited).
function loaded() {
  if (!engine) throw new Error('no catalog loaded');
  return engine;
}

async function call(msg) {
  switch (msg.op) {
    case 'init':
      initSync({ module: msg.module });
      return true;
    case 'load':
      initSync({ module: msg.module }); // once per Worker: a second call finds the instance and returns it
      engine?.free();
      engine = null; // a catalog that fails to load leaves no freed engine behind
      storeName = msg.storeName;
      engine = new Engine(parsed(msg.catalog, 'catalog'), engineOptions(msg.options));
      return engine.size;
    case 'rank':
      return loaded().rank(await withStored(msg.request, { ...msg.from, name: storeName }));
    case 'profile':
      return loaded().profile(await withStored(msg.request, { ...msg.from, name: storeName }));
    case 'size':
      return engine.size;
    default:
      throw new Error(`unknown operation ${msg.op}`);
  }
}

self.onmessage = async (event) => {
  const msg = event.data;
  try {
    if (msg.op !== 'load' && msg.op !== 'init' && !engine) throw new Error('no catalog loaded');
    self.postMessage({ id: msg.id, ok: true, value: await call(msg) });
  } catch (e) {
    const trapped = e instanceof WebAssembly.RuntimeError;
    if (trapped) engine = null;
    self.postMessage({ id: msg.id, ok: false, error: errorOf(e), trapped });
  }
};
