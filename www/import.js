// Reads an order-history file into tactful `Event`s, in the page, with no dependencies: the plain
// `customer_id,product_id,at[,quantity,order_id,price]` CSV, the UCI Online Retail and The Complete Journey layouts
// (recognised from the header, as the native tool's reader in src/cli/read.rs does), or JSON (an `Event[]`, or the
// `tactful-export` file the store's "Export my data" writes).
//
//   const result = await readOrders(file, { onProgress: (done, total) => … });
//   // { format, rows, customers: [{ id, events }] (most rows first), bad: [{ line, why }], skipped: [{ line, why }] }
//
// Rules, so that a file is read the same everywhere:
//   - Lines are numbered as an editor shows them (the header is line 1; a quoted field with a line break makes one row
//     span several lines: the row is reported at the line it starts on).
//   - A bad row is recorded with its line number and why, and reading goes on, so every bad row is reported; the
//     caller decides (the preference center applies nothing when any row is bad).
//   - A time without an offset is UTC (`2017-01-01T11:53:26`, `2010-12-01 09:00:00`); digits alone are epoch ms;
//     Online Retail files may also write the spreadsheet's month/day/year (`12/1/2010 8:26`).
//   - A quantity of 0 (coupon and void lines in real exports) is not a purchase: the row is left out and listed in
//     `skipped`, which never refuses a file. A negative quantity, or an Online Retail invoice starting with `C`, is a
//     cancellation (`type: "cancel"`, the quantity made positive). Complete Journey's `sales_value` is the line total,
//     so the price is divided by the quantity. `13748.0` ids lose their `.0` (exports written through a float column).
//   - Product ids are not checked against any catalog here: unknown products are the caller's (and the engine's) to
//     count.
// Nothing is sent anywhere: the file is read with the File API.

const FORMATS = {
  plain: 'customer_id,product_id,at,quantity,order_id,price',
  onlineRetail: 'Online Retail',
  completeJourney: 'The Complete Journey',
  json: 'JSON',
};
export { FORMATS };

// Bigger files are refused before reading: a browser tab holding a few million events is slow to rank anyway.
export const MAX_BYTES = 200 * 1024 * 1024;

class Bad extends Error {}
// A readable row that is not a purchase (quantity 0: a coupon or void line in real exports): left out and counted,
// never a reason to refuse the file.
class Skip extends Error {}

// ---- CSV ------------------------------------------------------------------------------------------------------------

/**
 * A streaming CSV reader (RFC 4180: quoted fields, doubled quotes, CRLF or LF, a UTF-8 BOM). `push(text)` takes the
 * next piece of the file and calls `onRecord(fields, line)` for each complete record; `end()` flushes the last one.
 * Errors (a quote in the middle of an unquoted field, text after a closing quote, an unclosed quote at the end) are
 * reported through `onError(line, why)` and the record is skipped.
 */
export function csvReader(onRecord, onError) {
  const START = 0; // at the start of a field
  const PLAIN = 1; // inside an unquoted field
  const QUOTED = 2; // inside a quoted field
  const QUOTE = 3; // a quote seen inside a quoted field: a doubled quote or the end of the field
  let state = START;
  let field = '';
  let fields = [];
  let broken = null; // why the current record is bad
  let any = false; // the current record has any character
  let line = 1; // the line being read
  let start = 1; // the line the current record starts on
  let first = true;
  let afterCR = false;

  const endField = () => {
    fields.push(field);
    field = '';
  };
  const endRecord = () => {
    endField();
    if (broken) onError(start, broken);
    else if (any) onRecord(fields, start);
    fields = [];
    broken = null;
    any = false;
    state = START;
  };
  const newline = () => {
    endRecord();
    line++;
    start = line;
  };

  return {
    push(text) {
      let i = 0;
      if (first && text.length > 0) {
        first = false;
        if (text.charCodeAt(0) === 0xfeff) i = 1;
      }
      for (; i < text.length; i++) {
        const ch = text[i];
        if (afterCR) {
          afterCR = false;
          if (ch === '\n' && state !== QUOTED) continue; // CRLF: the CR already ended the record
        }
        if (state === QUOTED) {
          if (ch === '"') state = QUOTE;
          else {
            if (ch === '\n') line++;
            field += ch;
          }
          continue;
        }
        if (ch === '\n' || ch === '\r') {
          if (ch === '\r') afterCR = true;
          newline();
          continue;
        }
        any = true;
        if (state === QUOTE) {
          if (ch === '"') {
            field += '"';
            state = QUOTED;
          } else if (ch === ',') {
            endField();
            state = START;
          } else {
            broken ??= 'text after a closing quote';
            field += ch;
            state = PLAIN;
          }
        } else if (ch === ',') {
          endField();
          state = START;
        } else if (ch === '"' && state === START) {
          state = QUOTED;
        } else {
          if (ch === '"') broken ??= 'a quote inside an unquoted field';
          field += ch;
          state = PLAIN;
        }
      }
    },
    end() {
      if (state === QUOTED) broken ??= 'a quoted field is never closed';
      if (any || broken) endRecord();
    },
  };
}

