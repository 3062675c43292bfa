// The preference center: what the engine believes about this shopper and why (`engine.profile`), with the controls
// that write the shopper's `Preferences` to IndexedDB, where the store page (app.js) reads them for `engine.rank`.
// Everything happens on this device: the page fetches only the public catalog and model. The engine runs in a Worker
// (pkg/worker.js, served with `connect-src 'none'`) that reads the stored history from IndexedDB itself; this page
// writes what the shopper changes (preferences, an imported history) and shows it.
import { WorkerEngine } from '/pkg/worker.js';
import * as storage from '/pkg/storage.js';
import { $, el, getFile, getJson, integrity, showError, tone } from './dom.js';
import { readOrders } from './import.js';

const DAY = 86_400_000;
// The demo store runs the engine's "balanced" policy, whose share of room for discovery is 0.1.
const SHOP_DISCOVERY = 0.1;

const SENSITIVE = [
  ['pregnancy_baby', 'Pregnancy and baby', 'Baby food, formula, diapers, pregnancy tests'],
  ['intimate_care', 'Intimate care', 'Feminine hygiene, incontinence'],
  ['reproductive_health', 'Reproductive health', 'Family planning'],
  ['medical', 'Medicines and health', 'Remedies, laxatives, stop-smoking aids'],
  ['weight_loss', 'Diet and weight loss', 'Diet products'],
  ['alcohol', 'Alcohol', 'Beer, wine, spirits (an age check still applies)'],
  ['tobacco', 'Tobacco', 'Cigarettes and tobacco (an age check still applies)'],
  ['adult', 'Adult products', ''],
  ['financial_distress', 'Money worries', 'Loans, debt help'],
  ['romance', 'Romance and dating', ''],
];
const CLASS_NAMES = new Map(SENSITIVE.map(([id, name]) => [id, name]));
const FORGET_PHRASE = { pregnancy_baby: 'Everything baby-related' };

// The demo catalog (The Complete Journey) knows only two brands: the store's own label and everything else.
const BRAND_NOTE = { Private: 'store brand', National: 'name brands' };

const INTENSITY_HINT = {
  subtle: 'A light touch: mostly popular picks, a few based on you.',
  moderate: 'A balance of what you buy and what is popular.',
  strong: 'As personal as it gets, from what you buy.',
};

const shortDay = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric' });
const longDay = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', year: 'numeric' });
const monthYear = new Intl.DateTimeFormat('en-US', { month: 'long', year: 'numeric' });

const state = {
  engine: null,
  products: new Map(),
  departments: [],
  consent: null,
  history: [],
  prefs: {},
  profile: null,
};

// ---- small DOM helpers (text only through textContent: nothing from data is parsed as HTML) ----------------------


function show(id, list, emptyId) {
  $(id).replaceChildren(...list);
  if (emptyId) $(emptyId).hidden = list.length > 0;
}

function dayText(ms, now = Date.now()) {
  const t = new Date(ms);
  if (Number.isNaN(t.getTime())) return String(ms);
  return t.getFullYear() === new Date(now).getFullYear() ? shortDay.format(t) : longDay.format(t);
}

function pct(x) {
  return `${Math.round(Math.max(0, Math.min(1, x)) * 100)}%`;
}

function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

function titleOf(id) {
  return state.products.get(id)?.title ?? `Product ${id}`;
}


function bar(share, className = '') {
  const fill = el('span', { class: 'bar-fill' });
  fill.style.width = pct(share); // CSSOM, allowed by the page's style-src 'self'
  return el('span', { class: `bar ${className}`, 'aria-hidden': 'true' }, fill);
}

// ---- errors and status ------------------------------------------------------------------------------------------


let statusTimer = 0;
function status(text) {
  const box = $('status');
  box.textContent = text;
  box.hidden = false;
  clearTimeout(statusTimer);
  statusTimer = setTimeout(() => { box.hidden = true; }, 4000);
}

// ---- preferences ------------------------------------------------------------------------------------------------

// What the engine is given: the stored preferences, with personalization from the consent record (the authority) and
// the other purposes off unless the shopper turned them on here.
function forEngine(prefs) {
  return {
    ...prefs,
    consent: { email: false, push: false, ...prefs.consent, personalization: Boolean(state.consent) },
  };
}

// The stored history, read by the Worker; the preferences are the ones about to be stored (checked first).
function profileFor(prefs) {
  return state.engine.profile({ preferences: forEngine(prefs), context: { now: Date.now() } },
    { historyFrom: 'indexeddb' });
}

const uniq = (list) => [...new Set(list)];

