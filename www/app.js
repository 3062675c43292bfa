// The demo store: loads the engine with the public catalog and aggregate model, keeps the shopper's history in IndexedDB only after
// consent, and ranks on this device. Nothing about the shopper is sent anywhere.
// The engine runs in a Worker (pkg/worker.js) served with `connect-src 'none'`: the page fetches the wasm and the
// public data and hands them over, this page writes the history (on consent and on a persona switch) and shows it,
// and the Worker reads the stored history and preferences from IndexedDB itself to rank (docs/performance.md).
import { WorkerEngine } from '/pkg/worker.js';
import * as storage from '/pkg/storage.js';
import { renderError, renderLoading, renderPrivacy, renderRanking, renderStored } from './render.js';
import { $, el, getFile, getJson, integrity } from './dom.js';
import { readOrders, shiftToNow } from './import.js';



// A persona's history, fetched only once the shopper said yes: read by the same code as an imported file, and moved
// so its last order was two days ago (keeping the gaps), so repurchase timing means something whenever the demo runs.
async function personaHistory(persona) {
  const res = await fetch(persona.file, { integrity: integrity(persona.file) });
  if (!res.ok) throw new Error(`Could not load ${persona.file} (HTTP ${res.status})`);
  const read = await readOrders(await res.blob());
  if (read.bad.length > 0) throw new Error(`${persona.file}, line ${read.bad[0].line}: ${read.bad[0].why}`);
  return shiftToNow(read.customers[0]?.events ?? [], Date.now());
}

// The picker: one radio per persona, with why it is interesting (the list holds no purchases).
function renderPersonas(container, personas, name, checked) {
  container.replaceChildren(...personas.map((p) =>
    el('label', { class: 'persona', 'data-persona': p.id },
      el('input', { type: 'radio', name, value: p.id, checked: p.id === checked }),
      el('span', {},
        el('span', { class: 'persona-name' }, p.name,
          el('span', { class: `pill ${p.kind}` }, p.kind === 'real' ? `real household · ${p.lines} lines`
            : `made up · ${p.lines} lines`)),
        el('span', { class: 'persona-why' }, p.why)))),
  el('label', { class: 'persona', 'data-persona': 'none' },
    el('input', { type: 'radio', name, value: 'none', checked: checked === 'none' }),
    el('span', {},
      el('span', { class: 'persona-name' }, 'Nobody: start empty'),
      el('span', { class: 'persona-why' }, 'Keep an empty history, then import your own orders on Your preferences.'))));
}

const chosen = (name) => document.querySelector(`input[name="${name}"]:checked`)?.value ?? 'none';

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
  // Public data only: the wasm, the catalog, the aggregate model and the persona list. No shopper's history before
  // consent. The Worker starts while they arrive (WorkerEngine takes the promises); where Workers are unavailable,
  // the wrapper runs the same engine on this thread behind the same calls.
  // The Worker gets the packed catalog and model (data/catalog.pack, written by `tactful pack` from catalog.json and
  // model.json: its bytes transferred and read there with no JSON and no objects); this page parses the catalog's
  // JSON for the cards, and never the model.
  const catalogData = getJson('data/catalog.json');
  const personaList = getJson('data/personas.json');
  const starting = WorkerEngine.create(getFile('data/catalog.pack'), {
    wasm: fetch(wasm, { integrity: integrity(wasm) }),
    onError: (e) => console.error('tactful: the engine failed and was restarted; showing popular picks.', e),
  });
  const [catalog, personas, engine] = await Promise.all([catalogData, personaList, starting]);
  renderPersonas($('persona-list'), personas, 'persona', personas[0]?.id ?? 'none');
  renderPersonas($('switch-list'), personas, 'persona-switch', personas[0]?.id ?? 'none');
  const historyOf = async (id) => {
    const persona = personas.find((p) => p.id === id);
    return persona ? personaHistory(persona) : [];
  };
  const products = new Map(catalog.map((p) => [p.id, p]));
  let bannerDismissed = false;

  async function refresh() {
    // The Worker reads the stored history and the preferences set on preferences.html from IndexedDB itself (with
    // personalization from the consent record); this page passes only the context.
    const ranking = engine.rank({ context: { now: Date.now(), k: 12, surface: 'home', seed: 1 } },
      { historyFrom: 'indexeddb', preferencesFrom: 'indexeddb' });
    ranking.catch(() => {}); // awaited below; a storage error here must not also be reported as unhandled
    // The page reads the history only to show the shopper what is stored.
    const consent = await storage.loadConsent();
    const history = consent ? await storage.loadHistory() : [];
    $('consent').hidden = Boolean(consent) || bannerDismissed;
    renderPrivacy(consent, history);
    renderStored(history, products);
    renderRanking(await ranking, products, { consented: Boolean(consent) });
  }

  // Every button runs through here, so an engine or storage error is shown instead of lost.
  const on = (id, action) =>
    $(id).addEventListener('click', () => {
      renderError(null);
      action().catch(renderError);
    });

  on('consent-yes', async () => {
    const history = await historyOf(chosen('persona'));
    await storage.saveConsent();
    await storage.saveHistory(history);
    await refresh();
    $('recs-title').focus();
  });
  on('consent-no', async () => {
    bannerDismissed = true;
    $('consent').hidden = true;
  });
  on('switch-apply', async () => {
    await storage.saveHistory(await historyOf(chosen('persona-switch')));
    $('switch').open = false;
    await refresh();
    $('recs-title').focus();
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
