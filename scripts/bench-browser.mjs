// The browser benchmark: serves www/ and pkg/ on a free loopback port, opens www/bench.html in headless Chromium
// (Debian's /usr/bin/chromium, driven by playwright-core), waits for it to finish and prints its figures, one line per
// measurement. Fails if the page logged a console error or threw. Timings are printed, never asserted.
//
//   bash scripts/build.sh && node scripts/bench-browser.mjs [--quick | --issue11] [--screenshot FILE] [--json FILE]
//
//   --quick           tiny catalogs and few runs (bench.html?quick=1): checks the page works, measures nothing useful
//   --issue11         issue 11's case alone (bench.html?only=issue11): its rows, the Worker, and the shared stage
//                     beside tfjs-backend-wasm and plain JS (write the case first: `tactful bench-case --out
//                     www/bench-case`, and for 64 dims `tactful bench-case --dim 64 --out www/bench-case/dim64`)
//   --screenshot FILE a full-page screenshot of the results
//   --json FILE       window.benchResults as JSON
//   CHROMIUM=path     another Chromium binary (default /usr/bin/chromium)
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CHROMIUM, launchChromium } from './chromium.mjs';
import { startServer } from './serve.mjs';

const TIMEOUT_MS = 10 * 60_000;

const { values: opts } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    issue11: { type: 'boolean', default: false },
    screenshot: { type: 'string' },
    json: { type: 'string' },
  },
});

function table(results) {
  const rows = [['measurement', 'runs', 'calls/run', 'median ms', 'p90 ms', 'p95 ms'],
    ...results.map((r) => [r.name, String(r.runs), String(r.reps), fmt(r.medianMs), fmt(r.p90Ms), fmt(r.p95Ms)])];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const out = [];
  let group = null;
  for (const [i, r] of rows.entries()) {
    const g = i > 0 ? results[i - 1].group : null;
    if (g && g !== group) {
      group = g;
      out.push('', `${g}:`);
    }
    out.push(line(r));
  }
  return out.join('\n');
}

const NATIVE = 'target/issue11-native.json';