// Drops empty lists and objects so the stored record stays readable in an export.
function tidy(p) {
  for (const key of ['sensitiveOptIn', 'forgotten', 'interests', 'notGifts']) {
    if (Array.isArray(p[key])) p[key] = uniq(p[key]);
    if (Array.isArray(p[key]) && p[key].length === 0) delete p[key];
  }
  if (p.muted) {
    for (const key of ['categories', 'brands', 'products']) {
      if (Array.isArray(p.muted[key])) p.muted[key] = uniq(p.muted[key]);
      if (Array.isArray(p.muted[key]) && p.muted[key].length === 0) delete p.muted[key];
    }
    if (Object.keys(p.muted).length === 0) delete p.muted;
  }
  return p;
}

// Applies a change: the engine checks the new preferences first; only then are they stored and shown. A change the
// engine refuses is reported and nothing stored changes.
let busy = Promise.resolve();
function update(change, message) {
  busy = busy.then(async () => {
    showError(null);
    const next = structuredClone(state.prefs);
    change(next);
    next.consent = { personalization: true, email: next.consent?.email === true, push: next.consent?.push === true };
    tidy(next);
    let profile;
    try {
      profile = await profileFor(next);
      await storage.savePreferences(next);
    } catch (err) {
      showError(err, 'Nothing stored was changed.');
      renderControls();
      return;
    }
    state.prefs = next;
    state.profile = profile;
    render();
    // How many changes were saved, for tests and tools waiting on one (a number, nothing about the shopper).
    document.body.dataset.saves = String(Number(document.body.dataset.saves ?? 0) + 1);
    if (message) status(`${message} Saved on this device; the store uses it from now on.`);
  });
  return busy;
}

const addTo = (list, value) => [...(list ?? []), value];
const removeFrom = (list, value) => (list ?? []).filter((v) => v !== value);

function mute(kind, value, label) {
  return update((p) => {
    p.muted = { ...p.muted, [kind]: addTo(p.muted?.[kind], value) };
  }, `Muted ${label}.`);
}

function unmute(kind, value, label) {
  return update((p) => {
    p.muted = { ...p.muted, [kind]: removeFrom(p.muted?.[kind], value) };
  }, `${label} is no longer muted.`);
}

function forget(topic, label) {
  return update((p) => {
    p.forgotten = addTo(p.forgotten, topic);
  }, `Forgot ${label}.`);
}

// ---- beliefs ----------------------------------------------------------------------------------------------------

// Mute (or, once muted, a "Muted" mark and Unmute) and Forget buttons for a believed thing. `muted` is
// [kind, value] in `Preferences.muted`.
function actionButtons(name, { muted, onForget }) {
  const [kind, value] = muted ?? [];
  const alreadyMuted = Boolean(muted) && isMuted(kind, value);
  return el(
    'span',
    { class: 'row-actions' },
    muted && !alreadyMuted ? el('button', { class: 'ghost', type: 'button', 'data-action': 'mute',
      'aria-label': `Mute ${name}`, onclick: () => mute(kind, value, name) }, 'Mute') : null,
    alreadyMuted ? el('button', { class: 'ghost', type: 'button', 'data-action': 'unmute',
      'aria-label': `Unmute ${name}`, onclick: () => unmute(kind, value, name) }, 'Unmute') : null,
    onForget ? el('button', { class: 'ghost', type: 'button', 'data-action': 'forget', 'aria-label': `Forget ${name}`,
      onclick: onForget }, 'Forget') : null,
  );
}

// On a shared device the page never names a product of a sensitive class (others may see the screen), even one the
// shopper opted into; it says how many it left unnamed instead.
function hideHere(productId) {
  return state.prefs.sharedDevice === true && Boolean(state.products.get(productId)?.sensitivity);
}
const HIDDEN_NOTE = 'in a sensitive topic, not named on a shared device';

// "7 purchases · Because you bought White Milk (Oct 18, Oct 4, Sep 13)": purchases grouped by product, newest first.
function because(purchases, count) {
  const hidden = purchases.filter((p) => hideHere(p.productId)).length;
  const byProduct = new Map();
  for (const p of purchases) {
    if (hideHere(p.productId)) continue;
    if (!byProduct.has(p.productId)) byProduct.set(p.productId, { title: p.title, at: [] });
    byProduct.get(p.productId).at.push(p.at);
  }
  return el(
    'p',
    { class: 'because' },
    count ? el('span', { class: 'count' }, `${plural(count, 'purchase')} · `) : null,
    el('span', { class: 'because-lead' }, 'Because you bought '),
    ...[...byProduct.values()].map(({ title, at }, i, all) =>
      el(
        'span',
        { class: 'bought' },
        el('span', { class: 'bought-title' }, title),
        ' ',
        el('span', { class: 'dates' }, `(${at.map((t) => dayText(t)).join(', ')})`),
        i < all.length - 1 ? '; ' : '',
      ),
    ),
    hidden
      ? el('span', { class: 'hidden-note' }, byProduct.size ? '; ' : '', `${plural(hidden, 'purchase')} ${HIDDEN_NOTE}`)
      : null,
  );
}

