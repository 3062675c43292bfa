// Shopper-side storage for tactful: the purchase history, the shopper's preferences (and the consent that allows
// keeping them) live in this browser's IndexedDB and nowhere else. Nothing here sends anything anywhere.
//
//   import { openStore, loadConsent, saveConsent, loadHistory, saveHistory, loadPreferences, savePreferences,
//            exportJson, erase, readShopper } from './storage.js';
//
// Rules the functions keep:
//   - Nothing is written before consent: saveHistory() and savePreferences() refuse to store unless saveConsent() was
//     called first.
//   - Reading never creates the database: until consent, a reader gets `null` / `[]` / `{}` and the browser holds
//     nothing.
//   - erase() deletes the whole database (history, preferences and the consent record): withdrawing consent is an
//     erase.
//
// Every failure is an `Error` with `code` and `path`, like the engine's: INVALID_INPUT for an argument of the wrong
// type, NO_CONSENT for a write before saveConsent(), STORAGE_FAILED when IndexedDB is missing (Node, some private
// modes) or fails (quota, a blocked upgrade; the browser's error is its `cause`).
//
// Hand-written and checked in (not generated), so shops can reuse it beside the engine.
import { tactfulError } from './errors.js';

const DEFAULT_NAME = 'tactful';
const VERSION = 1;
const STORE = 'shopper'; // one object store, keyed records: "consent", "history", "preferences"

let databaseName = DEFAULT_NAME;
let opening = null; // Promise<IDBDatabase> while open

/** STORAGE_FAILED, the browser's error (or absent IndexedDB) as its cause. */
function failed(e) {
  if (e instanceof Error && typeof e.code === 'string' && typeof e.path === 'string') return e;
  if (e?.name === 'QuotaExceededError') {
    // A write is one transaction: refused whole, so what was stored before is still there.
    return tactfulError('STORAGE_FAILED', '',
      "storage: this site's storage is full (the browser's quota): nothing was written, and what was stored before is kept", e);
  }
  const what = e?.name && e?.message ? `${e.name}: ${e.message}` : String(e);
  return tactfulError('STORAGE_FAILED', '', `storage: IndexedDB failed (${what})`, e);
}

function idb() {
  if (typeof indexedDB === 'undefined') {
    throw tactfulError('STORAGE_FAILED', '', 'storage: this environment has no IndexedDB (storage.js is for browsers)');
  }
  return indexedDB;
}

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(failed(req.error));
  });
}

function noConsent(call) {
  return tactfulError('NO_CONSENT', '', `${call}: no consent recorded; call saveConsent() first`);
}

function options(value, call) {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw tactfulError('INVALID_INPUT', 'options', `${call}: options must be an object`);
  }
  return value;
}

async function exists() {
  if (opening) return true;
  if (typeof idb().databases !== 'function') return true; // cannot tell without opening; opening is harmless
  const all = await idb().databases().catch((e) => Promise.reject(failed(e)));
  return all.some((db) => db.name === databaseName);
}

/**
 * Opens (creating if needed) the shopper's database. Optional `name` lets a shop keep several stores apart; call it
 * before anything else if you use it. Resolves to the IDBDatabase.
 */
export function openStore(opts) {
  let name;
  try {
    ({ name = DEFAULT_NAME } = options(opts, 'openStore'));
    if (typeof name !== 'string' || name === '') {
      throw tactfulError('INVALID_INPUT', 'options.name', 'openStore: name must be a non-empty string');
    }
    idb();
  } catch (e) {
    return Promise.reject(e);
  }
  if (opening && name === databaseName) return opening;
  databaseName = name;
  opening = new Promise((resolve, reject) => {
    const req = idb().open(databaseName, VERSION);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => {
      const db = req.result;
      // Another tab erasing the data must not be blocked by this one holding it open.
      db.onversionchange = () => {
        db.close();
        opening = null;
      };
      // Closed by the browser (storage cleared, evicted, disk error): open again on the next call.
      db.onclose = () => {
        opening = null;
      };
      resolve(db);
    };
    req.onerror = () => {
      opening = null;
      reject(failed(req.error));
    };
  });
  return opening;
}

