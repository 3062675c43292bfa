// The demo pages on pkg/worker.js, in a real Chromium: the store and the preference center run the engine in a Worker
// that reads the shopper's history from IndexedDB itself. Proved from the outside: the page's own thread never
// instantiates the wasm (every WebAssembly instantiation on it is counted), no message the page posts to a Worker
// carries a history, the ranking on screen equals the main-thread Engine's for the same stored history (computed here
// afterwards, at the same fixed time), and a history the page writes changes the next ranking. Without Workers the
// pages fall back to the main thread and show the same. Needs `bash scripts/build.sh` first.
//
//   node --test tests/e2e/worker-pages.test.mjs
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isPolicyNote, serverAndBrowser } from './harness.mjs';

const env = serverAndBrowser();
// One fixed moment for the page's clock: the personas' histories are moved to end two days before it, and the
// rankings computed here afterwards use the same `now`.
const NOW = Date.UTC(2026, 2, 2, 12, 0, 0);
const WORKER_ENTRY = '/pkg/worker-entry.js';

// Counts WebAssembly instantiations on the page's thread and records what the page posts to Workers; with
// `noWorker`, removes Worker before any page script runs (as in a browser without Workers).
function watch({ noWorker }) {
  window.wasmInstances = 0;
  const count = (f) => function counted(...args) {
    window.wasmInstances += 1;
    return f.apply(this, args);
  };
  WebAssembly.instantiate = count(WebAssembly.instantiate);
  WebAssembly.instantiateStreaming = count(WebAssembly.instantiateStreaming);
  const Instance = WebAssembly.Instance;
  WebAssembly.Instance = function CountedInstance(...args) {
    window.wasmInstances += 1;
    return new Instance(...args);
  };
  WebAssembly.Instance.prototype = Instance.prototype;
  window.posted = [];
  if (noWorker) {
    delete window.Worker;
    return;
  }
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function record(msg, ...rest) {
    window.posted.push({ op: msg?.op, history: Boolean(msg?.request && 'history' in msg.request), from: msg?.from });
    return post.call(this, msg, ...rest);
  };
}

async function open(path, { noWorker = false } = {}) {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const log = { console: [], errors: [] };
  page.on('console', (m) => {
    if ((m.type() === 'error' || m.type() === 'warning') && !isPolicyNote(m.text())) log.console.push(m.text());
  });
  page.on('pageerror', (e) => log.errors.push(String(e)));
  await page.clock.setFixedTime(NOW);
  await page.addInitScript(watch, { noWorker });
  await page.goto(`${env.server.url}${path}`);
  return { context, page, log };
}

const cardIds = (page) => page.locator('#items .card').evaluateAll((cards) => cards.map((c) => c.dataset.productId));

async function consent(page) {
  await page.locator('#items .card').first().waitFor({ timeout: 30_000 });
  await page.locator('#consent-yes').click();
  await page.waitForFunction(() => document.querySelector('#mode')?.dataset.mode !== 'default');
}

// What the page saw of its own thread and its Workers: read before the test instantiates anything itself.
function seen(page) {
  return page.evaluate((entry) => ({
    wasmInstances: window.wasmInstances,
    posted: window.posted,
    hasWorker: typeof Worker === 'function',
    entry,
  }), WORKER_ENTRY);
}

// In the page: a main-thread Engine over the demo's catalog and model, with storage.js, made once per document
// (`window.mainThread`, a promise); the expected* helpers below compare the Worker's results with it.
function mainThread(page) {
  return page.evaluate(() => {
    window.mainThread ??= (async () => {
      const { default: init, Engine } = await import('/pkg/tactful.js');
      const storage = await import('/pkg/storage.js');
      await init();
      const get = async (name) => (await fetch(`/data/${name}`)).json();
      return { engine: new Engine(await get('catalog.json'), { model: await get('model.json') }), storage };
    })();
  });
}

// The main-thread Engine's ranking of what is stored now, as the store asks for it (same context, same `now`).
async function expectedRanking(page) {
  await mainThread(page);
  return page.evaluate(async () => {
    const { engine, storage } = await window.mainThread;
    const consent = await storage.loadConsent();
    const stored = consent ? await storage.loadPreferences() : {};
    const ranking = engine.rank({
      history: consent ? await storage.loadHistory() : [],
      preferences: { ...stored, consent: { ...stored.consent, personalization: Boolean(consent) } },
      context: { now: Date.now(), k: 12, surface: 'home', seed: 1 },
    });
    return ranking.items.map((i) => i.productId);
  });
}

function workerUrls(page) {
  return page.workers().map((w) => new URL(w.url()).pathname);
}