const isMuted = (kind, value) => (state.prefs.muted?.[kind] ?? []).includes(value);
const mutedMark = (kind, value) => (isMuted(kind, value) ? el('span', { class: 'pill muted-pill' }, 'Muted') : null);

function categoryRow(belief, level) {
  const name = belief.path[belief.path.length - 1];
  const forgetLabel = `everything in ${name}`;
  return el(
    'div',
    { class: `belief level-${level}`, 'data-category': name },
    el(
      'div',
      { class: 'belief-line' },
      el('span', { class: 'belief-name' },
        el(level === 1 ? 'strong' : 'span', {},
          level === 1 ? el('span', { class: `swatch ${tone(name)}`, 'aria-hidden': 'true' }) : null, name),
        level === 1 ? el('span', { class: 'count' }, plural(belief.count, 'purchase')) : null,
        mutedMark('categories', name)),
      bar(belief.affinity, level === 1 ? tone(name) : `${tone(belief.path[0])} soft`),
      el('span', { class: 'share', title: 'Share of your taste' }, pct(belief.affinity)),
      actionButtons(name, {
        muted: ['categories', name],
        onForget: () => forget(name, forgetLabel),
      }),
    ),
  );
}

function renderCategories(profile) {
  // Departments (level 1) with their aisles (level 2); the product-type level repeats the products, so it is left out.
  const departments = new Map();
  const dept = (name) => departments.get(name) ?? departments.set(name, { belief: null, aisles: [] }).get(name);
  for (const c of profile.categories) {
    if (c.purchases.length > 0 && c.purchases.every((p) => hideHere(p.productId))) continue;
    if (c.path.length === 1) dept(c.path[0]).belief = c;
    else if (c.path.length === 2) dept(c.path[0]).aisles.push(c);
  }
  const weight = (d) => d.belief?.affinity ?? d.aisles.reduce((s, a) => s + a.affinity, 0);
  const items = [...departments.values()]
    .sort((a, b) => weight(b) - weight(a))
    .map((d) => {
      const head = d.belief ? categoryRow(d.belief, 1) : null;
      const aisles = d.aisles.sort((a, b) => b.affinity - a.affinity).map((a) =>
        el('li', {}, categoryRow(a, 2), because(a.purchases, a.count)));
      return el(
        'li',
        { class: 'department' },
        head,
        d.belief && aisles.length === 0 ? because(d.belief.purchases) : null,
        aisles.length ? el('ul', { class: 'aisles' }, aisles) : null,
      );
    });
  show('categories', items, 'categories-empty');
}

function renderBrands(profile) {
  show('brands', profile.brands.map((b) =>
    el(
      'li',
      {},
      el(
        'div',
        { class: 'belief level-1', 'data-brand': b.brand },
        el(
          'div',
          { class: 'belief-line' },
          el('span', { class: 'belief-name' }, el('strong', {}, b.brand),
            BRAND_NOTE[b.brand] ? el('span', { class: 'brand-note' }, BRAND_NOTE[b.brand]) : null,
            el('span', { class: 'count' }, plural(b.count, 'purchase')), mutedMark('brands', b.brand)),
          bar(b.affinity, 'brand'),
          el('span', { class: 'share' }, pct(b.affinity)),
          actionButtons(b.brand, { muted: ['brands', b.brand] }),
        ),
      ),
    )), 'brands-empty');
}

function renderDue(profile, now) {
  show('due', profile.dueSoon.filter((d) => !hideHere(d.productId)).map((d) => {
    const every = Math.max(1, Math.round(d.intervalDays));
    const elapsed = (now - d.lastBought) / Math.max(1, d.dueAt - d.lastBought);
    const next = d.dueAt <= now ? `due now (expected around ${dayText(d.dueAt)})` : `next around ${dayText(d.dueAt)}`;
    const basis = d.confidence >= 0.5 ? 'from your own rhythm' : 'partly from how often people usually buy it';
    return el(
      'li',
      { class: 'thing', 'data-product-id': d.productId },
      el('div', { class: 'thing-main' },
        el('p', { class: 'thing-title' }, d.title, mutedMark('products', d.productId)),
        el('p', { class: 'thing-detail' }, `About every ${plural(every, 'day')}, ${next}.`),
        el('div', { class: 'timeline', title: `Last bought ${dayText(d.lastBought)}` },
          bar(Math.min(1, elapsed), elapsed >= 1 ? 'due' : 'thin'),
          el('span', { class: 'hint' }, `Last bought ${dayText(d.lastBought)} · ${basis}`))),
      actionButtons(d.title, { muted: ['products', d.productId] }),
    );
  }), 'due-empty');
}

