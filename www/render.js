// DOM rendering for the demo store. Text only through textContent: nothing from data is ever parsed as HTML.

import { $, el, showError, tone } from './dom.js';

const price = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const day = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });

const SLOT_LABELS = {
  personal: 'For you',
  discovery: 'Discover',
  new: 'New',
  popular: 'Popular',
  business: 'Featured',
};
const MODE_TEXT = {
  personal: 'Personal',
  blended: 'Blended: personal and popular',
  default: 'Popular picks',
};



// A date for people; a stored value that is not a time is shown as it is (the engine reports it as an error).
function dateText(at) {
  const t = new Date(at);
  return Number.isNaN(t.getTime()) ? String(at) : day.format(t);
}

function titleOf(products, id) {
  return products.get(id)?.title ?? `Product ${id}`;
}

export function renderLoading() {
  $('mode').textContent = 'Loading the engine…';
}

export function renderError(err) {
  showError(err);
  if (err) document.querySelector('.recs').setAttribute('aria-busy', 'false');
}

export function renderPrivacy(consent, history) {
  $('privacy').hidden = !consent;
  if (!consent) return;
  const since = dateText(consent.at);
  $('privacy-text').textContent =
    `Personalised from ${history.length} purchase events stored only in this browser (consent given ${since}).`;
}

export function renderStored(history, products) {
  $('stored-summary').textContent = history.length
    ? `${history.length} events, in IndexedDB on this device`
    : 'nothing';
  $('stored').replaceChildren(
    ...history.map((e) => {
      const notes = [e.type && e.type !== 'purchase' ? e.type : null, e.gift ? 'gift' : null].filter(Boolean);
      return el(
        'li',
        {},
        el('time', { datetime: String(e.at) }, dateText(e.at)),
        ` ${titleOf(products, e.productId)}`,
        notes.length ? el('span', { class: 'tag' }, notes.join(', ')) : null,
      );
    }),
  );
}

function card(item, product) {
  const path = product?.category ?? [];
  const department = path[0] ?? '';
  return el(
    'li',
    { class: `card slot-${item.slot}`, 'data-product-id': item.productId, 'data-category': path.join(' › ') },
    el('div', { class: `thumb ${tone(department)}`, 'aria-hidden': 'true' }, (department[0] ?? '?').toUpperCase()),
    el(
      'div',
      { class: 'card-body' },
      el(
        'div',
        { class: 'card-meta' },
        el('span', { class: 'slot' }, SLOT_LABELS[item.slot] ?? item.slot),
        product?.price !== undefined ? el('span', { class: 'price' }, price.format(product.price)) : null,
      ),
      el('h3', { class: 'title' }, product?.title ?? `Product ${item.productId}`),
      el('p', { class: 'category' }, path.slice(0, 2).join(' › ')),
      el(
        'ul',
        { class: 'reasons', 'aria-label': 'Why this is here' },
        ...item.reasons.map((r) => el('li', { 'data-code': r.code }, r.text)),
      ),
    ),
  );
}

// The capped `removed` list, grouped by guardrail code in the engine's order, each group headed by the engine's
// summary sentence for that code (with the full count). A group whose items share one text lists only their names
// (Beer, Wine, …); otherwise each item keeps its own text.
function removedGroups(ranking, products) {
  const sentence = new Map((ranking.summary ?? []).map((s) => [s.code, s.text]));
  const groups = new Map();
  for (const r of ranking.removed) (groups.get(r.code) ?? groups.set(r.code, []).get(r.code)).push(r);
  const listed = [...groups].map(([code, list]) => {
    const total = ranking.removedCounts?.[code] ?? list.length;
    const shared = list.every((r) => r.text === list[0].text);
    const head = el(
      'p',
      { class: 'removed-head' },
      el('span', { class: 'code' }, code),
      sentence.has(code)
        ? el('span', { class: 'removed-text' }, sentence.get(code))
        : el('span', { class: 'muted' }, total === 1 ? '1 item' : `${total} items`),
      !sentence.has(code) && shared ? el('span', { class: 'removed-text' }, list[0].text) : null,
    );
    const items = el(
      'ul',
      { class: shared ? 'removed-names' : 'removed-items' },
      ...list.map((r) =>
        el(
          'li',
          { 'data-code': r.code },
          el('span', { class: 'removed-title' }, titleOf(products, r.productId)),
          shared ? null : el('span', { class: 'removed-text' }, r.text),
        ),
      ),
    );
    const more = total > list.length ? el('p', { class: 'muted more' }, `and ${total - list.length} more`) : null;
    return el('li', { class: 'removed-group', 'data-code': code }, head, items, more);
  });
  // Codes with nothing named (sensitive, regulated, shared-device, muted, forgotten products are never named, and the
  // capped list may have had no room for others): the summary sentence alone.
  const unlisted = Object.entries(ranking.removedCounts ?? {})
    .filter(([code, n]) => n > 0 && !groups.has(code))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([code, n]) =>
      el(
        'li',
        { class: 'removed-group', 'data-code': code },
        el('p', { class: 'removed-head' }, el('span', { class: 'code' }, code),
          el('span', { class: 'removed-text' }, sentence.get(code) ?? `${n === 1 ? '1 item' : `${n} items`}`)),
      ),
    );
  return [...listed, ...unlisted];
}

export function renderRanking(ranking, products, { consented }) {
  const mode = MODE_TEXT[ranking.mode] ?? ranking.mode;
  const evidence = Number(ranking.evidence).toFixed(1);
  let detail;
  if (!consented) detail = 'personalisation is off until you agree';
  else if (ranking.mode === 'default') detail = `too little history yet (evidence ${evidence})`;
  else detail = `evidence: ${evidence} clean purchases`;
  $('mode').replaceChildren(el('span', { class: `mode-badge mode-${ranking.mode}` }, mode), ` · ${detail}`);
  $('mode').dataset.mode = ranking.mode;
  // For tests and tools: the full counts per guardrail code (numbers only, nothing about the shopper's products).
  $('mode').dataset.removedCounts = JSON.stringify(ranking.removedCounts ?? {});

  $('items').replaceChildren(...ranking.items.map((item) => card(item, products.get(item.productId))));

  $('removed').replaceChildren(...removedGroups(ranking, products));
  const total = Object.values(ranking.removedCounts ?? {}).reduce((n, c) => n + c, 0);
  $('removed-summary').textContent = total ? `${total} held back` : 'nothing held back';
  document.querySelector('.recs').setAttribute('aria-busy', 'false');
}
