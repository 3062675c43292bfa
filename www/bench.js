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
// `rank` is also timed through pkg/worker.js's WorkerEngine (a postMessage round trip per call), and issue 11's
// discovery scan beside tfjs-backend-wasm and plain JS on the same f32 inputs (the shared stage, below).
//
// When done: window.benchResults holds everything, and <body data-done="true"> (or "error") is set.
// ?quick=1 runs tiny catalogs and few runs: a smoke test of the page, not a benchmark.
// ?only=issue11 runs issue 11's case alone (www/bench-case/, written by `tactful bench-case`).
import init, { Engine } from '/pkg/tactful.js';
// The generated glue's own Engine: the request read by the engine's per-value walk, without the wrapper's encoding
// (pkg/tactful.js, src/read/encoded.rs), for the paired rows that show what the encoding buys.
import { Engine as GlueEngine } from '/pkg/tactful_glue.js';
import { WorkerEngine } from '/pkg/worker.js';
import { $, getJson } from './dom.js';

const DAY = 86_400_000;
const NOW = 1_714_521_600_000; // 2024-05-01, as in benches/rank.rs
const CATALOG_SEED = 7;
const HISTORY_SEED = 11;
const HISTORY_EVENTS = 60;
const K = 12;

const QUICK = new URLSearchParams(location.search).get('quick') === '1';
// ?only=issue11: issue 11's case alone (with the shared stage), skipping the synthetic and demo-store sections.
const ONLY_ISSUE11 = !QUICK && new URLSearchParams(location.search).get('only') === 'issue11';
const CONFIG = QUICK
  ? { sizes: [100, 1_000], batchMs: 1, rank: { warmup: 1, runs: 3 }, index: { warmup: 1, runs: 2 },
      indexLarge: { warmup: 0, runs: 2 }, scan: { warmup: 1, runs: 3 } }
  : { sizes: [1_000, 100_000], batchMs: 10, rank: { warmup: 10, runs: 50 }, index: { warmup: 3, runs: 20 },
      indexLarge: { warmup: 1, runs: 5 }, scan: { warmup: 5, runs: 50 } };


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

/** `measure` for a call that returns a promise (a WorkerEngine call: the postMessage round trip is in the time). */
async function measureAsync(group, name, fn, { warmup, runs, note }) {
  $('status').textContent = `Measuring ${name}…`;
  await yieldToPage();
  for (let i = 0; i < warmup; i++) await fn();
  let perCallEstimate = Infinity;
  for (let pass = 0; pass < 3; pass++) {
    let calls = 0;
    const t0 = performance.now();
    let elapsed = 0;
    while (elapsed < CONFIG.batchMs) {
      await fn();
      calls++;
      elapsed = performance.now() - t0;
    }
    perCallEstimate = Math.min(perCallEstimate, elapsed / calls);
    if (perCallEstimate >= 10 * CONFIG.batchMs) break;
  }
  const reps = Math.min(4096, Math.max(1, Math.ceil(CONFIG.batchMs / perCallEstimate)));
  const perCall = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    for (let j = 0; j < reps; j++) await fn();
    perCall.push((performance.now() - t0) / reps);
  }
  return finish({ group, name, runs, reps, note }, perCall);
}

/**
 * Several ways of doing one thing, timed in turn within each run (one call each, a run after another), so every way
 * sees the same moments of the machine's load; a way's `time()` returns (or resolves to) the ms of one call, or a
 * difference of two calls. Returns each way's figures by its key, with the per-run samples.
 */
async function measureInTurn(group, ways, { warmup, runs }) {
  $('status').textContent = `Measuring ${ways.map((w) => w.name).join('; ')}…`;
  await yieldToPage();
  for (let i = 0; i < warmup; i++) for (const w of ways) await w.time();
  const per = ways.map(() => []);
  for (let i = 0; i < runs; i++) {
    for (const [j, w] of ways.entries()) per[j].push(await w.time());
    if (i % 5 === 4) await yieldToPage();
  }
  return Object.fromEntries(ways.map((w, j) => [w.key,
    { ...finish({ group, name: w.name, runs, reps: 1, note: w.note }, per[j], { allowNegative: w.difference }),
      samples: per[j] }]));
}