function renderOwned(profile) {
  show('owned', profile.owned.filter((o) => !hideHere(o.productId)).map((o) =>
    el(
      'li',
      { class: 'thing', 'data-product-id': o.productId },
      el('div', { class: 'thing-main' },
        el('p', { class: 'thing-title' }, o.title),
        el('p', { class: 'thing-detail' },
          `Yours since ${dayText(o.since)}. `,
          o.until === null
            ? 'The catalog gives no expected lifetime.'
            : `Expected to last until about ${monthYear.format(new Date(o.until))}.`)),
      actionButtons(o.title, { onForget: () => forget(o.productId, o.title) }),
    )), 'owned-empty');
}

function renderGifts(profile) {
  show('gifts', profile.gifts.filter((g) => !hideHere(g.productId)).map((g) => {
    const at = state.history[g.index]?.at;
    return el(
      'li',
      { class: 'thing gift', 'data-product-id': g.productId },
      el('div', { class: 'thing-main' },
        el('p', { class: 'thing-title' }, titleOf(g.productId)),
        el('p', { class: 'thing-detail' }, at !== undefined ? `Bought ${dayText(at)}. ` : '', g.text)),
      el('span', { class: 'row-actions' },
        el('button', { type: 'button', 'data-action': 'not-gift', onclick: () => update((p) => {
          p.notGifts = addTo(p.notGifts, g.productId);
        }, `${titleOf(g.productId)} now counts as yours.`) }, 'This was for me')),
    );
  }), 'gifts-empty');
}

function renderShared(profile) {
  const s = profile.sharedUse;
  $('shared').hidden = !s.likely;
  $('shared-evidence').replaceChildren(...s.evidence.map((t) => el('li', {}, t)));
  $('shared-yes').hidden = state.prefs.sharedDevice === true;
  $('shared-no').hidden = state.prefs.sharedDevice === false;
  $('shared-mine-note').hidden = state.prefs.sharedDevice !== false;
}

// Where the engine may not name something here, it says how many: the page shows those counts, never the names.
const WITHHELD = {
  FORGOTTEN: (n) => `${plural(n, 'purchase')} you asked us to forget ${n === 1 ? 'is' : 'are'} not used.`,
  MUTED: (n) => `${plural(n, 'thing')} you muted ${n === 1 ? 'is' : 'are'} not named here.`,
  GIFT: (n) => `${plural(n, 'gift')} ${n === 1 ? 'is' : 'are'} not listed on a shared device.`,
  RETURNED: (n) => `${plural(n, 'return')} ${n === 1 ? 'is' : 'are'} not listed on a shared device.`,
  FUTURE: (n) => `${plural(n, 'purchase')} dated after now ${n === 1 ? 'is' : 'are'} not named.`,
  NO_CONSENT: (n) => `${plural(n, 'line')} of your history ${n === 1 ? 'is' : 'are'} not used without consent.`,
};
function renderWithheld(profile) {
  const rows = Object.entries(profile.withheld ?? {})
    .filter(([code, n]) => n > 0 && WITHHELD[code])
    .map(([code, n]) => el('li', { class: 'withheld-row', 'data-code': code }, WITHHELD[code](n)));
  $('withheld').replaceChildren(...rows);
  return rows.length;
}

