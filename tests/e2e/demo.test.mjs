// End-to-end tests of the demo store in a real Chromium (Debian's /usr/bin/chromium, driven by playwright-core):
// the page loads, the WebAssembly engine ranks, the console stays empty, and the shopper's history never leaves the
// browser. Needs `bash scripts/build.sh` first (pkg/tactful.js and pkg/tactful_bg.wasm).
//
//   node --test tests/e2e/*.test.mjs
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESULTS, isPolicyNote, serverAndBrowser } from './harness.mjs';

const env = serverAndBrowser();

// A fresh browser profile per test (empty IndexedDB), recording everything the page says and sends.
async function open() {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const log = { console: [], errors: [], requests: [] };
  page.on('console', (m) => {
    if ((m.type() === 'error' || m.type() === 'warning') && !isPolicyNote(m.text())) log.console.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => log.errors.push(String(e)));
  context.on('request', (r) => log.requests.push({ url: r.url(), method: r.method(), body: r.postData() ?? '',
    headers: JSON.stringify(r.headers()) }));
  await page.goto(env.server.url);
  await cardsShown(page);
  return { context, page, log };
}

async function cardsShown(page) {
  await page.locator('#items .card').first().waitFor({ timeout: 30_000 });
}

async function mode(page) {
  return page.locator('#mode').getAttribute('data-mode');
}

function assertQuiet(log) {
  assert.deepEqual(log.console, [], 'the console has errors or warnings');
  assert.deepEqual(log.errors, [], 'the page threw');
}

// What IndexedDB holds for the page's origin, read with the raw API (not through the page's own code).
function storedDatabases(page) {
  return page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
}

function storedHistory(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const req = indexedDB.open('tactful');
        req.onsuccess = () => {
          const db = req.result;
          if (!db.objectStoreNames.contains('shopper')) return resolve(null);
          const get = db.transaction('shopper').objectStore('shopper').get('history');
          get.onsuccess = () => {
            db.close();
            resolve(get.result ?? null);
          };
          get.onerror = () => reject(get.error);
        };
        req.onerror = () => reject(req.error);
      }),
  );
}

async function consent(page) {
  await page.locator('#consent-yes').click();
  await page.locator('#privacy').waitFor({ state: 'visible' });
  await page.waitForFunction(() => document.querySelector('#mode')?.dataset.mode !== 'default');
}

describe('demo store', () => {
  test('without consent: a full default ranking with reasons, nothing stored, a quiet console', async () => {
    const { context, page, log } = await open();
    try {
      assert.equal(await mode(page), 'default');
      const cards = page.locator('#items .card');
      assert.ok((await cards.count()) >= 8, 'the default ranking is not empty');
      for (const card of await cards.all()) {
        assert.notEqual((await card.locator('.title').textContent()).trim(), '');
        const reasons = await card.locator('.reasons li').allTextContents();
        assert.ok(reasons.length > 0 && reasons.every((r) => r.trim() !== ''), 'every card gives a readable reason');
      }
      assert.ok(await page.locator('#consent').isVisible(), 'the consent banner is shown');
      assert.ok(await page.locator('#privacy').isHidden());
      assert.ok(await page.locator('#error').isHidden());
      assert.ok(!(await storedDatabases(page)).includes('tactful'), 'nothing is stored before consent');
      await page.screenshot({ path: join(RESULTS, 'demo-default.png'), fullPage: true });
      assertQuiet(log);
    } finally {
      await context.close();
    }
  });

  test('consent: history kept in IndexedDB, personal ranking that survives a reload, nothing sent', async () => {
    const { context, page, log } = await open();
    try {
      await consent(page);
      const history = await storedHistory(page);
      assert.ok(Array.isArray(history) && history.length >= 20, 'the history is stored in IndexedDB');
      assert.notEqual(await mode(page), 'default');
      assert.match(await page.locator('#mode').textContent(), /evidence/);

      await page.reload();
      await cardsShown(page);
      assert.notEqual(await mode(page), 'default', 'still personal after a reload');
      assert.ok(await page.locator('#consent').isHidden());
      assert.ok(await page.locator('#privacy').isVisible());
      assert.equal((await page.locator('#stored li').count()), history.length);
      await page.locator('#why-not').evaluate((d) => { d.open = true; });
      await page.screenshot({ path: join(RESULTS, 'demo-personal.png'), fullPage: true });
      assertQuiet(log);

      // The privacy proof: every request stayed on the loopback server, and none carried any part of the history.
      assert.ok(log.requests.length > 0);
      const secrets = new Set();
      for (const e of history) {
        secrets.add(e.productId);
        secrets.add(e.at);
        secrets.add(String(Date.parse(e.at)));
        if (e.orderId) secrets.add(e.orderId);
      }
      for (const r of log.requests) {
        assert.equal(new URL(r.url).hostname, '127.0.0.1', `request left the machine: ${r.url}`);
        for (const s of secrets) {
          for (const [where, text] of [['URL', r.url], ['body', r.body], ['headers', r.headers]]) {
            assert.ok(!text.includes(s), `${r.method} ${r.url}: its ${where} carries "${s}" from the history`);
          }
        }
      }
    } finally {
      await context.close();
    }
  });

  test('export downloads everything stored as JSON', async () => {
    const { context, page, log } = await open();
    try {
      await consent(page);
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#export').click()]);
      assert.equal(download.suggestedFilename(), 'tactful-my-data.json');
      const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
      assert.equal(exported.format, 'tactful-export');
      assert.equal(exported.consent.personalization, true);
      assert.deepEqual(exported.history, await storedHistory(page));
      assertQuiet(log);
    } finally {
      await context.close();
    }
  });

  for (const button of ['erase', 'withdraw']) {
    test(`${button}: the history is gone from IndexedDB and the store goes back to default`, async () => {
      const { context, page, log } = await open();
      try {
        await consent(page);
        assert.ok((await storedDatabases(page)).includes('tactful'));
        await page.locator(`#${button}`).click();
        await page.locator('#consent').waitFor({ state: 'visible' });
        await page.waitForFunction(() => document.querySelector('#mode')?.dataset.mode === 'default');
        assert.ok(!(await storedDatabases(page)).includes('tactful'), 'the database is deleted');
        assert.equal(await page.locator('#stored li').count(), 0);

        await page.reload();
        await cardsShown(page);
        assert.equal(await mode(page), 'default', 'nothing comes back after a reload');
        assert.ok(!(await storedDatabases(page)).includes('tactful'));
        assertQuiet(log);
      } finally {
        await context.close();
      }
    });
  }

  test('an engine error is shown with its code and path, and the stored data is kept', async () => {
    const { context, page, log } = await open();
    try {
      await consent(page);
      // A stored event with a time the engine cannot read, as a corrupted or hand-edited store might hold.
      await page.evaluate(async () => {
        const storage = await import('/pkg/storage.js');
        const history = await storage.loadHistory();
        history[0] = { ...history[0], at: 'not a time' };
        await storage.saveHistory(history);
      });
      await page.reload();
      const error = page.locator('#error');
      await error.waitFor({ state: 'visible', timeout: 30_000 });
      const text = await error.textContent();
      assert.match(text, /INVALID_INPUT/);
      assert.match(text, /history\[0\]\.at/);
      assert.equal((await storedHistory(page)).length > 0, true, 'a bad input never loses the stored history');
      assertQuiet(log);
    } finally {
      await context.close();
    }
  });
});
