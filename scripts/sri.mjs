// Subresource Integrity for the pages (www/*.html): writes `integrity="sha384-…"` on every <script src> and
// <link rel="stylesheet"> of this origin, and one <meta name="tactful-integrity" data-src="…" content="sha384-…"> per
// file the page's scripts fetch (the wasm module, the catalog and model data), which the scripts pass to
// `fetch(url, { integrity })`. Run by scripts/build.sh after the wasm is built (the wasm's hash changes with it);
// `node scripts/sri.mjs --check` changes nothing and exits 1 when a page is out of date. tests/e2e/sri.test.mjs checks
// the attributes against the files and that Chromium refuses a changed file. What SRI cannot cover (module imports
// inside modules, worker scripts) and how the CSP covers it: docs/hardening.md.

import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const www = join(root, 'www');

// What each page's scripts fetch (URL as the script writes it). The module's own glue (pkg/tactful.js) is a module
// import: SRI cannot pin it from here (see docs/hardening.md).
// The store fetches the persona list before consent and one persona's history after it: every file the list names.
const personaFiles = JSON.parse(readFileSync(join(www, 'data', 'personas.json'), 'utf8')).map((p) => p.file);
export const FETCHED = {
  'index.html': ['/pkg/tactful_bg.wasm', 'data/catalog.json', 'data/catalog.pack', 'data/personas.json', ...personaFiles],
  'preferences.html': ['/pkg/tactful_bg.wasm', 'data/catalog.json', 'data/catalog.pack'],
};

/** The file a page URL names: /pkg/… under pkg/, anything else under www/. */
export function fileOf(url) {
  const clean = url.split(/[?#]/)[0];
  return clean.startsWith('/pkg/') ? join(root, clean.slice(1)) : join(www, clean.replace(/^\//, ''));
}

export function sri(bytes) {
  return `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
}

const local = (url) => !/^[a-z][a-z0-9+.-]*:/i.test(url) && !url.startsWith('//');

/** The page with every integrity attribute and meta made current. */
export function withIntegrity(page, html) {
  let out = html.replace(/<(script|link)\b([^>]*)>/g, (tag, name, attrs) => {
    const src = name === 'script' ? /\ssrc="([^"]+)"/.exec(attrs) : /\shref="([^"]+)"/.exec(attrs);
    if (!src || !local(src[1])) return tag;
    if (name === 'link' && !/\srel="stylesheet"/.test(attrs)) return tag;
    const value = sri(readFileSync(fileOf(src[1])));
    const rest = attrs.replace(/\s+integrity="[^"]*"/, '');
    return `<${name}${rest} integrity="${value}">`;
  });
  out = out.replace(/\n?[ \t]*<meta name="tactful-integrity"[^>]*>/g, '');
  const urls = FETCHED[page] ?? [];
  if (urls.length) {
    const metas = urls
      .map((u) => `  <meta name="tactful-integrity" data-src="${u}" content="${sri(readFileSync(fileOf(u)))}">`)
      .join('\n');
    out = out.replace(/(\n[ \t]*<meta name="referrer"[^>]*>)/, `$1\n${metas}`);
    if (!out.includes('name="tactful-integrity"')) throw new Error(`${page}: no <meta name="referrer"> to follow`);
  }
  return out;
}

export function pages() {
  return readdirSync(www).filter((f) => f.endsWith('.html')).sort();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const page of pages()) {
    const path = join(www, page);
    const before = readFileSync(path, 'utf8');
    const after = withIntegrity(page, before);
    if (after === before) continue;
    if (check) {
      console.error(`sri: www/${page} is out of date (run node scripts/sri.mjs)`);
      stale += 1;
    } else {
      writeFileSync(path, after);
      console.log(`sri: www/${page} updated`);
    }
  }
  process.exit(stale ? 1 : 0);
}