// Ignored lines as counts with the engine's own texts. Products are named only where that says nothing sensitive:
// never for forgotten topics, never for a product in a sensitive class.
const NAMED = new Set(['RETURNED', 'CANCELLED', 'DUPLICATE', 'OUTLIER_QUANTITY', 'NON_PRODUCT']);
function renderIgnored(profile) {
  const groups = new Map();
  for (const line of profile.ignored) {
    const g = groups.get(line.reason) ?? groups.set(line.reason, { text: line.text, n: 0, names: new Set() })
      .get(line.reason);
    g.n += 1;
    const product = state.products.get(line.productId);
    if (NAMED.has(line.reason) && product && !product.sensitivity) g.names.add(product.title);
  }
  show('ignored', [...groups].map(([reason, g]) =>
    el(
      'li',
      { class: 'ignored-group', 'data-reason': reason },
      el('span', { class: 'ignored-count' }, String(g.n)),
      el('div', {},
        el('p', { class: 'ignored-text' }, g.text),
        el('p', { class: 'hint' }, `${plural(g.n, 'line')} of your history`,
          g.names.size ? `: ${[...g.names].join(', ')}` : '')),
    )));
  const n = profile.sensitiveIgnored;
  $('sensitive-ignored').hidden = n === 0;
  $('sensitive-ignored').textContent = `${plural(n, 'purchase')} in sensitive categories ${n === 1 ? 'was' : 'were'} `
    + 'ignored. We don\'t use them and don\'t say which, unless you turn that topic on under "Sensitive topics".';
  const unknown = profile.unknownProducts;
  $('unknown-products').hidden = !(unknown > 0);
  $('unknown-products').textContent = `${plural(unknown, 'line')} of your history ${unknown === 1 ? 'names a product'
    : 'name products'} this store does not sell: kept and counted, not used.`;
  const withheld = renderWithheld(profile);
  $('ignored-empty').hidden = groups.size > 0 || n > 0 || unknown > 0 || withheld > 0;
}

function renderLead(profile) {
  const used = profile.cleaning?.USED ?? 0;
  const mode = { personal: 'Your picks are personal', blended: 'Your picks mix personal and popular',
    default: 'Too little to go on yet: the store shows popular picks' }[profile.mode] ?? profile.mode;
  $('lead').replaceChildren(
    `Worked out on this device from ${plural(state.history.length, 'line')} of purchase history stored in this `
      + `browser, ${used} of which shape your taste. `,
    el('span', { class: `mode-badge mode-${profile.mode}` }, `${mode}.`),
  );
  $('lead').dataset.mode = profile.mode;
}

// ---- controls ---------------------------------------------------------------------------------------------------

function renderControls() {
  const p = state.prefs;
  const since = longDay.format(new Date(state.consent.at));
  $('consent-since').textContent = `Since ${since}. Withdrawing erases everything.`;
  $('consent-email').checked = p.consent?.email === true;
  $('consent-push').checked = p.consent?.push === true;

  const intensity = p.intensity ?? 'moderate';
  for (const r of document.querySelectorAll('input[name="intensity"]')) r.checked = r.value === intensity;
  $('intensity-hint').textContent = INTENSITY_HINT[intensity] ?? '';

  const discovery = typeof p.discovery === 'number' ? p.discovery : SHOP_DISCOVERY;
  $('discovery').value = String(discovery);
  $('discovery-value').textContent = `${pct(discovery)} of the list for new and different things`
    + (typeof p.discovery === 'number' ? '.' : " (the shop's default).");
  $('discovery-reset').hidden = typeof p.discovery !== 'number';
  $('shared-device').checked = p.sharedDevice === true;
  $('device-mine').checked = p.sharedDevice === false;

  const forgotten = new Set(p.forgotten ?? []);
  const optIn = new Set(p.sensitiveOptIn ?? []);
  $('sensitive').replaceChildren(...SENSITIVE.map(([id, name, examples]) =>
    el(
      'label',
      { class: 'check', 'data-class': id },
      el('input', { type: 'checkbox', value: id, checked: optIn.has(id), 'data-sensitive': id }),
      el('span', {},
        el('span', { class: 'check-name' }, name,
          forgotten.has(id) ? el('span', { class: 'pill' }, 'forgotten') : null),
        examples ? el('span', { class: 'hint' }, examples) : null),
    )));
  $('sensitive-shared').hidden = !(p.sharedDevice === true && optIn.size > 0);
  $('forget-baby').disabled = forgotten.has('pregnancy_baby');
  $('forget-baby').textContent = forgotten.has('pregnancy_baby')
    ? 'Everything baby-related is forgotten'
    : 'Forget everything baby-related';

  const interests = new Set(p.interests ?? []);
  $('interests').replaceChildren(...state.departments.map((d) =>
    el('label', { class: 'chip' },
      el('input', { type: 'checkbox', value: d, checked: interests.has(d), 'data-interest': d }),
      el('span', {}, d)),
  ));

  renderUndoList();
}

