// The messaging entry (hand-written; scripts/build.sh generates the wasm-bindgen glue into tactful_message_glue.js and
// its types into tactful_message.d.ts, which describe this file). The same functions as the glue, with the errors
// only JavaScript can see made coded, as in tactful.js: NOT_INITIALIZED before init(), LOAD_FAILED when the wasm will
// not load, INVALID_INPUT when init() is given nothing it can load from, INTERNAL for anything else without a code.
import initGlue, * as glue from './tactful_message_glue.js';
import { coded, loaders, notInitialized } from './errors.js';

let ready = false;
const load = loaders('tactful_message', initGlue, glue.initSync, () => {
  ready = true;
});

/** Loads the messaging module's wasm (by default `tactful_message_bg.wasm` beside this file). */
export default function init(moduleOrPath) {
  return load.init(moduleOrPath);
}

/** Loads the messaging module synchronously from its bytes or a compiled module. */
export function initSync(module) {
  return load.initSync(module);
}

function call(name, fn, request) {
  if (!ready) throw notInitialized('tactful_message', `${name}()`);
  try {
    return fn(request);
  } catch (e) {
    throw coded(e);
  }
}

/** When to send one message to one shopper, or why not. */
export function planSend(request) {
  return call('planSend', glue.planSend, request);
}

/** Checks a message's copy; spans are UTF-16 code units (`text.slice(start, end)`). */
export function lintCopy(request) {
  return call('lintCopy', glue.lintCopy, request);
}

/** Whether a customer is in an experiment's holdout. */
export function inHoldout(request) {
  return call('inHoldout', glue.inHoldout, request);
}

/** Lift of the treated group over the holdout, with 95 % intervals. */
export function liftReport(request) {
  return call('liftReport', glue.liftReport, request);
}

/** Refuses segments below the minimum size; reports more segments than customers. */
export function checkSegments(request) {
  return call('checkSegments', glue.checkSegments, request);
}
