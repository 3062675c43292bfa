// The policy QA report in the browser (issue 16): the same report as `tactful qa`, computed on this device from the
// engine's own outputs (the ranking module ranks, the messaging module plans sends and checks segments). Nothing is
// sent anywhere: the demo catalog and model are this site's public files, an imported order file is read locally.
import init, { Engine } from '/pkg/tactful.js';
import initMessage, { checkSegments, planSend } from '/pkg/tactful_message.js';
import { $, getJson } from './dom.js';

const DAY = 86_400_000;
const CLASSES = ['reproductive_health', 'pregnancy_baby', 'intimate_care', 'medical', 'weight_loss', 'tobacco',
  'alcohol', 'adult', 'financial_distress', 'romance'];
const LISTED_NOT = new Set(['SENSITIVE_CLASS', 'SHARED_DEVICE', 'MUTED', 'FORGOTTEN', 'COMPLIANCE']);
const DEMOTING = new Set(['CATEGORY_CAP', 'DIVERSITY', 'FATIGUE']);
const MODE_CODES = new Set(['THIN_DATA', 'NO_CONSENT', 'POLICY_SURFACE']);


// The demo personas: the sample shopper and what the engine must handle around them (thin data, no history, no
// consent, an opt-in, a shared screen). `now` is two days after the sample's last order.
function personas(sample) {
  const orders = [...new Set(sample.map((e) => e.orderId))];
  const first = (n) => sample.filter((e) => orders.indexOf(e.orderId) < n);
  return [
    { id: 'sample shopper', history: sample },
    { id: 'first two orders', history: first(2) },
    { id: 'one order', history: first(1) },
    { id: 'new visitor', history: [] },
    { id: 'no consent', history: sample, preferences: { consent: { personalization: false } } },
    { id: 'opted into baby', history: sample, preferences: { sensitiveOptIn: ['pregnancy_baby'], sharedDevice: false } },
    { id: 'shared device', history: sample, preferences: { sharedDevice: true } },
    { id: 'quiet evenings', history: first(6), preferences: { quietHours: { start: '17:00', end: '10:00' } } },
  ];
}

// An order export, read here: `customer_id,product_id,at[,quantity,order_id,price]` or The Complete Journey's columns.
export function parseOrders(text) {
  const lines = text.split(/\r?\n/).filter((l) => l.trim());
  const head = (lines.shift() ?? '').split(',').map((h) => h.trim().toLowerCase());
  const col = (...names) => names.map((n) => head.indexOf(n)).find((i) => i >= 0) ?? -1;
  const c = col('customer_id', 'household_id', 'customerid');
  const p = col('product_id', 'stockcode');
  const t = col('at', 'transaction_timestamp', 'invoicedate');
  const q = col('quantity');
  const o = col('order_id', 'basket_id', 'invoiceno');
  if (c < 0 || p < 0 || t < 0) throw new Error('The file needs customer_id, product_id and at columns.');
  const by = new Map();
  for (const line of lines) {
    const f = line.split(',');
    const at = Date.parse(f[t]?.trim().replace(' ', 'T') ?? '');
    const customer = f[c]?.trim().replace(/\.0$/, '');
    const quantity = q >= 0 ? Number(f[q]) : 1;
    if (!customer || !f[p]?.trim() || !Number.isFinite(at) || !(quantity > 0)) continue;
    const e = { productId: f[p].trim(), at: new Date(at).toISOString(), quantity };
    if (o >= 0 && f[o]?.trim()) e.orderId = f[o].trim();
    if (!by.has(customer)) by.set(customer, []);
    by.get(customer).push(e);
  }
  return [...by.entries()].map(([id, history]) => ({ id, history }));
}

function policySpec(text) {
  const t = text.trim();
  return t.startsWith('{') ? JSON.parse(t) : t;
}