function renderUndoList() {
  const p = state.prefs;
  const rows = [];
  const row = (kind, label, undo, undoText = 'Undo') =>
    rows.push(el('li', { 'data-kind': kind },
      el('span', { class: 'undo-kind' }, kind),
      el('span', { class: 'undo-label' }, label),
      el('button', { class: 'link', type: 'button', 'data-action': 'undo', onclick: undo }, undoText)));
  for (const c of p.muted?.categories ?? []) row('Muted category', c, () => unmute('categories', c, c));
  for (const b of p.muted?.brands ?? []) row('Muted brand', b, () => unmute('brands', b, b));
  for (const id of p.muted?.products ?? []) {
    row('Muted product', titleOf(id), () => unmute('products', id, titleOf(id)));
  }
  for (const t of p.forgotten ?? []) {
    const label = FORGET_PHRASE[t] ?? CLASS_NAMES.get(t) ?? (state.products.has(t) ? titleOf(t) : t);
    row('Forgotten', label, () => update((q) => { q.forgotten = removeFrom(q.forgotten, t); },
      `${label} is remembered again.`));
  }
  for (const id of p.notGifts ?? []) {
    row('Counted as yours', titleOf(id), () => update((q) => { q.notGifts = removeFrom(q.notGifts, id); },
      `${titleOf(id)} counts as a gift again.`));
  }
  show('muted', rows, 'muted-empty');
}

function render() {
  const now = Date.now();
  const profile = state.profile;
  if (profile) {
    renderLead(profile);
    renderCategories(profile);
    renderBrands(profile);
    renderDue(profile, now);
    renderOwned(profile);
    renderGifts(profile);
    renderShared(profile);
    renderIgnored(profile);
  }
  renderControls();
}

function bindControls() {
  $('consent-email').addEventListener('change', (e) => update((p) => {
    p.consent = { ...p.consent, email: e.target.checked };
  }, e.target.checked ? 'Email suggestions on.' : 'Email suggestions off.'));
  $('consent-push').addEventListener('change', (e) => update((p) => {
    p.consent = { ...p.consent, push: e.target.checked };
  }, e.target.checked ? 'Push notifications on.' : 'Push notifications off.'));
  for (const r of document.querySelectorAll('input[name="intensity"]')) {
    r.addEventListener('change', () => update((p) => { p.intensity = r.value; }, `Intensity: ${r.value}.`));
  }
  $('discovery').addEventListener('input', (e) => {
    $('discovery-value').textContent = `${pct(Number(e.target.value))} of the list for new and different things.`;
  });
  $('discovery').addEventListener('change', (e) => update((p) => { p.discovery = Number(e.target.value); },
    `Room for something new: ${pct(Number(e.target.value))}.`));
  $('discovery-reset').addEventListener('click', () => update((p) => { delete p.discovery; },
    "Room for something new: the shop's default."));
  // Three states, as the engine reads them: shared (true), only mine (false: a household seen in the orders no longer
  // counts), and not said (absent: the engine watches the orders for signs of a household).
  $('shared-device').addEventListener('change', (e) => update((p) => {
    if (e.target.checked) p.sharedDevice = true; else delete p.sharedDevice;
  }, e.target.checked ? 'This device is treated as shared.' : 'This device is no longer treated as shared.'));
  $('device-mine').addEventListener('change', (e) => update((p) => {
    if (e.target.checked) p.sharedDevice = false; else delete p.sharedDevice;
  }, e.target.checked ? 'This device is treated as yours alone.' : 'We will watch for signs of a shared account.'));
  $('shared-yes').addEventListener('click', () => update((p) => { p.sharedDevice = true; },
    'This device is treated as shared.'));
  $('shared-no').addEventListener('click', () => update((p) => { p.sharedDevice = false; },
    'This device is treated as yours alone.'));
  $('sensitive').addEventListener('change', (e) => {
    const id = e.target.dataset.sensitive;
    if (!id) return;
    const name = CLASS_NAMES.get(id);
    update((p) => {
      p.sensitiveOptIn = e.target.checked ? addTo(p.sensitiveOptIn, id) : removeFrom(p.sensitiveOptIn, id);
    }, e.target.checked ? `${name}: on.` : `${name}: off.`);
  });
  $('forget-baby').addEventListener('click', () => forget('pregnancy_baby', 'everything baby-related'));
  $('interests').addEventListener('change', (e) => {
    const d = e.target.dataset.interest;
    if (!d) return;
    update((p) => { p.interests = e.target.checked ? addTo(p.interests, d) : removeFrom(p.interests, d); },
      e.target.checked ? `${d} added to your interests.` : `${d} removed from your interests.`);
  });
  $('withdraw').addEventListener('click', () => {
    busy = busy.then(async () => {
      showError(null);
      try {
        await storage.erase();
      } catch (err) {
        showError(err, 'Nothing stored was changed.');
        return;
      }
      showNoConsent('Erased. This browser no longer keeps your purchase history, your preferences or your consent. '
        + 'The store shows everyone the same popular picks.');
    });
  });
  $('export').addEventListener('click', () => {
    storage.exportJson().then((text) => {
      const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
      const a = Object.assign(document.createElement('a'), { href: url, download: 'tactful-my-data.json' });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 0);
    }).catch((err) => showError(err, 'Nothing stored was changed.'));
  });
}

