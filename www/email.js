// The email preview: for the shopper of this browser (the same IndexedDB records the store uses), the next marketing
// email built by the same engine as the store — `rank` on the `email` surface once per device, `planSend` for when
// (or why not), `lintCopy` on the subject line as it is typed — shown in three frames, phone, tablet and desktop, and
// compared with the store's own list for the same shopper and moment. Nothing is sent; nothing is stored.
import init, { Engine } from '/pkg/tactful.js';
import initMessage, { lintCopy, planSend } from '/pkg/tactful_message.js';
import * as storage from '/pkg/storage.js';
import { $, el, getJson, showError, tone } from './dom.js';

// The store's list: the same length and seed as app.js, so "the same moment" is the same list.
const K = 12;
const SEED = 1;
const DEVICES = [
  { id: 'phone', name: 'Phone' },
  { id: 'tablet', name: 'Tablet' },
  { id: 'desktop', name: 'Desktop' },
];
// The rules an email has and the store does not (docs/messaging.md, "Email and site").
const EMAIL_ONLY = {
  SENSITIVE_CLASS: 'never in an email, opted in or not: inboxes and lock screens are seen by others',
  COMPLIANCE: 'regulated products stay out of email unless the shop allows them there',
  BRAND_RULE: 'the brand is kept off email by the shop',
  NO_CONSENT: 'the shopper has not agreed to personalised email',
  POLICY_SURFACE: 'the shop keeps email non-personal',
};
const RECOMPOSED = 'its place went to another product (the list is recomposed after the email-only rules)';
const PLAN_TEXT = {
  NO_CONSENT: 'Not sent: the shopper has not agreed to email suggestions.',
  FATIGUE: 'Not sent: caps or the gap between messages close every hour ahead.',
  NO_WINDOW: 'Not sent: no open hour ahead (quiet hours or the sending window).',
};
// Common merge tokens for the first name, to fill in the preview (lintCopy reads all of them itself).
const FIRST_NAME_TOKEN = /\{FNAME\}|\*\|FNAME\|\*|%%FirstName%%|\$\{firstName\}|\{\{\s*(?:[a-z]+\.)?first_?name\s*\}\}/gi;

const price = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const when = new Intl.DateTimeFormat('en-US', { weekday: 'short', hour: 'numeric', minute: '2-digit' });


const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function facts() {
  const name = $('first-name').value.trim();
  return name ? { firstName: { source: $('name-source').value, value: name } } : {};
}

function merged(text) {
  const name = $('first-name').value.trim();
  return name ? text.replace(FIRST_NAME_TOKEN, name) : text;
}

// The subject with every flagged span of the subject marked (spans are UTF-16 code units, as JS strings index).
function markedSubject(subject, issues) {
  const spans = issues.filter((i) => i.field === 'subject').map((i) => [i.start, i.end]).sort((a, b) => a[0] - b[0]);
  const parts = [];
  let at = 0;
  for (const [start, end] of spans) {
    if (end <= at) continue;
    const from = Math.max(start, at);
    if (from > at) parts.push(subject.slice(at, from));
    parts.push(el('mark', {}, subject.slice(from, end)));
    at = end;
  }
  parts.push(subject.slice(at));
  return parts;
}

function renderLint() {
  const subject = $('subject').value;
  const preheader = $('preheader').value;
  let issues;
  try {
    issues = lintCopy({ subject, preheader, facts: facts() });
  } catch (err) {
    showError(err);
    return;
  }
  showError(null);
  const status = $('lint-status');
  status.dataset.codes = issues.map((i) => i.code).join(' ');
  status.className = `lint-status ${issues.length ? 'lint-bad' : 'lint-ok'}`;
  status.textContent = issues.length
    ? `${plural(issues.length, 'issue')} to fix before this goes out.`
    : 'No issues: the copy is ready.';
  $('lint-marked').replaceChildren(...markedSubject(subject, issues));
  $('lint-issues').replaceChildren(
    ...issues.map((i) =>
      el('li', { 'data-code': i.code }, el('span', { class: 'code' }, i.code), ` ${i.field}: ${i.message}`)),
  );
}

function productCard(item, fitted, product) {
  const department = product?.category?.[0] ?? '';
  const reason = item.reasons[0]?.text;
  return el(
    'li',
    { class: 'product', 'data-product-id': item.productId },
    el('div', { class: `email-thumb ${tone(department)}`, 'aria-hidden': 'true' }, (department[0] ?? '?').toUpperCase()),
    el(
      'div',
      { class: 'product-text' },
      el('p', { class: 'product-title', title: fitted.truncated ? product?.title : null }, fitted.title),
      product?.price !== undefined ? el('p', { class: 'product-price' }, price.format(product.price)) : null,
      reason ? el('p', { class: 'product-reason' }, reason) : null,
    ),
  );
}

