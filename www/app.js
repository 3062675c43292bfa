// The demo store: loads the engine with the public catalog and aggregate model, keeps the shopper's history in IndexedDB only after
// consent, and ranks on this device. Nothing about the shopper is sent anywhere.
import init, { Engine } from '/pkg/tactful.js';
import * as storage from '/pkg/storage.js';
import { renderError, renderLoading, renderPrivacy, renderRanking, renderStored } from './render.js';

const DAY = 86_400_000;
const $ = (id) => document.getElementById(id);

// Subresource Integrity for what this page fetches: scripts/sri.mjs writes each file's hash into the page's
// <meta name="tactful-integrity">, and fetch refuses a response that does not match it.
const integrity = (src) =>
  document.querySelector(`meta[name="tactful-integrity"][data-src="${src}"]`)?.content ?? '';

async function getJson(path) {
  const res = await fetch(path, { integrity: integrity(path) });
  if (!res.ok) throw new Error(`Could not load ${path} (HTTP ${res.status})`);
  return res.json();
}

// The sample shopper's orders are from 2025; move them so the last order was two days ago, keeping the gaps.
function shiftToNow(events, now) {
  const last = Math.max(...events.map((e) => Date.parse(e.at)));
  const shift = Math.floor((now - 2 * DAY - last) / DAY) * DAY;
  return events.map((e) => ({ ...e, at: new Date(Date.parse(e.at) + shift).toISOString() }));
}

function download(name, text) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

async function main() {
  const wasm = '/pkg/tactful_bg.wasm';
  await init({ module_or_path: fetch(wasm, { integrity: integrity(wasm) }) });
  const [catalog, model, sample] = await Promise.all(
    ['data/catalog.json', 'data/model.json', 'data/history.json'].map(getJson),
  );
  const engine = new Engine(catalog, { model });
  const products = new Map(catalog.map((p) => [p.id, p]));
  let bannerDismissed = false;

  async function refresh() {
    const consent = await storage.loadConsent();
    const history = consent ? await storage.loadHistory() : [];
    // What the shopper set on the preference page (preferences.html); the consent record decides personalization.
    const stored = consent ? await storage.loadPreferences() : {};
    $('consent').hidden = Boolean(consent) || bannerDismissed;
    renderPrivacy(consent, history);
    renderStored(history, products);
    const ranking = engine.rank({
      history,
      preferences: { ...stored, consent: { ...stored.consent, personalization: Boolean(consent) } },
      context: { now: Date.now(), k: 12, surface: 'home', seed: 1 },
    });
    renderRanking(ranking, products, { consented: Boolean(consent) });
  }

  // Every button runs through here, so an engine or storage error is shown instead of lost.
  const on = (id, action) =>
    $(id).addEventListener('click', () => {
      renderError(null);
      action().catch(renderError);
    });

  on('consent-yes', async () => {
    await storage.saveConsent();
    await storage.saveHistory(shiftToNow(sample, Date.now()));
    await refresh();
    $('recs-title').focus();
  });
  on('consent-no', async () => {
    bannerDismissed = true;
    $('consent').hidden = true;
  });
  on('export', async () => download('tactful-my-data.json', await storage.exportJson()));
  const eraseAll = async () => {
    await storage.erase();
    bannerDismissed = false;
    await refresh();
  };
  on('erase', eraseAll);
  on('withdraw', eraseAll);

  await refresh();
}

renderLoading();
main().catch(renderError);
