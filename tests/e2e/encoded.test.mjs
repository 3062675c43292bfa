// The package's wrapper (pkg/tactful.js) hands a request, or a catalog and its options, to the engine as four flat
// buffers it encodes in JavaScript (src/read/encoded.rs), falling back to the engine's own per-value walk for what it
// does not encode. Both paths must give the same thing for every input: the same ranking, profile or engine, and for
// bad input the same error (code, path and message). Here every outcome of the wrapper is compared with the glue's
// own `Engine` (the walk) on the demo's data, on hand-picked awkward values, and on 400 random mutations of a request;
// a counter on the encoded entry points shows which path each call took, so the comparison cannot pass by never
// encoding anything.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import init, { Engine } from '../../pkg/tactful.node.js';
import { Engine as Glue } from '../../pkg/tactful_glue.js';

const data = (f) => JSON.parse(readFileSync(new URL(`../../www/data/${f}`, import.meta.url), 'utf8'));
const catalog = data('catalog.json');
const model = data('model.json');
const history = data('history.json');
const NOW = '2026-05-10T12:00:00Z';

// How many calls took each encoded entry point.
const encoded = { rank: 0, profile: 0, build: 0 };
const count = (obj, name, key) => {
  const original = obj[name];
  obj[name] = function counted(...args) {
    encoded[key] += 1;
    return original.apply(this, args);
  };
};
count(Glue.prototype, 'rankEncoded', 'rank');
count(Glue.prototype, 'profileEncoded', 'profile');
count(Glue, 'fromEncoded', 'build');

/** The outcome of `f`: its value, or the error's code, path and message. */
function outcome(f) {
  try {
    return { ok: f() };
  } catch (e) {
    return { error: { code: e.code, path: e.path, message: e.message } };
  }
}

let wrapped;
let walked;
before(async () => {
  await init();
  wrapped = new Engine(catalog, { model });
  walked = new Glue(catalog, { model });
});

/** Ranks (or profiles) `request` both ways; returns whether the wrapper encoded it. */
function same(request, what = 'rank') {
  const before = encoded[what];
  const a = outcome(() => wrapped[what](request));
  const b = outcome(() => walked[what](request));
  assert.deepStrictEqual(a, b, `${what} of ${describe(request)}`);
  return encoded[what] > before;
}

const describe = (v) => {
  try {
    return JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? `${x}n` : x))?.slice(0, 300) ?? String(v);
  } catch {
    return String(v);
  }
};

test('the demo history: rankings and profiles are the same by both paths, and the wrapper encoded them', () => {
  const start = { ...encoded };
  for (const surface of ['home', 'email', 'cart', 'product']) {
    for (const k of [1, 12, 50]) {
      const context = { now: NOW, surface, k, seed: k };
      if (surface === 'product') context.seedProductId = history[0].productId;
      if (surface === 'cart') context.cart = [history[1].productId];
      assert.ok(same({ history, context }), `not encoded: ${surface} k=${k}`);
      assert.ok(same({ history, context, preferences: { sharedDevice: true, muted: { categories: ['Beer'] } } }));
    }
  }
  assert.ok(same({ history, context: { now: Date.parse(NOW) } }, 'profile'));
  assert.ok(same({ history, context: { now: new Date(NOW) } }, 'profile'));
  assert.equal(encoded.rank - start.rank, 24);
  assert.equal(encoded.profile - start.profile, 2);
  // And the rankings are not empty: the comparison compared something.
  assert.ok(wrapped.rank({ history, context: { now: NOW, k: 12 } }).items.length > 0);
});

test('awkward values: the same error or result by both paths', () => {
  const ev = history[0];
  // `n` arrays around a string: as `context.cart`, the string sits n + 2 levels below the request.
  const nest = (n) => (n === 0 ? 'deep' : [nest(n - 1)]);
  const cases = [
    // Encoded: plain values the readers refuse, with their paths.
    [{ history: [{ ...ev, quantity: Number.NaN }], context: { now: NOW } }, true],
    [{ history: [{ ...ev, quantity: Infinity }], context: { now: NOW } }, true],
    [{ history: [{ ...ev, quantity: '2' }], context: { now: NOW } }, true],
    [{ history: [{ ...ev, colour: 'red' }], context: { now: NOW } }, true],
    [{ history: [ev, , ev], context: { now: NOW } }, true], // a hole: null
    [{ history: [{ ...ev, at: new Date(Number.NaN) }], context: { now: NOW } }, true],
    [{ history: [{ ...ev, at: new Date(NOW) }], context: { now: new Date(NOW) } }, true],
    [{ history: [{ ...ev, price: undefined, orderId: null }], context: { now: NOW } }, true],
    [{ history: [{ ...ev, productId: 'Crème brûlée – 20 % off' }], context: { now: NOW } }, true],
    [{ history: [{ ...ev, productId: '' }], context: { now: NOW } }, true],
    [{ history: [{ ...ev, productId: 'x'.repeat(300) }], context: { now: NOW } }, true],
    [{ history: {}, context: { now: NOW } }, true],
    [{ history: [], context: { now: NOW, k: 0 } }, true],
    [{ history: [], context: { now: NOW, k: 201 } }, true],
    [{ history: [], context: {} }, true],
    [{ history: [] }, true],
    [[], true],
    [null, true],
    [undefined, true],
    [5, true],
    ['request', true],
    [new Map([['history', []]]), true],
    [{ history: [], context: { now: NOW }, preferences: { forgotten: new Array(1001).fill('x') } }, true],
    [{ history: [], context: { now: NOW, cart: nest(14) } }, true], // the string 16 levels down: read
    // Not encoded: the engine's own walk answers.
    [{ history: [], context: { now: NOW, cart: nest(15) } }, false], // 17 levels down: too deep
    [{ history: [{ ...ev, productId: () => 'x' }], context: { now: NOW } }, false],
    [{ history: [{ ...ev, quantity: 2n }], context: { now: NOW } }, false],
    [{ history: [{ ...ev, productId: Symbol('x') }], context: { now: NOW } }, false],
    [{ history: [{ ...ev, productId: 'emoji 🛒' }], context: { now: NOW } }, false], // a surrogate pair
    [{ history: [{ ...ev, productId: 'lone \uD800' }], context: { now: NOW } }, false],
    [{ history: [], context: { now: NOW, ['k\uDC00']: 1 } }, false],
    [{ history: [Object.defineProperty({ ...ev }, 'quantity', { enumerable: true, get() { throw new Error('no'); } })],
      context: { now: NOW } }, false],
    [{ history: new Array(50_001).fill(ev), context: { now: NOW } }, false], // over the limit: refused unread
    [{ history: [], impressions: new Array(50_001).fill({}), context: { now: NOW } }, false],
    [{ history: [], context: { now: NOW }, impressions: () => [] }, false],
  ];
  for (const [request, expectEncoded] of cases) {
    assert.equal(same(request), expectEncoded, `encoded? ${describe(request)}`);
    assert.equal(same(request, 'profile'), expectEncoded, `profile encoded? ${describe(request)}`);
  }
});

