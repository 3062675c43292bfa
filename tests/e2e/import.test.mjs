// "Bring your own history": www/import.js read directly in Node (the formats, every bad row by line, pieces of any
// size), then the preference center in Chromium: after consent only, a progress bar on a large file, bad files refused
// whole with every bad line listed and the stored history untouched, unknown products counted and shown, a shop's
// export of many customers imported for the one picked, and this store's own export read back.
//
//   node --test tests/e2e/import.test.mjs        (needs `bash scripts/build.sh` first, for the browser part)
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { columns, csvReader, parseTime, readOrders } from '../../www/import.js';
import { root, isPolicyNote, serverAndBrowser } from './harness.mjs';

const catalog = JSON.parse(readFileSync(join(root, 'www/data/catalog.json'), 'utf8'));
const known = catalog.filter((p) => !p.sensitivity).slice(0, 40).map((p) => p.id);
const PLAIN = 'customer_id,product_id,at,quantity,order_id,price';

describe('www/import.js (in Node)', () => {
  test('reads the plain layout: times without an offset are UTC, optional columns may be empty', async () => {
    const r = await readOrders(`${PLAIN}\n7,${known[0]},2017-01-01T11:53:26,2,o1,0.50\n7,${known[1]},2017-01-02 09:00,,,\n`);
    assert.equal(r.format, PLAIN);
    assert.deepEqual(r.bad, []);
    assert.equal(r.rows, 2);
    assert.deepEqual(r.customers, [{ id: '7', events: [
      { productId: known[0], at: '2017-01-01T11:53:26.000Z', quantity: 2, price: 0.5, orderId: 'o1' },
      { productId: known[1], at: '2017-01-02T09:00:00.000Z', quantity: 1 },
    ] }]);
  });

  test('reads Online Retail (quoted commas, float ids, C invoices as cancellations) and Complete Journey', async () => {
    const or = await readOrders('InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\r\n'
      + '536371,22086,"PAPER CHAIN KIT, 50\'S ""XMAS""",80,2010-12-01 09:00:00,2.55,13748.0,United Kingdom\r\n'
      + 'C536379,22086,PAPER CHAIN,-2,2010-12-02 09:41:00,2.55,13748.0,United Kingdom\r\n');
    assert.equal(or.format, 'Online Retail');
    assert.deepEqual(or.bad, []);
    assert.equal(or.customers[0].id, '13748');
    assert.deepEqual(or.customers[0].events.map((e) => [e.quantity, e.type ?? 'purchase', e.orderId]),
      [[80, 'purchase', '536371'], [2, 'cancel', 'C536379']]);
    const sheet = await readOrders('InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n'
      + '536365,85123A,WHITE HANGING HEART,6,12/1/2010 8:26,2.55,17850,United Kingdom\n'
      + '536366,22633,HAND WARMER,6,13/1/2010 8:28,1.85,17850,United Kingdom\n');
    assert.deepEqual(sheet.customers[0].events.map((e) => e.at), ['2010-12-01T08:26:00.000Z']);
    assert.deepEqual(sheet.bad.map((b) => [b.line, /month out of range/.test(b.why)]), [[3, true]]);
    const cj = await readOrders('household_id,store_id,basket_id,product_id,quantity,sales_value,retail_disc,coupon_disc,'
      + 'coupon_match_disc,week,transaction_timestamp\n2261,309,31625220889,940996,2.0,3.86,0.43,0.0,0.0,5,'
      + '2017-01-28 19:06:53\n');
    assert.equal(cj.format, 'The Complete Journey');
    assert.deepEqual(cj.customers[0].events, [{ productId: '940996', at: '2017-01-28T19:06:53.000Z', quantity: 2,
      price: 1.93, orderId: '31625220889' }]);
  });

  test('every bad row is reported with the line it starts on, in pieces of any size', async () => {
    const text = `${PLAIN}\n`
      + '1,a,2017-01-01,1,,\n' // 2 ok
      + '1,b,yesterday,1,,\n' // 3 bad time
      + '1,"multi\nline",2017-01-02,1,,\n' // 4-5 ok (a quoted line break)
      + '1,c,2017-02-30,1,,\n' // 6 bad day
      + '\n' // 7 blank: skipped
      + ',d,2017-01-01,1,,\n' // 8 no customer
      + '1,e,2017-01-01,0,,\n' // 9 quantity 0: not a purchase, skipped (not bad)
      + '1,f,2017-01-01,lots,,\n' // 10 not a number
      + '1,g"h,2017-01-01,1,,\n' // 11 stray quote
      + '1,"i"j,2017-01-01,1,,\n' // 12 text after a closing quote
      + '1,k,2017-01-01,1,,-3\n' // 13 negative price
      + '1,"never closed,2017-01-01,1,,\n'; // 14 to the end
    const expected = [3, 6, 8, 10, 11, 12, 13, 14];
    for (const pieceBytes of [1, 3, 7, 64, 1 << 20]) {
      const r = await readOrders(text, { pieceBytes });
      assert.deepEqual(r.bad.map((b) => b.line), expected, `pieces of ${pieceBytes} bytes`);
      assert.ok(r.bad.every((b) => b.why.length > 0));
      assert.deepEqual(r.skipped.map((b) => b.line), [9]);
      assert.deepEqual(r.customers[0].events.map((e) => e.productId), ['a', 'multi\nline'], `${pieceBytes}`);
    }
  });

  test('a missing column or an empty file is one clear bad row; the CSV reader keeps a BOM and CRLF out', async () => {
    const r = await readOrders('customer,product,when\n1,a,2017-01-01\n');
    assert.equal(r.bad.length, 1);
    assert.match(r.bad[0].why, /missing column 'customer_id'/);
    assert.deepEqual((await readOrders('')).bad.map((b) => b.why), ['the file is empty']);
    const records = [];
    const reader = csvReader((f, line) => records.push([line, f]), () => assert.fail('no error expected'));
    reader.push('\uFEFFa,b\r\n1,"x\r\ny"\r\n');
    reader.end();
    assert.deepEqual(records, [[1, ['a', 'b']], [2, ['1', 'x\r\ny']]]);
    assert.equal(columns(['CustomerID', 'StockCode', 'InvoiceDate', 'Quantity', 'InvoiceNo', 'UnitPrice']).format,
      'Online Retail');
    assert.equal(parseTime('2024-05-01T10:00:00+02:00'), Date.UTC(2024, 4, 1, 8));
    assert.equal(parseTime('1700000000000'), 1700000000000);
  });

  test("the repository's real exports read with no bad row (Online Retail sample, Complete Journey sample)", async () => {
    for (const [file, format, customers] of [['data/online-retail/sample.csv', 'Online Retail', 1103],
      ['data/complete-journey/transactions_sample.csv', 'The Complete Journey', 2373]]) {
      const text = readFileSync(join(root, file));
      const r = await readOrders(new Blob([text]));
      const lines = text.toString('utf8').split('\n').filter((l) => l !== '').length - 1;
      assert.equal(r.format, format, file);
      assert.deepEqual(r.bad, [], file);
      assert.equal(r.rows, lines, file);
      assert.equal(r.customers.length, customers, file);
      const events = r.customers.reduce((n, c) => n + c.events.length, 0);
      assert.equal(events + r.skipped.length, lines, `${file}: every row is an event or a skipped quantity-0 line`);
    }
  });

  test('JSON: an Event array or a tactful export; a bad element is reported by the line it starts on', async () => {
    const ok = await readOrders(JSON.stringify({ format: 'tactful-export', history: [
      { productId: 'a', at: '2025-01-01T00:00:00Z', gift: true }, { productId: 'b', at: 1700000000000, type: 'return' }] }));
    assert.deepEqual(ok.bad, []);
    assert.deepEqual(ok.customers[0].events.map((e) => [e.productId, e.gift ?? false, e.type ?? 'purchase']),
      [['a', true, 'purchase'], ['b', false, 'return']]);
    const bad = await readOrders('[\n {"productId":"a","at":"2025-01-01"},\n {"productId":"b","at":"soon"},\n'
      + ' {"productId":"c","at":"2025-01-01","colour":"red"},\n 7\n]');
    assert.deepEqual(bad.bad.map((b) => b.line), [3, 4, 5]);
    assert.match(bad.bad[1].why, /unknown field 'colour'/);
    assert.equal((await readOrders('[{"productId":')).bad.length, 1);
  });
});

