// The package's coded errors on the JavaScript side (hand-written; used by tactful.js and tactful_message.js). The
// engine's own errors (INVALID_INPUT, LIMIT_EXCEEDED, UNSUPPORTED_VERSION, INTERNAL) are made in Rust; these are the
// ones only the JavaScript entry can see: a call before init(), a method on a freed Engine, a wasm that would not
// load. Every one is an `Error` with `code`, `message` and `path`, like the engine's.

/** An `Error` with a stable `code` and the `path` of the value at fault ("" for none). */
export function tactfulError(code, path, message, cause) {
  const err = cause === undefined ? new Error(message) : new Error(message, { cause });
  err.code = code;
  err.path = path;
  return err;
}

/** `e` unchanged when it already carries a code and a path; otherwise `INTERNAL`, the original kept as `cause`. */
export function coded(e) {
  if (e instanceof Error && typeof e.code === 'string' && typeof e.path === 'string') return e;
  const what = e instanceof Error ? e.message : String(e);
  return tactfulError('INTERNAL', '', `tactful failed unexpectedly (a bug; please report it): ${what}`, e);
}

/** Thrown by every call made before `init()` (or `initSync()`) has finished. */
export function notInitialized(module, call) {
  return tactfulError('NOT_INITIALIZED', '',
    `${call} was called before the ${module} module was loaded: await init() first (it returns a promise)`);
}

// What init() and initSync() accept, as the wasm-bindgen glue reads it: a URL (string, URL or Request), a Response
// (or a promise of one), the bytes (ArrayBuffer, a typed array, DataView) or a compiled WebAssembly.Module, bare or
// as { module_or_path }. Anything else is refused here, before the glue turns it into a bare TypeError.
function loadable(value, sync) {
  if (value instanceof WebAssembly.Module || value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return true;
  if (sync) return false;
  if (value === undefined || typeof value === 'string' || value instanceof URL) return true;
  if (typeof Request === 'function' && value instanceof Request) return true;
  if (typeof Response === 'function' && value instanceof Response) return true;
  return typeof value?.then === 'function';
}

/** `INVALID_INPUT` (path `module_or_path`) when `arg` is nothing init() / initSync() can load from, else null. */
export function badInitArgument(arg, call, sync) {
  const plain = arg !== null && typeof arg === 'object' && Object.getPrototypeOf(arg) === Object.prototype;
  const value = plain ? arg.module_or_path ?? arg.module : arg;
  if (loadable(value, sync)) return null;
  const expected = sync
    ? 'the wasm bytes (ArrayBuffer, Uint8Array) or a WebAssembly.Module'
    : 'a URL, a Response, the wasm bytes (ArrayBuffer, Uint8Array) or a WebAssembly.Module';
  return tactfulError('INVALID_INPUT', 'module_or_path', `${call} needs ${expected}, alone or as { module_or_path }`);
}

/**
 * `LOAD_FAILED` (path `module_or_path`): the wasm could not be fetched, compiled or instantiated. `arg` is what init()
 * was given: when it was bytes or a compiled module, the message asks whether they are the right ones.
 */
export function loadFailed(module, e, arg) {
  const what = e instanceof Error ? e.message : String(e);
  const value = arg !== null && typeof arg === 'object' && 'module_or_path' in arg ? arg.module_or_path
    : arg !== null && typeof arg === 'object' && 'module' in arg ? arg.module : arg;
  const given = value instanceof WebAssembly.Module || value instanceof ArrayBuffer || ArrayBuffer.isView(value);
  const hint = given || e instanceof WebAssembly.CompileError || e instanceof WebAssembly.LinkError
    ? ` (are these the bytes of ${module}_bg.wasm, from the same version of the package?)`
    : '';
  return tactfulError('LOAD_FAILED', 'module_or_path', `could not load ${module}_bg.wasm: ${what}${hint}`, e);
}

/**
 * The package's `init()` and `initSync()` over a generated glue's (`module` names the wasm in errors): a bad argument
 * is INVALID_INPUT, a wasm that will not load LOAD_FAILED with the original as `cause`; `onReady` runs once it has
 * loaded, so that later calls know.
 */
export function loaders(module, initGlue, initSyncGlue, onReady) {
  return {
    async init(moduleOrPath) {
      const bad = badInitArgument(moduleOrPath, 'init()', false);
      if (bad) throw bad;
      let out;
      try {
        out = await initGlue(moduleOrPath);
      } catch (e) {
        throw loadFailed(module, e, moduleOrPath);
      }
      onReady();
      return out;
    },
    initSync(bytes) {
      const bad = badInitArgument(bytes, 'initSync()', true);
      if (bad) throw bad;
      let out;
      try {
        out = initSyncGlue(bytes);
      } catch (e) {
        throw loadFailed(module, e, bytes);
      }
      onReady();
      return out;
    },
  };
}