function frame(device, ranking, products, plan) {
  const layout = ranking.layout;
  const list = el(
    'ol',
    { class: `products layout-${layout.layout} cols-${layout.columns}` },
    ...ranking.items.map((item, i) => productCard(item, layout.titles[i], products.get(item.productId))),
  );
  // The image box the engine chose for this device, in CSS pixels (CSSOM: allowed by the page's style-src).
  list.style.setProperty('--img', `${layout.imageWidth}px`);
  const sent = 'sendAt' in plan;
  const screen = el(
    'div',
    { class: 'screen' },
    sent ? null : el('p', { class: 'not-sent' }, 'Preview only: this email would not be sent.'),
    el(
      'div',
      { class: 'inbox-line' },
      el('p', { class: 'inbox-subject' }, merged($('subject').value)),
      el('p', { class: 'inbox-preheader' }, merged($('preheader').value)),
    ),
    el(
      'article',
      { class: 'email' },
      el('p', { class: 'email-brand' }, el('span', { class: 'logo', 'aria-hidden': 'true' }, 't'), ' tactful store'),
      el('h3', { class: 'email-heading' }, ranking.mode === 'default' ? 'Popular this week' : 'Picked for you'),
      list,
      el('p', { class: 'email-foot' }, 'You get this because you said yes to email suggestions. ',
        el('span', { class: 'fake-link' }, 'Change what we send'), ' · ', el('span', { class: 'fake-link' }, 'Unsubscribe')),
    ),
  );
  return el(
    'figure',
    {
      class: `frame frame-${device.id}`,
      'data-device': device.id,
      'data-layout': layout.layout,
      'data-items': String(ranking.items.length),
      'data-title-chars': String(layout.titleChars),
    },
    el(
      'figcaption',
      {},
      el('strong', {}, device.name),
      ` · ${layout.layout}, ${plural(layout.columns, 'column')} · ${plural(ranking.items.length, 'product')} · ` +
        `titles ≤ ${layout.titleChars} characters · images ${layout.imageWidth}×${layout.imageHeight}`,
    ),
    screen,
  );
}

function renderPlan(plan) {
  const verdict = $('plan-verdict');
  if ('sendAt' in plan) {
    verdict.dataset.plan = 'send';
    verdict.textContent = `Sends ${when.format(new Date(plan.sendAt))} (the shopper's local time).`;
  } else {
    verdict.dataset.plan = plan.suppressed;
    verdict.textContent = PLAN_TEXT[plan.suppressed] ?? `Not sent: ${plan.suppressed}.`;
  }
  $('plan-reasons').replaceChildren(
    ...plan.reasons.map((r) => el('li', { 'data-code': r.code }, el('span', { class: 'code' }, r.code), ` ${r.text}`)),
  );
}