/** Issue 11's rows next to their goals; with `cargo bench --features cli --bench issue11` run first, the native ratio. */
function issueGoals(c, results) {
  console.log('\nissue 11 case (100k products, 1,000-event history, k = 20):');
  if (c.skipped) {
    console.log(`  skipped: ${c.skipped}`);
    return;
  }
  const find = (prefix) => results.find((r) => r.name.startsWith(prefix));
  const native = existsSync(NATIVE) ? JSON.parse(readFileSync(NATIVE, 'utf8')) : null;
  // Native figures older than the wasm were taken on other code: say so beside the ratio.
  const WASM = 'pkg/tactful_bg.wasm';
  const stale = native && existsSync(WASM) && statSync(NATIVE).mtimeMs < statSync(WASM).mtimeMs
    ? ` (${NATIVE} is older than ${WASM}: re-run the native bench)` : '';
  const mib = (b) => (b == null ? 'n/a' : `${(b / 1048576).toFixed(1)} MiB`);
  const rows = [
    ['rank p50 / p95, no model', `${fmt(c.rankNoModel.medianMs)} / ${fmt(c.rankNoModel.p95Ms)} ms`, '≤ 3 / ≤ 6 ms'],
    ['rank p50 / p95, 32-dim model', `${fmt(c.rank.medianMs)} / ${fmt(c.rank.p95Ms)} ms`, '≤ 3 ms p50'],
    ['share of rank reading the request, with / without the model',
      `${(100 * c.readShare).toFixed(0)} / ${(100 * c.read.medianMs / c.rankNoModel.medianMs).toFixed(0)} %`,
      'not dominant'],
    ['reading the request: encoded by the wrapper / walked per value',
      `${fmt(c.read.medianMs)} / ${fmt(c.readWalked.medianMs)} ms`,
      `rank without a model: ${fmt(c.rankNoModel.medianMs)} / ${fmt(c.rankNoModelWalked.medianMs)} ms`],
    ['new Engine(packed), 32-dim, f32 / int8',
      `${fmt(find('new Engine(packed bytes): f32').medianMs)} / ${fmt(find('new Engine(packed bytes): int8').medianMs)} ms`,
      '≤ 50 ms'],
    // The page's instance grew for its earlier sections (100k object catalogs) first, and wasm memory never shrinks:
    // the load's own figure, from a fresh instance, is scripts/bench-load.mjs's.
    ['wasm memory after the page\'s runs (fresh instance: bench-load.mjs)', mib(c.memory.afterPackedBuild.wasmBytes),
      '≤ 64 MiB'],
  ];
  if (native) {
    rows.push(['Chromium / native, rank with model', `${(c.rank.medianMs / native.rankModelP50Ms).toFixed(2)}×`,
      `≤ 1.3×${stale}`]);
    rows.push(['Chromium / native, rank no model', `${(c.rankNoModel.medianMs / native.rankNoModelP50Ms).toFixed(2)}×`,
      `≤ 1.3×${stale}`]);
  } else {
    rows.push(['Chromium / native', `run the native bench first (${NATIVE})`, '≤ 1.3×']);
  }
  if (c.rankWorker) {
    rows.push(['rank p50 / p95, 32-dim, WorkerEngine',
      `${fmt(c.rankWorker.medianMs)} / ${fmt(c.rankWorker.p95Ms)} ms`,
      `main-thread Engine in the same runs ${fmt(c.rankMainInTurn.medianMs)} / ${fmt(c.rankMainInTurn.p95Ms)} ms`]);
  }
  // The ratio of the p50s, and the median of the per-run ratios (the ways took turns within each run).
  const ratios = (a, b, perRun) => `${(a.medianMs / b.medianMs).toFixed(2)}× p50s, ${perRun?.toFixed(2) ?? 'n/a'}× per run`;
  for (const scan of [c.scan32, c.scan64]) {
    if (!scan) continue;
    if (scan.skipped) {
      rows.push(['scan 100k × 64', 'skipped', scan.skipped]);
      continue;
    }
    const label = `scan 100k × ${scan.dim}`;
    const pair = (r) => (r ? `${fmt(r.medianMs)} / ${fmt(r.p95Ms)} ms` : 'n/a');
    rows.push([`${label}, ${scan.queries} queries, top ${scan.k}: tactful`, pair(scan.engine),
      'rank − rank with the model minus its embeddings']);
    rows.push([`${label}: tfjs-backend-wasm`, scan.tfjs ? pair(scan.tfjs) : scan.tfjsSkipped, '']);
    if (scan.tfjsNoTopk) rows.push([`${label}: tfjs without topk, for reference`, pair(scan.tfjsNoTopk), '']);
    rows.push([`${label}: plain JS`, pair(scan.js),
      scan.tfjs ? `the same ${scan.kept} products as tfjs, ${scan.tieSwaps} tie swaps` : '']);
    if (scan.tfjs && scan.engine) {
      rows.push([`${label}: tfjs / tactful`, ratios(scan.tfjs, scan.engine, scan.ratios?.tfjsOverEngine),
        '≥ 3× (tactful ≥ 3× faster than tfjs-backend-wasm)']);
    }
    if (scan.modelOther) {
      rows.push([`${label}: the model's other work, for reference`, pair(scan.modelOther),
        'rank with the model minus its embeddings − rank without model']);
    }
    rows.push([`${label}: plain JS / tactful`, ratios(scan.js, scan.engine, scan.ratios?.jsOverEngine), '']);
  }
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  for (const [a, b, goal] of rows) {
    const tail = !goal ? '' : /^[≤≥]/.test(goal) ? `   goal ${goal}` : `   (${goal})`;
    console.log(`  ${a.padEnd(w0)}  ${b.padStart(w1)}${tail}`);
  }
}

