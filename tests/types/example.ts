// Type-checked by tests/e2e/types.test.mjs against the generated pkg/tactful.d.ts: the documented API, used as a
// page would, must compile; the lines marked @ts-expect-error must not.
import init, { Engine } from '../../pkg/tactful.js';
import initMessage, { lintCopy, inHoldout, checkSegments } from '../../pkg/tactful_message.js';
import type { Product, Event, Ranking, Profile, RankRequest, Policy, TactfulError } from '../../pkg/tactful.js';
import { saveConsent, loadConsent, saveHistory, loadHistory, loadPreferences, exportJson, erase } from '../../pkg/storage.js';
import type { StoredConsent, TactfulExport } from '../../pkg/storage.js';
import { WorkerEngine } from '../../pkg/worker.js';

await init();
await initMessage();
const catalog: Product[] = [
  { id: 'milk', title: 'Milk', category: ['Grocery', 'Dairy'], lifecycle: { kind: 'consumable', repurchaseDays: 7 } },
  { id: 'test-kit', sensitivity: 'pregnancy_baby', launchedAt: '2024-01-01' },
];
const policy: Policy = { preset: 'conservative', maxPerCategory: 2, sensitiveCategories: { DIAPERS: 'pregnancy_baby' } };
const engine = new Engine(catalog, { policy });
const plain = new Engine(catalog); // options are optional
const packedBytes = new Uint8Array(0);
const fromBytes = (): Engine => new Engine(packedBytes, { policy: 'balanced' }); // packed bytes take a policy
// @ts-expect-error: packed bytes carry their model; a model beside them is refused
const withModel = (): Engine => new Engine(packedBytes, { model: { version: 1 } });
void fromBytes;
void withModel;
plain.free();
const history: Event[] = [{ productId: 'milk', at: '2024-04-01', type: 'purchase', quantity: 2 }];
const request: RankRequest = {
  history,
  preferences: { consent: { personalization: true }, sensitiveOptIn: ['pregnancy_baby'], intensity: 'subtle' },
  context: { now: Date.now(), surface: 'home', k: 12, seed: 1 },
};
const ranking: Ranking = engine.rank(request);
const first: string | undefined = ranking.items[0]?.productId;
const counts: number | undefined = ranking.removedCounts['OWNED_DURABLE'];
const mode: 'personal' | 'blended' | 'default' = ranking.mode;
const profile: Profile = engine.profile({ history, context: { now: '2024-05-01' } });
const owned: number | null = profile.owned[0]?.until ?? null;
const issues = lintCopy({ subject: 'Hi {FNAME}, cheap picks' });
// A device lays out an email: how many items, which layout, titles cut to fit.
const phone: Ranking = engine.rank({ ...request, context: { ...request.context, surface: 'email', device: 'phone' } });
const layout: 'list' | 'grid' | 'notification' | undefined = phone.layout?.layout;
const fitted: string | undefined = phone.layout?.titles[0]?.title;
const typed = lintCopy({ subject: 'Hi {FNAME}', facts: { firstName: { source: 'shopper', value: 'Sam' } } });
// @ts-expect-error: devices are a closed set
engine.rank({ history, context: { now: 0, surface: 'email', device: 'watch' } });
// @ts-expect-error: a fact's source is "shopper" or "inferred"
lintCopy({ subject: 'x', facts: { firstName: { source: 'guessed' } } });
const held: boolean = inHoldout({ customerKey: 'c1', salt: 's', share: 0.1 });
checkSegments({ sizes: [10, 2], minSize: 5, customers: 12 });
try {
  engine.rank(request);
} catch (e) {
  const err = e as TactfulError;
  const where: string = err.path;
  const code: 'INVALID_INPUT' | 'LIMIT_EXCEEDED' | 'UNSUPPORTED_VERSION' | 'INTERNAL' | 'NOT_INITIALIZED' | 'FREED'
    | 'LOAD_FAILED' | 'NO_CONSENT' | 'STORAGE_FAILED' = err.code;
  console.log(where, code);
}
// @ts-expect-error: a typo in a policy knob is a type error (and INVALID_INPUT at run time)
const typo: Policy = { maxPerCategry: 2 };
// @ts-expect-error: sensitivity classes are a closed set
const bad: Product = { id: 'x', sensitivity: 'gossip' };
// @ts-expect-error: context.now is required
engine.rank({ history, context: { k: 3 } });
await saveConsent();
await saveHistory(history);
const consent: StoredConsent | null = await loadConsent();
const stored: Event[] = consent ? await loadHistory() : [];
const stored2 = await loadPreferences();
engine.rank({ history: stored, preferences: { ...stored2, consent: { personalization: !!consent } }, context: { now: 0 } });
const exported = JSON.parse(await exportJson()) as TactfulExport;
await erase();
// @ts-expect-error: the storage helper keeps tactful Events, not arbitrary objects
await saveHistory([{ product: 'milk' }]);
// The Engine in a Worker that reads the stored history itself: the request then carries none.
const inWorker = await WorkerEngine.create(catalog, { policy, storeName: 'tactful' });
const storedRanking: Ranking = await inWorker.rank({ context: { now: 0, k: 3 } },
  { historyFrom: 'indexeddb', preferencesFrom: 'indexeddb' });
const storedProfile: Profile = await inWorker.profile({ preferences: { intensity: 'strong' }, context: { now: 0 } },
  { historyFrom: 'indexeddb' });
await inWorker.rank(request); // the history given, as before
// @ts-expect-error: a history both given and read from IndexedDB is refused (INVALID_INPUT at run time too)
await inWorker.rank({ history, context: { now: 0 } }, { historyFrom: 'indexeddb' });
// @ts-expect-error: without historyFrom the request needs its history
await inWorker.rank({ context: { now: 0 } });
// @ts-expect-error: IndexedDB is the one store the Worker reads
await inWorker.rank({ context: { now: 0 } }, { historyFrom: 'localStorage' });
inWorker.terminate();
console.log(storedRanking.mode, storedProfile.mode);
console.log(first, counts, mode, owned, issues.length, held, typo, bad, exported.format, layout, fitted, typed.length);
engine.free();
