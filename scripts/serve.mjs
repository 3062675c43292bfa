// A tiny static server for the demo store, with no dependencies, bound to 127.0.0.1 only.
//   www/ is served at /, pkg/ at /pkg/, and, for the bench page's comparison only, the browser bundles and wasm files
//   of the tfjs-core and tfjs-backend-wasm devDependencies (pinned by package-lock.json) at /vendor/… (no CDN: the
//   pages load nothing from another origin). No directory listings; paths that leave those folders are refused; every
//   method but GET and HEAD is refused (405), and nothing is logged.
//   HTML responses carry a strict Content-Security-Policy. What it stops and what it cannot is said exactly in
//   docs/privacy.md and checked by tests/e2e/canary.test.mjs; in short:
//     - stopped: every request a page's script or markup can make to another origin (fetch, XHR, beacons,
//       WebSocket, EventSource, images, scripts, styles, fonts, media, frames, workers, prefetches, form posts),
//       popups (window.open, target=_blank: the sandbox has no allow-popups), and HTML or script built from strings
//       (Trusted Types with no policy: innerHTML, document.write, script.src/text assignments, eval, new Function);
//     - NOT stopped: the page navigating itself to another origin (location = "https://elsewhere/?data"; no shipped
//       CSP directive covers top-level navigation), requests to this same origin (a GET or POST to the shop's own
//       server is allowed: this server refuses POSTs and logs nothing, a real shop's server may not), and WebRTC
//       (a peer connection's STUN request reaches any host: Chromium has no CSP directive for it).
//
// Usage: node scripts/serve.mjs [port]        (or PORT=8080; default 8080; 0 picks a free port)
// In tests: const { url, close } = await startServer({ port: 0 });

import { createServer } from 'node:http';
import { open, realpath } from 'node:fs/promises';
import { dirname, extname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  // No HTML or script from strings: every sink (innerHTML, document.write, eval, …) needs a Trusted Type, and no
  // policy may be created to make one. The pages build the DOM with createElement and textContent only.
  "require-trusted-types-for 'script'",
  // One Trusted Types policy may exist: pkg/worker.js's, which passes only its own Worker entry script.
  "trusted-types tactful-worker",
  // A sandbox that keeps this origin (IndexedDB), scripts and downloads (Export), and drops popups, modal dialogs,
  // pointer lock, presentation and form submission. Header only: browsers ignore `sandbox` in a <meta> policy.
  'sandbox allow-scripts allow-same-origin allow-downloads',
  // Not here: `webrtc 'block'` (CSP Level 3 draft). Chromium 156 does not know it (it logs an error and ignores it),
  // so it would close nothing; WebRTC stays open (docs/privacy.md).
].join('; ');

// The policy of the Worker that holds the shopper's history (pkg/worker-entry.js, started by pkg/worker.js). A
// dedicated Worker is governed by the CSP of its own script's response, not the page's: this one may load its
// modules and instantiate the wasm it is handed, and nothing else. `connect-src 'none'` blocks fetch, XMLHttpRequest,
// WebSocket, EventSource and sendBeacon; `worker-src 'none'` nested workers; `default-src 'none'` everything else
// (importScripts from elsewhere, fonts, images). The page itself needs `worker-src 'self'` (above) to start it.
export const WORKER_SCRIPT = '/pkg/worker-entry.js';
export const WORKER_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "connect-src 'none'",
  "worker-src 'none'",
  "base-uri 'none'",
].join('; ');

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
};

// URL prefix -> folder. Longest prefix first.
const MOUNTS = [
  ['/pkg/', join(root, 'pkg')],
  // www/bench.js's shared-stage comparison; absent (404) until `npm ci` has installed the devDependencies.
  ['/vendor/tfjs-core/', join(root, 'node_modules', '@tensorflow', 'tfjs-core', 'dist')],
  ['/vendor/tfjs-backend-wasm/', join(root, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist')],
  ['/', join(root, 'www')],
];

// Powerful features the pages never use, off for this origin (no prompt can even be shown).
export const PERMISSIONS_POLICY = ['camera', 'microphone', 'geolocation', 'usb', 'serial', 'hid',
  'payment', 'display-capture', 'midi', 'publickey-credentials-get'].map((f) => `${f}=()`).join(', ');

const COMMON_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'X-DNS-Prefetch-Control': 'off',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

function send(res, status, text, headers = {}) {
  res.writeHead(status, { ...COMMON_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', ...headers });
  res.end(text);
}

/** Resolves a request path to a file inside one mount, or null. Symlinks that leave the mount are refused too. */
async function resolveFile(pathname) {
  let decoded;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const mount = MOUNTS.find(([prefix]) => decoded.startsWith(prefix));
  if (!mount) return null;
  const [prefix, folder] = mount;
  let rest = decoded.slice(prefix.length);
  if (rest === '' || rest.endsWith('/')) rest += 'index.html';
  const parts = rest.split('/');
  if (parts.some((p) => p === '..' || p === '.' || p === '' || p.startsWith('.'))) return null;
  try {
    const base = await realpath(folder);
    const file = await realpath(join(folder, ...parts));
    if (!file.startsWith(base + sep)) return null;
    return file;
  } catch {
    return null;
  }
}

async function handle(req, res, log) {
  if (log && log.length < 100_000) log.push(req.url);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    send(res, 405, 'method not allowed\n', { Allow: 'GET, HEAD' });
    return;
  }
  let pathname;
  try {
    pathname = new URL(req.url, 'http://127.0.0.1').pathname;
  } catch {
    send(res, 400, 'bad request\n');
    return;
  }
  const file = await resolveFile(pathname);
  const handleFile = file && (await open(file, 'r').catch(() => null));
  if (!handleFile) {
    send(res, 404, 'not found\n');
    return;
  }
  try {
    const stat = await handleFile.stat();
    if (!stat.isFile()) {
      send(res, 404, 'not found\n');
      return;
    }
    const type = MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
    const headers = { ...COMMON_HEADERS, 'Content-Type': type, 'Content-Length': stat.size };
    if (type.startsWith('text/html')) {
      headers['Content-Security-Policy'] = CONTENT_SECURITY_POLICY;
      headers['Permissions-Policy'] = PERMISSIONS_POLICY;
    }
    if (pathname === WORKER_SCRIPT) headers['Content-Security-Policy'] = WORKER_CONTENT_SECURITY_POLICY;
    res.writeHead(200, headers);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    res.end(await handleFile.readFile());
  } finally {
    await handleFile.close();
  }
}

/**
 * Starts the server on 127.0.0.1. Resolves to { url, port, requests, close } once it listens; `requests` lists every
 * request's URL as received, in order (tests use it to prove what was, and was not, asked for).
 */
export function startServer({ port = 8080 } = {}) {
  const requests = [];
  const server = createServer((req, res) => {
    handle(req, res, requests).catch((err) => {
      console.error('serve:', err);
      if (!res.headersSent) send(res, 500, 'internal error\n');
      else res.destroy();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const actual = server.address().port;
      resolve({
        url: `http://127.0.0.1:${actual}/`,
        port: actual,
        requests,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections?.();
            server.close(() => done());
          }),
      });
    });
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === (await realpath(process.argv[1]).catch(() => ''))) {
  const arg = process.argv[2] ?? process.env.PORT ?? '8080';
  const port = Number(arg);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`serve: not a port: ${arg}`);
    process.exit(2);
  }
  const { url } = await startServer({ port });
  console.log(`tactful demo: serving www/ and pkg/ at ${url}  (Ctrl-C to stop)`);
}
