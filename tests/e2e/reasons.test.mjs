// What pkg/README.md says an item's reasons mean holds: its table lists every reason code the engine can give (read
// from the Rust sources), and FEATURED is the catalog's order standing in for popularity when there is no model —
// the default list follows the catalog array, reversing the array reverses it, a model's POPULAR replaces it, and
// history makes it fade.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import init, { Engine } from '../../pkg/tactful.node.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
await init();

const DAY = 86_400_000;
// Eight products in eight departments, so the category cap and diversity do not reorder them and what the shopper
// buys in one says nothing of another.
const catalog = Array.from({ length: 8 }, (_, i) => ({ id: `p${i}`, title: `Product ${i}`, category: [`Dept ${i}`] }));
const request = { history: [], context: { now: 0, k: 8 } };
const ids = (ranking) => ranking.items.map((item) => item.productId);

test('the README lists every reason code the engine gives, and no other', () => {
  // The closed set the engine can return: the ReasonCode union generated from src/contract/codes.rs.
  const types = readFileSync(`${root}src/types.d.ts`, 'utf8');
  const union = types.match(/export type ReasonCode = ([^;]+);/);
  assert.ok(union, 'src/types.d.ts declares ReasonCode');
  const engine = new Set([...union[1].matchAll(/"([A-Z_]+)"/g)].map((m) => m[1]));
  const readme = readFileSync(`${root}pkg/README.md`, 'utf8');
  const table = readme.slice(readme.indexOf("## What an item's reasons mean"), readme.indexOf('**`FEATURED` and'));
  const listed = new Set([...table.matchAll(/^\| `([A-Z_]+)`(?: \/ `([A-Z_]+)`)?/gm)].flatMap((m) => m.slice(1)
    .filter(Boolean)));
  assert.ok(engine.size >= 14, [...engine].join(','));
  assert.deepEqual([...listed].sort(), [...engine].sort());
});

test('without a model or history, the default list is the catalog order, every item FEATURED', () => {
  const engine = new Engine(catalog);
  const ranking = engine.rank(request);
  assert.equal(ranking.mode, 'default');
  assert.deepEqual(ids(ranking), catalog.map((p) => p.id));
  assert.ok(ranking.items.every((item) => item.reasons[0].code === 'FEATURED' && item.slot === 'popular'));
  const scores = ranking.items.map((item) => item.score);
  assert.ok(scores.every((s, i) => i === 0 || s < scores[i - 1]), `scores fall with the position: ${scores}`);
  const reversed = new Engine([...catalog].reverse());
  assert.deepEqual(ids(reversed.rank(request)), catalog.map((p) => p.id).reverse(), 'the order is the array order');
  engine.free();
  reversed.free();
});

test('with a model, POPULAR replaces FEATURED and the model orders the list', () => {
  const model = { version: 1, minCustomers: 1, popularity: [['p7', 1], ['p6', 0.5]], trending: [], repeat: [],
    neighbours: [], dim: 0, embeddings: [] };
  const engine = new Engine(catalog, { model });
  const ranking = engine.rank(request);
  assert.deepEqual(ids(ranking).slice(0, 2), ['p7', 'p6']);
  assert.ok(ranking.items.every((item) => item.reasons.every((r) => r.code !== 'FEATURED')));
  assert.equal(ranking.items[0].reasons[0].code, 'POPULAR');
  engine.free();
});

test('with history, FEATURED fades: the same product weighs less of it', () => {
  const engine = new Engine(catalog);
  const featured = (ranking, id) => ranking.items.find((item) => item.productId === id);
  const none = engine.rank(request);
  const some = engine.rank({
    history: [{ productId: 'p5', at: 0 }, { productId: 'p5', at: 7 * DAY }, { productId: 'p3', at: 14 * DAY }],
    preferences: { consent: { personalization: true } },
    context: { now: 20 * DAY, k: 8 },
  });
  assert.notEqual(some.mode, 'default');
  assert.equal(ids(some)[0], 'p5', 'what the shopper buys comes before the catalog order');
  // p0 has no personal evidence in either ranking: its score is its FEATURED weight alone, smaller with history (it
  // may fill a discovery slot, which says so and changes no score).
  assert.deepEqual(featured(some, 'p0').reasons.map((r) => r.code).filter((c) => c !== 'DISCOVERY'), ['FEATURED']);
  assert.ok(featured(some, 'p0').score > 0);
  assert.ok(featured(some, 'p0').score < featured(none, 'p0').score,
    `${featured(some, 'p0').score} < ${featured(none, 'p0').score}`);
  engine.free();
});
