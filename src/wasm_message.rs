//! The messaging helpers as free JS functions: `planSend`, `lintCopy`, `inHoldout`, `liftReport`,
//! `checkSegments`. Plain objects in, plain objects out, every error a JS `Error` with `code` and `path`, exactly as
//! the `Engine` class does (`wasm.rs`). Sizes are checked on the JS values before anything is read.

// wasm-bindgen hands every argument of an export over by value: that is the JS edge's calling convention.
#![allow(clippy::needless_pass_by_value)]

use crate::contract::error::Error;
use crate::message::{holdout, lift, lint, segments, send};
use crate::message::{HoldoutRequest, LiftRequest, LintRequest, SegmentRequest, SendRequest};
use crate::read::limits;
use crate::read::value::{read, FromValue};
use crate::wasm::{to_js, to_js_error, to_value};
use js_sys::{Array, JsString, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

fn parse<T: FromValue>(value: &JsValue) -> Result<T, Error> {
    let mut path = String::new();
    read(&to_value(value, &mut path, 0)?, "")
}

fn field(obj: &JsValue, key: &str) -> JsValue {
    if obj.is_object() {
        Reflect::get(obj, &key.into()).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
}

/// `LIMIT_EXCEEDED` when `obj[key]` is an array longer than `max`.
fn check_array(obj: &JsValue, key: &str, max: usize) -> Result<(), Error> {
    let v = field(obj, key);
    if Array::is_array(&v) {
        limits::check_list(Array::from(&v).length() as usize, max, key)?;
    }
    Ok(())
}

/// `LIMIT_EXCEEDED` when `obj[key]` is a string longer than `max` UTF-16 code units.
fn check_string(obj: &JsValue, key: &str, max: usize) -> Result<(), Error> {
    if let Some(s) = field(obj, key).dyn_ref::<JsString>() {
        if s.length() as usize > max {
            return Err(Error::limit(key, "text too long"));
        }
    }
    Ok(())
}

/// When to send one message to one shopper, or why not.
#[wasm_bindgen(js_name = planSend, unchecked_return_type = "SendPlan")]
pub fn plan_send(#[wasm_bindgen(unchecked_param_type = "SendRequest")] request: JsValue) -> Result<JsValue, JsValue> {
    (|| {
        check_array(&request, "engagement", send::MAX_EVENTS)?;
        check_array(&request, "ledger", send::MAX_EVENTS)?;
        let req: SendRequest = parse(&request)?;
        to_js(&send::plan(&req)?)
    })()
    .map_err(|e| to_js_error(&e))
}

/// Checks a message's copy; spans are UTF-16 code units (`text.slice(start, end)`).
#[wasm_bindgen(js_name = lintCopy, unchecked_return_type = "LintIssue[]")]
pub fn lint_copy(#[wasm_bindgen(unchecked_param_type = "LintRequest")] request: JsValue) -> Result<JsValue, JsValue> {
    (|| {
        check_string(&request, "subject", lint::MAX_LINE)?;
        check_string(&request, "preheader", lint::MAX_LINE)?;
        check_string(&request, "body", lint::MAX_BODY)?;
        let req: LintRequest = parse(&request)?;
        to_js(&lint::lint(&req)?)
    })()
    .map_err(|e| to_js_error(&e))
}

/// Whether a customer is in an experiment's holdout (salted FNV-1a 64; deterministic).
#[wasm_bindgen(js_name = inHoldout)]
pub fn in_holdout(#[wasm_bindgen(unchecked_param_type = "HoldoutRequest")] request: JsValue) -> Result<bool, JsValue> {
    (|| holdout::in_holdout(&parse::<HoldoutRequest>(&request)?))().map_err(|e| to_js_error(&e))
}

/// Lift of the treated group over the holdout, with 95 % intervals (Newcombe hybrid score; Katz log for the ratio).
#[wasm_bindgen(js_name = liftReport, unchecked_return_type = "LiftReport")]
pub fn lift_report(#[wasm_bindgen(unchecked_param_type = "LiftRequest")] request: JsValue) -> Result<JsValue, JsValue> {
    (|| to_js(&lift::report(&parse::<LiftRequest>(&request)?)?))().map_err(|e| to_js_error(&e))
}

/// Refuses segments below the minimum size; reports more segments than customers.
#[wasm_bindgen(js_name = checkSegments, unchecked_return_type = "SegmentReport")]
pub fn check_segments(
    #[wasm_bindgen(unchecked_param_type = "SegmentRequest")] request: JsValue,
) -> Result<JsValue, JsValue> {
    (|| {
        check_array(&request, "sizes", segments::MAX_SEGMENTS)?;
        to_js(&segments::check(&parse::<SegmentRequest>(&request)?)?)
    })()
    .map_err(|e| to_js_error(&e))
}
