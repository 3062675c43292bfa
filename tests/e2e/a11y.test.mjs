// Accessibility and looks: axe-core (an npm devDependency, injected by the test from node_modules, never served by
// the pages) finds no serious or critical violation on any page of www/, before and after consent; a keyboard-only
// walk goes consent → import → mute → erase; and every page is photographed at desktop and phone widths into
// test-results/screenshots/ (git-ignored).
//
//   node --test tests/e2e/a11y.test.mjs        (needs `bash scripts/build.sh` first)
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESULTS, isPolicyNote, root, serverAndBrowser } from './harness.mjs';

const AXE = readFileSync(join(root, 'node_modules/axe-core/axe.min.js'), 'utf8');
const SHOTS = join(RESULTS, 'screenshots');
const PAGES = readdirSync(join(root, 'www')).filter((f) => f.endsWith('.html')).sort();
const WIDTHS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };
const catalog = JSON.parse(readFileSync(join(root, 'www/data/catalog.json'), 'utf8'));

const env = serverAndBrowser(() => mkdirSync(SHOTS, { recursive: true }));

// axe is evaluated into the page by the test: the pages' CSP would refuse it as a script, so these contexts bypass
// the CSP (the canary test checks the policy itself).
async function audit(page) {
  await page.evaluate(AXE);
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
  }));
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

// When a page has drawn itself: the store's cards, the preference center's data-ready; any other page (a page added
// later is audited too), once the network is idle.
// The benchmark page runs in quick mode (its full run takes minutes) and is audited once it has finished.
async function ready(page, name) {
  if (name === 'index.html') await page.locator('#items .card').first().waitFor({ timeout: 30_000 });
  else if (name === 'preferences.html') await page.locator('body[data-ready]').waitFor({ state: 'attached', timeout: 30_000 });
  else if (name === 'bench.html') await page.locator('body[data-done]').waitFor({ state: 'attached', timeout: 60_000 });
  else await page.waitForLoadState('networkidle');
}
const address = (name) => (name === 'bench.html' ? 'bench.html?quick=1' : name);

async function consent(page) {
  await page.goto(env.server.url);
  await page.locator('#items .card').first().waitFor({ timeout: 30_000 });
  await page.locator('#consent-yes').click();
  await page.locator('#privacy').waitFor({ state: 'visible' });
}

describe('accessibility', () => {
  for (const state of ['first visit', 'after consent']) {
    for (const name of PAGES) {
      test(`${name}, ${state}: no serious or critical axe violation; screenshots at both widths`, async () => {
        for (const [label, viewport] of Object.entries(WIDTHS)) {
          const context = await env.browser.newContext({ viewport, bypassCSP: true });
          const page = await context.newPage();
          try {
            if (state === 'after consent') await consent(page);
            await page.goto(new URL(address(name), env.server.url).href);
            await ready(page, name);
            await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
            assert.deepEqual(await audit(page), [], `${name} (${state}, ${label})`);
            const slug = `${name.replace('.html', '')}-${state.replace(' ', '-')}-${label}.png`;
            await page.screenshot({ path: join(SHOTS, slug), fullPage: true });
          } finally {
            await context.close();
          }
        }
      });
    }
  }

  test('keyboard only: consent, import, mute, erase — every stop visibly focused', async () => {
    const context = await env.browser.newContext({ viewport: WIDTHS.desktop });
    const page = await context.newPage();
    const problems = [];
    page.on('console', (m) => {
      if ((m.type() === 'error' || m.type() === 'warning') && !isPolicyNote(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(String(e)));
    // Presses Tab until `selector` has the focus (at most 150 times) and checks that the focus can be seen.
    async function tabTo(selector) {
      for (let i = 0; i < 150; i++) {
        await page.keyboard.press('Tab');
        if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) {
          const visible = await page.evaluate(() => {
            const s = getComputedStyle(document.activeElement);
            return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
          });
          assert.ok(visible, `${selector} has no visible focus indicator`);
          return;
        }
      }
      assert.fail(`Tab never reached ${selector}`);
    }
    try {
      await page.goto(env.server.url);
      await page.locator('#items .card').first().waitFor({ timeout: 30_000 });
      // Consent, with the picker's default shopper.
      await tabTo('#consent-yes');
      await page.keyboard.press('Enter');
      await page.locator('#privacy').waitFor({ state: 'visible' });
      await tabTo('#privacy a[href="preferences.html"]');
      await page.keyboard.press('Enter');
      await page.locator('body[data-ready]').waitFor({ state: 'attached', timeout: 30_000 });

      // Import: the file input opens the chooser from the keyboard.
      const ids = catalog.filter((p) => !p.sensitivity && p.category[0] !== 'Drug & General Merchandise')
        .slice(0, 10).map((p) => p.id);
      const csv = ['customer_id,product_id,at,quantity,order_id,price',
        ...ids.flatMap((id, i) => [1, 2, 3].map((w) => `me,${id},2025-0${w}-1${i % 9}T10:00:00,1,o${w},2.00`))];
      await tabTo('#import-file');
      const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Space')]);
      await chooser.setFiles({ name: 'mine.csv', mimeType: 'text/csv', buffer: Buffer.from(`${csv.join('\n')}\n`) });
      await page.waitForFunction(() => Number(document.body.dataset.imports ?? 0) > 0, null, { timeout: 30_000 });
      assert.match(await page.locator('#import-result').textContent(), /Imported 30 lines/);

      // Mute the first thing the page believes.
      const saves = Number((await page.locator('body').getAttribute('data-saves')) ?? 0);
      await tabTo('button[data-action="mute"]');
      const muted = await page.evaluate(() => document.activeElement.getAttribute('aria-label'));
      await page.keyboard.press('Enter');
      await page.waitForFunction((n) => Number(document.body.dataset.saves ?? 0) > n, saves);
      assert.match(await page.locator('#muted').textContent(), new RegExp(muted.replace(/^Mute /, '')
        .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));

      // Erase: withdraw consent, and the browser keeps nothing.
      await tabTo('#withdraw');
      await page.keyboard.press('Enter');
      await page.locator('#no-consent').waitFor({ state: 'visible' });
      const dbs = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
      assert.ok(!dbs.includes('tactful'), 'erased');
      await page.screenshot({ path: join(SHOTS, 'keyboard-walk-erased.png'), fullPage: true });
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
