// Shared by the end-to-end tests: a server on 127.0.0.1 (port 0) and one Chromium per test file, started before the
// file's tests and closed after them. `env.server.url` and `env.browser` are set once the `before` hook has run.
import { after, before } from 'node:test';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../../scripts/chromium.mjs';
import { startServer } from '../../scripts/serve.mjs';

export const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const RESULTS = join(root, 'test-results');

// `setup`, if given, runs once both are up (e.g. to open the one page a file's steps share).
export function serverAndBrowser(setup) {
  const env = { server: undefined, browser: undefined };
  before(async () => {
    mkdirSync(RESULTS, { recursive: true });
    env.server = await startServer({ port: 0 });
    env.browser = await launchChromium();
    await setup?.(env);
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}

// Chromium's one warning about the demo's own policy, not about the page: the CSP `sandbox` keeps `allow-scripts` and
// `allow-same-origin` (the page needs both: scripts, and its origin for IndexedDB), and Chromium warns that such an
// *iframe* could escape its sandbox. The page is top-level, may embed no frame (`default-src 'none'`), and opens no
// popup, so there is nothing to escape into; the sandbox is there to block popups (docs/privacy.md). Tests that
// want a quiet console ignore exactly this message.
export const isPolicyNote = (text) =>
  text === 'An iframe which has both allow-scripts and allow-same-origin for its sandbox attribute can escape its sandboxing.';
