// End-to-end tests of the email preview (www/email.html) in Chromium: the next email for the shopper of this browser,
// built by the same engine as the store — three device frames cut from one ranking, planSend's verdict, lintCopy on
// the subject as it is typed — and "the same decisions": the email never shows a product the store's guardrails
// removed for the same shopper and moment, and differs from the store's list only where an email-only rule acted.
// Needs `bash scripts/build.sh` first (pkg/tactful.js and pkg/tactful_message.js).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { RESULTS, isPolicyNote, serverAndBrowser } from './harness.mjs';
import { CONTENT_SECURITY_POLICY } from '../../scripts/serve.mjs';

const env = serverAndBrowser();

async function open(path = 'email.html') {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const log = { console: [], errors: [], requests: [] };
  page.on('console', (m) => {
    if ((m.type() === 'error' || m.type() === 'warning') && !isPolicyNote(m.text())) log.console.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => log.errors.push(String(e)));
  context.on('request', (r) => log.requests.push({ url: r.url(), method: r.method() }));
  await page.goto(new URL(path, env.server.url).href);
  return { context, page, log };
}

async function ready(page) {
  await page.waitForFunction(() => document.body.dataset.ready === 'true' || !document.getElementById('error').hidden,
    null, { timeout: 30_000 });
  assert.ok(await page.locator('#error').isHidden(), await page.locator('#error').textContent());
}

function assertQuiet(log) {
  assert.deepEqual(log.console, [], 'the console has errors or warnings');
  assert.deepEqual(log.errors, [], 'the page threw');
  for (const r of log.requests) {
    assert.equal(new URL(r.url).hostname, '127.0.0.1', `request left the machine: ${r.url}`);
    assert.equal(r.method, 'GET', `${r.method} ${r.url}: the page sends nothing`);
  }
}

// The products each frame shows, by device.
function frames(page) {
  return page.$$eval('.frame', (figs) => figs.map((f) => ({
    device: f.dataset.device,
    layout: f.dataset.layout,
    titleChars: Number(f.dataset.titleChars),
    ids: [...f.querySelectorAll('.product')].map((p) => p.dataset.productId),
    titles: [...f.querySelectorAll('.product-title')].map((t) => t.textContent),
  })));
}

async function lintCodes(page) {
  return (await page.locator('#lint-status').getAttribute('data-codes')).split(' ').filter(Boolean);
}

// The store's list and the email's, recomputed here with the engine (not the page's code), for the page's shopper
// and moment (`body[data-now]`): the whole "why not?" list kept (maxRemoved 200).
function recompute(page) {
  return page.evaluate(async () => {
    const { default: init, Engine } = await import('/pkg/tactful.js');
    const storage = await import('/pkg/storage.js');
    await init();
    const get = async (p) => (await fetch(p)).json();
    const [catalog, model] = await Promise.all([get('data/catalog.json'), get('data/model.json')]);
    const engine = new Engine(catalog, { model, policy: { maxRemoved: 200 } });
    const consent = await storage.loadConsent();
    const history = consent ? await storage.loadHistory() : [];
    const stored = consent ? await storage.loadPreferences() : {};
    const preferences = { ...stored,
      consent: { email: false, push: false, ...stored.consent, personalization: Boolean(consent) } };
    const now = Number(document.body.dataset.now);
    const context = { now, k: 12, seed: 1, utcOffsetMinutes: -new Date(now).getTimezoneOffset() };
    const site = engine.rank({ history, preferences, context: { ...context, surface: 'home' } });
    const email = engine.rank({ history, preferences, context: { ...context, surface: 'email' } });
    const sensitive = Object.fromEntries(catalog.filter((p) => p.sensitivity).map((p) => [p.id, p.title ?? p.id]));
    engine.free();
    return { site, email, sensitive };
  });
}

// Product-level guardrails: a decision about the product, whatever else is in the list. (GIFT_EXCLUDED is not one:
// it says a gift did not shape the shopper's taste; the product itself may still be shown.)
const PRODUCT_LEVEL = new Set(['SENSITIVE_CLASS', 'SHARED_DEVICE', 'OWNED_DURABLE', 'NOT_DUE', 'RETURNED',
  'INCOMPATIBLE', 'MUTED', 'FORGOTTEN', 'OUT_OF_STOCK', 'FATIGUE', 'COMPLIANCE', 'BRAND_RULE']);

describe('email preview', () => {
  test('served by the demo server with the store\'s Content-Security-Policy, every file from this origin', async () => {
    for (const file of ['email.html', 'email.js', 'email.css', 'dom.js']) {
      const res = await fetch(new URL(file, env.server.url));
      assert.equal(res.status, 200, file);
      if (file.endsWith('.html')) {
        assert.equal(res.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY);
        const html = await res.text();
        assert.ok(!/<script(?![^>]*src="email\.js")/.test(html), 'one script, this origin\'s');
        assert.ok(!/(src|href)="(https?:)?\/\//.test(html), 'nothing from another origin');
      } else {
        await res.arrayBuffer();
      }
    }
  });

  test('the store links to it', async () => {
    const { context, page, log } = await open('./');
    try {
      await page.locator('#items .card').first().waitFor({ timeout: 30_000 });
      await page.locator('#nav-email').click();
      await page.waitForURL(/email\.html$/);
      await ready(page);
      assertQuiet(log);
    } finally {
      await context.close();
    }
  });

  test('without consent: three frames cut from one non-personal list, not sent, nothing stored', async () => {
    const { context, page, log } = await open();
    try {
      await ready(page);
      const shown = await frames(page);
      assert.deepEqual(shown.map((f) => [f.device, f.layout, f.ids.length]),
        [['phone', 'list', 3], ['tablet', 'grid', 4], ['desktop', 'grid', 6]]);
      // Side by side at a laptop width: the three frames start on one row.
      const tops = await page.$$eval('.frame', (fs) => fs.map((f) => Math.round(f.getBoundingClientRect().top)));
      assert.equal(new Set(tops).size, 1, `frames on one row: ${tops}`);
      const desktop = shown[2].ids;
      for (const f of shown) {
        assert.deepEqual(f.ids, desktop.slice(0, f.ids.length), `${f.device}: the first items of the same list`);
        for (const t of f.titles) assert.ok([...t].length <= f.titleChars, `${f.device}: "${t}" is too long`);
      }
      assert.equal(await page.locator('#plan-verdict').getAttribute('data-plan'), 'NO_CONSENT');
      assert.equal(await page.locator('#plan-reasons li[data-code="NO_CONSENT"]').count(), 1);
      assert.equal(await page.locator('.frame .not-sent').count(), 3, 'each frame says it would not be sent');
      assert.equal(await page.locator('#same-verdict').getAttribute('data-personal'), 'false');
      const dbs = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
      assert.ok(!dbs.includes('tactful'), 'the preview stores nothing');
      await page.screenshot({ path: join(RESULTS, 'email-default.png'), fullPage: true });
      assertQuiet(log);
    } finally {
      await context.close();
    }
  });

  test('lintCopy on the subject as it is typed: a typed first name passes, beside "cheap" or inferred it does not',
    async () => {
      const { context, page, log } = await open();
      try {
        await ready(page);
        // Let through: `{FNAME}` alone, the first name typed by the shopper.
        assert.equal(await page.locator('#name-source').inputValue(), 'shopper');
        assert.deepEqual(await lintCodes(page), []);
        assert.match(await page.locator('.frame-phone .inbox-subject').textContent(), /^Sam, your picks/);
        // Stopped: the same name beside a price-shaming word, marked in the subject.
        await page.locator('#subject').fill('{FNAME}, cheap picks for you');
        assert.deepEqual(await lintCodes(page), ['PERSONAL_NEAR_PRICE']);
        assert.equal(await page.locator('#lint-marked mark').textContent(), '{FNAME}, cheap');
        assert.match(await page.locator('.frame-desktop .inbox-subject').textContent(), /^Sam, cheap picks/);
        // Stopped: a name the shop inferred is never confirmed.
        await page.locator('#subject').fill('{FNAME}, your picks for this week');
        await page.locator('#name-source').selectOption('inferred');
        assert.deepEqual(await lintCodes(page), ['UNCONFIRMED_FACT']);
        // And the sensitive-subject rule works live too.
        await page.locator('#name-source').selectOption('shopper');
        await page.locator('#subject').fill('Your pregnancy checklist');
        assert.deepEqual(await lintCodes(page), ['SENSITIVE_SUBJECT']);
        assertQuiet(log);
      } finally {
        await context.close();
      }
    });

  test('consent and email on: planned, and the same decisions as the store', async () => {
    const { context, page, log } = await open('./');
    try {
      await page.locator('#consent-yes').click();
      await page.locator('#privacy').waitFor({ state: 'visible' });
      const save = (prefs) => page.evaluate(async (p) => {
        const storage = await import('/pkg/storage.js');
        await storage.savePreferences(p);
      }, prefs);
      // The shopper turns email suggestions on.
      await save({ consent: { personalization: true, email: true } });
      await page.goto(new URL('email.html', env.server.url).href);
      await ready(page);
      assert.equal(await page.locator('#plan-verdict').getAttribute('data-plan'), 'send');
      assert.ok(await page.locator('#plan-reasons li').count() > 0, 'the plan says why this hour');
      assert.equal(await page.locator('.frame .not-sent').count(), 0);
      const verdict = page.locator('#same-verdict');
      assert.equal(await verdict.getAttribute('data-personal'), 'true');
      assert.equal(await verdict.getAttribute('data-same'), 'true');
      let { site, email, sensitive } = await recompute(page);
      assert.notEqual(email.mode, 'default', 'a personal email');
      assert.deepEqual((await frames(page))[2].ids, email.items.slice(0, 6).map((i) => i.productId),
        'the page shows the engine\'s email list');
      // No email-only rule has anything to act on (no opt-in, nothing verified, no brand rule): the same list, in
      // the same order, with the same guardrail counts.
      assert.deepEqual(email.items.map((i) => i.productId), site.items.map((i) => i.productId));
      assert.deepEqual(email.removedCounts, site.removedCounts);
      assert.equal(await page.locator('#same-diff li[data-kind="none"]').count(), 1);
      await page.screenshot({ path: join(RESULTS, 'email-personal.png'), fullPage: true });

      // The shopper opts into sensitive classes on their own screen: the store may show them, an email never.
      await save({ consent: { personalization: true, email: true }, sensitiveOptIn: ['pregnancy_baby', 'medical'] });
      await page.reload();
      await ready(page);
      assert.equal(await verdict.getAttribute('data-same'), 'true');
      ({ site, email, sensitive } = await recompute(page));
      // Never in the email what the store's guardrails removed for this shopper, now.
      const siteRemoved = new Map(site.removed.map((r) => [r.productId, r.code]));
      for (const item of email.items) {
        const code = siteRemoved.get(item.productId);
        assert.ok(!code || !PRODUCT_LEVEL.has(code), `${item.productId}: removed in the store (${code}), in the email`);
        assert.ok(!(item.productId in sensitive), 'never a sensitive class in an email, opted in or not');
      }
      // The page's list of differences names only email-only rules (or the recomposed list), never a sensitive
      // product.
      for (const row of await page.locator('#same-diff li[data-kind="store-only"]').all()) {
        assert.ok(['SENSITIVE_CLASS', 'COMPLIANCE', 'BRAND_RULE', 'LIST'].includes(await row.getAttribute('data-code')));
      }
      const diffText = await page.locator('#same-diff').textContent();
      const frameText = await page.locator('#frames').textContent();
      for (const [id, title] of Object.entries(sensitive)) {
        assert.ok(!diffText.includes(title) && !frameText.includes(title), `a sensitive product is named: ${id}`);
      }
      assertQuiet(log);
    } finally {
      await context.close();
    }
  });
});