// The browser may close an open connection itself: the site's storage cleared (settings, DevTools, Safari's 7-day
// eviction) or a disk error. The next call then opens the database again rather than failing on the dead connection.
function closedByBrowser(e) {
  if (e?.name !== 'InvalidStateError') return false;
  opening = null;
  return true;
}

async function get(key) {
  for (let attempt = 0; ; attempt += 1) {
    // Looked up again after a closed connection: a cleared database reads as nothing stored, and is not re-created.
    if (!(await exists())) return undefined;
    const db = await openStore({ name: databaseName });
    try {
      return await request(db.transaction(STORE, 'readonly').objectStore(STORE).get(key));
    } catch (e) {
      if (attempt > 0 || !closedByBrowser(e)) throw failed(e);
    }
  }
}

async function writeTransaction() {
  try {
    return (await openStore({ name: databaseName })).transaction(STORE, 'readwrite');
  } catch (e) {
    if (!closedByBrowser(e)) throw e;
    return (await openStore({ name: databaseName })).transaction(STORE, 'readwrite');
  }
}

async function put(key, value) {
  try {
    const tx = await writeTransaction();
    tx.objectStore(STORE).put(value, key);
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(failed(tx.error));
      tx.onabort = () => reject(failed(tx.error ?? new Error('write aborted')));
    });
  } catch (e) {
    if (e?.name === 'DataCloneError') {
      throw tactfulError('INVALID_INPUT', key === 'history' ? 'events' : key,
        `storage: the ${key} holds a value IndexedDB cannot store (a function, a symbol, …)`, e);
    }
    throw failed(e);
  }
}

/** The stored consent record `{ personalization: true, at: <epoch ms> }`, or null when none was given. */
export async function loadConsent() {
  return (await get('consent')) ?? null;
}

/** Records the shopper's consent to keep their history here, at `at` (epoch ms; defaults to now). */
export async function saveConsent(opts) {
  const { at = Date.now() } = options(opts, 'saveConsent');
  if (typeof at !== 'number' || !Number.isFinite(at)) {
    throw tactfulError('INVALID_INPUT', 'options.at', 'saveConsent: at must be epoch milliseconds (a finite number)');
  }
  await put('consent', { personalization: true, at });
}

/** The stored history (tactful `Event[]`), or [] when nothing is stored. */
export async function loadHistory() {
  return (await get('history')) ?? [];
}

/** Replaces the stored history with `events` (tactful `Event[]`). Refuses without a consent record. */
export async function saveHistory(events) {
  if (!Array.isArray(events)) throw tactfulError('INVALID_INPUT', 'events', 'saveHistory: events must be an array');
  if (!(await loadConsent())) throw noConsent('saveHistory');
  await put('history', events);
}

/** The stored preferences (tactful `Preferences`), or `{}` (the engine's defaults) when none are stored. */
export async function loadPreferences() {
  return (await get('preferences')) ?? {};
}

/**
 * Replaces the stored preferences with `prefs` (tactful `Preferences`, a plain object; stored as JSON would keep it).
 * Refuses without a consent record. The engine checks the values when it is given them (`rank`, `profile`).
 */
export async function savePreferences(prefs) {
  if (prefs === null || typeof prefs !== 'object' || Array.isArray(prefs)) {
    throw tactfulError('INVALID_INPUT', 'prefs', 'savePreferences: prefs must be a plain object');
  }
  if (!(await loadConsent())) throw noConsent('savePreferences');
  await put('preferences', JSON.parse(JSON.stringify(prefs)));
}

/**
 * The consent record, the history and the preferences of the database `name` (default "tactful"), read in ONE
 * read-only transaction, so the three are a consistent snapshot, on a connection of its own that is closed again
 * before this resolves (another tab's erase() is never held up by it): `{ consent, history, preferences }`, with
 * `null` / `[]` / `{}` for what is not stored. Never creates the database. It does not change the database the other
 * functions use. pkg/worker-entry.js reads the shopper's data through this inside its Worker, so a page never has to
 * hand the history over for ranking.
 */