// The reference classification: the catalog's own `sensitivity` and every policy's mapping, whatever the policy
// under review says; regulated classes: alcohol, tobacco and every policy's.
function reference(catalog, specs) {
  const mapping = new Map();
  let regulated = new Set(['alcohol', 'tobacco']);
  for (const s of specs) {
    if (typeof s !== 'object') continue;
    for (const [k, v] of Object.entries(s.sensitiveCategories ?? {})) mapping.set(k.toLowerCase(), v);
    regulated = new Set([...regulated, ...(s.regulatedClasses ?? [])]);
  }
  const classOf = new Map();
  for (const p of catalog) {
    const hit = p.sensitivity ?? (p.category ?? []).map((n) => mapping.get(n.toLowerCase())).find(Boolean);
    if (hit) classOf.set(p.id, hit);
  }
  return { classOf, regulated };
}

function rbo(a, b, p = 0.9) {
  if (a.length === b.length && a.every((x, i) => x === b[i])) return 1;
  const depth = Math.max(a.length, b.length);
  const sa = new Set();
  const sb = new Set();
  let overlap = 0;
  let sum = 0;
  let norm = 0;
  let w = 1;
  for (let d = 0; d < depth; d++) {
    const x = a[d];
    const y = b[d];
    if (x !== undefined && x === y) overlap += 1;
    else {
      if (x !== undefined && sb.has(x)) overlap += 1;
      if (y !== undefined && sa.has(y)) overlap += 1;
    }
    if (x !== undefined) sa.add(x);
    if (y !== undefined) sb.add(y);
    sum += (w * overlap) / (d + 1);
    norm += w;
    w *= p;
  }
  return sum / norm;
}

function tail(counts, n) {
  const desc = [...counts].sort((a, b) => b - a);
  const total = desc.reduce((a, b) => a + b, 0);
  if (!total) return { gini: 0, curve: [], ranked: [] };
  let cum = 0;
  let area = 0;
  for (const x of [...desc].reverse()) {
    cum += x;
    area += cum / total;
  }
  const gini = Math.max(0, 1 - (2 * area) / n + 1 / n);
  const prefix = [0];
  for (const x of desc) prefix.push(prefix[prefix.length - 1] + x);
  const ranked = [];
  for (let r = 1; r <= desc.length; r = Math.max(r + 1, Math.floor(r * 1.12))) ranked.push([r, desc[r - 1]]);
  if (desc.length && ranked[ranked.length - 1][0] !== desc.length) ranked.push([desc.length, desc[desc.length - 1]]);
  const curve = Array.from({ length: 101 }, (_, i) => [i / 100, prefix[Math.min(Math.round((i / 100) * n), desc.length)] / total]);
  return { gini, curve, ranked };
}