// ---- one row -----------------------------------------------------------------------------------------------------

const position = (header, name) => header.findIndex((h) => h.trim().toLowerCase() === name.toLowerCase());

/** The layout named by a CSV header, with the column of each field; throws a Bad when a needed column is missing. */
export function columns(header) {
  const need = (name, format) => {
    const i = position(header, name);
    if (i < 0) throw new Bad(`missing column '${name}' (read as ${format})`);
    return i;
  };
  const opt = (name) => {
    const i = position(header, name);
    return i < 0 ? null : i;
  };
  if (opt('StockCode') !== null || opt('InvoiceNo') !== null) {
    const f = FORMATS.onlineRetail;
    return { format: f, customer: need('CustomerID', f), product: need('StockCode', f), at: need('InvoiceDate', f),
      quantity: need('Quantity', f), order: need('InvoiceNo', f), price: need('UnitPrice', f) };
  }
  if (opt('household_id') !== null) {
    const f = FORMATS.completeJourney;
    return { format: f, customer: need('household_id', f), product: need('product_id', f),
      at: need('transaction_timestamp', f), quantity: opt('quantity'), order: opt('basket_id'),
      price: opt('sales_value') };
  }
  const f = FORMATS.plain;
  return { format: f, customer: need('customer_id', f), product: need('product_id', f), at: need('at', f),
    quantity: opt('quantity'), order: opt('order_id'), price: opt('price') };
}

/** `13748.0` → `13748`. */
export function normaliseId(text) {
  const t = text.trim();
  return /^\d+\.0$/.test(t) ? t.slice(0, -2) : t;
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|z|[+-]\d{2}:?\d{2})?$/;

/** Epoch ms of an ISO-8601 time (no offset = UTC) or of digits (already epoch ms); throws a Bad. */
export function parseTime(text) {
  const t = text.trim();
  if (t === '') throw new Bad('no time');
  if (/^\d+$/.test(t)) {
    const ms = Number(t);
    if (!Number.isSafeInteger(ms)) throw new Bad(`time '${t}' is too large`);
    return ms;
  }
  const m = ISO.exec(t);
  if (!m) throw new Bad(`'${t.slice(0, 40)}' is not an ISO-8601 time (like 2017-01-01T11:53:26)`);
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', off] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (month < 1 || month > 12) throw new Bad(`'${t}': month out of range`);
  if (day < 1 || day > DAYS[month - 1] + (month === 2 && leap ? 1 : 0)) throw new Bad(`'${t}': day out of range`);
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) throw new Bad(`'${t}': time of day out of range`);
  let ms = Date.UTC(year, month - 1, day, Number(h), Number(mi), Number(s), Number(frac.padEnd(3, '0').slice(0, 3)));
  if (off && off.toUpperCase() !== 'Z') {
    const sign = off[0] === '-' ? -1 : 1;
    const digits = off.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return ms;
}

// The UCI Online Retail file as most copies of it have it (the spreadsheet saved as CSV) writes `12/1/2010 8:26`:
// month/day/year, as the source does. Those are read as UTC too; ISO-8601 (the repository's sample) as above.
const US_TIME = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
export function parseRetailTime(text) {
  const m = US_TIME.exec(text.trim());
  if (!m) return parseTime(text);
  const [, mo, d, y, h = '0', mi = '00', s = '00'] = m;
  return parseTime(`${y}-${mo.padStart(2, '0')}-${d.padStart(2, '0')}T${h.padStart(2, '0')}:${mi}:${s}`);
}

function number(text, what) {
  const t = text.trim();
  const v = Number(t);
  if (t === '' || !Number.isFinite(v)) throw new Bad(`${what} '${t.slice(0, 40)}' is not a number`);
  return v;
}

