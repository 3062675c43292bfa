// The examples a newcomer copies, run from the packed tarball exactly as their READMEs say: the Vite + strict
// TypeScript app (examples/vite) type-checked, built by Vite and opened in Chromium; the plain page with a
// <script type="module"> (examples/page) opened in Chromium; and every JavaScript snippet of README.md and
// pkg/README.md type-checked (strict) against the installed package. Vite and TypeScript are the repository's
// devDependencies (installed by scripts/setup.sh); the apps get only the tarball, installed offline.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../../scripts/chromium.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = (name) => `${root}node_modules/.bin/${name}`;
let dir;
let tarball;
let browser;

function run(cmd, args, cwd) {
  const out = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  assert.equal(out.status, 0, `${cmd} ${args.join(' ')} failed:\n${out.stdout}${out.stderr}`);
  return out;
}

/** Copies an example into the temporary folder and installs the packed tarball into it, offline. */
function app(example, as = example) {
  const to = join(dir, as);
  cpSync(`${root}examples/${example}`, to, { recursive: true, filter: (p) => !/node_modules|dist/.test(p) });
  run('npm', ['install', '--no-audit', '--no-fund', '--offline', tarball], to);
  return to;
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm',
  '.json': 'application/json', '.css': 'text/css' };

/** A static server for one folder on 127.0.0.1 (port 0): what `vite preview` or any file server does. */
function serve(folder) {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    const file = join(folder, path.endsWith('/') ? `${path}index.html` : path);
    if (!file.startsWith(folder + sep) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}/`, server }));
  });
}

/** Opens `url` in Chromium: the page's list, its #held and #errors text, console errors and foreign requests. */
async function open(url, more) {
  const page = await browser.newPage();
  const problems = [];
  const foreign = [];
  // (The browser's own favicon.ico request is the only 404 allowed.)
  page.on('console', (m) => m.type() === 'error' && !m.location().url?.endsWith('/favicon.ico') &&
    problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('request', (r) => !r.url().startsWith(url) && foreign.push(r.url()));
  try {
    await page.goto(url);
    await page.waitForSelector('#items li', { timeout: 30_000 });
    const items = await page.$$eval('#items li', (lis) => lis.map((li) => [li.dataset.id, li.textContent]));
    const text = async (sel) => ((await page.$(sel)) ? page.$eval(sel, (el) => el.textContent) : null);
    const extra = more ? await more(page) : undefined;
    return { items, held: await text('#held'), errors: await text('#errors'), problems, foreign, extra };
  } finally {
    await page.close();
  }
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tactful-examples-'));
  const out = run('npm', ['pack', '--json', '--pack-destination', dir, `${root}pkg`], root);
  tarball = join(dir, JSON.parse(out.stdout)[0].filename);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('pkg/README.md shows the Vite app and the plain page exactly as the examples hold them', () => {
  const readme = readFileSync(`${root}pkg/README.md`, 'utf8');
  const block = (heading, lang) =>
    readme.slice(readme.indexOf(heading)).match(new RegExp(`\`\`\`${lang}\n([\\s\\S]*?)\`\`\``))[1];
  const example = (file) => readFileSync(`${root}examples/${file}`, 'utf8');
  assert.equal(block('## Use it with a bundler', 'ts'), example('vite/src/main.ts'));
  assert.equal(block('## Use it in a page without a bundler', 'html'), example('page/index.html'));
});

test('examples/vite: strict TypeScript type-checks, Vite builds with no configuration, and the page ranks in Chromium',
  async () => {
    const vite = app('vite');
    run(bin('tsc'), ['-p', 'tsconfig.json'], vite);
    const built = run(bin('vite'), ['build'], vite);
    // Vite emitted the wasm as an asset; the README's size figures are the ones it prints (within rounding of a
    // rebuild: a module that grew by more than 2 kB gzip needs its README line updated).
    const line = built.stdout.split('\n').find((l) => /tactful_bg-[\w-]+\.wasm/.test(l));
    assert.ok(line, `Vite lists the wasm:\n${built.stdout}`);
    const [, raw, gzip] = line.match(/([\d.]+) kB.*gzip:\s*([\d.]+) kB/);
    const readme = readFileSync(`${root}pkg/README.md`, 'utf8')
      .match(/`tactful_bg\.wasm`[^|]*\| ([\d.]+) kB \| ([\d.]+) kB/);
    assert.ok(readme, 'pkg/README.md has the size row');
    assert.ok(Math.abs(Number(readme[1]) - Number(raw)) < 4, `raw: README ${readme[1]} kB, Vite ${raw} kB`);
    assert.ok(Math.abs(Number(readme[2]) - Number(gzip)) < 2, `gzip: README ${readme[2]} kB, Vite ${gzip} kB`);
    const { url, server } = await serve(join(vite, 'dist'));
    try {
      const page = await open(url);
      assert.deepEqual(page.problems, [], 'no console errors (the CSP allows the wasm)');
      assert.deepEqual(page.foreign, [], 'no request leaves the page origin');
      assert.equal(page.items[0][0], 'milk', page.items.join('\n'));
      assert.ok(!page.items.some(([id]) => id === 'kettle'), 'the owned kettle is not shown again');
      assert.match(page.held, /kettle OWNED_DURABLE/);
      assert.match(page.errors, /^FREED: /, 'a call after free() is a coded error');
    } finally {
      server.close();
    }
  });