function run(catalog, model, shoppers, label, spec, ref, opts) {
  const engine = new Engine(catalog, { model, policy: spec });
  const titles = new Map(catalog.map((p) => [p.id, p.title ?? '']));
  const categoryOf = new Map(catalog.map((p) => [p.id, p.category ?? []]));
  const r = { policy: label, shoppers: shoppers.length, k: opts.k, safety: { sensitiveExposures: 0, sensitiveShoppers: 0, complianceBreaches: 0, complianceShoppers: 0, examples: [] }, guardrails: [], modes: { default: 0, blended: 0, personal: 0, why: {} }, exposure: {}, messaging: {} };
  const codes = new Map();
  const exposure = new Map();
  const slots = {};
  const lists = new Map();
  const segments = new Map();
  let leafSum = 0;
  try {
    for (const s of shoppers) {
      const optIn = new Set(s.preferences?.sensitiveOptIn ?? []);
      const ctx = { now: opts.now, k: opts.k };
      const home = engine.rank({ history: s.history, preferences: s.preferences, context: ctx });
      const email = engine.rank({ history: s.history, preferences: s.preferences, context: { ...ctx, k: opts.emailK, surface: 'email' } });
      const touched = new Set();
      for (const x of [home, email]) {
        for (const [code, n] of Object.entries(x.removedCounts)) {
          const e = codes.get(code) ?? { count: 0, shoppers: 0, examples: [] };
          e.count += n;
          if (!touched.has(code)) e.shoppers += 1;
          touched.add(code);
          codes.set(code, e);
        }
      }
      for (const x of home.removed) {
        const e = codes.get(x.code);
        if (e && e.examples.length < 3 && !ref.classOf.has(x.productId) && !e.examples.some((y) => y.shopper === s.id)) {
          e.examples.push({ shopper: s.id, productId: x.productId, title: titles.get(x.productId) ?? '', text: x.text });
        }
      }
      let sens = false;
      let comp = false;
      for (const [surface, x] of [['home', home], ['email', email]]) {
        x.items.forEach((item, i) => {
          const cls = ref.classOf.get(item.productId);
          if (!cls) return;
          // An opt-in covers the shopper's own screen only (never email, never a shared device).
          const allowed = optIn.has(cls) && surface === 'home' && !s.preferences?.sharedDevice;
          if (!allowed) {
            r.safety.sensitiveExposures += 1;
            sens = true;
          }
          if (ref.regulated.has(cls)) {
            r.safety.complianceBreaches += 1;
            comp = true;
          }
          if ((!allowed || ref.regulated.has(cls)) && r.safety.examples.length < 10) r.safety.examples.push({ shopper: s.id, surface, class: cls, rank: i + 1 });
        });
      }
      r.safety.sensitiveShoppers += sens ? 1 : 0;
      r.safety.complianceShoppers += comp ? 1 : 0;
      r.modes[home.mode] += 1;
      const why = home.mode === 'default'
        ? (!s.history.length ? 'default: no history' : home.removedCounts.NO_CONSENT ? 'default: no consent' : 'default: thin data (THIN_DATA)')
        : home.mode === 'blended' ? 'blended: some evidence, not yet enough for personal' : 'personal: enough evidence';
      r.modes.why[why] = (r.modes.why[why] ?? 0) + 1;
      const leaves = new Set();
      for (const item of home.items) {
        exposure.set(item.productId, (exposure.get(item.productId) ?? 0) + 1);
        slots[item.slot] = (slots[item.slot] ?? 0) + 1;
        leaves.add((categoryOf.get(item.productId) ?? []).join(' > '));
      }
      leafSum += leaves.size;
      lists.set(s.id, home.items.map((i) => i.productId));
      const first = email.items[0]?.productId;
      if (first) {
        const seg = categoryOf.get(first)?.[0] ?? first;
        segments.set(seg, (segments.get(seg) ?? 0) + 1);
      }
    }
  } finally {
    engine.free();
  }
  for (const [code, e] of codes) {
    const kind = MODE_CODES.has(code) ? 'mode' : DEMOTING.has(code) ? 'demoted' : 'removed';
    r.guardrails.push({ code, kind, named: !LISTED_NOT.has(code) && kind !== 'mode', ...e });
  }
  r.guardrails.sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
  const { gini, curve, ranked } = tail([...exposure.values()], catalog.length);
  const publicName = (id) => (ref.classOf.has(id) ? ['(withheld)', `(a ${ref.classOf.get(id)} product)`] : [id, titles.get(id) ?? '']);
  r.exposure = {
    catalog: catalog.length, shown: exposure.size, coverage: exposure.size / catalog.length, meanLeafCategories: leafSum / Math.max(1, shoppers.length),
    slots, gini, curve, ranked,
    newArrivalItems: slots.new ?? 0,
    top: [...exposure.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 10).map(([id, count]) => { const [productId, title] = publicName(id); return { productId, title, count }; }),
  };
  r.messaging = messaging(shoppers, opts, [...segments.values()]);
  return { report: r, lists, exposure, codes, publicName };
}

