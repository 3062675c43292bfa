// The browser benchmark page (www/bench.html) in quick mode: it loads the engine, runs every measurement on tiny
// catalogs, renders its table and publishes window.benchResults, with a quiet console. Timings are never asserted
// here, only that each is a finite positive number; the figures come from `node scripts/bench-browser.mjs`.
// Needs `bash scripts/build.sh` first.
//
//   node --test tests/e2e/*.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { RESULTS, isPolicyNote, serverAndBrowser } from './harness.mjs';

const env = serverAndBrowser();

const positive = (x) => typeof x === 'number' && Number.isFinite(x) && x > 0;

test('bench page, quick mode: every measurement runs and is a finite positive time, a quiet console', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const log = [];
  page.on('console', (m) => {
    if ((m.type() === 'error' || m.type() === 'warning') && !isPolicyNote(m.text())) log.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => log.push(`uncaught: ${e}`));
  try {
    await page.goto(new URL('bench.html?quick=1', env.server.url).href);
    await page.locator('body[data-done]').waitFor({ state: 'attached', timeout: 12_000 });
    const res = await page.evaluate(() => window.benchResults);
    assert.equal(await page.locator('body').getAttribute('data-done'), 'true', `the page failed: ${res?.error}`);
    assert.equal(res.quick, true);

    assert.ok(positive(res.wasm.rawBytes) && positive(res.wasm.gzipBytes) && positive(res.wasm.initMs));
    assert.ok(res.wasm.gzipBytes < res.wasm.rawBytes);

    const names = res.results.map((r) => r.name);
    for (const want of [/^init\(\)/, /^new Engine\(catalog\): index 100 products$/,
      /^new Engine\(catalog\): index 1,000 products$/, /^new Engine\(catalog, \{ model \}\)/,
      /^rank: 60-event history/, /^rank: empty history/, /^profile: 60-event history/,
      /^rank: the sample shopper/, /^rank: no consent/, /^profile: the sample shopper/,
      /^rank through WorkerEngine: 60-event history/, /^32 dims: plain JS/, /^32 dims: tfjs-backend-wasm/]) {
      assert.ok(names.some((n) => want.test(n)), `no measurement matches ${want}`);
    }
    for (const r of res.results) {
      for (const key of ['medianMs', 'p90Ms', 'minMs']) {
        assert.ok(positive(r[key]), `${r.name}: ${key} is ${r[key]}, not a finite positive number`);
      }
      assert.ok(r.minMs <= r.medianMs && r.medianMs <= r.p90Ms, `${r.name}: min <= median <= p90`);
      assert.ok(Number.isInteger(r.runs) && r.runs >= 1 && Number.isInteger(r.reps) && r.reps >= 1, r.name);
    }

    // The shared stage: tfjs-backend-wasm loaded from this origin under the page's CSP, and it kept the same products
    // as plain JS (the page throws when they differ beyond ties).
    assert.match(res.tfjs.version ?? '', /^\d+\.\d+\.\d+$/, `tfjs did not load: ${res.tfjs.skipped}`);
    assert.equal(res.tfjs.backend, 'wasm');
    assert.ok(res.sharedQuick.kept > 0 && res.sharedQuick.kept <= res.sharedQuick.k, `kept ${res.sharedQuick.kept}`);
    assert.ok(Number.isInteger(res.sharedQuick.tieSwaps));
    // Its module came from this server (no CDN): the page asked this origin for the backend's wasm file.
    assert.ok(env.server.requests.some((u) => /^\/vendor\/tfjs-backend-wasm\/tfjs-backend-wasm[-a-z]*\.wasm$/.test(u)),
      'the tfjs wasm was not fetched from this server');

    // The table shows one row per measurement (plus a heading row per group), and no error.
    const groups = new Set(res.results.map((r) => r.group)).size;
    assert.equal(await page.locator('#results tr').count(), res.results.length + groups);
    assert.ok(await page.locator('#error').isHidden());
    await page.screenshot({ path: join(RESULTS, 'bench-quick.png'), fullPage: true });
    assert.deepEqual(log, [], 'the console has errors or warnings');
  } finally {
    await context.close();
  }
});
