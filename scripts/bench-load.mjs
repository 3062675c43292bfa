// Issue 11's packed load in a fresh Chromium page (a plain file of this origin, so no page script runs first), one fresh wasm instance per measurement (so the wasm memory
// figure is the load's own: an instance's memory only grows, and the bench page's earlier sections grow it first):
// `new Engine(bytes)` for www/bench-case/catalog.pack (100k products, a 32-dim model; `tactful bench-case --out
// www/bench-case` writes it), on the main thread and through pkg/worker.js. Prints figures; asserts nothing.
//
//   bash scripts/build.sh && node scripts/bench-load.mjs [--runs 7] [--file catalog.pack]
import { parseArgs } from 'node:util';
import { launchChromium } from './chromium.mjs';
import { startServer } from './serve.mjs';

const { values: opts } = parseArgs({ options: { runs: { type: 'string', default: '7' },
  file: { type: 'string', default: 'catalog.pack' } } });
const server = await startServer({ port: 0 });
const browser = await launchChromium();
const mib = (b) => `${(b / 1048576).toFixed(1)} MiB`;
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
try {
  const main = [];
  const seconds = [];
  const memory = [];
  let bytes = 0;
  let size = 0;
  for (let i = 0; i < Number(opts.runs); i++) {
    const page = await browser.newPage();
    await page.goto(`${server.url}pkg/README.md`, { waitUntil: 'domcontentloaded' });
    const r = await page.evaluate(async (file) => {
      const tactful = await import('/pkg/tactful.js');
      const wasm = await tactful.default();
      const packed = new Uint8Array(await (await fetch(`/bench-case/${file}`)).arrayBuffer());
      const before = wasm.memory.buffer.byteLength;
      const t0 = performance.now();
      const engine = new tactful.Engine(packed);
      const ms = performance.now() - t0;
      const after = wasm.memory.buffer.byteLength;
      const size = engine.size;
      engine.free();
      // A second load in the same instance: its functions have had time to tier up from V8's baseline compiler.
      const t1 = performance.now();
      new tactful.Engine(packed).free();
      const second = performance.now() - t1;
      return { ms, second, before, after, bytes: packed.byteLength, size };
    }, opts.file);
    main.push(r.ms);
    seconds.push(r.second);
    memory.push(r);
    bytes = r.bytes;
    size = r.size;
    await page.close();
  }
  const page = await browser.newPage();
  await page.goto(`${server.url}pkg/README.md`, { waitUntil: 'domcontentloaded' });
  const worker = await page.evaluate(async ({ file, runs }) => {
    const { WorkerEngine } = await import('/pkg/worker.js');
    const packed = new Uint8Array(await (await fetch(`/bench-case/${file}`)).arrayBuffer());
    const module = await WebAssembly.compileStreaming(fetch('/pkg/tactful_bg.wasm'));
    const out = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const e = await WorkerEngine.create(packed, { wasm: module });
      out.push(performance.now() - t0);
      e.terminate();
    }
    return out;
  }, { file: opts.file, runs: Number(opts.runs) });
  await page.close();
  console.log(`${opts.file}: ${bytes} bytes, ${size} products, ${opts.runs} fresh pages`);
  console.log(`  new Engine(bytes), main thread:   median ${median(main).toFixed(1)} ms  (runs: ${main.map((v) => v.toFixed(0)).join(', ')})`);
  console.log(`  the second load in the same instance: median ${median(seconds).toFixed(1)} ms  (runs: ${seconds.map((v) => v.toFixed(0)).join(', ')})`);
  console.log(`  WorkerEngine.create(bytes):       median ${median(worker).toFixed(1)} ms  (a new Worker each: start, instantiate, copy, read)`);
  const m = memory[0];
  console.log(`  wasm memory: ${mib(m.before)} after init, ${mib(m.after)} after the load (goal ≤ 64 MiB)`);
} finally {
  await browser.close();
  await server.close();
}
