// The Engine in a dedicated Worker, so indexing a catalog and ranking never freeze the page, and the code holding the
// shopper's history runs where it cannot open a connection (the worker script is served with `connect-src 'none'`:
// see docs/performance.md). The page compiles the wasm and hands over the catalog; the Worker fetches nothing.
//
//   import { WorkerEngine } from 'tactful/worker.js';
//   const bytes = new Uint8Array(await (await fetch('catalog.pack')).arrayBuffer());
//   const engine = await WorkerEngine.create(bytes, { onError: (e) => report(e) });
//   const ranking = await engine.rank({ history, context: { now: Date.now(), k: 20 } });
//
// Or let the Worker read the shopper's history (and preferences) from IndexedDB itself, in the format storage.js
// writes, so the page never hands the history over (the database is the one `storeName` names, default "tactful"):
//
//   const ranking = await engine.rank({ context: { now: Date.now(), k: 20 } },
//     { historyFrom: 'indexeddb', preferencesFrom: 'indexeddb' });
//
// Calls are id-tagged messages; the catalog's bytes are copied once and the copy transferred (the wrapper keeps the
// caller's bytes to load a replacement Worker). If a call ends in a WebAssembly trap, the Worker is replaced by a fresh
// one with the same catalog, the trap is reported once through `onError`, and a `rank` call is answered with the
// default ranking (the same request without the shopper's history), so the page keeps working; other calls reject.
// If the Worker dies, pending calls reject and the next call starts a new one. Where Workers are unavailable, the
// engine runs on the main thread behind the same promise API.

const ENTRY = new URL('./worker-entry.js', import.meta.url);

// Under Trusted Types (`require-trusted-types-for 'script'`) a Worker's URL must be a TrustedScriptURL. The wrapper
// makes one policy, `tactful-worker`, that passes its own entry script and nothing else; a page that enforces
// Trusted Types allows it by name (`trusted-types tactful-worker`).
let entryPolicy;
function entryUrl() {
  if (typeof trustedTypes === 'undefined' || typeof trustedTypes.createPolicy !== 'function') return ENTRY;
  entryPolicy ??= trustedTypes.createPolicy('tactful-worker', {
    createScriptURL: (url) => {
      if (url !== ENTRY.href) throw new TypeError(`tactful-worker: ${url} is not the wrapper's entry script`);
      return url;
    },
  });
  return entryPolicy.createScriptURL(ENTRY.href);
}
const TOKEN = Symbol('WorkerEngine.create');

function invalid(path, message) {
  const err = new Error(message);
  err.code = 'INVALID_INPUT';
  err.path = path;
  return err;
}

/**
 * What `create` was given for the catalog or the model, once arrived: a Response (a JSON file being fetched) becomes
 * `{ json: bytes }`, which the Worker parses itself, so the page neither parses the model nor clones either as
 * objects; anything else is kept as it is. `path` names the input in errors.
 */
async function received(value, path) {
  if (typeof Response !== 'function' || !(value instanceof Response)) return value;
  if (!value.ok) {
    const err = new Error(`${path}: the response was HTTP ${value.status}`);
    err.code = 'LOAD_FAILED';
    err.path = path;
    throw err;
  }
  const bytes = new Uint8Array(await value.arrayBuffer());
  // A packed file (`tactful pack`) starts with its magic and is loaded as bytes; anything else is JSON text.
  return isPacked(bytes) ? bytes : { json: bytes };
}

const MAGIC = [...'TACTPACK'].map((c) => c.charCodeAt(0));
const isPacked = (bytes) => bytes.length >= MAGIC.length && MAGIC.every((b, i) => bytes[i] === b);

const isJson = (value) => value !== null && typeof value === 'object' && value.json instanceof Uint8Array;

/** `{ json: bytes }` parsed (the main-thread fallback); anything else as it is. */
function parsed(value, path) {
  if (!isJson(value)) return value;
  try {
    return JSON.parse(new TextDecoder().decode(value.json));
  } catch (e) {
    throw invalid(path, `${path}: not JSON (${e.message})`);
  }
}

/** The value as posted to the Worker, and what to transfer: bytes are copied (the original kept for a respawn). */
function outgoing(value, transfer) {
  if (value instanceof Uint8Array) {
    const copy = value.slice();
    transfer.push(copy.buffer);
    return copy;
  }
  if (isJson(value)) {
    const copy = value.json.slice();
    transfer.push(copy.buffer);
    return { json: copy };
  }
  return value;
}

/** FREED, as `Engine` after `free()`: the main-thread engine was terminated. */
function freed(message) {
  const err = new Error(message);
  err.code = 'FREED';
  err.path = '';
  return err;
}