function finish(r, perCall, { allowNegative = false } = {}) {
  const s = sorted(perCall);
  Object.assign(r, { medianMs: median(perCall), p90Ms: p90(perCall), p95Ms: p95(perCall), minMs: s[0] });
  if (!r.note) delete r.note;
  if (allowNegative) r.difference = true;
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

// ---- the shared stage: the discovery scan beside tfjs-backend-wasm and plain JS ------------------------------------
//
// The engine's discovery scan (src/engine/scan.rs `top_k`, called from the score stage's `alike`): the best dot
// product of each product's embedding with any of the shopper's query vectors (the embeddings of their 10 heaviest
// products: the engine's `ALIKE_FROM`), their own products passed over, a floor of 0.7, the best 200 kept, exactly. The same stage is timed here
// three ways on the same f32 inputs: tfjs-core with tfjs-backend-wasm (matMul, max, topk: exact), plain JS
// (Float32Array loops and a bounded heap), and the engine itself, which exposes its scan only inside `rank` (the
// shipped module gains no entry point for a benchmark): its figure is `rank` with the model minus `rank` with the same
// model stripped of its embeddings (`dim: 0`, same popularity and co-purchase lists), in paired runs. That difference
// is the scan plus what the engine does with its at most 200 hits (a score term per hit), so a slight upper bound of
// the scan alone.

/** What the engine passes to its scan (score.rs): how many query vectors, the floor, how many kept. */
const SCAN = { queries: 10, min: 0.7, k: 200 }; // as the engine: `ALIKE_FROM`, `ALIKE_MIN`, `ALIKE_CANDIDATES`

/** The scan's inputs from a model's JSON (`embeddings: [[id, [f32…]]…]`), products numbered as `ids` lists them. */
function scanInputs(ids, modelJson, history) {
  const index = new Map(ids.map((id, i) => [id, i]));
  const dim = modelJson.dim;
  const n = ids.length;
  const emb = new Float32Array(n * dim);
  const has = new Uint8Array(n);
  for (const [id, v] of modelJson.embeddings) {
    const p = index.get(id);
    if (p === undefined) continue;
    emb.set(v, p * dim);
    has[p] = 1;
  }
  // The shopper's products: passed over. Their query vectors: the products bought most (quantity summed; the engine
  // weighs by its own taste model, so its 10 may differ in a few members: same shape, same sizes).
  const bought = new Map();
  for (const e of history) {
    const p = index.get(e.productId);
    if (p === undefined) continue;
    const q = (e.type ?? 'purchase') === 'purchase' ? (e.quantity ?? 1) : 0;
    bought.set(p, (bought.get(p) ?? 0) + q);
  }
  const skip = new Uint8Array(n);
  for (const p of bought.keys()) skip[p] = 1;
  const heaviest = [...bought].filter(([p]) => has[p]).sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, SCAN.queries).map(([p]) => p);
  const queries = new Float32Array(heaviest.length * dim);
  heaviest.forEach((p, j) => queries.set(emb.subarray(p * dim, (p + 1) * dim), j * dim));
  return { n, dim, emb, has, skip, queries, nq: heaviest.length };
}

/** Seeded clustered unit vectors (quick mode's small stand-in for a model), in the same shape as `scanInputs`. */
function syntheticScanInputs(n, dim, seed) {
  let state = seed >>> 0;
  const rand = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32 * 2 - 1;
  };
  const unit = (v) => {
    const norm = Math.hypot(...v) || 1;
    return v.map((x) => x / norm);
  };
  const centres = Array.from({ length: 30 }, () => unit(Array.from({ length: dim }, rand)));
  const emb = new Float32Array(n * dim);
  for (let p = 0; p < n; p++) {
    const c = centres[p % centres.length];
    emb.set(unit(c.map((x) => x + 0.35 * rand() / Math.sqrt(dim))), p * dim);
  }
  const nq = SCAN.queries;
  const skip = new Uint8Array(n);
  const queries = new Float32Array(nq * dim);
  for (let j = 0; j < nq; j++) {
    const p = (j * 97) % n;
    skip[p] = 1;
    queries.set(emb.subarray(p * dim, (p + 1) * dim), j * dim);
  }
  return { n, dim, emb, has: new Uint8Array(n).fill(1), skip, queries, nq };
}

