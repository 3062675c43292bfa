// Types for worker.js: the Engine in a dedicated Worker behind a promise API (hand-written beside it).
import type { EngineOptions, Product, Profile, ProfileRequest, Ranking, RankRequest } from './tactful.js';

/** The error a call rejects with: an engine error keeps its stable `code` and the `path` of the bad value. */
export interface WorkerEngineError extends Error {
  code?: string;
  path?: string;
}

export interface WorkerEngineOptions extends Omit<EngineOptions, 'model'> {
  /**
   * As for `new Engine`, or the Response of its JSON file (the Worker parses the bytes), or a promise of either (the
   * Worker starts meanwhile).
   */
  model?: EngineOptions['model'] | Response | PromiseLike<EngineOptions['model'] | Response>;
  /**
   * The ranking module: a URL, a Response (or a promise of one, e.g. a `fetch` under way), its bytes, or a compiled
   * module (default: tactful_bg.wasm beside worker.js).
   */
  wasm?: string | URL | Response | PromiseLike<Response> | BufferSource | WebAssembly.Module;
  /** Called once each time an instance traps (it is then replaced, and `rank` answers with the default ranking). */
  onError?: (error: WorkerEngineError) => void;
  /** `false`: run on the main thread (the fallback taken anyway where Workers are unavailable). */
  worker?: boolean;
  /** The IndexedDB database `historyFrom` / `preferencesFrom` read (default "tactful", as storage.js's openStore). */
  storeName?: string;
}

/**
 * Where a call's inputs come from besides the request. `'indexeddb'`: the Worker (or the main-thread fallback) reads
 * them itself from the shopper's database, in the format storage.js writes, so the page never hands them over.
 */
export interface StoredInputs {
  /** The stored history (none without a consent record). The request must then carry no `history`. */
  historyFrom?: 'indexeddb';
  /**
   * The stored preferences, with `consent.personalization` from the consent record. The request must then carry no
   * `preferences`.
   */
  preferencesFrom?: 'indexeddb';
}

/** A request whose history the Worker reads from IndexedDB (`historyFrom: 'indexeddb'`): it carries none. */
export type StoredRankRequest = Omit<RankRequest, 'history'> & { history?: never };
/** A profile request whose history the Worker reads from IndexedDB. */
export type StoredProfileRequest = Omit<ProfileRequest, 'history'> & { history?: never };

export class WorkerEngine {
  private constructor(token: symbol);
  /**
   * Loads `catalog` (packed bytes from `tactful pack`, Product objects, or the Response of a file: a packed one, known
   * by its magic `TACTPACK`, or a JSON `Product[]` whose bytes the Worker parses; or a promise of any: the Worker
   * starts while it arrives) into an engine in a new Worker.
   */
  static create(
    catalog: Uint8Array | Product[] | Response | PromiseLike<Uint8Array | Product[] | Response>,
    options?: WorkerEngineOptions,
  ): Promise<WorkerEngine>;
  /** Ranks products for one shopper (as `Engine.rank`). */
  rank(request: RankRequest, from?: StoredInputs & { historyFrom?: undefined }): Promise<Ranking>;
  /** Ranks products for the shopper whose history is stored in IndexedDB: the Worker reads it. */
  rank(request: StoredRankRequest, from: StoredInputs & { historyFrom: 'indexeddb' }): Promise<Ranking>;
  /** What the engine believes about this shopper (as `Engine.profile`). */
  profile(request: ProfileRequest, from?: StoredInputs & { historyFrom?: undefined }): Promise<Profile>;
  /** What the engine believes about the shopper whose history is stored in IndexedDB: the Worker reads it. */
  profile(request: StoredProfileRequest, from: StoredInputs & { historyFrom: 'indexeddb' }): Promise<Profile>;
  /** Number of products indexed. */
  readonly size: number;
  /** How many times an instance trapped and was replaced. */
  readonly traps: number;
  /** Whether the engine runs in a Worker (false: the main-thread fallback). */
  readonly inWorker: boolean;
  /**
   * Stops the Worker (or frees the main-thread engine); pending calls reject. A later call starts a new Worker; on the
   * main thread it rejects with FREED.
   */
  terminate(): void;
}
