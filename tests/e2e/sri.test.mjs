// Subresource Integrity on the pages (scripts/sri.mjs writes it; scripts/build.sh runs it): every same-origin script
// and stylesheet of www/*.html carries the sha384 of the file it names, every <meta name="tactful-integrity"> the hash
// of the file the page's scripts fetch with it, and Chromium refuses a changed file: a changed app.js, wasm module or
// catalog never runs. Needs `bash scripts/build.sh` first.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { root, serverAndBrowser } from './harness.mjs';

const www = join(root, 'www');
const hash = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
const file = (url) => (url.startsWith('/pkg/') ? join(root, url.slice(1)) : join(www, url.replace(/^\//, '')));

describe('integrity attributes', () => {
  const pages = readdirSync(www).filter((f) => f.endsWith('.html'));

  test('every same-origin script and stylesheet of every page carries the hash of its file', () => {
    let tags = 0;
    for (const page of pages) {
      const html = readFileSync(join(www, page), 'utf8');
      for (const [tag] of html.matchAll(/<script\b[^>]*\ssrc="[^"]+"[^>]*>|<link\b[^>]*rel="stylesheet"[^>]*>/g)) {
        const url = /\s(?:src|href)="([^"]+)"/.exec(tag)[1];
        assert.ok(!/^[a-z]+:|^\/\//i.test(url), `${page}: ${url} is not from this origin (no third-party scripts)`);
        const integrity = /\sintegrity="([^"]+)"/.exec(tag)?.[1];
        assert.equal(integrity, hash(readFileSync(file(url))), `${page}: ${tag}`);
        tags += 1;
      }
    }
    assert.ok(tags >= 5, `only ${tags} tags checked`);
  });

  test('the store page pins the wasm module and the data it fetches', () => {
    const html = readFileSync(join(www, 'index.html'), 'utf8');
    const metas = [...html.matchAll(/<meta name="tactful-integrity" data-src="([^"]+)" content="([^"]+)">/g)];
    const pinned = new Map(metas.map((m) => [m[1], m[2]]));
    const personas = JSON.parse(readFileSync(join(www, 'data', 'personas.json'), 'utf8')).map((p) => p.file);
    assert.ok(personas.length >= 5, 'the persona files are pinned too');
    for (const url of ['/pkg/tactful_bg.wasm', 'data/catalog.json', 'data/catalog.pack', 'data/personas.json', ...personas]) {
      assert.equal(pinned.get(url), hash(readFileSync(file(url))), url);
    }
    // And the page's scripts use them: the wasm and a persona's history in app.js, the JSON through dom.js's getJson.
    const app = readFileSync(join(www, 'app.js'), 'utf8');
    assert.match(app, /fetch\(wasm, \{ integrity: integrity\(wasm\) \}\)/);
    assert.match(app, /fetch\(persona\.file, \{ integrity: integrity\(persona\.file\) \}\)/);
    assert.match(app, /import \{[^}]*\bgetJson\b[^}]*\} from '\.\/dom\.js'/);
    const dom = readFileSync(join(www, 'dom.js'), 'utf8');
    assert.match(dom, /fetch\(path, \{ integrity: integrity\(path\) \}\)/);
  });
});

describe('Chromium refuses a changed file', () => {
  const env = serverAndBrowser();

  // Opens the store with `url` (a path suffix) answered by `change(original bytes)`; reports what the page showed.
  async function openChanged(suffix, change) {
    const context = await env.browser.newContext();
    const page = await context.newPage();
    const console = [];
    page.on('console', (m) => console.push(m.text()));
    if (suffix) {
      await page.route(`**${suffix}`, async (route) => {
        const res = await route.fetch();
        await route.fulfill({ response: res, body: change(await res.body()) });
      });
    }
    await page.goto(env.server.url);
    const cards = page.locator('#items .card');
    const error = page.locator('#error');
    await Promise.race([
      cards.first().waitFor({ timeout: 20_000 }),
      error.waitFor({ state: 'visible', timeout: 20_000 }),
      page.waitForTimeout(8_000),
    ]).catch(() => {});
    const result = { cards: await cards.count(), error: (await error.isVisible()) ? await error.innerText() : '', console };
    await context.close();
    return result;
  }

  const appendSpace = (bytes) => Buffer.concat([bytes, Buffer.from(' ')]);

  test('unchanged files: the store ranks (the control)', async () => {
    const r = await openChanged(null);
    assert.ok(r.cards > 0, `no cards; error: ${r.error}`);
    assert.equal(r.error, '');
  });

  test('a changed app.js never runs', async () => {
    const r = await openChanged('/app.js', (b) => Buffer.concat([b, Buffer.from('\nwindow.tampered = 1;\n')]));
    assert.equal(r.cards, 0);
    assert.ok(r.console.some((t) => /integrity/i.test(t)), r.console.join('\n'));
  });

  test('a changed wasm module is refused and the page says so', async () => {
    const r = await openChanged('/pkg/tactful_bg.wasm', (b) => Buffer.concat([b, Buffer.from([0])]));
    assert.equal(r.cards, 0);
    assert.ok(r.error.length > 0, 'no error shown');
    assert.ok(r.console.some((t) => /integrity/i.test(t)), r.console.join('\n'));
  });

  test('a changed catalog is refused and the page says so', async () => {
    const r = await openChanged('/data/catalog.json', appendSpace);
    assert.equal(r.cards, 0);
    assert.ok(r.error.length > 0, 'no error shown');
  });
});
