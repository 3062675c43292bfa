// Times the wasm build in Node on real data: index the Online Retail sample's products, then profile and rank every
// one of its 1,103 customers through the JS API. Prints the median of 5 runs. Run after scripts/build.sh:
//   node scripts/bench-wasm.mjs
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import init, { Engine } from '../pkg/tactful.js';

const root = fileURLToPath(new URL('..', import.meta.url));
await init({ module_or_path: readFileSync(`${root}pkg/tactful_bg.wasm`) });

// A small CSV reader for this file: quoted fields may hold commas.
function* rows(text) {
  const lines = text.split('\n');
  for (const line of lines.slice(1)) {
    if (!line) continue;
    const out = [];
    let cur = '';
    let quoted = false;
    for (const ch of line) {
      if (ch === '"') quoted = !quoted;
      else if (ch === ',' && !quoted) { out.push(cur); cur = ''; }
      else cur += ch;
    }
    out.push(cur);
    yield out;
  }
}

const products = new Map();
const customers = new Map();
for (const [invoice, code, desc, qty, date, , customer] of rows(readFileSync(`${root}data/online-retail/sample.csv`, 'utf8'))) {
  if (!products.has(code)) products.set(code, { id: code, title: desc.trim() });
  const events = customers.get(customer) ?? [];
  events.push({
    productId: code,
    at: date.replace(' ', 'T') + 'Z',
    type: invoice.startsWith('C') ? 'cancel' : 'purchase',
    quantity: Math.abs(Number(qty)),
    orderId: invoice,
  });
  customers.set(customer, events);
}
const requests = [...customers.values()].map((history) => {
  const last = Math.max(...history.map((e) => Date.parse(e.at)));
  return { history, context: { now: last + 86_400_000, k: 10 } };
});

const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function time(label, fn, runs = 5) {
  const ms = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  console.log(`${label}: median ${median(ms).toFixed(1)} ms over ${runs} runs`);
}

const catalog = [...products.values()];
let engine;
time(`new Engine (${catalog.length} products)`, () => { engine?.free(); engine = new Engine(catalog); });
time(`profile all ${requests.length} customers`, () => { for (const r of requests) engine.profile(r); });
time(`rank all ${requests.length} customers (k = 10)`, () => { for (const r of requests) engine.rank(r); });
engine.free();
