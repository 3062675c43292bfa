// `tactful qa`'s HTML report (issue 16) opens in Chromium with an empty console: no script, no network request, every
// plot drawn. The report is made here by the native tool (`cargo run --features cli`, already built by the native
// test group) on the Online Retail sample, balanced against conservative, and screenshotted to
// test-results/qa/report.png (git-ignored: an artifact, not a fixture).
//
//   node --test tests/e2e/qa.test.mjs
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium } from '../../scripts/chromium.mjs';
import { RESULTS, root } from './harness.mjs';

const dir = join(RESULTS, 'qa');
let browser;
before(async () => {
  mkdirSync(dir, { recursive: true });
  browser = await launchChromium();
});
after(async () => browser?.close());

test('the QA report: self-contained HTML, plots drawn, an empty console', { timeout: 600_000 }, async () => {
  const html = join(dir, 'report.html');
  const json = join(dir, 'report.json');
  execFileSync('cargo', ['run', '--quiet', '--features', 'cli', '--', 'qa',
    '--orders', 'data/online-retail/sample.csv', '--limit', '80',
    '--policy', 'balanced', '--against', 'conservative', '--html', html, '--json', json], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const text = readFileSync(html, 'utf8');
  assert.ok(!/<script/i.test(text), 'no script');
  assert.ok(!/(src|href)=["']?https?:/i.test(text), 'nothing loaded from anywhere');
  const report = JSON.parse(readFileSync(json, 'utf8'));
  assert.equal(report.policy.shoppers, 80);

  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  const log = [];
  const requests = [];
  page.on('console', (m) => log.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => log.push(`uncaught: ${e}`));
  page.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
  try {
    await page.goto(pathToFileURL(html).href);
    await page.locator('footer').waitFor();
    assert.match(await page.locator('h1').innerText(), /balanced against conservative/);
    assert.match(await page.locator('.banner').first().innerText(), /Safe: 0 sensitive exposures, 0 compliance breaches/);
    // Modes, guardrails, slots, long tail, sends per day for both policies, and the diff's two plots.
    const svgs = await page.locator('svg').count();
    assert.ok(svgs >= 12, `${svgs} plots`);
    const box = await page.locator('svg[aria-label="long-tail curve"]').first().boundingBox();
    assert.ok(box && box.width > 100 && box.height > 100, 'the curve is drawn');
    assert.equal(await page.locator('svg[aria-label="long-tail curve"] polyline').count(), 2, 'one long-tail curve per policy');
    assert.equal(await page.locator('svg[aria-label="exposure per product"] polyline').count(), 2, 'one rank-frequency plot per policy');
    await page.screenshot({ path: join(dir, 'report.png'), fullPage: true });
    assert.deepEqual(log, [], 'an empty console');
    assert.deepEqual(requests, [], 'no request beyond the file');
  } finally {
    await context.close();
  }
});
