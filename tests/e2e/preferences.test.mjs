// End-to-end tests of the preference center (www/preferences.html) in a real Chromium (Debian's /usr/bin/chromium,
// driven by playwright-core): it shows what the engine believes and why, its controls write Preferences to IndexedDB,
// and the store page's ranking obeys them. The console stays empty, and nothing the shopper stored leaves the browser.
// Needs `bash scripts/build.sh` first (pkg/tactful.js and pkg/tactful_bg.wasm).
//
//   node --test tests/e2e/preferences.test.mjs
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESULTS, root, isPolicyNote, serverAndBrowser } from './harness.mjs';

const catalog = new Map(JSON.parse(readFileSync(join(root, 'www/data/catalog.json'), 'utf8')).map((p) => [p.id, p]));

// The harness closes the browser after the file, and with it this context.
const env = serverAndBrowser(async () => {
  ({ context, page } = await open(log));
});
// One shopper for the whole file: the steps build on each other, as a shopper's visits would.
let context;
let page;
const log = { console: [], errors: [], requests: [] };
// What the store stored (ids and times), captured at consent, for the privacy check after the erase.
const secrets = new Set();

async function open(into) {
  const ctx = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const pg = await ctx.newPage();
  pg.on('console', (m) => {
    if ((m.type() === 'error' || m.type() === 'warning') && !isPolicyNote(m.text())) into.console.push(`${m.type()}: ${m.text()}`);
  });
  pg.on('pageerror', (e) => into.errors.push(String(e)));
  ctx.on('request', (r) => into.requests.push({ url: r.url(), method: r.method(), body: r.postData() ?? '',
    headers: JSON.stringify(r.headers()) }));
  return { context: ctx, page: pg };
}

// The store page's ranking as shown: each card's product and category path, and the guardrail counts.
async function store() {
  await page.goto(env.server.url);
  await page.locator('#items .card').first().waitFor({ timeout: 30_000 });
  await page.locator('#mode[data-removed-counts]').waitFor({ state: 'attached' });
  const cards = await page.$$eval('#items .card', (els) =>
    els.map((e) => ({ id: e.dataset.productId, path: e.dataset.category.split(' › ') })));
  const counts = JSON.parse(await page.locator('#mode').getAttribute('data-removed-counts'));
  return { cards, counts, mode: await page.locator('#mode').getAttribute('data-mode') };
}

async function preferences() {
  await page.goto(new URL('preferences.html', env.server.url).href);
  await page.locator('body[data-ready]').waitFor({ state: 'attached', timeout: 30_000 });
}

// Runs a control and waits until the page has saved its effect.
async function change(action) {
  const saves = Number((await page.locator('body').getAttribute('data-saves')) ?? 0);
  await action();
  await page.waitForFunction((n) => Number(document.body.dataset.saves ?? 0) > n, saves);
}

// What IndexedDB holds, read with the raw API (not through the page's own code).
function stored(key) {
  return page.evaluate(
    (k) =>
      new Promise((resolve, reject) => {
        const req = indexedDB.open('tactful');
        req.onsuccess = () => {
          const db = req.result;
          if (!db.objectStoreNames.contains('shopper')) return resolve(null);
          const get = db.transaction('shopper').objectStore('shopper').get(k);
          get.onsuccess = () => {
            db.close();
            resolve(get.result ?? null);
          };
          get.onerror = () => reject(get.error);
        };
        req.onerror = () => reject(req.error);
      }),
    key,
  );
}

const babyIds = (cards) => cards.filter((c) => catalog.get(c.id)?.sensitivity === 'pregnancy_baby');
const sensitiveIds = (cards) => cards.filter((c) => catalog.get(c.id)?.sensitivity);