describe('the store on the Worker', () => {
  test('ranks in a Worker that reads the stored history: no wasm on the page, no history posted, same ranking',
    async () => {
      const { context, page, log } = await open('');
      try {
        await consent(page);
        const first = await cardIds(page);
        assert.deepEqual(workerUrls(page), [WORKER_ENTRY], 'one Worker, the package entry');
        // A persona switch: the page writes another history, then asks the Worker for a ranking again.
        await page.locator('#switch summary').click();
        await page.locator('input[name="persona-switch"][value="household-148"]').check();
        await page.locator('#switch-apply').click();
        await page.waitForFunction((before) => {
          const ids = [...document.querySelectorAll('#items .card')].map((c) => c.dataset.productId);
          return ids.length > 0 && ids.join() !== before;
        }, first.join());
        const second = await cardIds(page);
        const s = await seen(page);
        assert.equal(s.wasmInstances, 0, 'the page thread never instantiated the engine');
        const ranks = s.posted.filter((m) => m.op === 'rank');
        assert.ok(ranks.length >= 3, `rank calls posted: ${ranks.length}`);
        for (const m of s.posted) assert.equal(m.history, false, `a ${m.op} message carried a history`);
        for (const m of ranks) assert.deepEqual(m.from, { history: true, preferences: true });
        assert.equal(s.posted.filter((m) => m.op === 'load').length, 1);
        assert.deepEqual(second, await expectedRanking(page), 'the main-thread Engine ranks the stored history so');
        assert.notDeepEqual(second, first, 'the history the page wrote changed the ranking');
        assert.deepEqual(log.console, []);
        assert.deepEqual(log.errors, []);
      } finally {
        await context.close();
      }
    });

  test('the first persona\'s ranking, in the Worker, equals the main-thread Engine\'s', async () => {
    const { context, page, log } = await open('');
    try {
      await consent(page);
      const shown = await cardIds(page);
      assert.equal((await seen(page)).wasmInstances, 0);
      assert.deepEqual(shown, await expectedRanking(page));
      assert.deepEqual(log.errors, []);
    } finally {
      await context.close();
    }
  });

  test('without Workers it ranks on the main thread and shows the same', async () => {
    const { context, page, log } = await open('', { noWorker: true });
    try {
      await consent(page);
      const shown = await cardIds(page);
      const s = await seen(page);
      assert.equal(s.hasWorker, false);
      assert.deepEqual(workerUrls(page), []);
      assert.ok(s.wasmInstances >= 1, 'the fallback instantiated the engine on the page thread');
      assert.deepEqual(shown, await expectedRanking(page));
      assert.notEqual(await page.locator('#mode').getAttribute('data-mode'), 'default');
      assert.deepEqual(log.console, []);
      assert.deepEqual(log.errors, []);
    } finally {
      await context.close();
    }
  });
});

describe('the preference center on the Worker', () => {
  // Consent and a persona's history, given on the store; then the preference center in the same browser profile.
  async function centerAfterConsent(options) {
    const opened = await open('', options);
    await consent(opened.page);
    await opened.page.goto(`${env.server.url}preferences.html`);
    await opened.page.waitForFunction(() => document.body.dataset.ready === 'true');
    return opened;
  }

  // The main-thread Engine's profile of what is stored, as the page shows parts of it.
  async function expectedProfile(page) {
    await mainThread(page);
    return page.evaluate(async () => {
      const { engine, storage } = await window.mainThread;
      const prefs = await storage.loadPreferences();
      const profile = engine.profile({
        history: await storage.loadHistory(),
        preferences: { ...prefs, consent: { email: false, push: false, ...prefs.consent, personalization: true } },
        context: { now: Date.now() },
      });
      return { mode: profile.mode, brands: profile.brands.map((b) => b.brand), due: profile.dueSoon.map((d) => d.productId) };
    });
  }

  const shownProfile = (page) => page.evaluate(() => ({
    mode: document.querySelector('#lead').dataset.mode,
    brands: [...document.querySelectorAll('#brands [data-brand]')].map((b) => b.dataset.brand),
    due: [...document.querySelectorAll('#due [data-product-id]')].map((d) => d.dataset.productId),
  }));

  test('profiles in a Worker from the stored history; a mute is checked there, saved, and shown', async () => {
    const { context, page, log } = await centerAfterConsent();
    try {
      assert.deepEqual(workerUrls(page), [WORKER_ENTRY]);
      const before = await shownProfile(page);
      assert.ok(before.brands.length > 0, 'brands are shown');
      const brand = before.brands[0];
      await page.locator(`[data-brand="${brand}"] [data-action="mute"]`).click();
      await page.waitForFunction(() => document.body.dataset.saves === '1');
      const s = await seen(page);
      assert.equal(s.wasmInstances, 0, 'the page thread never instantiated the engine');
      const profiles = s.posted.filter((m) => m.op === 'profile');
      assert.equal(profiles.length, 2, 'the first profile and the mute');
      for (const m of s.posted) assert.equal(m.history, false, `a ${m.op} message carried a history`);
      for (const m of profiles) assert.deepEqual(m.from, { history: true, preferences: false });
      assert.equal(await page.locator(`[data-brand="${brand}"] [data-action="unmute"]`).count(), 1);
      assert.deepEqual(await shownProfile(page), await expectedProfile(page));
      assert.deepEqual(log.console, []);
      assert.deepEqual(log.errors, []);
    } finally {
      await context.close();
    }
  });

  test('without Workers it profiles on the main thread and shows the same', async () => {
    const { context, page, log } = await centerAfterConsent({ noWorker: true });
    try {
      assert.deepEqual(workerUrls(page), []);
      assert.ok((await seen(page)).wasmInstances >= 1);
      const shown = await shownProfile(page);
      assert.ok(shown.brands.length > 0);
      assert.deepEqual(shown, await expectedProfile(page));
      assert.deepEqual(log.errors, []);
    } finally {
      await context.close();
    }
  });
});