export async function readShopper(opts) {
  const { name = DEFAULT_NAME } = options(opts, 'readShopper');
  if (typeof name !== 'string' || name === '') {
    throw tactfulError('INVALID_INPUT', 'options.name', 'readShopper: name must be a non-empty string');
  }
  const empty = { consent: null, history: [], preferences: {} };
  const factory = idb();
  if (typeof factory.databases === 'function') {
    const all = await factory.databases().catch((e) => Promise.reject(failed(e)));
    if (!all.some((db) => db.name === name)) return empty;
  }
  const db = await new Promise((resolve, reject) => {
    const req = factory.open(name); // no version: whatever version is there, never an upgrade of an existing one
    // Only a database that does not exist (yet, or any more) asks for an upgrade: abort it, so nothing is created.
    req.onupgradeneeded = () => req.transaction.abort();
    req.onsuccess = () => resolve(req.result);
    req.onerror = (event) => {
      if (req.error?.name !== 'AbortError') return reject(failed(req.error));
      event.preventDefault?.();
      return resolve(null);
    };
  });
  if (!db) return empty;
  db.onversionchange = () => db.close();
  try {
    if (!db.objectStoreNames.contains(STORE)) return empty;
    const store = db.transaction(STORE, 'readonly').objectStore(STORE);
    const [consent, history, preferences] = await Promise.all(
      ['consent', 'history', 'preferences'].map((key) => request(store.get(key))));
    return { consent: consent ?? null, history: history ?? [], preferences: preferences ?? {} };
  } catch (e) {
    throw failed(e);
  } finally {
    db.close();
  }
}

/**
 * `request` (a tactful RankRequest or ProfileRequest) completed from the shopper's database, as the demo pages build
 * it: with `history: true`, the stored history (none without a consent record); with `preferences: true`, the stored
 * preferences with `consent.personalization` taken from the consent record (the authority). A request that already
 * carries what is to be read is refused (INVALID_INPUT at `history` / `preferences`): one source, never a merge.
 * `name` as for readShopper(). Used by pkg/worker.js and pkg/worker-entry.js (`historyFrom: 'indexeddb'`).
 */
export async function withStored(req, { history = false, preferences = false, name } = {}) {
  if (!history && !preferences) return req;
  if (req === null || typeof req !== 'object' || Array.isArray(req)) {
    throw tactfulError('INVALID_INPUT', '', 'the request must be an object');
  }
  if (history && req.history !== undefined) {
    throw tactfulError('INVALID_INPUT', 'history',
      'history is read from IndexedDB (historyFrom); the request must not carry one');
  }
  if (preferences && req.preferences !== undefined && req.preferences !== null) {
    throw tactfulError('INVALID_INPUT', 'preferences',
      'preferences are read from IndexedDB (preferencesFrom); the request must not carry them');
  }
  const stored = await readShopper(name === undefined ? undefined : { name });
  const out = { ...req };
  if (history) out.history = stored.consent ? stored.history : [];
  if (preferences) {
    const p = stored.preferences;
    out.preferences = { ...p, consent: { ...p.consent, personalization: Boolean(stored.consent) } };
  }
  return out;
}

/**
 * Everything stored, as a JSON string the shopper can download and keep:
 * `{ format: "tactful-export", version: 1, exportedAt, consent, preferences, history }`.
 */
export async function exportJson() {
  const [consent, preferences, history] = [await loadConsent(), await loadPreferences(), await loadHistory()];
  return JSON.stringify(
    { format: 'tactful-export', version: 1, exportedAt: new Date().toISOString(), consent, preferences, history },
    null, 2);
}

/** Deletes the whole database: history, preferences and consent. Resolves once the browser has removed it. */
export async function erase() {
  if (opening) {
    const db = await opening.catch(() => null);
    db?.close();
    opening = null;
  }
  await new Promise((resolve, reject) => {
    const req = idb().deleteDatabase(databaseName);
    req.onsuccess = () => resolve();
    req.onerror = () => reject(failed(req.error));
    // onblocked: another tab still holds the store; its onversionchange closes it and the delete then succeeds.
  });
}