describe('preference center', () => {
  test('without consent it explains that nothing is stored, links back, and stores nothing', async () => {
    const own = { console: [], errors: [], requests: [] };
    const fresh = await open(own);
    try {
      await fresh.page.goto(new URL('preferences.html', env.server.url).href);
      await fresh.page.locator('body[data-ready]').waitFor({ state: 'attached', timeout: 30_000 });
      assert.ok(await fresh.page.locator('#no-consent').isVisible());
      assert.ok(await fresh.page.locator('#center').isHidden());
      assert.match(await fresh.page.locator('#no-consent').textContent(), /Nothing is stored/);
      assert.equal(await fresh.page.locator('#no-consent a[href="./"]').count(), 1, 'a link back to the store');
      const dbs = await fresh.page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
      assert.ok(!dbs.includes('tactful'), 'visiting the page stores nothing');
      await fresh.page.screenshot({ path: join(RESULTS, 'preferences-no-consent.png'), fullPage: true });
      assert.deepEqual([...own.console, ...own.errors], []);
    } finally {
      await fresh.context.close();
    }
  });

  test('after consent: categories with bars and the purchases behind them, brands, due, owned, gifts, ignored',
    async () => {
      await page.goto(env.server.url);
      await page.locator('#consent-yes').click();
      await page.waitForFunction(() => document.querySelector('#mode')?.dataset.mode !== 'default');
      assert.ok(await page.locator('header a[href="preferences.html"]').isVisible(), 'the store links to it');
      for (const e of await stored('history')) {
        secrets.add(e.productId);
        secrets.add(e.at);
        secrets.add(String(Date.parse(e.at)));
        if (e.orderId) secrets.add(e.orderId);
      }

      await preferences();
      assert.ok(await page.locator('#error').isHidden());
      const departments = page.locator('#categories > li.department');
      assert.ok((await departments.count()) >= 2);
      const shares = await page.$$eval('#categories .belief .bar-fill', (els) => els.map((e) => e.style.width));
      assert.ok(shares.length >= 4 && shares.every((w) => /^\d+%$/.test(w) && parseInt(w, 10) > 0), 'bars drawn');
      const because = await page.locator('#categories .because').allTextContents();
      assert.ok(because.length >= 3 && because.every((t) => /Because you bought .+\(.+\)/.test(t)),
        'each category names the purchases behind it, with dates');
      assert.ok((await page.locator('#categories button[data-action="mute"]').count()) >= 4);
      assert.ok((await page.locator('#brands li').count()) >= 1);
      assert.match(await page.locator('#due').textContent(), /About every \d+ days?, (next around|due now)/);
      assert.match(await page.locator('#owned').textContent(), /Coffee Maker.*Expected to last until/s);
      assert.equal(await page.locator('#gifts li').count(), 1);
      assert.match(await page.locator('#ignored').textContent(), /returned/i);
      assert.match(await page.locator('#sensitive-ignored').textContent(),
        /^3 purchases in sensitive categories were ignored/);
      const beliefs = await page.locator('.pc-main').textContent();
      for (const e of await stored('history')) {
        const p = catalog.get(e.productId);
        if (p?.sensitivity) assert.ok(!beliefs.includes(p.title), `never says which: ${p.sensitivity}`);
      }
      await page.screenshot({ path: join(RESULTS, 'preferences-default.png'), fullPage: true });
    });

  test('muting a category there takes it off the store page, and undo brings it back', async () => {
    const before = await store();
    await preferences();
    const aisles = await page.$$eval('#categories .aisles .belief', (els) => els.map((e) => e.dataset.category));
    const name = aisles.find((a) => before.cards.some((c) => c.path.includes(a)));
    assert.ok(name, `one of the believed categories (${aisles.join(', ')}) is on the store page`);
    await change(() => page.locator(`#categories .belief[data-category="${name}"] button[data-action="mute"]`).click());
    assert.match(await page.locator('#muted').textContent(), new RegExp(`Muted category.*${name}`));
    const row = page.locator(`#categories .belief[data-category="${name}"]`);
    assert.ok(await row.locator('button[data-action="unmute"]').isVisible(), 'the row says it is muted');
    assert.deepEqual((await stored('preferences')).muted.categories, [name]);

    const after = await store();
    assert.deepEqual(after.cards.filter((c) => c.path.includes(name)), [], `nothing from ${name} is ranked`);
    assert.ok(after.counts.MUTED > 0, 'the why-not counts say so');
    assert.match(await page.locator('#removed').textContent(), /hidden: you muted them/);

    await preferences();
    await change(() => page.locator('#muted li', { hasText: name }).locator('button[data-action="undo"]').click());
    assert.equal((await stored('preferences')).muted, undefined);
    assert.ok((await store()).cards.some((c) => c.path.includes(name)), 'back after undo');
  });

  test('forgetting pregnancy_baby keeps those products out even after opting in', async () => {
    await preferences();
    await change(() => page.locator('#sensitive input[data-sensitive="pregnancy_baby"]').check());
    assert.ok(babyIds((await store()).cards).length > 0, 'opted in, the due diapers are ranked');

    await preferences();
    await change(() => page.locator('#forget-baby').click());
    assert.ok(await page.locator('#forget-baby').isDisabled());
    assert.ok(await page.locator('#sensitive input[data-sensitive="pregnancy_baby"]').isChecked(), 'still opted in');
    assert.match(await page.locator('#muted').textContent(), /Everything baby-related/);
    const prefs = await stored('preferences');
    assert.deepEqual(prefs.forgotten, ['pregnancy_baby']);
    assert.deepEqual(prefs.sensitiveOptIn, ['pregnancy_baby']);

    const after = await store();
    assert.deepEqual(babyIds(after.cards), [], 'nothing baby-related is ranked');
    assert.ok(after.counts.FORGOTTEN > 0);
  });

  test('"This was for me" takes a gift off the gifts list', async () => {
    await preferences();
    const gift = page.locator('#gifts li').first();
    const id = await gift.getAttribute('data-product-id');
    await change(() => gift.locator('button[data-action="not-gift"]').click());
    assert.equal(await page.locator('#gifts li').count(), 0);
    assert.ok(await page.locator('#gifts-empty').isVisible());
    assert.match(await page.locator('#muted').textContent(), /Counted as yours/);
    assert.deepEqual((await stored('preferences')).notGifts, [id]);
  });

  test('a shared device hides sensitive picks on the store page', async () => {
    await preferences();
    // Remember baby-related things again (undo), so the opted-in class would be shown on a personal device.
    await change(() => page.locator('#muted li', { hasText: 'baby-related' }).locator('button[data-action="undo"]')
      .click());
    assert.ok(babyIds((await store()).cards).length > 0);

    await preferences();
    await change(() => page.locator('#shared-device').check());
    // A few more of the shopper's own choices, for the screenshot and the stored record.
    await change(() => page.locator('.segmented label', { hasText: 'Strong' }).click());
    await change(() => page.locator('#discovery').fill('0.3'));
    await change(() => page.locator('#interests label', { hasText: 'Produce' }).click());
    await change(() => page.locator('#brands button[data-action="mute"]').last().click());
    const beliefs = await page.locator('.pc-main').textContent();
    assert.ok(![...catalog.values()].some((p) => p.sensitivity && beliefs.includes(p.title)),
      'on a shared device the page names no sensitive product, even an opted-in one');
    // The engine itself leaves opted-in sensitive purchases out of a shared device's profile: only their count shows.
    assert.match(beliefs, /purchases? in sensitive categories (was|were) ignored/);
    await page.screenshot({ path: join(RESULTS, 'preferences-changed.png'), fullPage: true });
    const prefs = await stored('preferences');
    assert.equal(prefs.sharedDevice, true);
    assert.equal(prefs.intensity, 'strong');
    assert.equal(prefs.discovery, 0.3);
    assert.deepEqual(prefs.interests, ['Produce']);
    assert.equal(prefs.muted.brands.length, 1);

    const after = await store();
    assert.deepEqual(sensitiveIds(after.cards), [], 'no sensitive product on a shared device');
    assert.ok(after.counts.SHARED_DEVICE > 0, 'SHARED_DEVICE acted');
    assert.match(await page.locator('#removed').textContent(), /hidden because this device is shared/);
    await page.locator('#why-not').evaluate((d) => { d.open = true; });
    await page.screenshot({ path: join(RESULTS, 'preferences-store.png'), fullPage: true });
  });

  test('an engine error is shown with its code and path; nothing stored is lost; it can be fixed there', async () => {
    await preferences();
    await page.evaluate(async () => {
      const storage = await import('/pkg/storage.js');
      await storage.savePreferences({ ...(await storage.loadPreferences()), discovery: 5 });
    });
    const history = await stored('history');
    await preferences();
    const error = page.locator('#error');
    await error.waitFor({ state: 'visible' });
    assert.match(await error.textContent(), /INVALID_INPUT.*preferences\.discovery/);
    assert.equal((await stored('preferences')).discovery, 5, 'the stored preferences are kept as they were');
    assert.deepEqual(await stored('history'), history);

    await change(() => page.locator('#discovery-reset').click());
    assert.ok(await error.isHidden());
    const prefs = await stored('preferences');
    assert.equal(prefs.discovery, undefined);
    assert.equal(prefs.sharedDevice, true, 'the rest of the preferences survived');
    assert.ok((await page.locator('#categories li').count()) > 0);
  });

  test('"this device is only mine" is a third state beside "shared"; counts stand in for what may not be named',
    async () => {
      await preferences();
      await change(() => page.locator('#device-mine').check());
      assert.equal((await stored('preferences')).sharedDevice, false, 'explicitly not shared: distinct from absent');
      assert.ok(!(await page.locator('#shared-device').isChecked()));
      await change(() => page.locator('#shared-device').check());
      assert.equal((await stored('preferences')).sharedDevice, true);
      assert.ok(!(await page.locator('#device-mine').isChecked()), 'the two switches never disagree');
      await change(() => page.locator('#shared-device').uncheck());
      assert.equal((await stored('preferences')).sharedDevice, undefined, 'not said: the engine watches for signs');

      // Forgetting a topic: the page says how many purchases are no longer used, never which.
      await change(() => page.locator('#forget-baby').click());
      const withheld = await page.locator('#withheld').textContent();
      assert.match(withheld, /\d+ purchases? you asked us to forget (is|are) not used/);
      const center = await page.locator('.pc-main').textContent();
      assert.ok(![...catalog.values()].some((p) => p.sensitivity === 'pregnancy_baby' && center.includes(p.title)),
        'no forgotten product is named');
      await change(() => page.locator('#muted li', { hasText: 'baby-related' }).locator('button[data-action="undo"]')
        .click());
      assert.equal(await page.locator('#withheld li[data-code="FORGOTTEN"]').count(), 0);
    });

  test('withdrawing consent there erases everything, as the store does', async () => {
    await preferences();
    await page.locator('#withdraw').click();
    await page.locator('#no-consent').waitFor({ state: 'visible' });
    assert.ok(!(await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))).includes('tactful'));
    assert.equal((await store()).mode, 'default');
  });

  test('quiet console; every request stayed on 127.0.0.1 and carried nothing the shopper stored', async () => {
    assert.deepEqual(log.console, [], 'the console has errors or warnings');
    assert.deepEqual(log.errors, [], 'the page threw');
    assert.ok(log.requests.length > 0 && secrets.size > 20);
    for (const r of log.requests) {
      assert.equal(new URL(r.url).hostname, '127.0.0.1', `request left the machine: ${r.url}`);
      for (const s of secrets) {
        for (const [where, text] of [['URL', r.url], ['body', r.body], ['headers', r.headers]]) {
          assert.ok(!text.includes(s), `${r.method} ${r.url}: its ${where} carries "${s}" from the history`);
        }
      }
    }
  });
});