// ---- in the page ---------------------------------------------------------------------------------------------------

const env = serverAndBrowser();

async function open() {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const log = { console: [], errors: [] };
  page.on('console', (m) => {
    if ((m.type() === 'error' || m.type() === 'warning') && !isPolicyNote(m.text())) log.console.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => log.errors.push(String(e)));
  return { context, page, log };
}

async function consentWithSample(page) {
  await page.goto(env.server.url);
  await page.locator('#items .card').first().waitFor({ timeout: 30_000 });
  await page.locator('#consent-yes').click();
  await page.locator('#privacy').waitFor({ state: 'visible' });
  await page.goto(new URL('preferences.html', env.server.url).href);
  await page.locator('body[data-ready]').waitFor({ state: 'attached', timeout: 30_000 });
}

function storedHistory(page) {
  return page.evaluate(async () => (await import('/pkg/storage.js')).loadHistory());
}

// Chooses a file and waits until the page has finished with it (applied or refused).
async function importText(page, name, text) {
  const before = Number((await page.locator('body').getAttribute('data-imports')) ?? 0);
  await page.setInputFiles('#import-file', { name, mimeType: 'text/csv', buffer: Buffer.from(text) });
  await page.waitForFunction((n) => Number(document.body.dataset.imports ?? 0) > n, before, { timeout: 60_000 });
}

describe('bring your own history (preference center)', () => {
  test('no import before consent: the panel is not there', async () => {
    const { context, page, log } = await open();
    try {
      await page.goto(new URL('preferences.html', env.server.url).href);
      await page.locator('body[data-ready]').waitFor({ state: 'attached', timeout: 30_000 });
      assert.ok(await page.locator('#no-consent').isVisible());
      assert.ok(await page.locator('#import-file').isHidden());
      assert.deepEqual([log.console, log.errors], [[], []]);
    } finally {
      await context.close();
    }
  });

  test('a good file replaces the history; unknown products are counted, shown and kept', async () => {
    const { context, page, log } = await open();
    try {
      await consentWithSample(page);
      const rows = [];
      for (let i = 0; i < 30; i++) rows.push(`42,${known[i % 12]},2025-0${1 + (i % 6)}-1${i % 10}T10:00:00,1,o${i % 9},1.25`);
      rows.push('42,not-in-this-store-1,2025-03-03T10:00:00,1,o1,2.00', '42,not-in-this-store-2,2025-03-04T10:00:00,1,o2,');
      rows.push('42,not-in-this-store-1,2025-03-05T10:00:00,1,o3,2.00', `42,${known[0]},2025-03-05T10:00:00,0,o3,0`);
      await importText(page, 'mine.csv', `${PLAIN}\n${rows.join('\n')}\n`);
      assert.match(await page.locator('#import-result').textContent(), /Imported 33 lines of customer 42 from mine\.csv/);
      const unknown = page.locator('#import-unknown');
      assert.equal(await unknown.getAttribute('data-lines'), '3');
      assert.equal(await unknown.getAttribute('data-products'), '2');
      assert.match(await unknown.textContent(), /3 lines \(2 products\) name products this store does not sell/);
      assert.equal(await page.locator('#import-skipped').getAttribute('data-lines'), '1', 'the quantity-0 line is left out');
      const stored = await storedHistory(page);
      assert.equal(stored.length, 33);
      assert.ok(stored.some((e) => e.productId === 'not-in-this-store-2'), 'unknown products are kept');
      assert.ok(await page.locator('#import-bad').isHidden());

      await page.reload();
      await page.locator('body[data-ready]').waitFor({ state: 'attached', timeout: 30_000 });
      assert.match(await page.locator('#lead').textContent(), /from 33 lines/);
      assert.match(await page.locator('#unknown-products').textContent(), /^3 lines of your history name products/);
      assert.deepEqual([log.console, log.errors], [[], []]);
    } finally {
      await context.close();
    }
  });

  test('a file with bad rows is refused whole: every bad line listed, nothing stored changes', async () => {
    const { context, page, log } = await open();
    try {
      await consentWithSample(page);
      const before = await storedHistory(page);
      const lines = [PLAIN];
      const badLines = [];
      for (let i = 0; i < 1600; i++) {
        const bad = i % 3 === 0;
        lines.push(`5,${known[i % 20]},${bad ? 'someday' : '2025-02-01T10:00:00'},1,o${i},1.00`);
        if (bad) badLines.push(lines.length);
      }
      await importText(page, 'broken.csv', `${lines.join('\n')}\n`);
      const result = await page.locator('#import-result').textContent();
      assert.match(result, new RegExp(`Nothing was imported: ${badLines.length} rows of broken\\.csv could not be read`));
      assert.match(result, /is unchanged/);
      assert.deepEqual(await storedHistory(page), before, 'the stored history is untouched');
      // The page lists the first 500; the download holds every one, each with its line number.
      const listed = await page.$$eval('#import-bad-list li', (els) => els.map((e) => Number(e.dataset.line)));
      assert.deepEqual(listed, badLines.slice(0, 500));
      assert.ok(await page.locator('#import-bad-more').isVisible());
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#import-bad-download').click()]);
      const report = readFileSync(await download.path(), 'utf8').trim().split('\n');
      assert.deepEqual(report.map((l) => Number(/^broken\.csv:(\d+):/.exec(l)?.[1])), badLines);
      assert.deepEqual([log.console, log.errors], [[], []]);
    } finally {
      await context.close();
    }
  });

  test('a file the engine refuses (a 300-character product id) is refused whole, with the engine\'s code', async () => {
    const { context, page, log } = await open();
    try {
      await consentWithSample(page);
      const before = await storedHistory(page);
      await importText(page, 'long.csv', `${PLAIN}\n1,${known[0]},2025-01-01,1,,\n1,${'x'.repeat(300)},2025-01-02,1,,\n`);
      assert.match(await page.locator('#import-result').textContent(), /Nothing was imported from long\.csv/);
      assert.match(await page.locator('#error').textContent(), /INVALID_INPUT|TOO_LARGE|LIMIT/);
      assert.deepEqual(await storedHistory(page), before);
      assert.deepEqual(log.errors, []);
    } finally {
      await context.close();
    }
  });

  test('a large shop export: the progress bar moves, the shopper picks their customer, the import applies whole', async () => {
    const { context, page, log } = await open();
    try {
      await consentWithSample(page);
      // ~3 MB, 40 customers: read in 1 MB pieces, so the bar shows values between 0 and 100.
      const lines = ['InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country'];
      for (let i = 0; i < 40_000; i++) {
        const customer = 12000 + (i % 40);
        lines.push(`${600000 + Math.floor(i / 7)},${known[i % 30]},"A PRODUCT, WITH A COMMA",${1 + (i % 3)},`
          + `2011-0${1 + (i % 9)}-0${1 + (i % 9)} 1${i % 10}:00:00,1.95,${customer}.0,United Kingdom`);
      }
      await page.evaluate(() => {
        window.seen = [];
        new MutationObserver(() => window.seen.push(document.querySelector('#import-progress').value))
          .observe(document.querySelector('#import-progress'), { attributes: true });
      });
      await page.setInputFiles('#import-file', { name: 'shop.csv', mimeType: 'text/csv',
        buffer: Buffer.from(`${lines.join('\n')}\n`) });
      await page.locator('#import-choose').waitFor({ state: 'visible', timeout: 60_000 });
      const seen = await page.evaluate(() => window.seen);
      assert.ok(seen.some((v) => v > 0 && v < 100), `the bar moved through ${seen.join(', ')}`);
      assert.equal(await page.locator('#import-customer option').count(), 40);
      assert.equal((await storedHistory(page)).length, 35, 'nothing stored before the choice: still the sample shopper');
      await page.selectOption('#import-customer', { label: 'Customer 12007 (1000 lines)' });
      const before = Number((await page.locator('body').getAttribute('data-imports')) ?? 0);
      await page.locator('#import-apply').click();
      await page.waitForFunction((n) => Number(document.body.dataset.imports ?? 0) > n, before);
      const stored = await storedHistory(page);
      assert.equal(stored.length, 1000);
      assert.ok(stored.every((e) => e.orderId && e.quantity >= 1));
      assert.match(await page.locator('#import-result').textContent(), /customer 12007 from shop\.csv \(Online Retail\)/);
      assert.deepEqual([log.console, log.errors], [[], []]);
    } finally {
      await context.close();
    }
  });

  test("this store's own export reads back as the same history", async () => {
    const { context, page, log } = await open();
    try {
      await consentWithSample(page);
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#export').click()]);
      const text = readFileSync(await download.path(), 'utf8');
      const before = await storedHistory(page);
      await page.evaluate(async () => (await import('/pkg/storage.js')).saveHistory([]));
      await importText(page, 'tactful-my-data.json', text);
      const after = await storedHistory(page);
      assert.equal(after.length, before.length);
      assert.deepEqual(after.map((e) => [e.productId, Date.parse(e.at), e.gift ?? false, e.type ?? 'purchase']),
        before.map((e) => [e.productId, Date.parse(e.at), e.gift ?? false, e.type ?? 'purchase']));
      assert.deepEqual([log.console, log.errors], [[], []]);
    } finally {
      await context.close();
    }
  });
});
