// A size breakdown of a wasm module, twiggy-style, with no install: the bytes of each section, the biggest functions
// (by code body size, named from the module's name section), and the code per Rust crate / module path.
//
//   node scripts/wasm-sizes.mjs FILE.wasm [--top 25]
//
// The shipped pkg/*_bg.wasm have their names stripped; to see names, give a build optimised the same way but keeping
// them (scripts/build.sh's wasm-opt step without --strip-debug), e.g. as docs/performance.md does:
//   node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-mutable-globals --enable-multivalue \
//     --enable-nontrapping-float-to-int --enable-reference-types --enable-sign-ext --enable-simd \
//     -o /tmp/named.wasm <wasm-bindgen output _bg.wasm>
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values: opts, positionals } = parseArgs({ options: { top: { type: 'string', default: '25' } },
  allowPositionals: true });
if (positionals.length !== 1) {
  console.error('usage: node scripts/wasm-sizes.mjs FILE.wasm [--top N]');
  process.exit(2);
}
const bytes = readFileSync(positionals[0]);

let at = 8;
function leb() {
  let result = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[at++];
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return result;
  }
}
function name() {
  const len = leb();
  const s = bytes.subarray(at, at + len).toString('utf8');
  at += len;
  return s;
}

const SECTION = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element',
  'code', 'data', 'data count', 'tag'];
const sections = [];
let importedFuncs = 0;
const bodies = [];
const names = new Map();
while (at < bytes.length) {
  const id = bytes[at++];
  const size = leb();
  const start = at;
  let label = SECTION[id] ?? `section ${id}`;
  if (id === 0) {
    const n = name();
    label = `custom "${n}"`;
    if (n === 'name') {
      while (at < start + size) {
        const sub = bytes[at++];
        const subSize = leb();
        const subEnd = at + subSize;
        if (sub === 1) {
          const count = leb();
          for (let i = 0; i < count; i++) {
            const idx = leb();
            names.set(idx, name());
          }
        }
        at = subEnd;
      }
    }
  } else if (id === 2) {
    const count = leb();
    for (let i = 0; i < count; i++) {
      name();
      name();
      const kind = bytes[at++];
      if (kind === 0) {
        leb();
        importedFuncs++;
      } else if (kind === 1) {
        at++;
        const flags = leb();
        leb();
        if (flags & 1) leb();
      } else if (kind === 2) {
        const flags = leb();
        leb();
        if (flags & 1) leb();
      } else if (kind === 3) {
        at += 2;
      } else {
        leb();
      }
    }
  } else if (id === 10) {
    const count = leb();
    for (let i = 0; i < count; i++) {
      const bodySize = leb();
      bodies.push({ index: importedFuncs + i, size: bodySize });
      at += bodySize;
    }
  }
  sections.push({ label, size });
  at = start + size;
}

/** Rust's legacy mangling (`_ZN7tactful6engine...17h<hash>E`) as a path; other names as given. */
function demangle(n) {
  const m = /^_ZN(.*)E$/.exec(n);
  if (!m) return n.replace(/::h[0-9a-f]{16}$/, '').replace(/\[[0-9a-f]{16}\]/g, '');
  const parts = [];
  let s = m[1];
  while (s.length) {
    const d = /^(\d+)/.exec(s);
    if (!d) break;
    const len = Number(d[1]);
    parts.push(s.slice(d[1].length, d[1].length + len));
    s = s.slice(d[1].length + len);
  }
  if (parts.length && /^h[0-9a-f]{16}$/.test(parts.at(-1))) parts.pop();
  return parts.join('::').replaceAll('$LT$', '<').replaceAll('$GT$', '>').replaceAll('$u20$', ' ')
    .replaceAll('$RF$', '&').replaceAll('$C$', ',').replaceAll('..', '::').replaceAll('$u7b$', '{')
    .replaceAll('$u7d$', '}');
}

const total = bytes.length;
const code = bodies.reduce((s, b) => s + b.size, 0);
const pct = (n, of = total) => `${((100 * n) / of).toFixed(1).padStart(5)} %`;
console.log(`${positionals[0]}: ${total} bytes, ${bodies.length} functions (${names.size} named)\n`);
console.log('sections:');
for (const s of sections) console.log(`  ${String(s.size).padStart(8)}  ${pct(s.size)}  ${s.label}`);

const fns = bodies.map((b) => ({ ...b, name: demangle(names.get(b.index) ?? `func[${b.index}]`) }))
  .sort((a, b) => b.size - a.size);
console.log(`\nbiggest functions (code body bytes; % of all code, ${code} bytes):`);
for (const f of fns.slice(0, Number(opts.top))) {
  console.log(`  ${String(f.size).padStart(8)}  ${pct(f.size, code)}  ${f.name}`);
}

// Code per crate and, for this crate, per module (the first two or three path segments).
const groups = new Map();
for (const f of fns) {
  const path = f.name.replace(/^<+/, '').split('::');
  let key = path[0] === 'tactful' ? path.slice(0, Math.min(3, path.length - 1)).join('::') : path[0].replace(/ as .*/, '');
  if (!f.name.includes('::')) key = '(unnamed or C symbols)';
  groups.set(key, (groups.get(key) ?? 0) + f.size);
}
console.log('\ncode by crate / module (of the function a body is named after: LTO inlines callees into callers):');
for (const [k, v] of [...groups].sort((a, b) => b[1] - a[1]).slice(0, Number(opts.top))) {
  console.log(`  ${String(v).padStart(8)}  ${pct(v, code)}  ${k}`);
}