// The store's list and the email's, side by side: what differs, and under which email-only rule.
function renderSame(site, email, products, emailPersonal) {
  const siteIds = site.items.map((i) => i.productId);
  const emailIds = email.items.map((i) => i.productId);
  const siteRemoved = new Map(site.removed.map((r) => [r.productId, r.code]));
  const shownButRemoved = emailIds.filter((id) => siteRemoved.has(id));
  const verdict = $('same-verdict');
  verdict.dataset.same = String(shownButRemoved.length === 0);
  verdict.dataset.personal = String(emailPersonal);
  if (!emailPersonal) {
    verdict.textContent = 'The shopper has not agreed to personalised email, so the email is the shop\'s non-personal ' +
      'list and is not sent. Turn on "Email suggestions" in Your preferences to compare.';
  } else if (shownButRemoved.length === 0) {
    verdict.textContent = `The email shows nothing the store's guardrails removed (${plural(siteRemoved.size, 'product')} ` +
      'named in the store\'s "Why not?").';
  } else {
    verdict.textContent = `The email shows ${plural(shownButRemoved.length, 'product')} the store removed.`;
  }
  const title = (id) => products.get(id)?.title ?? id;
  const emailRemoved = new Map(email.removed.map((r) => [r.productId, r.code]));
  const onlyEmailRule = (id) => {
    const p = products.get(id);
    if (p?.sensitivity && ['alcohol', 'tobacco'].includes(p.sensitivity)) return 'COMPLIANCE';
    if (p?.sensitivity) return 'SENSITIVE_CLASS';
    return emailRemoved.get(id);
  };
  const rows = [];
  for (const id of siteIds.filter((x) => !emailIds.includes(x))) {
    const code = onlyEmailRule(id);
    // A sensitive product is not named here either: this page is a marketer's screen.
    const name = products.get(id)?.sensitivity ? 'A product of a sensitive class' : title(id);
    rows.push(el('li', { 'data-kind': 'store-only', 'data-code': code ?? 'LIST' },
      el('span', { class: 'code' }, code ?? 'LIST'),
      ` In the store, not in the email: ${name} — ${EMAIL_ONLY[code] ?? RECOMPOSED}.`));
  }
  for (const id of emailIds.filter((x) => !siteIds.includes(x))) {
    rows.push(el('li', { 'data-kind': 'email-only' }, el('span', { class: 'code' }, 'FILL'),
      ` In the email, not in the store: ${title(id)} — it took a slot freed by an email-only rule.`));
  }
  for (const code of Object.keys(EMAIL_ONLY)) {
    const delta = (email.removedCounts[code] ?? 0) - (site.removedCounts[code] ?? 0);
    if (delta > 0) rows.push(el('li', { 'data-kind': 'count', 'data-code': code }, el('span', { class: 'code' }, code),
      ` ${plural(delta, 'more removal')} in the email: ${EMAIL_ONLY[code]}.`));
  }
  if (!rows.length) rows.push(el('li', { 'data-kind': 'none' }, 'The two lists are the same products in the same order.'));
  $('same-diff').replaceChildren(...rows);
}

async function main() {
  await Promise.all([init(), initMessage()]);
  const [catalog, model] = await Promise.all(['data/catalog.json', 'data/model.json'].map(getJson));
  // The store's engine (same catalog, model and policy), with the whole "why not?" list kept for the comparison.
  const engine = new Engine(catalog, { model, policy: { preset: 'balanced', maxRemoved: 200 } });
  const products = new Map(catalog.map((p) => [p.id, p]));

  const consent = await storage.loadConsent();
  const history = consent ? await storage.loadHistory() : [];
  const stored = consent ? await storage.loadPreferences() : {};
  // As on the preference center: email and push need an explicit yes; personalization is the consent record.
  const preferences = {
    ...stored,
    consent: { email: false, push: false, ...stored.consent, personalization: Boolean(consent) },
  };
  const now = Date.now();
  const utcOffsetMinutes = -new Date(now).getTimezoneOffset();
  document.body.dataset.now = String(now);

  const emailOn = preferences.consent.email === true;
  $('shopper-text').textContent = consent
    ? `${plural(history.length, 'purchase event')} stored in this browser (the store's consent record). Email ` +
      `suggestions are ${emailOn ? 'on' : 'off'} in Your preferences.`
    : 'No consent yet in this browser: no history is used. The email below is the shop\'s non-personal list, and ' +
      'without a yes to email suggestions it is not sent.';

  const plan = planSend({ now, channel: 'email', purpose: 'marketing', utcOffsetMinutes, preferences,
    policy: { explicitConsent: true } });
  renderPlan(plan);

  const context = { now, k: K, seed: SEED, utcOffsetMinutes };
  const site = engine.rank({ history, preferences, context: { ...context, surface: 'home' } });
  const email = engine.rank({ history, preferences, context: { ...context, surface: 'email' } });
  const byDevice = DEVICES.map((d) => [d, engine.rank({ history, preferences,
    context: { ...context, surface: 'email', device: d.id } })]);
  const emailPersonal = Boolean(consent) && emailOn && !email.removedCounts.POLICY_SURFACE;

  const renderFrames = () => {
    $('frames').replaceChildren(...byDevice.map(([d, r]) => frame(d, r, products, plan)));
    $('preview-note').textContent = `${email.mode === 'default' ? 'Non-personal' : 'Personal'} list · ` +
      'the same ranking on every device, cut to what fits';
  };
  renderFrames();
  renderSame(site, email, products, emailPersonal);
  renderLint();
  for (const id of ['subject', 'preheader', 'first-name', 'name-source']) {
    $(id).addEventListener('input', () => {
      renderLint();
      renderFrames();
    });
  }
  $('copy-form').addEventListener('submit', (e) => e.preventDefault());
  document.body.dataset.ready = 'true';
}

main().catch((err) => showError(err));