/** One CSV record as `{ customer, event }`; throws a Bad. */
export function rowToEvent(fields, c) {
  const field = (i) => (i === null || i === undefined ? '' : (fields[i] ?? '').trim());
  if (fields.length === 1 && fields[0].trim() === '') throw new Bad('an empty row');
  const customer = normaliseId(field(c.customer));
  if (customer === '') throw new Bad('no customer id');
  const product = normaliseId(field(c.product));
  if (product === '') throw new Bad('no product id');
  const at = c.format === FORMATS.onlineRetail ? parseRetailTime(field(c.at)) : parseTime(field(c.at));
  const q = field(c.quantity);
  let quantity = q === '' ? 1 : number(q, 'quantity');
  if (quantity === 0) throw new Skip('quantity 0 (a coupon or void line, not a purchase)');
  const p = field(c.price);
  let price = p === '' ? null : number(p, 'price');
  const order = field(c.order);
  const cancel = quantity < 0 || (c.format === FORMATS.onlineRetail && /^c/i.test(order));
  quantity = Math.abs(quantity);
  if (price !== null && c.format === FORMATS.completeJourney) price /= quantity; // the line total
  if (price !== null && price < 0) throw new Bad(`price '${p}' is negative`);
  const event = { productId: product, at: new Date(at).toISOString(), quantity };
  if (price !== null) event.price = Math.round(price * 100) / 100;
  if (order !== '') event.orderId = order;
  if (cancel) event.type = 'cancel';
  return { customer, event };
}

// ---- JSON --------------------------------------------------------------------------------------------------------

const EVENT_KEYS = new Set(['productId', 'at', 'type', 'quantity', 'price', 'orderId', 'gift', 'shipTo', 'member']);
const TYPES = new Set(['purchase', 'return', 'cancel']);

/**
 * A JSON file: an array of Events, or a `tactful-export` (its `history`). Each element is checked the way the
 * engine would read it; a bad element is reported by its index and the line it starts on.
 */
export function readJson(text) {
  let value;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    const at = /position (\d+)/.exec(String(err.message));
    const line = at ? text.slice(0, Number(at[1])).split('\n').length : 1;
    return { format: FORMATS.json, rows: 0, customers: [], bad: [{ line, why: `not JSON: ${err.message}` }] };
  }
  let list = value;
  let base = '';
  if (value && !Array.isArray(value) && typeof value === 'object' && Array.isArray(value.history)) {
    list = value.history;
    base = 'history';
  }
  if (!Array.isArray(list)) {
    return { format: FORMATS.json, rows: 0, customers: [],
      bad: [{ line: 1, why: 'expected an array of events, or a tactful export with a "history" array' }] };
  }
  const lines = elementLines(text, base);
  const events = [];
  const bad = [];
  list.forEach((e, i) => {
    const line = lines[i] ?? 1;
    try {
      events.push(checkEvent(e));
    } catch (err) {
      if (!(err instanceof Bad)) throw err;
      bad.push({ line, why: `${base ? `${base}` : ''}[${i}]: ${err.message}` });
    }
  });
  return { format: FORMATS.json, rows: list.length, customers: events.length ? [{ id: '', events }] : [], bad };
}

function checkEvent(e) {
  if (e === null || typeof e !== 'object' || Array.isArray(e)) throw new Bad('not an object');
  for (const k of Object.keys(e)) if (!EVENT_KEYS.has(k)) throw new Bad(`unknown field '${k}'`);
  if (typeof e.productId !== 'string' || e.productId.trim() === '') throw new Bad('productId must be a non-empty string');
  let at;
  if (typeof e.at === 'number' && Number.isSafeInteger(e.at)) at = e.at;
  else if (typeof e.at === 'string') at = parseTime(e.at);
  else throw new Bad('at must be an ISO-8601 string or epoch milliseconds');
  const out = { productId: e.productId, at: new Date(at).toISOString() };
  if (e.type !== undefined && e.type !== null) {
    if (!TYPES.has(e.type)) throw new Bad(`type '${String(e.type)}' is not purchase, return or cancel`);
    out.type = e.type;
  }
  for (const k of ['quantity', 'price']) {
    if (e[k] === undefined || e[k] === null) continue;
    if (typeof e[k] !== 'number' || !Number.isFinite(e[k]) || e[k] < 0) throw new Bad(`${k} must be a number ≥ 0`);
    out[k] = e[k];
  }
  if (out.quantity === 0) throw new Bad('quantity is 0');
  for (const k of ['orderId', 'shipTo', 'member']) {
    if (e[k] === undefined || e[k] === null) continue;
    if (typeof e[k] !== 'string') throw new Bad(`${k} must be a string`);
    out[k] = e[k];
  }
  if (e.gift !== undefined && e.gift !== null) {
    if (typeof e.gift !== 'boolean') throw new Bad('gift must be true or false');
    out.gift = e.gift;
  }
  return out;
}