/** Plain JS: Float32Array loops, and a bounded min-heap of the best k (worst kept at the root). Best first. */
function scanJs({ n, dim, emb, has, skip, queries, nq }, min, k) {
  const hs = new Float64Array(k);
  const hp = new Int32Array(k);
  let size = 0;
  // a is worse than b: lower score, or the same score and a higher product number.
  const worse = (sa, pa, sb, pb) => sa < sb || (sa === sb && pa > pb);
  for (let p = 0; p < n; p++) {
    if (!has[p] || skip[p]) continue;
    const o = p * dim;
    let best = 0;
    for (let j = 0; j < nq; j++) {
      const qo = j * dim;
      let d = 0;
      for (let i = 0; i < dim; i++) d += emb[o + i] * queries[qo + i];
      if (d > best) best = d;
    }
    if (best <= 0 || best < min) continue;
    let at;
    if (size < k) {
      at = size++;
      while (at > 0) {
        const up = (at - 1) >> 1;
        if (!worse(best, p, hs[up], hp[up])) break;
        hs[at] = hs[up];
        hp[at] = hp[up];
        at = up;
      }
    } else {
      if (!worse(hs[0], hp[0], best, p)) continue;
      at = 0;
      for (;;) {
        const l = 2 * at + 1;
        if (l >= size) break;
        const r = l + 1;
        const c = r < size && worse(hs[r], hp[r], hs[l], hp[l]) ? r : l;
        if (!worse(hs[c], hp[c], best, p)) break;
        hs[at] = hs[c];
        hp[at] = hp[c];
        at = c;
      }
    }
    hs[at] = best;
    hp[at] = p;
  }
  const out = Array.from({ length: size }, (_, i) => ({ p: hp[i], sim: hs[i] }));
  return out.sort((a, b) => b.sim - a.sim || a.p - b.p);
}

const TFJS_CORE = '/vendor/tfjs-core/tf-core.es2017.min.js';
const TFJS_WASM = '/vendor/tfjs-backend-wasm/';

/**
 * tfjs-core and tfjs-backend-wasm, from this origin (scripts/serve.mjs serves the npm devDependencies' dist folders;
 * no CDN). Their browser bundles are UMD: imported as modules they define `globalThis.tf`. Null (with the reason)
 * when they are not installed.
 */
async function loadTfjs() {
  const head = await fetch(TFJS_CORE, { method: 'HEAD' });
  if (!head.ok) return { skipped: `tfjs not installed (npm ci): ${TFJS_CORE} answers HTTP ${head.status}` };
  await import(TFJS_CORE);
  await import(`${TFJS_WASM}tf-backend-wasm.es2017.min.js`);
  const { tf } = globalThis;
  tf.wasm.setWasmPaths(new URL(TFJS_WASM, location.href).href);
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs: the wasm backend did not initialise');
  await tf.ready();
  return {
    tf,
    version: tf.version_core,
    backend: tf.getBackend(),
    simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
    threads: await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'),
  };
}

/**
 * The scan in tfjs: the embeddings uploaded once (as the engine holds them), then per call the queries uploaded,
 * embeddings · queriesᵀ (matMul), the best per product (max), the passed-over products masked to -∞, topk (exact,
 * sorted), and the floor applied to the k kept (the same set as flooring first: the floor only cuts the tail).
 */
