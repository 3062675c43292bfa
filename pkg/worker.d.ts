// Types for worker.js: the Engine in a dedicated Worker behind a promise API (hand-written beside it).
import type { EngineOptions, Product, Profile, ProfileRequest, Ranking, RankRequest } from './tactful.js';

/** The error a call rejects with: an engine error keeps its stable `code` and the `path` of the bad value. */
export interface WorkerEngineError extends Error {
  code?: string;
  path?: string;
}

export interface WorkerEngineOptions extends EngineOptions {
  /** The ranking module: a URL, a Response, its bytes, or a compiled module (default: tactful_bg.wasm beside worker.js). */
  wasm?: string | URL | Response | BufferSource | WebAssembly.Module;
  /** Called once each time an instance traps (it is then replaced, and `rank` answers with the default ranking). */
  onError?: (error: WorkerEngineError) => void;
  /** `false`: run on the main thread (the fallback taken anyway where Workers are unavailable). */
  worker?: boolean;
}

export class WorkerEngine {
  private constructor(token: symbol);
  /** Loads `catalog` (packed bytes from `tactful pack`, or Product objects) into an engine in a new Worker. */
  static create(catalog: Uint8Array | Product[], options?: WorkerEngineOptions): Promise<WorkerEngine>;
  /** Ranks products for one shopper (as `Engine.rank`). */
  rank(request: RankRequest): Promise<Ranking>;
  /** What the engine believes about this shopper (as `Engine.profile`). */
  profile(request: ProfileRequest): Promise<Profile>;
  /** Number of products indexed. */
  readonly size: number;
  /** How many times an instance trapped and was replaced. */
  readonly traps: number;
  /** Whether the engine runs in a Worker (false: the main-thread fallback). */
  readonly inWorker: boolean;
  /** Stops the Worker (or frees the main-thread engine); pending calls reject. */
  terminate(): void;
}