// The campaign calendar through planSend, per shopper (their quiet hours count), and the segments through checkSegments.
function messaging(shoppers, opts, sizes) {
  const start = Math.floor(Date.parse(opts.now) / DAY) * DAY + DAY;
  const m = { days: 7, attempts: 0, sends: 0, sendsPerDay: Array(7).fill(0), afterWindow: 0, suppressed: {} };
  for (const s of shoppers) {
    const ledger = [];
    for (let d = 0; d < 7; d++) {
      for (const minute of [9 * 60, 18 * 60]) {
        const now = start + d * DAY + minute * 60_000;
        m.attempts += 1;
        const plan = planSend({ now, ledger, preferences: s.preferences });
        if (plan.suppressed) m.suppressed[plan.suppressed] = (m.suppressed[plan.suppressed] ?? 0) + 1;
        else {
          ledger.push({ channel: 'email', at: plan.sendAt });
          const day = Math.floor((plan.sendAt - start) / DAY);
          if (day < 7) m.sendsPerDay[day] += 1;
          else m.afterWindow += 1;
        }
      }
    }
  }
  m.sends = m.sendsPerDay.reduce((a, b) => a + b, 0);
  const seg = sizes.length ? checkSegments({ sizes, minSize: opts.minSegment, customers: shoppers.length }) : { tooSmall: [], issues: [] };
  m.segments = sizes.length;
  m.minSegment = opts.minSegment;
  m.segmentsTooSmall = seg.tooSmall.length;
  m.segmentIssues = seg.issues.map((i) => i.message);
  return m;
}

function diff(a, b) {
  const d = { policy: a.report.policy, against: b.report.policy, shoppers: a.lists.size, changed: 0, meanRbo: 0, rboHistogram: Array(10).fill(0), gainers: [], losers: [], guardrails: [] };
  let sum = 0;
  for (const [s, list] of a.lists) {
    const other = b.lists.get(s) ?? [];
    const same = list.length === other.length && list.every((x, i) => x === other[i]);
    const r = rbo(list, other);
    if (!same) d.changed += 1;
    sum += r;
    d.rboHistogram[same ? 9 : Math.min(9, Math.floor(r * 10))] += 1;
  }
  d.meanRbo = a.lists.size ? sum / a.lists.size : 1;
  const ids = new Set([...a.exposure.keys(), ...b.exposure.keys()]);
  const changes = [...ids].map((id) => ({ id, after: a.exposure.get(id) ?? 0, before: b.exposure.get(id) ?? 0 })).filter((c) => c.after !== c.before)
    .sort((x, y) => (y.after - y.before) - (x.after - x.before) || x.id.localeCompare(y.id))
    .map((c) => { const [productId, title] = a.publicName(c.id); return { productId, title, before: c.before, after: c.after }; });
  d.gainers = changes.filter((c) => c.after > c.before).slice(0, 10);
  d.losers = changes.filter((c) => c.after < c.before).reverse().slice(0, 10);
  for (const code of [...new Set([...a.codes.keys(), ...b.codes.keys()])].sort()) {
    const x = a.codes.get(code) ?? { count: 0, shoppers: 0 };
    const y = b.codes.get(code) ?? { count: 0, shoppers: 0 };
    if (x.count !== y.count || x.shoppers !== y.shoppers) d.guardrails.push({ code, before: y.count, after: x.count, shoppersBefore: y.shoppers, shoppersAfter: x.shoppers });
  }
  return d;
}

// --- Drawing: the same plots as the native HTML report, as DOM (no innerHTML of data).
const NS = 'http://www.w3.org/2000/svg';
const COLORS = ['#2f6f9f', '#d98e04', '#3a9a5b', '#8e5ea2', '#c0504d', '#7f7f7f'];
function el(tag, attrs = {}, ...kids) {
  const e = tag.startsWith('svg:') ? document.createElementNS(NS, tag.slice(4)) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const k of kids) e.append(k);
  return e;
}
const pct = (x, of) => (of ? `${((100 * x) / of).toFixed(1)} %` : '–');

