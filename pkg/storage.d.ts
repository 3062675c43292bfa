// Types for storage.js, the shopper-side IndexedDB helper (hand-written beside it; see storage.js for the rules it
// keeps: nothing is written before consent, reading never creates the database, erase() deletes everything). Every
// rejection is a TactfulError: INVALID_INPUT (an argument), NO_CONSENT (a write before consent), STORAGE_FAILED (no
// IndexedDB here, or it failed; over the browser's quota, a message saying the storage is full and nothing was
// written).
import type { Event, Preferences } from './tactful.js';

/** The consent record saveConsent() writes. */
export interface StoredConsent {
  personalization: true;
  /** When the shopper agreed, in epoch milliseconds. */
  at: number;
}

/** What exportJson() returns, parsed. */
export interface TactfulExport {
  format: 'tactful-export';
  version: 1;
  /** ISO-8601 time of the export. */
  exportedAt: string;
  consent: StoredConsent | null;
  preferences: Preferences;
  history: Event[];
}

/**
 * Opens (creating if needed) the shopper's database. `name` (default "tactful") keeps several stores apart; call it
 * before anything else if you use it.
 */
export function openStore(options?: { name?: string }): Promise<IDBDatabase>;
/** The stored consent record, or null when none was given. */
export function loadConsent(): Promise<StoredConsent | null>;
/** Records the shopper's consent to keep their history here, at `at` (epoch ms; defaults to now). */
export function saveConsent(options?: { at?: number }): Promise<void>;
/** The stored history, or [] when nothing is stored. */
export function loadHistory(): Promise<Event[]>;
/** Replaces the stored history. Rejects with NO_CONSENT without a consent record. */
export function saveHistory(events: Event[]): Promise<void>;
/** The stored preferences, or {} (the engine's defaults) when none are stored. */
export function loadPreferences(): Promise<Preferences>;
/**
 * Replaces the stored preferences (a plain object, stored as JSON would keep it). Rejects with NO_CONSENT without a
 * consent record.
 */
export function savePreferences(prefs: Preferences): Promise<void>;
/** What readShopper() returns: one consistent snapshot of the shopper's database. */
export interface StoredShopper {
  consent: StoredConsent | null;
  history: Event[];
  preferences: Preferences;
}
/**
 * The consent record, history and preferences of the database `name` (default "tactful"), read in one read-only
 * transaction on a connection closed again before it resolves. Never creates the database; does not change the
 * database the other functions use.
 */
export function readShopper(options?: { name?: string }): Promise<StoredShopper>;
/**
 * `request` completed from the shopper's database: `history: true` adds the stored history (none without consent),
 * `preferences: true` the stored preferences with `consent.personalization` from the consent record. A request that
 * already carries what is to be read is refused (INVALID_INPUT at `history` / `preferences`).
 */
export function withStored<R extends object>(
  request: R,
  from?: { history?: boolean; preferences?: boolean; name?: string },
): Promise<R & { history: Event[]; preferences?: Preferences }>;
/** Everything stored, as a JSON string (a TactfulExport) the shopper can download and keep. */
export function exportJson(): Promise<string>;
/** Deletes the whole database: history, preferences and consent. */
export function erase(): Promise<void>;