/** `from` (rank's and profile's second argument) checked, as the message carries it: `{ history, preferences }`. */
function sources(from) {
  if (from === undefined || from === null) return { history: false, preferences: false };
  if (typeof from !== 'object' || Array.isArray(from)) {
    throw invalid('from', "the second argument must be an object: { historyFrom: 'indexeddb', preferencesFrom: 'indexeddb' }");
  }
  for (const key of ['historyFrom', 'preferencesFrom']) {
    if (from[key] !== undefined && from[key] !== 'indexeddb') {
      throw invalid(`from.${key}`, `${key} must be 'indexeddb' (or absent: taken from the request)`);
    }
  }
  return { history: from.historyFrom === 'indexeddb', preferences: from.preferencesFrom === 'indexeddb' };
}

function toError(e) {
  const err = new Error(e.message);
  if (e.name) err.name = e.name;
  if (e.code !== undefined) err.code = e.code;
  if (e.path !== undefined) err.path = e.path;
  return err;
}

async function compile(given) {
  const wasm = await given; // a promise of a Response (a fetch still under way) is fine
  if (wasm instanceof WebAssembly.Module) return wasm;
  const source = wasm ?? new URL('tactful_bg.wasm', import.meta.url);
  if (typeof source === 'string' || source instanceof URL) {
    return WebAssembly.compileStreaming(fetch(source));
  }
  if (typeof Response === 'function' && source instanceof Response) return WebAssembly.compileStreaming(source);
  return WebAssembly.compile(source);
}

export class WorkerEngine {
  #catalog;
  #options;
  #module;
  #onError;
  #worker = null;
  #ready = null;
  #pending = new Map();
  #nextId = 1;
  #size = 0;
  #inline = null;
  #mainThread = false; // the fallback: the engine runs on the page's thread
  #traps = 0;
  #storeName;

  constructor(token) {
    if (token !== TOKEN) throw new TypeError('use WorkerEngine.create(catalog, options)');
  }

  /**
   * Loads `catalog` (packed bytes from `tactful pack`, or Product objects) into an engine in a new Worker.
   * `options`: `{ policy, model, wasm, onError, worker, storeName }`; `policy` and `model` as for `new Engine`; `wasm`
   * a URL, Response, bytes or a compiled WebAssembly.Module (default: tactful_bg.wasm beside this file);
   * `onError(error)` is called once per trapped instance; `worker: false` runs on the main thread; `storeName` the
   * IndexedDB database `historyFrom` / `preferencesFrom` read (default "tactful", as storage.js). `catalog`, `model`
   * and `wasm` may be promises: the Worker starts (and loads its scripts, then instantiates the wasm) while they
   * arrive, so a page can call this before its fetches finish. `catalog` and `model` may also be the Response of a
   * JSON file: its bytes are transferred and the Worker parses them (nothing cloned as objects, nothing parsed on
   * the page); `catalog` may be the Response of a packed file too (it starts with the packed magic `TACTPACK`), its
   * bytes then transferred as packed bytes are.
   */
  static async create(catalog, options = {}) {
    const self = new WorkerEngine(TOKEN);
    const model = self.#init(options);
    const inline = options.worker === false || typeof Worker !== 'function';
    self.#mainThread = inline;
    // Not awaited if an earlier step fails: their rejections are the caller's to see, not unhandled ones here.
    for (const p of [catalog, model]) if (typeof p?.then === 'function') p.then(undefined, () => {});
    if (!inline) self.#spawn();
    try {
      self.#module = await compile(options.wasm);
      if (!inline) self.#post({ op: 'init', module: self.#module }).catch(() => {}); // a failure fails 'load' too
      const [data, modelData] = await Promise.all([
        Promise.resolve(catalog).then((v) => received(v, 'catalog')),
        Promise.resolve(model).then((v) => received(v, 'options.model')),
      ]);
      self.#catalog = data;
      if (modelData !== undefined) self.#options = { ...self.#options, model: modelData };
      if (inline) {
        const { Engine, initSync } = await import('./tactful.js');
        initSync({ module: self.#module });
        const options = self.#options?.model === undefined ? self.#options
          : { ...self.#options, model: parsed(self.#options.model, 'options.model') };
        self.#inline = new Engine(parsed(self.#catalog, 'catalog'), options);
        self.#size = self.#inline.size;
      } else {
        self.#load();
        self.#size = await self.#ready;
      }
    } catch (e) {
      self.terminate();
      throw e;
    }
    return self;
  }

  /** Checks and keeps the options; returns the model (or its promise), which the engine gets once it has arrived. */
  #init(options) {
    const { wasm: _wasm, onError, worker: _worker, storeName, model, ...engineOptions } = options;
    if (storeName !== undefined && (typeof storeName !== 'string' || storeName === '')) {
      throw invalid('options.storeName', 'storeName must be a non-empty string (an IndexedDB database name)');
    }
    this.#options = Object.keys(engineOptions).length ? engineOptions : undefined;
    this.#onError = onError;
    this.#storeName = storeName;
    return model;
  }

  /** A new Worker; it starts loading its scripts at once. `#load()` hands it the catalog. */
  #spawn() {
    const worker = new Worker(entryUrl(), { type: 'module', name: 'tactful' });
    this.#worker = worker;
    worker.onmessage = (event) => this.#answer(event.data);
    worker.onerror = (event) => {
      event.preventDefault?.();
      this.#died(new Error(`tactful worker failed: ${event.message ?? 'unknown error'}`));
    };
  }

  /** Loads the catalog into the current Worker; `#ready` settles with its size. */
  #load() {
    const transfer = [];
    const catalog = outgoing(this.#catalog, transfer);
    const options = this.#options?.model === undefined ? this.#options
      : { ...this.#options, model: outgoing(this.#options.model, transfer) };
    this.#ready = this.#post(
      { op: 'load', module: this.#module, catalog, options, storeName: this.#storeName }, transfer);
    this.#ready.catch(() => {});
  }

  #post(msg, transfer = []) {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, msg });
      this.#worker.postMessage({ ...msg, id }, transfer);
    });
  }