function stacked(parts, label) {
  const total = parts.reduce((a, p) => a + p[1], 0) || 1;
  const rows = Math.ceil(parts.length / 3);
  const svg = el('svg:svg', { viewBox: `0 0 640 ${36 + 24 * rows}`, width: 640, height: 36 + 24 * rows, role: 'img', 'aria-label': label });
  let x = 0;
  parts.forEach(([name, v], i) => {
    const w = (640 * v) / total;
    svg.append(el('svg:rect', { x, y: 0, width: w, height: 28, fill: COLORS[i % 6] }));
    x += w;
    const lx = 8 + 210 * (i % 3);
    const ly = 46 + 24 * Math.floor(i / 3);
    svg.append(el('svg:rect', { x: lx, y: ly - 11, width: 12, height: 12, fill: COLORS[i % 6] }), el('svg:text', { x: lx + 16, y: ly }, `${name} ${pct(v, total)}`));
  });
  return svg;
}

function bars(rows, label) {
  const max = Math.max(1e-9, ...rows.map((r) => Math.abs(r[1])));
  const h = 22 * rows.length + 6;
  const svg = el('svg:svg', { viewBox: `0 0 640 ${h}`, width: 640, height: h, role: 'img', 'aria-label': label });
  rows.forEach(([name, v, note], i) => {
    const y = 22 * i + 2;
    const w = (330 * Math.abs(v)) / max;
    svg.append(el('svg:text', { x: 170, y: y + 14, 'text-anchor': 'end', 'font-size': 11 }, String(name).slice(0, 24)),
      el('svg:rect', { x: 176, y, width: w, height: 16, fill: v < 0 ? '#c0504d' : '#2f6f9f' }),
      el('svg:text', { x: 180 + w, y: y + 14 }, note));
  });
  return svg;
}