function fmt(ms) {
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  if (ms >= 1) return ms.toFixed(2);
  return ms.toFixed(3);
}

const server = await startServer({ port: 0 });
let browser;
let failed = false;
try {
  browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  const warnings = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
    else if (m.type() === 'warning') warnings.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e}`));

  const query = opts.quick ? '?quick=1' : opts.issue11 ? '?only=issue11' : '';
  const url = new URL(`bench.html${query}`, server.url).href;
  console.log(`bench-browser: ${url} in ${CHROMIUM}`);
  const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
  console.log(`load average at the start: ${load()}`);
  await page.goto(url);
  // The page's status line every 30 s, so a slow run shows where it is (and a stuck one where it stopped). A page
  // that logged an error and never started (its script refused, e.g. an out-of-date integrity hash: run
  // scripts/sri.mjs) fails then, not after the whole timeout.
  let stuck;
  const neverStarted = new Promise((_, reject) => { stuck = reject; });
  const progress = setInterval(() => {
    page.locator('#status').textContent({ timeout: 5_000 }).then((t) => {
      console.log(`  … ${t}`);
      if (errors.length && t === 'Loading the engine…') stuck(new Error(`the page never started: ${errors[0]}`));
    }, () => {});
  }, 30_000);
  try {
    await Promise.race([page.locator('body[data-done]').waitFor({ state: 'attached', timeout: TIMEOUT_MS }),
      neverStarted]);
  } finally {
    clearInterval(progress);
  }
  const state = await page.locator('body').getAttribute('data-done');
  const res = await page.evaluate(() => window.benchResults);
  console.log(`load average at the end: ${load()} (other processes on this machine inflate wall-clock times)`);

  if (opts.screenshot) {
    mkdirSync(dirname(resolve(opts.screenshot)), { recursive: true });
    await page.screenshot({ path: opts.screenshot, fullPage: true });
  }
  if (opts.json) {
    mkdirSync(dirname(resolve(opts.json)), { recursive: true });
    writeFileSync(opts.json, `${JSON.stringify(res, null, 2)}\n`);
  }

  const env = res?.environment ?? {};
  console.log(`${env.userAgent ?? ''}`);
  console.log(`cores ${env.cores}, timer resolution ${env.timerResolutionMs} ms, cross-origin isolated ${env.crossOriginIsolated}`);
  if (res?.wasm) {
    console.log(`pkg/tactful_bg.wasm: ${res.wasm.rawBytes} bytes raw, ${res.wasm.gzipBytes} bytes gzip (browser gzip, default level)`);
  }
  if (res?.results?.length) console.log(table(res.results));
  if (res?.totalMs) console.log(`\ntotal ${(res.totalMs / 1000).toFixed(1)} s${res.quick ? ' (quick mode: not a benchmark)' : ''}`);
  if (res?.tfjs) console.log(`tfjs-core + tfjs-backend-wasm: ${res.tfjs.version ? `${res.tfjs.version}, backend ${res.tfjs.backend}, SIMD ${res.tfjs.simd}, threads ${res.tfjs.threads}, loaded in ${res.tfjs.loadMs.toFixed(0)} ms` : res.tfjs.skipped}`);
  if (res?.issue11) issueGoals(res.issue11, res.results);
  for (const w of warnings) console.log(`page warning: ${w}`);

  if (state !== 'true') {
    console.error(`bench-browser: FAILED: the page reports ${state}: ${res?.error ?? 'unknown error'}`);
    failed = true;
  }
  if (errors.length) {
    console.error(`bench-browser: FAILED: the page logged ${errors.length} console error(s):`);
    for (const e of errors) console.error(`  ${e}`);
    failed = true;
  }
} catch (err) {
  console.error(`bench-browser: FAILED: ${err?.stack ?? err}`);
  failed = true;
} finally {
  await browser?.close();
  await server.close();
}
process.exit(failed ? 1 : 0);
