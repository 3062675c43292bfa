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
    const plain = () => new GlueEngine(catalog, options);
    engines.set(this, Array.isArray(catalog) && catalog.length <= 200_000
      ? withEncoded([catalog, options], (e) => GlueEngine.fromEncoded(...e), plain, -1)
      : plain());
  } catch (e) {
    throw coded(e);
  }
}

// ---- the request handed over in four flat buffers (src/read/encoded.rs) ------------------------------------------
// The engine's own reader walks a JS value with one call into JS per value, key and string (about 60,000 calls for a
// 1,000-event history: a third of `rank` without a model, in Chromium). Here the same walk runs in JavaScript and
// hands over four buffers in one call. It mirrors the engine's walk (src/wasm.rs, `to_value`) exactly: numbers,
// strings, booleans, null and undefined (null), a Date (its time value), arrays (holes are null), other objects by
// Object.keys. Anything that walk treats specially is not encoded: `encode` returns null and the caller passes the
// value itself, so the engine's own walk gives its exact error and path (a function, symbol or BigInt; nesting past
// 16 levels; a getter that throws; a string with a surrogate code unit, whose UTF-16 and UTF-8 cuts could differ;
// a list over its limit, refused before anything is read).
const MAX_DEPTH = 16; // src/wasm.rs MAX_DEPTH
const SURROGATE = /[\uD800-\uDFFF]/;
const TAG = { null: 0, false: 1, true: 2, num: 3, str: 4, arr: 5, obj: 6 };

function encode(root, depth = 0) {
  const tags = [];
  const lens = [];
  const nums = [];
  const strs = [];
  const walk = (v, depth) => {
    if (depth > MAX_DEPTH) return false;
    switch (typeof v) {
      case 'number':
        tags.push(TAG.num);
        nums.push(v);
        return true;
      case 'string':
        if (SURROGATE.test(v)) return false;
        tags.push(TAG.str);
        lens.push(v.length);
        strs.push(v);
        return true;
      case 'boolean':
        tags.push(v ? TAG.true : TAG.false);
        return true;
      case 'undefined':
        tags.push(TAG.null);
        return true;
      case 'object': {
        if (v === null) {
          tags.push(TAG.null);
          return true;
        }
        if (v instanceof Date) {
          tags.push(TAG.num);
          nums.push(v.getTime());
          return true;
        }
        if (Array.isArray(v)) {
          const n = v.length;
          tags.push(TAG.arr);
          lens.push(n);
          for (let i = 0; i < n; i++) if (!walk(v[i], depth + 1)) return false;
          return true;
        }
        const keys = Object.keys(v);
        tags.push(TAG.obj);
        lens.push(keys.length);
        for (const k of keys) {
          if (SURROGATE.test(k)) return false;
          lens.push(k.length);
          strs.push(k);
          if (!walk(v[k], depth + 1)) return false;
        }
        return true;
      }
      default: // function, symbol, bigint
        return false;
    }
  };
  try {
    if (!walk(root, depth)) return null;
  } catch {
    return null; // a throwing getter or proxy trap: the engine's walk reads it as null
  }
  return [Uint8Array.from(tags), Uint32Array.from(lens), Float64Array.from(nums), strs.join('')];
}

// The lists the engine refuses by length before reading anything (src/read/limits.rs): over them, the engine's own
// path gives the error without this walk.
const overLimit = (obj, key, max) => {
  if (obj === null || typeof obj !== 'object') return false;
  const v = obj[key];
  return Array.isArray(v) && v.length > max;
};
const requestTooLong = (r) => overLimit(r, 'history', 50_000) || overLimit(r, 'impressions', 50_000);

/** `encoded(buffers)` when `value` encodes, else `plain()`. `depth`: where `value` sits (-1 for the constructor's
 * `[catalog, options]`, whose parts the engine's walk reads from level 0). */
function withEncoded(value, encoded, plain, depth = 0) {
  const e = encode(value, depth);
  return e === null ? plain() : encoded(e);
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
      return call(this, 'rank()', (glue) => requestTooLong(request)
        ? glue.rank(request)
        : withEncoded(request, (e) => glue.rankEncoded(...e), () => glue.rank(request)));
    },
    writable: true,
    configurable: true,
  },
  profile: {
    value: function profile(request) {
      return call(this, 'profile()', (glue) => requestTooLong(request)
        ? glue.profile(request)
        : withEncoded(request, (e) => glue.profileEncoded(...e), () => glue.profile(request)));
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
