// The Worker side of pkg/worker.js: one Engine in a dedicated module Worker. It receives the compiled wasm module and
// the catalog (packed bytes, transferred, or Product objects) from the page, and answers id-tagged calls. It never
// fetches anything itself: the demo server sends this script with `connect-src 'none'` (docs/performance.md), so the
// code holding the shopper's history has no way to send it anywhere.
//
// Messages in:  { id, op: 'load', module, catalog, options } | { id, op: 'rank' | 'profile', request } | { id, op: 'size' }
// Messages out: { id, ok: true, value } | { id, ok: false, error: { name, message, code, path }, trapped }
// `trapped` is true when the call ended in a WebAssembly trap (RuntimeError): the instance is no longer trusted and
// the page side replaces this Worker.
import { Engine, initSync } from './tactful.js';

let engine = null;

function errorOf(e) {
  return {
    name: e?.name ?? 'Error',
    message: String(e?.message ?? e),
    code: e?.code,
    path: e?.path,
  };
}

function call(msg) {
  switch (msg.op) {
    case 'load':
      initSync({ module: msg.module });
      engine?.free();
      engine = new Engine(msg.catalog, msg.options ?? undefined);
      return engine.size;
    case 'rank':
      return engine.rank(msg.request);
    case 'profile':
      return engine.profile(msg.request);
    case 'size':
      return engine.size;
    default:
      throw new Error(`unknown operation ${msg.op}`);
  }
}

self.onmessage = (event) => {
  const msg = event.data;
  try {
    if (msg.op !== 'load' && !engine) throw new Error('no catalog loaded');
    self.postMessage({ id: msg.id, ok: true, value: call(msg) });
  } catch (e) {
    const trapped = e instanceof WebAssembly.RuntimeError;
    if (trapped) engine = null;
    self.postMessage({ id: msg.id, ok: false, error: errorOf(e), trapped });
  }
};