function tfjsScanner(tf, { n, dim, emb, has, skip, queries, nq }, min, k) {
  const E = tf.tensor2d(emb, [n, dim]);
  const maskValues = new Float32Array(n);
  for (let p = 0; p < n; p++) if (!has[p] || skip[p]) maskValues[p] = -Infinity;
  const mask = tf.tensor1d(maskValues);
  const run = () => {
    const [values, indices] = tf.tidy(() => {
      const q = tf.tensor2d(queries, [nq, dim]);
      const best = tf.add(tf.max(tf.matMul(E, q, false, true), 1), mask);
      const top = tf.topk(best, Math.min(k, n), true);
      return [top.values, top.indices];
    });
    const v = values.dataSync();
    const ix = indices.dataSync();
    values.dispose();
    indices.dispose();
    const out = [];
    for (let i = 0; i < v.length && v[i] > 0 && v[i] >= min; i++) out.push({ p: ix[i], sim: v[i] });
    return out;
  };
  // For reference: the same without topk (the best per product read back instead), to show where tfjs's time goes.
  const scoreOnly = () => {
    const best = tf.tidy(() => tf.add(tf.max(tf.matMul(E, tf.tensor2d(queries, [nq, dim]), false, true), 1), mask));
    const v = best.dataSync();
    best.dispose();
    return v;
  };
  return { run, scoreOnly, dispose: () => tf.dispose([E, mask]) };
}

/**
 * Whether two best-first lists hold the same products in the same order, ties aside: where they differ, the two
 * products' scores must agree within 1e-5 (f32 sums in another order). Returns the count of such tie swaps.
 */
function sameTop(label, a, b) {
  if (a.length !== b.length) throw new Error(`shared stage: ${label}: ${a.length} against ${b.length} products kept`);
  let swaps = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i].p === b[i].p) continue;
    if (Math.abs(a[i].sim - b[i].sim) > 1e-5) {
      throw new Error(`shared stage: ${label}: at ${i}, product ${a[i].p} (${a[i].sim}) against ${b[i].p} (${b[i].sim})`);
    }
    swaps++;
  }
  return swaps;
}

/**
 * Times the shared stage on `inputs` in tfjs and plain JS, after checking both keep the same products; `engine` (if
 * given) is { withModel, withoutEmbeddings, withoutModel }: `rank` calls whose differences are the engine's figures.
 * The ways take turns within each run (measureInTurn), so the ratios compare the same moments of the machine's load.
 */