// The line each element of the top-level array (or of `"history"`) starts on: a small scan that tracks strings and
// nesting depth, so a bad element can be reported by line like a CSV row.
function elementLines(text, key) {
  const lines = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let targetDepth = key ? -1 : 1;
  let lastKey = '';
  let keyStart = -1;
  let expectValue = true;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n') line++;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') {
        inString = false;
        if (depth === 1 && keyStart >= 0) lastKey = text.slice(keyStart, i);
      }
      continue;
    }
    if (ch === '"') {
      inString = true;
      keyStart = i + 1;
      if (depth === targetDepth && expectValue) {
        lines.push(line);
        expectValue = false;
      }
      continue;
    }
    if (ch === '[' || ch === '{') {
      if (depth === targetDepth && expectValue) {
        lines.push(line);
        expectValue = false;
      }
      depth++;
      if (ch === '[' && key && depth === 2 && lastKey === key && targetDepth < 0) {
        targetDepth = 2;
        expectValue = true;
      }
    } else if (ch === ']' || ch === '}') {
      depth--;
    } else if (ch === ',' && depth === targetDepth) {
      expectValue = true;
    } else if (depth === targetDepth && expectValue && !/\s/.test(ch)) {
      lines.push(line); // a number, true, false or null element
      expectValue = false;
    }
  }
  return lines;
}

// ---- a whole file -----------------------------------------------------------------------------------------------

/**
 * Reads a `File` or `Blob` (or a string, for tests) as an order history. `onProgress(bytesRead, totalBytes)` is
 * called as it goes; between pieces the page gets a frame, so a progress bar moves on a large file.
 */
export async function readOrders(file, { onProgress = () => {}, pieceBytes = 1 << 20 } = {}) {
  const blob = typeof file === 'string' ? new Blob([file]) : file;
  const total = blob.size;
  if (total > MAX_BYTES) {
    return { format: null, rows: 0, customers: [],
      bad: [{ line: 0, why: `the file is ${(total / 1048576).toFixed(0)} MB; at most ${MAX_BYTES / 1048576} MB` }] };
  }
  const decoder = new TextDecoder('utf-8');
  const head = decoder.decode(await blob.slice(0, 4096).arrayBuffer(), { stream: false });
  if (/^\uFEFF?\s*[[{]/.test(head)) {
    onProgress(0, total);
    const text = await blob.text();
    onProgress(total, total);
    return readJson(text);
  }

  const byCustomer = new Map();
  const bad = [];
  const skipped = [];
  let cols = null;
  let rows = 0;
  let fatal = null;
  const reader = csvReader(
    (fields, line) => {
      if (fatal) return;
      if (!cols) {
        try {
          cols = columns(fields);
        } catch (err) {
          if (!(err instanceof Bad)) throw err;
          fatal = { line, why: `${err.message}; the header is: ${fields.join(',').slice(0, 200)}` };
        }
        return;
      }
      rows++;
      try {
        const { customer, event } = rowToEvent(fields, cols);
        let list = byCustomer.get(customer);
        if (!list) byCustomer.set(customer, (list = []));
        list.push(event);
      } catch (err) {
        if (err instanceof Skip) skipped.push({ line, why: err.message });
        else if (err instanceof Bad) bad.push({ line, why: err.message });
        else throw err;
      }
    },
    (line, why) => {
      if (!cols) {
        fatal ??= { line, why: `cannot read the header: ${why}` };
        return;
      }
      rows++;
      bad.push({ line, why });
    },
  );

  const textDecoder = new TextDecoder('utf-8');
  for (let offset = 0; offset < total && !fatal; offset += pieceBytes) {
    const bytes = await blob.slice(offset, offset + pieceBytes).arrayBuffer();
    reader.push(textDecoder.decode(bytes, { stream: offset + pieceBytes < total }));
    onProgress(Math.min(total, offset + pieceBytes), total);
    await frame();
  }
  if (!fatal) reader.end();
  if (fatal) return { format: cols?.format ?? null, rows, customers: [], bad: [fatal], skipped };
  if (!cols) return { format: null, rows: 0, customers: [], bad: [{ line: 1, why: 'the file is empty' }], skipped };
  const customers = [...byCustomer].map(([id, events]) => ({ id, events }))
    .sort((a, b) => b.events.length - a.events.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { format: cols.format, rows, customers, bad, skipped };
}

// Lets the page paint between pieces (a progress bar moves); a plain macrotask where there is no page.
const frame = () => new Promise((resolve) => setTimeout(resolve, 0));

/** The events made to end `days` days before `now`, keeping the gaps between them (for samples from past years). */
export function shiftToNow(events, now, days = 2) {
  if (events.length === 0) return events;
  const DAY = 86_400_000;
  const last = Math.max(...events.map((e) => Date.parse(e.at)));
  const shift = Math.floor((now - days * DAY - last) / DAY) * DAY;
  return events.map((e) => ({ ...e, at: new Date(Date.parse(e.at) + shift).toISOString() }));
}
