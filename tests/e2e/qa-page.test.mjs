// www/qa.html (issue 16): the policy QA report in the browser over the demo personas and over an imported order
// file, with a quiet console. Needs `bash scripts/build.sh` first (both wasm modules).
//
//   node --test tests/e2e/qa-page.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESULTS, isPolicyNote, root, serverAndBrowser } from './harness.mjs';

const env = serverAndBrowser();

async function open(env) {
  const context = await env.browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  const log = [];
  page.on('console', (m) => { if (!isPolicyNote(m.text())) log.push(`${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => log.push(`uncaught: ${e}`));
  await page.goto(new URL('qa.html', env.server.url).href);
  await page.locator('body[data-done]').waitFor({ state: 'attached', timeout: 60_000 });
  return { context, page, log };
}

test('qa.html over the demo personas: safe, every mode explained, the diff against conservative', async () => {
  const { context, page, log } = await open(env);
  try {
    const r = await page.evaluate(() => window.qaReport);
    assert.equal(await page.locator('body').getAttribute('data-done'), 'true', r.error);
    const p = r.policy;
    assert.equal(p.shoppers, 8);
    assert.equal(p.safety.sensitiveExposures, 0, JSON.stringify(p.safety.examples));
    assert.equal(p.safety.complianceBreaches, 0);
    assert.equal(p.modes.default + p.modes.blended + p.modes.personal, 8);
    for (const why of ['default: no history', 'default: no consent', 'default: thin data (THIN_DATA)']) {
      assert.ok(p.modes.why[why] >= 1, `${why}: ${JSON.stringify(p.modes.why)}`);
    }
    const sens = p.guardrails.find((g) => g.code === 'SENSITIVE_CLASS');
    assert.ok(sens && sens.examples.length === 0 && !sens.named, 'counted, never named');
    // Examples are the engine's own words, and never a product of a sensitive class.
    const catalog = JSON.parse(readFileSync(join(root, 'www/data/catalog.json'), 'utf8'));
    const sensitive = new Set(catalog.filter((x) => x.sensitivity).map((x) => x.id));
    const examples = p.guardrails.flatMap((g) => g.examples);
    assert.ok(examples.length > 0 && examples.every((e) => e.text && !sensitive.has(e.productId)));
    assert.ok(r.diff && r.diff.shoppers === 8 && r.diff.meanRbo <= 1);
    assert.equal(r.diff.rboHistogram.reduce((a, b) => a + b, 0), 8);
    assert.ok(await page.locator('svg').count() >= 10);
    await page.screenshot({ path: join(RESULTS, 'qa-page.png'), fullPage: true });

    // The same policy against itself: an empty diff.
    await page.fill('#against', 'balanced');
    await page.click('#run');
    await page.locator('body[data-done]').waitFor({ state: 'attached' });
    const same = await page.evaluate(() => window.qaReport.diff);
    assert.equal(same.changed, 0);
    assert.equal(same.meanRbo, 1);
    assert.deepEqual([same.gainers.length, same.losers.length, same.guardrails.length], [0, 0, 0]);
    assert.match(await page.locator('#report section').nth(1).innerText(), /No change/);
    assert.deepEqual(log, [], 'a quiet console');
  } finally {
    await context.close();
  }
});

test('qa.html over an imported order file: every customer is a shopper', async () => {
  const { context, page, log } = await open(env);
  try {
    const catalog = JSON.parse(readFileSync(join(root, 'www/data/catalog.json'), 'utf8'));
    const plain = catalog.filter((x) => !x.sensitivity).map((x) => x.id);
    let csv = 'customer_id,product_id,at,quantity,order_id\n';
    for (let c = 0; c < 30; c++) {
      for (let o = 0; o < 1 + (c % 4); o++) {
        for (let j = 0; j < 3; j++) csv += `c${c},${plain[(c * 7 + o * 5 + j * 3) % plain.length]},2025-0${1 + o}-1${c % 9}T10:00:00Z,1,c${c}-${o}\n`;
      }
    }
    await page.setInputFiles('#file', { name: 'orders.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.waitForFunction(() => window.qaReport?.policy?.shoppers === 30, null, { timeout: 60_000 });
    const r = await page.evaluate(() => window.qaReport);
    assert.equal(r.policy.safety.sensitiveExposures, 0);
    assert.ok(r.policy.modes.why['default: thin data (THIN_DATA)'] >= 1, 'the one-order customers');
    assert.ok(r.policy.exposure.shown > 0);
    assert.match(await page.locator('#report .meta').first().innerText(), /orders\.csv: 30 shoppers/);
    assert.deepEqual(log, [], 'a quiet console');
  } finally {
    await context.close();
  }
});
