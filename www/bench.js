// The browser benchmark page (bench.html): times the WebAssembly engine in this browser through its JS API.
//
// Synthetic catalogs come from the generator of benches/rank.rs (SplitMix64, same seeds, same draws in the same order),
// so a figure here compares with the matching `cargo bench` figure: the difference is WebAssembly plus the JS <-> wasm
// conversion of the request and the result, which a page pays on every call. The demo store's own data is timed too.
//
// Each measurement: warm-up calls first, then `runs` timed runs; a run times `reps` back-to-back calls (reps is chosen so
// one run lasts at least a few milliseconds, because Chromium coarsens performance.now() to ~0.1 ms on a page that is
// not cross-origin isolated). Figures are per call: the median and the 90th percentile (nearest rank) over the runs.
//
// When done: window.benchResults holds everything, and <body data-done="true"> (or "error") is set.
// ?quick=1 runs tiny catalogs and few runs: a smoke test of the page, not a benchmark.
import init, { Engine } from '/pkg/tactful.js';
import { $, getJson } from './dom.js';

const DAY = 86_400_000;
const NOW = 1_714_521_600_000; // 2024-05-01, as in benches/rank.rs
const CATALOG_SEED = 7;
const HISTORY_SEED = 11;
const HISTORY_EVENTS = 60;
const K = 12;

const QUICK = new URLSearchParams(location.search).get('quick') === '1';
const CONFIG = QUICK
  ? { sizes: [100, 1_000], batchMs: 1, rank: { warmup: 1, runs: 3 }, index: { warmup: 1, runs: 2 },
      indexLarge: { warmup: 0, runs: 2 } }
  : { sizes: [1_000, 100_000], batchMs: 10, rank: { warmup: 10, runs: 50 }, index: { warmup: 3, runs: 20 },
      indexLarge: { warmup: 1, runs: 5 } };


// ---- the generator of benches/rank.rs --------------------------------------------------------------------------

const MASK = (1n << 64n) - 1n;

/** SplitMix64, as `Rng` in benches/rank.rs. */
class Rng {
  constructor(seed) {
    this.state = BigInt(seed);
  }
  next() {
    this.state = (this.state + 0x9e3779b97f4a7c15n) & MASK;
    let z = this.state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK;
    return z ^ (z >> 31n);
  }
  below(n) {
    return Number(this.next() % BigInt(n));
  }
}

/** `catalog(n, seed)` of benches/rank.rs: the draws in the order Rust evaluates them. */
function catalog(n, seed) {
  const rng = new Rng(seed);
  const products = new Array(n);
  for (let i = 0; i < n; i++) {
    const dept = rng.below(12);
    const leaf = rng.below(25);
    const p = {
      id: `sku-${i}`,
      title: `Product ${i}`,
      category: [`Dept ${dept}`, `Dept ${dept} / Aisle ${leaf}`],
      brand: `Brand ${rng.below(200)}`,
      price: 1 + rng.below(50_000) / 100,
      inStock: rng.below(20) !== 0,
    };
    if (rng.below(10) === 0) p.launchedAt = NOW - rng.below(120) * DAY;
    const lifecycle = rng.below(10);
    if (lifecycle === 0) p.lifecycle = { kind: 'durable', lifetimeDays: 1500 };
    else if (lifecycle <= 2) p.lifecycle = { kind: 'consumable', repurchaseDays: 14 };
    if (rng.below(25) === 0) p.sensitivity = 'medical';
    products[i] = p;
  }
  return products;
}

/** `history(n_products, events, seed)` of benches/rank.rs: a shopper with habits (most purchases from 15 favourites). */
function history(nProducts, events, seed) {
  const rng = new Rng(seed);
  const favourites = Array.from({ length: 15 }, () => rng.below(nProducts));
  return Array.from({ length: events }, (_, i) => {
    const p = rng.below(3) === 0 ? rng.below(nProducts) : favourites[rng.below(15)];
    return { productId: `sku-${p}`, at: NOW - ((events - i) * DAY) / 2, orderId: `o${Math.floor(i / 4)}` };
  });
}

// ---- timing ------------------------------------------------------------------------------------------------------

