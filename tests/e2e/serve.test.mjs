// The demo server: loopback only, the right MIME types, a strict CSP on HTML, and nothing outside www/ and pkg/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY, startServer } from '../../scripts/serve.mjs';

let server;
before(async () => {
  server = await startServer({ port: 0 });
});
after(() => server.close());

// Raw requests, so paths like /../ reach the server unnormalised.
function get(path, method = 'GET') {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('scripts/serve.mjs', () => {
  test('listens on 127.0.0.1 and reports the URL of the port it got', () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.notEqual(server.port, 0);
  });

  test('serves the page with the strict Content-Security-Policy', async () => {
    const res = await get('/');
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'], /^text\/html/);
    assert.equal(res.headers['content-security-policy'], CONTENT_SECURITY_POLICY);
    for (const directive of ["default-src 'none'", "script-src 'self' 'wasm-unsafe-eval'", "connect-src 'self'",
      "frame-ancestors 'none'", "form-action 'none'", "base-uri 'none'", "require-trusted-types-for 'script'",
      "trusted-types tactful-worker", 'sandbox allow-scripts allow-same-origin allow-downloads']) {
      assert.ok(res.headers['content-security-policy'].includes(directive), directive);
    }
    assert.doesNotMatch(res.headers['content-security-policy'], /allow-popups|allow-top-navigation|allow-forms/);
    assert.equal(res.headers['permissions-policy'], PERMISSIONS_POLICY);
    assert.match(res.headers['permissions-policy'], /camera=\(\), microphone=\(\), geolocation=\(\)/);
    assert.equal(res.headers['x-dns-prefetch-control'], 'off');
    assert.match(res.body, /http-equiv="Content-Security-Policy"[^>]*require-trusted-types-for 'script'; trusted-types tactful-worker"/);
    assert.match(res.body, /<link rel="icon" href="data:,">/);
  });

  test('the page has no inline script or style (the CSP would block them)', async () => {
    const { body } = await get('/index.html');
    assert.doesNotMatch(body, /<script(?![^>]*\bsrc=)[^>]*>/, 'inline <script>');
    assert.doesNotMatch(body, /<style[\s>]/, 'inline <style>');
    assert.doesNotMatch(body, /\sstyle=/, 'style attribute');
    assert.doesNotMatch(body, /\son[a-z]+=/, 'inline event handler');
  });

  test('MIME types', async () => {
    const cases = [
      ['/app.js', /^text\/javascript/],
      ['/style.css', /^text\/css/],
      ['/data/catalog.json', /^application\/json/],
      ['/pkg/storage.js', /^text\/javascript/],
      ['/pkg/package.json', /^application\/json/],
    ];
    for (const [path, type] of cases) {
      const res = await get(path);
      assert.equal(res.status, 200, path);
      assert.match(res.headers['content-type'], type, path);
      assert.equal(res.headers['content-security-policy'], undefined, `${path}: the CSP is for HTML`);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
    }
  });

  test('HEAD has headers and no body', async () => {
    const res = await get('/app.js', 'HEAD');
    assert.equal(res.status, 200);
    assert.equal(res.body, '');
  });

  test('refuses path traversal, dot-files, directory listings and other methods', async () => {
    for (const path of ['/../Cargo.toml', '/..%2fCargo.toml', '/%2e%2e/Cargo.toml', '/pkg/../../Cargo.toml',
      '/pkg/..%2f..%2fCargo.toml', '/data/', '/pkg/', '/.git/config', '/%00', '/missing.html', '/pkg/%zz']) {
      const res = await get(path);
      assert.ok(res.status === 404 || res.status === 400, `${path} -> ${res.status}`);
      assert.doesNotMatch(res.body, /\[package\]|repositoryformatversion/, path);
    }
    assert.equal((await get('/', 'POST')).status, 405);
  });
});