async function sharedStage(group, label, inputs, tfjs, engine) {
  const out = { n: inputs.n, dim: inputs.dim, queries: inputs.nq, k: SCAN.k, min: SCAN.min };
  const js = scanJs(inputs, SCAN.min, SCAN.k);
  out.kept = js.length;
  const once = (fn) => () => timeBatch(fn, 1);
  const ways = [{ key: 'js', name: `${label}: plain JS (Float32Array loops, bounded heap)`,
    time: once(() => scanJs(inputs, SCAN.min, SCAN.k)) }];
  let scanner = null;
  if (tfjs.tf) {
    scanner = tfjsScanner(tfjs.tf, inputs, SCAN.min, SCAN.k);
    out.tieSwaps = sameTop(`tfjs against plain JS, ${label}`, scanner.run(), js);
    ways.push({ key: 'tfjs', name: `${label}: tfjs-backend-wasm ${tfjs.version} (matMul + max + topk)`,
      time: once(scanner.run) });
    ways.push({ key: 'tfjsNoTopk', name: `${label}: for reference, tfjs without topk (matMul + max, read back)`,
      time: once(scanner.scoreOnly) });
  } else {
    out.tfjsSkipped = tfjs.skipped;
  }
  if (engine) {
    ways.push({ key: 'engine', name: `${label}: tactful (rank − rank with the model minus its embeddings)`,
      note: 'the scan and the use of its 200 hits', difference: true,
      time: () => timeBatch(engine.withModel, 1) - timeBatch(engine.withoutEmbeddings, 1) });
    ways.push({ key: 'modelOther', difference: true,
      name: `${label}: for reference, the model's other work (rank with the model minus its embeddings − rank without model)`,
      time: () => timeBatch(engine.withoutEmbeddings, 1) - timeBatch(engine.withoutModel, 1) });
  }
  try {
    Object.assign(out, await measureInTurn(group, ways, CONFIG.scan));
  } finally {
    scanner?.dispose();
  }
  // Per-run ratios (each run's ways ran back to back, under the same load): their median is steadier than the ratio
  // of the medians on a busy machine.
  const ratio = (a, b) => (a && b ? median(a.samples.map((x, i) => x / b.samples[i])) : null);
  out.ratios = { tfjsOverEngine: ratio(out.tfjs, out.engine), jsOverEngine: ratio(out.js, out.engine),
    jsOverTfjs: ratio(out.js, out.tfjs) };
  return out;
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
async function issueCase(tfjs) {
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
  const catalog = await getJson('bench-case/catalog.json');
  const engine = new Engine(packed);
  out.memory.afterPackedBuild = await memory();
  const plain = new Engine(catalog);
  let engine64 = null;
  try {
    out.rank = await measure(group, 'rank, 32-dim model (the discovery scan runs)', () => engine.rank(request),
      CONFIG.rank);
    // k = 0 is refused after the request is read and before any work: the cost of reading the request from JS.
    const bad = { ...request, context: { ...request.context, k: 0 } };
    const readOnly = (e) => () => {
      try {
        e.rank(bad);
      } catch (err) {
        return err;
      }
      throw new Error('k = 0 was accepted');
    };
    out.read = await measure(group, 'reading the request alone (k = 0, refused after reading)', readOnly(engine),
      CONFIG.rank);
    out.readShare = out.read.medianMs / out.rank.medianMs;
    out.rankNoModel = await measure(group, 'rank, no model', () => plain.rank(request), CONFIG.rank);
    // The same two calls with the request read by the engine's per-value walk (one call into JS per value).
    const walked = new GlueEngine(catalog);
    try {
      out.readWalked = await measure(group, 'reading the request alone, per-value walk (the glue\'s Engine)',
        readOnly(walked), CONFIG.rank);
      out.rankNoModelWalked = await measure(group, 'rank, no model, per-value walk (the glue\'s Engine)',
        () => walked.rank(request), CONFIG.rank);
    } finally {
      walked.free();
    }

    // The same call through pkg/worker.js: the Worker holds its own engine (the packed bytes transferred to it), and
    // each call is a postMessage round trip (the request cloned in, the ranking cloned out).
    const worker = await WorkerEngine.create(packed);
    try {
      if (!worker.inWorker) throw new Error('WorkerEngine fell back to the main thread');
      const [a, b] = [engine.rank(request), await worker.rank(request)];
      if (JSON.stringify(a.items.map((i) => i.productId)) !== JSON.stringify(b.items.map((i) => i.productId))) {
        throw new Error('WorkerEngine ranks differently from Engine');
      }
      // In turn with the main-thread call, so both see the same moments of the machine's load.
      const inTurn = await measureInTurn(group, [
        { key: 'main', name: 'rank, 32-dim model, main-thread Engine (in turn with the next)',
          time: () => timeBatch(() => engine.rank(request), 1) },
        { key: 'worker', name: 'rank, 32-dim model, through WorkerEngine (postMessage round trip)',
          time: async () => {
            const t0 = performance.now();
            await worker.rank(request);
            return performance.now() - t0;
          } },
      ], CONFIG.rank);
      out.rankMainInTurn = inTurn.main;
      out.rankWorker = inTurn.worker;
    } finally {
      worker.terminate();
    }

    // A 64-dim model, when written (tactful bench-case --dim 64 --out www/bench-case/dim64): the issue's 100k×64.
    const res64 = await fetch('bench-case/dim64/catalog.pack');
    if (res64.ok) {
      engine64 = new Engine(new Uint8Array(await res64.arrayBuffer()));
      out.rank64 = await measure(group, 'rank, 64-dim model', () => engine64.rank(request), CONFIG.rank);
    }

    const t0 = performance.now();
    new Engine(catalog).free();
    record(group, 'new Engine(catalog objects), no model', performance.now() - t0, 'once');

    const ids = catalog.map((p) => p.id);
    const stageGroup = `issue 11 case, the shared stage: the discovery scan of 100k products (${SCAN.queries} queries, k = ${SCAN.k})`;
    // The pair whose difference is the engine's scan: the packed engine, and the same catalog and model without
    // embeddings (from objects: the JSON model with `dim: 0`).
    const stage = async (modelPath, withModel) => {
      const model = await getJson(modelPath);
      const inputs = scanInputs(ids, model, request.history);
      const bare = new Engine(catalog, { model: { ...model, dim: 0, embeddings: [] } });
      try {
        return await sharedStage(stageGroup, `${model.dim} dims`, inputs, tfjs, {
          withModel: () => withModel.rank(request),
          withoutEmbeddings: () => bare.rank(request),
          withoutModel: () => plain.rank(request),
        });
      } finally {
        bare.free();
      }
    };
    out.scan32 = await stage('bench-case/model.json', engine);
    if (engine64) {
      out.scan64 = await stage('bench-case/dim64/model.json', engine64);
    } else {
      out.scan64 = { skipped: 'www/bench-case/dim64/ not written (tactful bench-case --dim 64 --out www/bench-case/dim64)' };
    }
  } finally {
    engine.free();
    plain.free();
    engine64?.free();
  }
  out.memory.end = await memory();
  return out;
}

/** The demo store's data, used as the store uses it (with its aggregate model, consent given). */
async function demoStore() {
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
}

async function main() {
  const started = performance.now();
  const t0 = performance.now();
  wasmExports = await init();
  const initMs = performance.now() - t0;
  const wasm = { ...(await wasmSize()), initMs };
  const env = {
    mode: QUICK ? 'quick (smoke test: tiny catalogs, few runs — not a benchmark)'
      : ONLY_ISSUE11 ? 'issue 11 case only' : 'full',
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
  for (const n of ONLY_ISSUE11 ? [] : CONFIG.sizes) {
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
      // The same call through pkg/worker.js (the catalog cloned into the Worker's engine once; each call a
      // postMessage round trip).
      const worker = await WorkerEngine.create(products);
      try {
        if (!worker.inWorker) throw new Error('WorkerEngine fell back to the main thread');
        await measureAsync(group, `rank through WorkerEngine: ${HISTORY_EVENTS}-event history, k = ${K}`,
          () => worker.rank(withHistory), CONFIG.rank);
      } finally {
        worker.terminate();
      }
      await measure(group, `profile: ${HISTORY_EVENTS}-event history`,
        () => engine.profile({ history: events, context: { now: NOW } }), CONFIG.rank);
    } finally {
      engine.free();
    }
  }

  if (!ONLY_ISSUE11) await demoStore();

  $('status').textContent = 'Loading tfjs-core and tfjs-backend-wasm…';
  const tfjsT0 = performance.now();
  const tfjs = await loadTfjs();
  const tfjsLoadMs = performance.now() - tfjsT0;
  env.tfjs = tfjs.tf
    ? `${tfjs.version}, backend ${tfjs.backend}, SIMD ${tfjs.simd}, threads ${tfjs.threads}; loaded in ${tfjsLoadMs.toFixed(0)} ms`
    : tfjs.skipped;
  renderEnv(env);
  // Quick mode: the shared stage on small seeded vectors (checks tfjs loads under the page's CSP and agrees with JS).
  const sharedQuick = QUICK
    ? await sharedStage(`shared stage, quick: 5,000 seeded vectors, 32 dims (${SCAN.queries} queries, k = ${SCAN.k})`, '32 dims',
      syntheticScanInputs(5_000, 32, 5), tfjs)
    : null;
  const issue11 = QUICK ? { skipped: 'quick mode' } : await issueCase(tfjs);

  const totalMs = performance.now() - started;
  env.totalSeconds = (totalMs / 1000).toFixed(1);
  renderEnv(env);
  const tfjsInfo = tfjs.tf
    ? { version: tfjs.version, backend: tfjs.backend, simd: tfjs.simd, threads: tfjs.threads, loadMs: tfjsLoadMs }
    : { skipped: tfjs.skipped };
  window.benchResults = { quick: QUICK, environment: env, wasm, generated, results, issue11, sharedQuick,
    tfjs: tfjsInfo, totalMs };
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