const sorted = (xs) => [...xs].sort((a, b) => a - b);
function median(xs) {
  const s = sorted(xs);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
const p90 = (xs) => sorted(xs)[Math.max(0, Math.ceil(0.9 * xs.length) - 1)];
const p95 = (xs) => sorted(xs)[Math.max(0, Math.ceil(0.95 * xs.length) - 1)];

/** Smallest step of performance.now() seen: what one timed run must be much longer than. */
function timerResolution() {
  let best = Infinity;
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    let t1 = t0;
    while (t1 === t0) t1 = performance.now();
    best = Math.min(best, t1 - t0);
  }
  return best;
}

/** Runs `fn` reps times back to back; returns the elapsed ms. `cleanup` (untimed) gets what each call returned. */
function timeBatch(fn, reps, cleanup) {
  const out = new Array(reps);
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) out[i] = fn();
  const ms = performance.now() - t0;
  if (cleanup) out.forEach(cleanup);
  return ms;
}

const yieldToPage = () => new Promise((resolve) => setTimeout(resolve, 0));

const results = [];
/** The instance's exports (its `memory`), from init(). */
let wasmExports = null;

async function measure(group, name, fn, { warmup, runs, cleanup, note }) {
  $('status').textContent = `Measuring ${name}…`;
  await yieldToPage();
  for (let i = 0; i < warmup; i++) timeBatch(fn, 1, cleanup);
  // Size the batch from the fastest of three timed loops of at least CONFIG.batchMs each, so one slow call (a GC pause,
  // a tier-up) cannot leave a run shorter than the timer can resolve. A call ten times that long needs no batch.
  let perCallEstimate = Infinity;
  for (let pass = 0; pass < 3; pass++) {
    const out = [];
    const t0 = performance.now();
    let elapsed = 0;
    while (elapsed < CONFIG.batchMs) {
      out.push(fn());
      elapsed = performance.now() - t0;
    }
    if (cleanup) out.forEach(cleanup);
    perCallEstimate = Math.min(perCallEstimate, elapsed / out.length);
    if (perCallEstimate >= 10 * CONFIG.batchMs) break;
  }
  const reps = Math.min(4096, Math.max(1, Math.ceil(CONFIG.batchMs / perCallEstimate)));
  const perCall = [];
  for (let i = 0; i < runs; i++) perCall.push(timeBatch(fn, reps, cleanup) / reps);
  const r = { group, name, runs, reps, medianMs: median(perCall), p90Ms: p90(perCall), p95Ms: p95(perCall),
    minMs: sorted(perCall)[0] };
  if (note) r.note = note;
  results.push(r);
  renderRow(r);
  return r;
}

function record(group, name, ms, note) {
  const r = { group, name, runs: 1, reps: 1, medianMs: ms, p90Ms: ms, p95Ms: ms, minMs: ms };
  if (note) r.note = note;
  results.push(r);
  renderRow(r);
  return r;
}

// ---- rendering ---------------------------------------------------------------------------------------------------

let lastGroup = null;
function renderRow(r) {
  const body = $('results');
  if (r.group !== lastGroup) {
    lastGroup = r.group;
    const tr = body.insertRow();
    const td = tr.insertCell();
    td.colSpan = 5;
    td.textContent = r.group;
    tr.className = 'group';
  }
  const tr = body.insertRow();
  const name = tr.insertCell();
  name.textContent = r.name;
  if (r.note) name.append(Object.assign(document.createElement('span'), { className: 'note', textContent: r.note }));
  for (const [text, cls] of [[String(r.runs), 'num'], [String(r.reps), 'num'], [fmt(r.medianMs), 'num'],
    [fmt(r.p90Ms), 'num']]) {
    const td = tr.insertCell();
    td.textContent = text;
    td.className = cls;
  }
}

function fmt(ms) {
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  if (ms >= 1) return ms.toFixed(2);
  return ms.toFixed(3);
}

function renderEnv(env) {
  const dl = $('env');
  dl.replaceChildren();
  for (const [k, v] of Object.entries(env)) {
    dl.append(Object.assign(document.createElement('dt'), { textContent: k }),
      Object.assign(document.createElement('dd'), { textContent: String(v) }));
  }
}