function curve(points) {
  const [w, h, m] = [420, 300, 40];
  const px = (x) => m + x * (w - 2 * m);
  const py = (y) => h - m - y * (h - 2 * m);
  const svg = el('svg:svg', { viewBox: `0 0 ${w} ${h}`, width: w, height: h, role: 'img', 'aria-label': 'long-tail curve' });
  svg.append(el('svg:line', { x1: px(0), y1: py(0), x2: px(1), y2: py(1), stroke: '#aaa', 'stroke-dasharray': '4 4' }),
    el('svg:rect', { x: m, y: m, width: w - 2 * m, height: h - 2 * m, fill: 'none', stroke: '#888' }),
    el('svg:polyline', { fill: 'none', stroke: '#2f6f9f', 'stroke-width': 2, points: points.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ') }),
    el('svg:text', { x: w / 2, y: h - 6, 'text-anchor': 'middle' }, 'share of the catalog, most shown first'));
  return svg;
}

// How often each product is shown, most shown first, on log-log axes (the box ends at the catalog size).
function rankFrequency(points, catalog) {
  const [w, h, m] = [420, 300, 44];
  const xmax = Math.log10(Math.max(2, catalog));
  const ymax = Math.log10(Math.max(2, ...points.map((p) => p[1])));
  const px = (r) => m + (Math.log10(Math.max(1, r)) / xmax) * (w - 2 * m);
  const py = (c) => h - m - (Math.log10(Math.max(1, c)) / ymax) * (h - 2 * m);
  const svg = el('svg:svg', { viewBox: `0 0 ${w} ${h}`, width: w, height: h, role: 'img', 'aria-label': 'exposure per product' });
  svg.append(el('svg:rect', { x: m, y: m, width: w - 2 * m, height: h - 2 * m, fill: 'none', stroke: '#888' }),
    el('svg:polyline', { fill: 'none', stroke: '#d98e04', 'stroke-width': 2, points: points.map(([r, c]) => `${px(r).toFixed(1)},${py(c).toFixed(1)}`).join(' ') }),
    el('svg:text', { x: w / 2, y: h - 6, 'text-anchor': 'middle' }, 'product rank, most shown first (log)'));
  for (let t = 1; t <= catalog; t *= 10) svg.append(el('svg:text', { x: px(t), y: h - m + 16, 'text-anchor': 'middle' }, String(t)));
  return svg;
}

function table(head, rows) {
  return el('table', {}, el('tr', {}, ...head.map((h) => el('th', {}, h))), ...rows.map((r) => el('tr', {}, ...r.map((c) => el('td', {}, c)))));
}

function renderPolicy(r) {
  const n = r.shoppers;
  const s = r.safety;
  const failed = s.sensitiveExposures + s.complianceBreaches > 0;
  const sec = el('section', {}, el('h2', {}, `Policy ${r.policy}`), el('p', { class: 'meta' }, `${n} shoppers; home page k = ${r.k}`));
  sec.append(el('div', { class: `banner ${failed ? 'fail' : 'ok'}` },
    el('strong', {}, failed ? 'FAIL: sensitive exposure or compliance breaches' : 'Safe: 0 sensitive exposures, 0 compliance breaches'),
    el('br'), `sensitive class shown without an opt-in: ${s.sensitiveExposures} items to ${s.sensitiveShoppers} shoppers · compliance breaches: ${s.complianceBreaches} items to ${s.complianceShoppers} shoppers`));
  if (s.examples.length) sec.append(table(['shopper', 'surface', 'class', 'rank'], s.examples.map((b) => [b.shopper, b.surface, b.class, String(b.rank)])));
  sec.append(el('h3', {}, 'Modes'), stacked([['default', r.modes.default], ['blended', r.modes.blended], ['personal', r.modes.personal]], 'modes'),
    table(['mode: why', 'shoppers'], Object.entries(r.modes.why).map(([k, v]) => [k, `${v} (${pct(v, n)})`])));
  sec.append(el('h3', {}, 'Guardrails: shoppers affected'), bars(r.guardrails.map((g) => [g.code, g.shoppers, `${g.shoppers} shoppers · ${g.count} ${g.kind}`]), 'guardrails'),
    table(['code', 'kind', 'count', 'shoppers', 'examples: what the shopper reads'], r.guardrails.map((g) => [g.code, g.kind, String(g.count), `${g.shoppers} (${pct(g.shoppers, n)})`,
      g.examples.length ? g.examples.map((e) => `${e.shopper}: ${e.productId} “${e.title}” — ${e.text}`).join(' · ') : (!g.named && g.kind !== 'mode' ? 'counted only: never named' : '')])));
  const e = r.exposure;
  sec.append(el('h3', {}, 'Exposure on the home page'),
    el('p', {}, `Coverage: ${e.shown} of ${e.catalog} products (${(100 * e.coverage).toFixed(1)} %). Per list: ${e.meanLeafCategories.toFixed(2)} distinct leaf categories. New-arrival slots: ${e.newArrivalItems}. Gini ${e.gini.toFixed(3)}.`),
    el('h4', {}, 'Slot mix served'), stacked(Object.entries(e.slots), 'slot mix'),
    el('div', { class: 'row' }, curve(e.curve), rankFrequency(e.ranked, e.catalog), table(['most shown', 'shoppers'], e.top.map((x) => [`${x.productId} “${x.title}”`, String(x.count)]))));
  const m = r.messaging;
  sec.append(el('h3', {}, 'Messaging: 7 days of campaigns'), bars(m.sendsPerDay.map((v, i) => [`day ${i + 1}`, v, String(v)]), 'sends per day'),
    el('p', {}, `${m.attempts} attempts, ${m.sends} sends, ${m.afterWindow} held past the last day; suppressed: ${Object.entries(m.suppressed).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}. Segments (first email item's department): ${m.segments}, ${m.segmentsTooSmall} below ${m.minSegment} shoppers.`),
    ...m.segmentIssues.map((i) => el('p', { class: 'note' }, i)));
  return sec;
}

function renderDiff(d) {
  const sec = el('section', {}, el('h2', {}, `Diff: ${d.policy} against ${d.against}`));
  if (!d.changed && !d.gainers.length && !d.losers.length && !d.guardrails.length) {
    sec.append(el('p', { class: 'banner ok' }, 'No change: every shopper\'s list, every exposure and every guardrail count is the same.'));
    return sec;
  }
  sec.append(el('p', {}, `${d.changed} of ${d.shoppers} shoppers (${pct(d.changed, d.shoppers)}) see a different top k; mean rank-biased overlap (p = 0.9) ${d.meanRbo.toFixed(3)}.`),
    el('h4', {}, 'Shoppers per rank-biased overlap'), bars(d.rboHistogram.map((v, i) => [`RBO ${(i / 10).toFixed(1)}–${((i + 1) / 10).toFixed(1)}`, v, String(v)]), 'RBO histogram'),
    el('h4', {}, 'Exposure gained and lost'), bars([...d.gainers, ...d.losers].map((c) => [`${c.productId} ${c.title}`, c.after - c.before, `${c.after - c.before > 0 ? '+' : ''}${c.after - c.before} (${c.before} → ${c.after})`]), 'exposure changes'),
    el('h4', {}, 'Guardrails firing more or less'), table(['code', 'count', 'shoppers'], d.guardrails.map((g) => [g.code, `${g.before} → ${g.after}`, `${g.shoppersBefore} → ${g.shoppersAfter}`])));
  return sec;
}

async function main() {
  await Promise.all([init(), initMessage()]);
  const [catalog, model, sample] = await Promise.all(['data/catalog.json', 'data/model.json', 'data/history.json'].map(getJson));
  let population = { name: 'the demo personas', shoppers: personas(sample) };
  const last = Math.max(...sample.map((e) => Date.parse(e.at)));
  const nowFor = (shoppers) => {
    const t = Math.max(last, ...shoppers.flatMap((s) => s.history.map((e) => Date.parse(e.at))));
    return new Date(Math.floor(t / DAY) * DAY + 2 * DAY + 10 * 3_600_000).toISOString();
  };
  const go = () => {
    const out = $('report');
    out.replaceChildren();
    document.body.removeAttribute('data-done');
    try {
      const spec = policySpec($('policy').value);
      const against = $('against').value.trim() ? policySpec($('against').value) : null;
      const ref = reference(catalog, against ? [spec, against] : [spec]);
      const opts = { k: Number($('k').value) || 10, emailK: 4, now: nowFor(population.shoppers), minSegment: Number($('min-segment').value) || 50 };
      const started = performance.now();
      const a = run(catalog, model, population.shoppers, $('policy').value.trim().slice(0, 40), spec, ref, opts);
      const b = against ? run(catalog, model, population.shoppers, $('against').value.trim().slice(0, 40), against, ref, opts) : null;
      const d = b ? diff(a, b) : null;
      const ms = performance.now() - started;
      out.append(el('p', { class: 'meta' }, `${population.name}: ${population.shoppers.length} shoppers as of ${opts.now.slice(0, 10)}; ${ms.toFixed(0)} ms on this device.`));
      out.append(renderPolicy(a.report));
      if (d) out.append(renderDiff(d));
      if (b) out.append(renderPolicy(b.report));
      window.qaReport = { policy: a.report, against: b?.report, diff: d, ms };
      document.body.dataset.done = 'true';
    } catch (e) {
      out.append(el('p', { class: 'banner fail', role: 'alert' }, `Could not run the report: ${e.message}`));
      window.qaReport = { error: e.message };
      document.body.dataset.done = 'false';
    }
  };
  $('run').addEventListener('click', go);
  $('file').addEventListener('change', async () => {
    const f = $('file').files?.[0];
    if (!f) return;
    try {
      population = { name: f.name, shoppers: parseOrders(await f.text()) };
      go();
    } catch (e) {
      $('report').replaceChildren(el('p', { class: 'banner fail', role: 'alert' }, e.message));
    }
  });
  go();
}

main();
