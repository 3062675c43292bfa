import init, { Engine } from 'tactful';
import type { Event, Ranking, TactfulError } from 'tactful';

await init(); // Vite emits tactful_bg.wasm as an asset; init() fetches it

const engine = new Engine([
  { id: 'milk', title: 'Milk', category: ['Grocery', 'Dairy'], lifecycle: { kind: 'consumable', repurchaseDays: 7 } },
  { id: 'bread', title: 'Bread', category: ['Grocery', 'Bakery'] },
  { id: 'kettle', title: 'Kettle', category: ['Home', 'Kitchen'], lifecycle: { kind: 'durable' } },
]);
const history: Event[] = [
  { productId: 'milk', at: '2026-04-19' }, { productId: 'milk', at: '2026-04-26' },
  { productId: 'milk', at: '2026-05-03' }, { productId: 'kettle', at: '2026-04-01' },
];
const ranking: Ranking = engine.rank({
  history,
  preferences: { consent: { personalization: true } },
  context: { now: '2026-05-10', k: 3, seed: 1 },
});

const list = document.querySelector('#items')!;
for (const item of ranking.items) {
  const li = document.createElement('li');
  li.dataset.id = item.productId;
  li.textContent = `${item.productId}: ${item.reasons.map((r) => r.text).join('; ')}`;
  list.append(li);
}
document.querySelector('#held')!.textContent = ranking.removed.map((r) => `${r.productId} ${r.code}`).join(', ');
engine.free();

try {
  engine.rank({ history, context: { now: Date.now() } }); // after free(): a coded error
} catch (e) {
  const err = e as TactfulError;
  document.querySelector('#errors')!.textContent = `${err.code}: ${err.message}`;
}