// ---- the run -----------------------------------------------------------------------------------------------------


/** The wasm file's raw size and its gzip size (CompressionStream's gzip, default level: build.sh's gzip -9 is a bit smaller). */
async function wasmSize() {
  const res = await fetch('/pkg/tactful_bg.wasm');
  if (!res.ok) throw new Error(`Could not load /pkg/tactful_bg.wasm (HTTP ${res.status})`);
  const raw = await res.arrayBuffer();
  const gz = await new Response(new Blob([raw]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer();
  return { rawBytes: raw.byteLength, gzipBytes: gz.byteLength };
}

// ---- issue 11's case ---------------------------------------------------------------------------------------------

/** wasm memory in bytes (it only grows), and the page's memory when the browser can measure it (cross-origin isolated). */
async function memory() {
  const out = { wasmBytes: wasmExports?.memory?.buffer?.byteLength ?? null };
  if (typeof performance.measureUserAgentSpecificMemory === 'function' && globalThis.crossOriginIsolated) {
    try {
      out.pageBytes = (await performance.measureUserAgentSpecificMemory()).bytes;
    } catch {
      // Not allowed here: the wasm figure stands alone.
    }
  }
  return out;
}

/**
 * Issue 11's case, written by `cargo run --release --features cli -- bench-case --out www/bench-case`: 100k products,
 * a 32-dim model, a 1,000-event history, k = 20, every guardrail stage acting. Skipped (with a note) when absent.
 */
async function issueCase() {
  const res = await fetch('bench-case/request.json');
  if (!res.ok) return { skipped: 'www/bench-case/ not written (tactful bench-case --out www/bench-case)' };
  const request = await res.json();
  const bytes = async (name) => new Uint8Array(await (await fetch(`bench-case/${name}`)).arrayBuffer());
  const [packed, packed8] = await Promise.all([bytes('catalog.pack'), bytes('catalog-int8.pack')]);
  const group = 'issue 11 case: 100k products, 32-dim model, 1,000-event history, k = 20 (tactful bench-case)';
  const out = { packedBytes: packed.byteLength, packedInt8Bytes: packed8.byteLength, memory: {} };
  out.memory.beforeBuild = await memory();
  await measure(group, 'new Engine(packed bytes): f32 embeddings', () => new Engine(packed),
    { ...CONFIG.indexLarge, cleanup: (e) => e.free() });
  await measure(group, 'new Engine(packed bytes): int8 embeddings', () => new Engine(packed8),
    { ...CONFIG.indexLarge, cleanup: (e) => e.free() });
  const engine = new Engine(packed);
  out.memory.afterPackedBuild = await memory();
  try {
    out.rank = await measure(group, 'rank, 32-dim model (the discovery scan runs)', () => engine.rank(request),
      CONFIG.rank);
    // k = 0 is refused after the request is read and before any work: the cost of reading the request from JS.
    const bad = { ...request, context: { ...request.context, k: 0 } };
    out.read = await measure(group, 'reading the request alone (k = 0, refused after reading)', () => {
      try {
        engine.rank(bad);
      } catch (e) {
        return e;
      }
      throw new Error('k = 0 was accepted');
    }, CONFIG.rank);
    out.readShare = out.read.medianMs / out.rank.medianMs;
  } finally {
    engine.free();
  }
  const catalog = await getJson('bench-case/catalog.json');
  const plain = new Engine(catalog);
  try {
    out.rankNoModel = await measure(group, 'rank, no model', () => plain.rank(request), CONFIG.rank);
  } finally {
    plain.free();
  }
  const t0 = performance.now();
  new Engine(catalog).free();
  record(group, 'new Engine(catalog objects), no model', performance.now() - t0, 'once');
  out.memory.end = await memory();
  return out;
}

async function main() {
  const started = performance.now();
  const t0 = performance.now();
  wasmExports = await init();
  const initMs = performance.now() - t0;
  const wasm = { ...(await wasmSize()), initMs };
  const env = {
    mode: QUICK ? 'quick (smoke test: tiny catalogs, few runs — not a benchmark)' : 'full',
    userAgent: navigator.userAgent,
    cores: navigator.hardwareConcurrency,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    timerResolutionMs: Number(timerResolution().toFixed(4)),
    wasm: `${wasm.rawBytes} bytes raw, ${wasm.gzipBytes} bytes gzip (CompressionStream, default level)`,
  };
  renderEnv(env);

  record('load', 'init(): download + compile + instantiate the wasm', initMs,
    `${(wasm.rawBytes / 1024).toFixed(0)} KB raw, ${(wasm.gzipBytes / 1024).toFixed(0)} KB gzip; once, cold (no-store)`);

  const generated = {};
  for (const n of CONFIG.sizes) {
    const label = n.toLocaleString('en');
    const group = `synthetic catalog, ${label} products (benches/rank.rs generator, seed ${CATALOG_SEED})`;
    $('status').textContent = `Generating ${label} products…`;
    await yieldToPage();
    const g0 = performance.now();
    const products = catalog(n, CATALOG_SEED);
    const events = history(n, HISTORY_EVENTS, HISTORY_SEED);
    generated[n] = { products: n, events: events.length, generateMs: performance.now() - g0 };

    const indexCfg = n >= 50_000 ? CONFIG.indexLarge : CONFIG.index;
    await measure(group, `new Engine(catalog): index ${label} products`, () => new Engine(products),
      { ...indexCfg, cleanup: (e) => e.free() });

    const engine = new Engine(products);
    try {
      const withHistory = { history: events, context: { now: NOW, k: K } };
      const empty = { history: [], context: { now: NOW, k: K } };
      await measure(group, `rank: ${HISTORY_EVENTS}-event history, k = ${K}`, () => engine.rank(withHistory),
        CONFIG.rank);
      await measure(group, `rank: empty history (default list), k = ${K}`, () => engine.rank(empty), CONFIG.rank);
      await measure(group, `profile: ${HISTORY_EVENTS}-event history`,
        () => engine.profile({ history: events, context: { now: NOW } }), CONFIG.rank);
    } finally {
      engine.free();
    }
  }

  // The demo store's data, used as the store uses it (with its aggregate model, consent given).
  const [demoCatalog, demoHistory, model] = await Promise.all(
    ['data/catalog.json', 'data/history.json', 'data/model.json'].map(getJson),
  );
  const demoNow = Math.max(...demoHistory.map((e) => Date.parse(e.at))) + 2 * DAY;
  const group = `demo store data: ${demoCatalog.length} products with model.json, ${demoHistory.length}-event history`;
  await measure(group, `new Engine(catalog, { model }): index ${demoCatalog.length} products`,
    () => new Engine(demoCatalog, { model }), { ...CONFIG.index, cleanup: (e) => e.free() });
  const engine = new Engine(demoCatalog, { model });
  try {
    const request = {
      history: demoHistory,
      preferences: { consent: { personalization: true } },
      context: { now: demoNow, k: K, surface: 'home', seed: 1 },
    };
    await measure(group, `rank: the sample shopper, k = ${K}`, () => engine.rank(request), CONFIG.rank);
    await measure(group, `rank: no consent (default list), k = ${K}`,
      () => engine.rank({ ...request, history: [], preferences: { consent: { personalization: false } } }),
      CONFIG.rank);
    await measure(group, 'profile: the sample shopper', () => engine.profile(request), CONFIG.rank);
  } finally {
    engine.free();
  }

  const issue11 = QUICK ? { skipped: 'quick mode' } : await issueCase();

  const totalMs = performance.now() - started;
  env.totalSeconds = (totalMs / 1000).toFixed(1);
  renderEnv(env);
  window.benchResults = { quick: QUICK, environment: env, wasm, generated, results, issue11, totalMs };
  $('status').textContent = `Done in ${(totalMs / 1000).toFixed(1)} s${QUICK ? ' (quick mode)' : ''}.`;
  document.body.dataset.done = 'true';
}

main().catch((err) => {
  const error = $('error');
  error.textContent = `The benchmark failed: ${err?.code ? `${err.code} at ${err.path}: ` : ''}${err?.message ?? err}`;
  error.hidden = false;
  $('status').textContent = 'Failed.';
  window.benchResults = { quick: QUICK, error: String(err?.message ?? err), results };
  document.body.dataset.done = 'error';
  console.error(err);
});