  #answer(data) {
    const call = this.#pending.get(data.id);
    if (!call) return;
    this.#pending.delete(data.id);
    if (data.ok) {
      call.resolve(data.value);
    } else if (data.trapped) {
      this.#trapped(call, toError(data.error));
    } else {
      call.reject(toError(data.error));
    }
  }

  /** The instance trapped: report once, replace the Worker, answer `rank` with the default ranking. */
  #trapped(call, error) {
    this.#traps += 1;
    try {
      this.#onError?.(error);
    } catch {
      // The page's reporter must not stop the recovery.
    }
    const old = this.#worker;
    this.#worker = null;
    old?.terminate();
    for (const other of this.#pending.values()) other.reject(error);
    this.#pending.clear();
    this.#spawn();
    this.#load();
    if (call.msg.op === 'rank') {
      // The stored preferences still apply (mutes, opt-outs); the history, stored or given, does not.
      const request = { ...call.msg.request, history: [], impressions: [] };
      const from = { history: false, preferences: call.msg.from?.preferences === true };
      this.#ready.then(() => this.#post({ op: 'rank', request, from })).then(call.resolve, call.reject);
    } else {
      call.reject(error);
    }
  }

  #died(error) {
    this.#worker?.terminate();
    this.#worker = null;
    for (const call of this.#pending.values()) call.reject(error);
    this.#pending.clear();
  }

  async #call(op, request, fromArg) {
    const from = sources(fromArg);
    if (this.#mainThread) {
      if (!this.#inline) throw freed(`WorkerEngine.${op}() was called after terminate(): make a new one`);
      // The main-thread fallback reads the same database with the same code, so the page's call is the same.
      const { withStored } = await import('./storage.js');
      const full = await withStored(request, { ...from, name: this.#storeName });
      if (!this.#inline) throw freed(`WorkerEngine.${op}(): terminate() was called during the call`);
      return this.#inline[op](full);
    }
    if (!this.#worker) {
      this.#spawn();
      this.#load();
    }
    await this.#ready;
    return this.#post({ op, request, from });
  }

  /**
   * Ranks products for one shopper (as `Engine.rank`). `from`: `{ historyFrom: 'indexeddb' }` has the Worker read the
   * stored history itself (none without a consent record; the request then carries no `history`), and
   * `{ preferencesFrom: 'indexeddb' }` the stored preferences, with personalization from the consent record.
   */
  rank(request, from) {
    return this.#call('rank', request, from);
  }

  /** What the engine believes about this shopper (as `Engine.profile`); `from` as for `rank`. */
  profile(request, from) {
    return this.#call('profile', request, from);
  }

  /** Number of products indexed. */
  get size() {
    return this.#size;
  }

  /** How many times an instance trapped and was replaced. */
  get traps() {
    return this.#traps;
  }

  /** Whether the engine runs in a Worker (false: the main-thread fallback). */
  get inWorker() {
    return !this.#mainThread;
  }

  /**
   * Stops the Worker (or frees the main-thread engine); pending calls reject. A later call starts a new Worker; on the
   * main thread it rejects (FREED).
   */
  terminate() {
    this.#died(new Error('tactful worker terminated'));
    this.#inline?.free();
    this.#inline = null;
  }
}