test('400 random mutations of a request: the same outcome by both paths, most of them encoded', () => {
  let seed = 11;
  const rnd = (n) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const values = () => [
    null, undefined, true, false, 0, -1, 1.5, 1e308, Number.NaN, -Infinity, 2 ** 53 + 2, '', 'home', 'email', 'x',
    'ümlaut', '2026-05-01', NOW, new Date(NOW), [], [1, 'a'], {}, { a: 1 }, history[rnd(history.length)].productId,
    'Ωmega', 'a\u0301', '日本', 'purchase', 'return', 'strict', 'off',
  ];
  const paths = [
    ['context', 'k'], ['context', 'surface'], ['context', 'now'], ['context', 'seed'], ['context', 'seedProductId'],
    ['context', 'cart'], ['context', 'device'], ['context', 'eligibility'], ['preferences'],
    ['preferences', 'consent'], ['preferences', 'sharedDevice'], ['preferences', 'forgotten'],
    ['preferences', 'muted'], ['preferences', 'interests'], ['impressions'], ['history'], ['extra'],
    ['history', 0, 'quantity'], ['history', 0, 'type'], ['history', 0, 'at'], ['history', 1, 'productId'],
    ['history', 2, 'gift'], ['history', 2, 'shipTo'], ['history', 3, 'member'], ['history', 3, 'price'],
  ];
  let encodedCalls = 0;
  for (let i = 0; i < 400; i++) {
    const request = structuredClone({ history: history.slice(0, 12), context: { now: NOW, k: 10 } });
    for (let m = 0; m <= rnd(3); m++) {
      const path = paths[rnd(paths.length)];
      let at = request;
      for (const key of path.slice(0, -1)) {
        if (at[key] === null || typeof at[key] !== 'object') at[key] = typeof key === 'number' ? [] : {};
        at = at[key];
      }
      const pool = values();
      at[path.at(-1)] = pool[rnd(pool.length)];
    }
    if (same(request, i % 4 === 3 ? 'profile' : 'rank')) encodedCalls += 1;
  }
  // Only strings with surrogates fall back, and the pool has none: every call was encoded.
  assert.equal(encodedCalls, 400);
});

test('new Engine from objects: the same engine, or the same error, by both paths', () => {
  const start = encoded.build;
  const k = { history, context: { now: NOW, k: 20 } };
  const small = catalog.slice(0, 200);
  const pairs = [
    [small, undefined],
    [small, null],
    [small, { policy: 'bold' }],
    [catalog, { model, policy: { preset: 'conservative' } }],
  ];
  for (const [c, o] of pairs) {
    const a = new Engine(c, o);
    const b = new Glue(c, o);
    assert.deepStrictEqual(a.rank(k), b.rank(k));
    assert.equal(a.size, b.size);
  }
  const deep = (n) => (n === 0 ? 'x' : [deep(n - 1)]);
  const bad = [
    [[{ ...catalog[0], price: '1' }], undefined],
    [[{ ...catalog[0], colour: 'red' }], undefined],
    [[{ ...catalog[0] }, { ...catalog[0] }], undefined],
    [[{ ...catalog[0], category: deep(14) }], undefined], // 16 levels down: read, and encoded
    [[{ ...catalog[0], category: deep(15) }], undefined], // 17 levels down: too deep, not encoded
    [[catalog[0]], { policy: 'reckless' }],
    [[catalog[0]], { model: { ...model, version: 99 } }],
    [[catalog[0]], { colour: 1 }],
    [[catalog[0]], 7],
    [[{ ...catalog[0], title: 'ok' }], { policy: () => 1 }], // a function in the options: not encoded
    [[], undefined],
  ];
  for (const [c, o] of bad) {
    const a = outcome(() => new Engine(c, o));
    const b = outcome(() => new Glue(c, o));
    if (a.ok) {
      assert.ok(b.ok, `${describe(c)}: the wrapper built an engine, the walk refused (${b.error?.message})`);
    } else {
      assert.deepStrictEqual(a.error, b.error, describe([c, o]));
    }
  }
  // Every objects catalog above was encoded except the two the walk must answer.
  assert.equal(encoded.build - start, pairs.length + bad.length - 2);
});
