// The package's main entry (hand-written; scripts/build.sh generates the wasm-bindgen glue into tactful_glue.js
// and its types into tactful.d.ts, which describe this file). It exports what the glue exports (init, initSync,
// Engine) and adds the errors only JavaScript can see, so that nothing leaves the package without a `code` and a
// `path`:
//   NOT_INITIALIZED  a call before init() (or initSync()) has finished
//   FREED            a method called on an Engine after free()
//   LOAD_FAILED      the wasm could not be fetched, compiled or instantiated (the original error is its `cause`)
//   INVALID_INPUT    init() given nothing it can load from; Engine called without `new`; a method called on
//                    something that is not an Engine (path "this")
// and any error the glue throws without a code becomes INTERNAL (with the original as `cause`).
import initGlue, { initSync as initSyncGlue, Engine as GlueEngine } from './tactful_glue.js';
import { coded, loaders, notInitialized, tactfulError } from './errors.js';

let ready = false;
const load = loaders('tactful', initGlue, initSyncGlue, () => {
  ready = true;
});

/** Loads the ranking module's wasm (by default `tactful_bg.wasm` beside this file); resolves once it can be used. */
export default function init(moduleOrPath) {
  return load.init(moduleOrPath);
}

/** Loads the ranking module synchronously from its bytes or a compiled module. */
export function initSync(module) {
  return load.initSync(module);
}

// Each Engine's glue object, or null once freed. A WeakMap, so that an Engine dropped without free() is collected
// with its glue object (whose own finalizer frees the Rust side).
const engines = new WeakMap();

function glueOf(self, call) {
  if (self === null || (typeof self !== 'object' && typeof self !== 'function') || !engines.has(self)) {
    throw tactfulError('INVALID_INPUT', 'this',
      `Engine.${call} was called on something that is not an Engine (a method taken off its engine?)`);
  }
  const glue = engines.get(self);
  if (glue === null) {
    throw tactfulError('FREED', '', `Engine.${call} was called after free(): this engine is gone; make a new one`);
  }
  return glue;
}

/**
 * Indexes the catalog once; ranks and profiles one shopper per call. A constructor function rather than a class, so
 * that calling it without `new` is a coded error too (classes throw a bare TypeError there).
 */
export function Engine(catalog, options) {
  if (new.target === undefined) {
    throw tactfulError('INVALID_INPUT', '', 'Engine is a class: write new Engine(catalog, options)');
  }
  if (!ready) throw notInitialized('tactful', 'new Engine()');
  try {
    engines.set(this, new GlueEngine(catalog, options));
  } catch (e) {
    throw coded(e);
  }
}

function call(self, name, run) {
  const glue = glueOf(self, name);
  try {
    return run(glue);
  } catch (e) {
    throw coded(e);
  }
}

Object.defineProperties(Engine.prototype, {
  rank: {
    value: function rank(request) {
      return call(this, 'rank()', (glue) => glue.rank(request));
    },
    writable: true,
    configurable: true,
  },
  profile: {
    value: function profile(request) {
      return call(this, 'profile()', (glue) => glue.profile(request));
    },
    writable: true,
    configurable: true,
  },
  size: {
    get() {
      return call(this, 'size', (glue) => glue.size);
    },
    configurable: true,
  },
  // Releases the engine's memory. Calling it again (or disposing after it) does nothing.
  free: {
    value: function free() {
      const glue = engines.get(this);
      if (glue === undefined) glueOf(this, 'free()');
      if (!glue) return;
      engines.set(this, null);
      glue.free();
    },
    writable: true,
    configurable: true,
  },
});
if (typeof Symbol.dispose === 'symbol') {
  Object.defineProperty(Engine.prototype, Symbol.dispose, {
    value: Engine.prototype.free,
    writable: true,
    configurable: true,
  });
}