test('examples/page: a plain <script type="module"> page with an import map ranks in Chromium', async () => {
  const page = app('page');
  const { url, server } = await serve(page);
  try {
    // The storage helper through the same import map: every misuse is coded in the browser too.
    const result = await open(url, (tab) => tab.evaluate(async () => {
      const storage = await import('tactful/storage.js');
      const seen = [];
      const attempt = async (fn) => {
        try {
          await fn();
          seen.push('stored');
        } catch (e) {
          seen.push(`${e.constructor.name} ${e.code} ${e.path}`);
        }
      };
      await attempt(() => storage.saveHistory([{ productId: 'milk', at: 0 }]));
      await attempt(() => storage.saveHistory('milk'));
      await storage.saveConsent();
      await attempt(() => storage.saveHistory([{ productId: 'milk', at: () => 0 }]));
      await attempt(() => storage.saveHistory([{ productId: 'milk', at: 0 }]));
      await storage.erase();
      return seen;
    }));
    assert.deepEqual(result.extra, ['Error NO_CONSENT ', 'Error INVALID_INPUT events', 'Error INVALID_INPUT events',
      'stored']);
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.foreign, []);
    assert.equal(result.items.length, 3);
    assert.equal(result.items[0][0], 'milk', result.items.join('\n'));
    assert.match(result.errors, /^NOT_INITIALIZED: /, 'a call before init() is a coded error');
  } finally {
    server.close();
  }
});

// Free names a snippet uses without defining them, and what they stand for (JSDoc, so the snippet stays JavaScript).
const PRELUDE = {
  history: "/** @type {import('tactful').Event[]} */ const history = [];",
  events: "/** @type {import('tactful').Event[]} */ const events = [];",
  catalog: "/** @type {import('tactful').Product[]} */ const catalog = [];",
  engine: "const engine = new (await import('tactful')).Engine([]);",
  Engine: "import { Engine } from 'tactful';",
  init: "import init from 'tactful';",
  readFileSync: "import { readFileSync } from 'node:fs';",
};

function snippets(file) {
  const text = readFileSync(`${root}${file}`, 'utf8');
  return [...text.matchAll(/```(js|ts)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1], code: m[2], at: text.slice(0,
    m.index).split('\n').length }));
}

test('every JavaScript snippet of README.md and pkg/README.md type-checks (strict, checkJs) against the package',
  () => {
    const check = app('page', 'snippets'); // any folder with the tarball installed (and no tsconfig.json)
    const files = [];
    for (const readme of ['README.md', 'pkg/README.md']) {
      for (const { lang, code, at } of snippets(readme)) {
        // The READMEs import from the files of pkg/ (a page serving them directly); an installed app names the package.
        let body = code.replace(/'\.\/(?:pkg\/)?tactful\.js'/g, "'tactful'")
          .replace(/'\.\/(?:pkg\/)?tactful_message\.js'/g, "'tactful/message'")
          .replace(/'\.\/(?:pkg\/)?storage\.js'/g, "'tactful/storage.js'")
          .replace(/'\.\/(?:pkg\/)?worker\.js'/g, "'tactful/worker.js'");
        const declared = (name) => new RegExp(`(const|let|function|import)[^;=]*\\b${name}\\b`).test(body);
        const prelude = Object.entries(PRELUDE)
          .filter(([name]) => new RegExp(`\\b${name}\\b`).test(body) && !declared(name)).map(([, line]) => line);
        body = `${prelude.join('\n')}\n${body}\nexport {};\n`;
        const name = `${readme.replace(/\W/g, '_')}_line${at}.${lang === 'ts' ? 'ts' : 'js'}`;
        writeFileSync(join(check, name), body);
        files.push(name);
      }
    }
    assert.ok(files.length >= 8, `found the snippets: ${files.join(', ')}`);
    const out = spawnSync(bin('tsc'), ['--noEmit', '--strict', '--allowJs', '--checkJs', '--target', 'es2022',
      '--lib', 'esnext,dom', '--module', 'esnext', '--moduleResolution', 'bundler', '--types', 'node',
      '--typeRoots', `${root}node_modules/@types`,
      '--skipLibCheck', 'false', ...files], { cwd: check, encoding: 'utf8' });
    assert.equal(out.status, 0, `tsc on the README snippets:\n${out.stdout}${out.stderr}`);
  });