// ---- bring your own history ------------------------------------------------------------------------------------

// Bad rows listed on the page; all of them are in the downloadable list.
const BAD_SHOWN = 500;
const number = new Intl.NumberFormat('en-US');
let lastBad = [];

function importMessage(className, ...parts) {
  $('import-result').replaceChildren(el('p', { class: className }, ...parts));
}

function showBadRows(bad, fileName) {
  lastBad = bad.map((b) => ({ ...b, file: fileName }));
  $('import-bad').hidden = bad.length === 0;
  if (bad.length === 0) return;
  $('import-bad-summary').textContent = `${plural(bad.length, 'row')} could not be read`;
  $('import-bad-list').replaceChildren(...bad.slice(0, BAD_SHOWN).map((b) =>
    el('li', { 'data-line': String(b.line) }, b.line > 0 ? `Line ${b.line}: ${b.why}` : b.why)));
  $('import-bad-more').hidden = bad.length <= BAD_SHOWN;
  $('import-bad-more').textContent = `The first ${BAD_SHOWN} are listed; the download has all ${number.format(bad.length)}.`;
  $('import-bad').open = true;
}

// Reads the chosen file; applies it when every row is readable and it holds one customer, or asks which customer.
async function importFile(file) {
  showError(null);
  $('import-choose').hidden = true;
  showBadRows([], '');
  $('import-result').replaceChildren();
  const bar = $('import-progress');
  bar.value = 0;
  $('import-percent').textContent = '';
  $('import-progress-row').hidden = false;
  let result;
  try {
    result = await readOrders(file, {
      onProgress: (done, total) => {
        const percent = total > 0 ? Math.floor((done / total) * 100) : 100;
        bar.value = percent;
        $('import-percent').textContent = `${percent}% of ${(total / 1048576).toFixed(1)} MB`;
      },
    });
  } catch (err) {
    importMessage('refused', `Nothing was imported: the file could not be read (${err.message ?? err}). `,
      `Your stored history (${plural(state.history.length, 'line')}) is unchanged.`);
    return;
  } finally {
    $('import-progress-row').hidden = true;
  }
  if (result.bad.length > 0) {
    showBadRows(result.bad, file.name);
    importMessage('refused', `Nothing was imported: ${plural(result.bad.length, 'row')} of ${file.name} could not `
      + `be read (listed below with their line numbers). Your stored history (${plural(state.history.length, 'line')}) `
      + 'is unchanged. Fix those rows, or remove them, and import again.');
    document.body.dataset.imports = String(Number(document.body.dataset.imports ?? 0) + 1);
    return;
  }
  if (result.customers.length === 0) {
    importMessage('refused', `Nothing was imported: ${file.name} holds no orders. Your stored history is unchanged.`);
    document.body.dataset.imports = String(Number(document.body.dataset.imports ?? 0) + 1);
    return;
  }
  // Lines that are not purchases (quantity 0), for the customer imported: counted in the result.
  skippedLines = result.skipped?.length ?? 0;
  if (result.customers.length === 1) {
    await applyImport(result.customers[0], result.format, file.name);
    return;
  }
  // A shop's export of many customers: the shopper picks their own id (the largest first).
  const select = $('import-customer');
  select.replaceChildren(...result.customers.map((c, i) =>
    el('option', { value: String(i) }, `Customer ${c.id} (${plural(c.events.length, 'line')})`)));
  $('import-choose').hidden = false;
  pendingImport = { result, name: file.name };
  importMessage('ok', `${file.name} (${result.format}) holds ${plural(result.customers.length, 'customer')}. `
    + 'Pick yours and import: nothing is stored until you do.');
}
let pendingImport = null;
let skippedLines = 0;

