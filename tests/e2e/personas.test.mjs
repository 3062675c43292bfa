// The persona picker on the store page: real Complete Journey households (and two made-up shoppers), listed before
// consent without any purchase of theirs being fetched; each one, once chosen, shows the guardrail it was picked for.
//
//   node --test tests/e2e/personas.test.mjs        (needs `bash scripts/build.sh` first)
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, isPolicyNote, serverAndBrowser } from './harness.mjs';

const catalog = new Map(JSON.parse(readFileSync(join(root, 'www/data/catalog.json'), 'utf8')).map((p) => [p.id, p]));
const personas = JSON.parse(readFileSync(join(root, 'www/data/personas.json'), 'utf8'));
const env = serverAndBrowser();

async function open() {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const log = { console: [], errors: [], requests: [] };
  page.on('console', (m) => {
    if ((m.type() === 'error' || m.type() === 'warning') && !isPolicyNote(m.text())) log.console.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => log.errors.push(String(e)));
  context.on('request', (r) => log.requests.push(new URL(r.url()).pathname));
  await page.goto(env.server.url);
  await page.locator('#items .card').first().waitFor({ timeout: 30_000 });
  return { context, page, log };
}

async function choose(page, id) {
  await page.locator(`input[name="persona"][value="${id}"]`).check();
  await page.locator('#consent-yes').click();
  await page.locator('#privacy').waitFor({ state: 'visible' });
  // The ranking made with the persona's history, not the one from before consent: the page shows the privacy panel
  // before the Worker's new ranking arrives, and the old ranking's mode line says personalisation is off until the
  // shopper agrees (on a loaded machine the test read the old ranking's counts once). Not `mode !== 'default'`: a
  // thin-data persona stays in default mode.
  await page.waitForFunction(() => {
    const mode = document.querySelector('#mode');
    return mode?.dataset.removedCounts !== undefined && !mode.textContent.includes('until you agree');
  });
}

async function shown(page) {
  return {
    mode: await page.locator('#mode').getAttribute('data-mode'),
    counts: JSON.parse(await page.locator('#mode').getAttribute('data-removed-counts')),
    cards: await page.$$eval('#items .card', (els) => els.map((e) => e.dataset.productId)),
    history: await page.evaluate(async () => (await import('/pkg/storage.js')).loadHistory()),
  };
}

// What each persona was picked to show (see scripts/derive-demo-catalog.mjs and www/data/PROVENANCE.md).
const classOf = (id) => catalog.get(id)?.sensitivity;
const EXPECT = {
  sample: (s) => {
    assert.ok(s.counts.OWNED_DURABLE >= 1 && s.counts.GIFT_EXCLUDED >= 1, JSON.stringify(s.counts));
    assert.ok(s.history.some((e) => e.type === 'return'));
  },
  'household-2040': (s) => {
    const baby = s.history.filter((e) => classOf(e.productId) === 'pregnancy_baby').length;
    assert.ok(baby >= 100, `${baby} baby lines`);
    assert.equal(s.cards.filter((id) => classOf(id) === 'pregnancy_baby').length, 0, 'no baby product suggested');
  },
  'household-616': (s) => {
    assert.ok(s.history.length <= 5);
    assert.notEqual(s.mode, 'personal', 'thin data is not personal');
  },
  'household-20': (s) => {
    const distinct = new Set(s.history.map((e) => e.productId)).size;
    assert.ok(s.history.length / distinct >= 3, 'a repeat buyer');
    assert.ok(s.counts.NOT_DUE >= 1, JSON.stringify(s.counts));
  },
  'household-1852': (s) => {
    const departments = new Set(s.history.map((e) => catalog.get(e.productId)?.category?.[0]));
    assert.ok(departments.size >= 12, `${departments.size} departments`);
    assert.equal(s.mode, 'personal');
  },
  'household-404': (s) => {
    const alcohol = s.history.filter((e) => classOf(e.productId) === 'alcohol').length;
    assert.ok(alcohol >= 50, `${alcohol} alcohol lines`);
    assert.equal(s.cards.filter((id) => classOf(id) === 'alcohol').length, 0, 'no alcohol suggested');
    assert.ok(s.counts.COMPLIANCE >= 1 || s.counts.SENSITIVE_CLASS >= 1, JSON.stringify(s.counts));
  },
  'household-148': (s) => {
    assert.ok(s.counts.OWNED_DURABLE >= 1, JSON.stringify(s.counts));
  },
  electronics: (s) => {
    assert.ok(s.counts.INCOMPATIBLE >= 1, JSON.stringify(s.counts));
    const fits = (id) => catalog.get(id)?.compatibleWith;
    for (const id of s.cards) {
      const lines = fits(id);
      if (lines) assert.ok(lines.includes('nova-12'), `${id} is shown but does not fit the Nova 12 owned`);
    }
  },
};

describe('persona picker', () => {
  test('5 to 8 real households, each with a one-line reason; made-up ones are labelled', () => {
    const real = personas.filter((p) => p.kind === 'real');
    assert.ok(real.length >= 5 && real.length <= 8, `${real.length} real households`);
    for (const p of personas) {
      assert.ok(p.why.length > 20 && !p.why.includes('\n'), p.id);
      assert.ok(EXPECT[p.id], `a test for ${p.id}`);
    }
    assert.ok(personas.filter((p) => p.kind !== 'real').every((p) => /made up/.test(p.name)));
  });

  test('before consent the picker is shown and no history is fetched', async () => {
    const { context, page, log } = await open();
    try {
      assert.equal(await page.locator('#persona-list .persona').count(), personas.length + 1);
      for (const p of personas) {
        assert.match(await page.locator(`#persona-list [data-persona="${p.id}"]`).textContent(), new RegExp(p.name
          .replace(/[()]/g, '.')));
      }
      const fetched = log.requests.filter((path) => path.includes('/personas/') || path.endsWith('/history.json'));
      assert.deepEqual(fetched, [], 'no history before consent');
      assert.ok(log.requests.includes('/data/personas.json'));
      await page.locator('input[name="persona"][value="household-20"]').check();
      assert.deepEqual(log.requests.filter((path) => path.includes('/personas/')), [], 'choosing is not consenting');
      assert.deepEqual([log.console, log.errors], [[], []]);
    } finally {
      await context.close();
    }
  });

  for (const p of personas) {
    test(`${p.id} (${p.name}): ${p.why}`, async () => {
      const { context, page, log } = await open();
      try {
        await choose(page, p.id);
        const s = await shown(page);
        assert.equal(s.history.length, p.lines);
        assert.ok(s.cards.length >= 8);
        EXPECT[p.id](s);
        assert.deepEqual([log.console, log.errors], [[], []]);
      } finally {
        await context.close();
      }
    });
  }

  test('"Try another shopper" replaces the stored history; "Nobody" stores none', async () => {
    const { context, page, log } = await open();
    try {
      await choose(page, 'none');
      assert.equal((await shown(page)).history.length, 0);
      await page.locator('#switch summary').click();
      await page.locator('input[name="persona-switch"][value="household-148"]').check();
      await page.locator('#switch-apply').click();
      await page.waitForFunction((n) => document.querySelectorAll('#stored li').length === n,
        personas.find((x) => x.id === 'household-148').lines);
      assert.equal((await shown(page)).history.length, personas.find((x) => x.id === 'household-148').lines);
      assert.deepEqual([log.console, log.errors], [[], []]);
    } finally {
      await context.close();
    }
  });
});
