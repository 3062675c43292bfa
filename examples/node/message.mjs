// The messaging helpers under Node, from the installed package, e.g. in a send job that has the shopper's engagement
// and the shop's ledger at hand: when to send, whether the copy is safe, who is held out, and what the holdout shows.
// `node message.mjs` prints one JSON object (tests/e2e/package.test.mjs runs it from the packed tarball).
import initMessage, { planSend, lintCopy, inHoldout, liftReport } from 'tactful/message';

await initMessage(); // under Node, reads tactful_message_bg.wasm from the installed package

const now = Date.parse('2026-05-11T08:00:00Z');
const day = 86_400_000;
// The shopper opened and clicked in the evening (UTC) on the last three days; the shop emailed yesterday morning.
const engagement = [1, 2, 3].flatMap((d) => [
  { type: 'opened', channel: 'email', at: now - d * day + 11 * 3_600_000 },
  { type: 'clicked', channel: 'email', at: now - d * day + 11 * 3_600_000 + 60_000 },
]);
const plan = planSend({
  now,
  engagement,
  ledger: [{ channel: 'email', at: now - day + 3_600_000 }],
  policy: { maxPerWeek: 3 },
});
const issues = lintCopy({ subject: 'Cheap picks, {FNAME}', facts: { firstName: { confirmed: true, value: 'Ana' } } });
const customers = Array.from({ length: 1000 }, (_, i) => `c-${i}`);
const held = customers.filter((customerKey) => inHoldout({ customerKey, salt: 'spring-2026', share: 0.1 }));
const lift = liftReport({ treated: { n: 900, conversions: 90 }, holdout: { n: 100, conversions: 5 } });

console.log(JSON.stringify({
  sendAt: 'sendAt' in plan ? new Date(plan.sendAt).toISOString() : null,
  suppressed: 'suppressed' in plan ? plan.suppressed : null,
  planReasons: plan.reasons.map((r) => r.code),
  lint: issues.map((issue) => issue.code),
  heldOut: held.length,
  lift: [lift.difference, lift.differenceLow, lift.differenceHigh],
}));