// All or nothing: the engine reads the new history first (a value it refuses stops the import); then one write
// replaces the stored history. A failure at either step leaves what was stored as it was.
async function applyImport(customer, format, name) {
  const events = customer.events;
  let profile;
  try {
    if (!(await storage.loadConsent())) throw new Error('No consent is recorded on this device: nothing is imported.');
    // The file's history is not stored yet: the Worker is given it, to check it before the one write.
    profile = await state.engine.profile({ history: events, preferences: forEngine(state.prefs),
      context: { now: Date.now() } });
    await storage.saveHistory(events);
  } catch (err) {
    showError(err, 'Nothing was imported; the stored history is unchanged.');
    importMessage('refused', `Nothing was imported from ${name}. Your stored history (`
      + `${plural(state.history.length, 'line')}) is unchanged.`);
    document.body.dataset.imports = String(Number(document.body.dataset.imports ?? 0) + 1);
    return;
  }
  const unknownLines = events.filter((e) => !state.products.has(e.productId));
  const unknownProducts = new Set(unknownLines.map((e) => e.productId)).size;
  state.history = events;
  state.profile = profile;
  pendingImport = null;
  $('import-choose').hidden = true;
  render();
  const who = customer.id ? ` of customer ${customer.id}` : '';
  importMessage('ok', el('strong', {}, `Imported ${plural(events.length, 'line')}${who} from ${name} (${format}).`),
    ' It replaced the history stored here. ',
    el('span', { id: 'import-unknown', 'data-lines': String(unknownLines.length),
      'data-products': String(unknownProducts) },
    unknownLines.length === 0
      ? 'Every product in it is sold in this store.'
      : `${plural(unknownLines.length, 'line')} (${plural(unknownProducts, 'product')}) name products this store `
        + 'does not sell: they are kept and counted, and do not shape your picks.'),
    skippedLines > 0
      ? el('span', { id: 'import-skipped', 'data-lines': String(skippedLines) }, ` ${plural(skippedLines, 'line')} `
        + 'of the file had quantity 0 (coupons or voids, not purchases) and were left out.')
      : null);
  document.body.dataset.imports = String(Number(document.body.dataset.imports ?? 0) + 1);
  status(`Imported ${plural(events.length, 'line')}. Saved on this device; the store uses it from now on.`);
}

function bindImport() {
  $('import-file').addEventListener('change', (e) => {
    const file = e.target.files?.[0];
    if (!file) return;
    e.target.value = ''; // so choosing the same file again (after fixing it) reads it again
    busy = busy.then(() => importFile(file)).catch((err) => showError(err, 'Nothing was imported.'));
  });
  $('import-apply').addEventListener('click', () => {
    if (!pendingImport) return;
    const { result, name } = pendingImport;
    const customer = result.customers[Number($('import-customer').value)];
    if (!customer) return;
    busy = busy.then(() => applyImport(customer, result.format, name)).catch((err) => showError(err));
  });
  $('import-bad-download').addEventListener('click', () => {
    const text = lastBad.map((b) => `${b.file}:${b.line}: ${b.why}`).join('\n') + '\n';
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    const a = Object.assign(document.createElement('a'), { href: url, download: 'tactful-import-bad-rows.txt' });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  });
}

function showNoConsent(text) {
  $('center').hidden = true;
  $('no-consent').hidden = false;
  if (text) $('no-consent-text').textContent = text;
  $('lead').textContent = 'Nothing to show: nothing about you is stored here.';
  document.body.dataset.ready = 'true';
}


async function main() {
  const wasm = '/pkg/tactful_bg.wasm';
  // The Worker starts while the wasm and the data arrive (WorkerEngine takes the promises); where Workers are
  // unavailable, the wrapper runs the same engine on this thread behind the same calls.
  // The Worker gets the packed catalog and model (data/catalog.pack: transferred, read there with no JSON); this page
  // parses the catalog's JSON for titles and departments, and never the model.
  const catalogData = getJson('data/catalog.json');
  const starting = WorkerEngine.create(getFile('data/catalog.pack'), {
    wasm: fetch(wasm, { integrity: integrity(wasm) }),
    onError: (e) => console.error('tactful: the engine failed and was restarted.', e),
  });
  const [catalog, engine] = await Promise.all([catalogData, starting]);
  state.engine = engine;
  state.products = new Map(catalog.map((p) => [p.id, p]));
  state.departments = uniq(catalog.map((p) => p.category?.[0]).filter(Boolean)).sort();

  state.consent = await storage.loadConsent();
  if (!state.consent) {
    showNoConsent();
    return;
  }
  state.history = await storage.loadHistory();
  state.prefs = await storage.loadPreferences();
  bindControls();
  bindImport();
  $('center').hidden = false;
  try {
    state.profile = await profileFor(state.prefs);
  } catch (err) {
    // A stored value the engine refuses: say so, keep everything stored, and still offer the controls.
    showError(err, 'Nothing stored was changed.');
    $('lead').textContent = 'We could not work out what we believe about you from what is stored.';
  }
  render();
  document.body.dataset.ready = 'true';
}

main().catch((err) => {
  showError(err, 'Nothing stored was changed.');
  document.body.dataset.ready = 'true';
});
