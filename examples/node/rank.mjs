// Ranks a small catalog for one shopper under Node, from the installed package: `npm install tactful`, then
// `node rank.mjs`. The same code as pkg/README.md's "Use it from Node" (tests/e2e/package.test.mjs runs it).
import init, { Engine } from 'tactful';
import initMessage, { lintCopy } from 'tactful/message';

await init(); // under Node, reads tactful_bg.wasm from the installed package
const engine = new Engine([
  { id: 'milk', title: 'Milk', category: ['Grocery', 'Dairy'], lifecycle: { kind: 'consumable', repurchaseDays: 7 } },
  { id: 'bread', title: 'Bread', category: ['Grocery', 'Bakery'] },
  { id: 'kettle', title: 'Kettle', category: ['Home', 'Kitchen'], lifecycle: { kind: 'durable' } },
]);
const ranking = engine.rank({
  history: [
    { productId: 'milk', at: '2026-04-19' }, { productId: 'milk', at: '2026-04-26' },
    { productId: 'milk', at: '2026-05-03' }, { productId: 'kettle', at: '2026-04-01' },
  ],
  preferences: { consent: { personalization: true } },
  context: { now: '2026-05-10', k: 3, seed: 1 },
});
for (const item of ranking.items) console.log(item.productId, item.reasons.map((r) => r.code).join(','));
for (const held of ranking.removed) console.log(`(${held.productId} held back: ${held.code})`);
engine.free();

await initMessage(); // the messaging helpers are a second module, with their own wasm
console.log(lintCopy({ subject: '{FNAME}, cheap finds for you' }).map((issue) => issue.code).join(','));
