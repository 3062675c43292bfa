//! The wasm boundary, shared by the Node and the Chromium test binaries: JS values in, plain objects out, every error
//! a JS `Error` with `code` and `path`. Outputs are read back into the Rust types and compared with the engine called
//! directly, as ruff_wasm's `tests/api.rs` does.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use js_sys::{Array, Reflect};
use tactful::wasm::{to_js, to_js_error, JsEngine};
use tactful::*;
use wasm_bindgen::{JsCast, JsValue};

pub fn ts(s: &str) -> Timestamp {
    Timestamp::parse_iso(s).unwrap()
}

pub fn catalog() -> Vec<Product> {
    let mut out: Vec<Product> = (0..40)
        .map(|i| Product {
            id: format!("p{i}"),
            title: Some(format!("Product {i}")),
            category: Some(vec![format!("Dept {}", i % 4), format!("Aisle {}", i % 8)]),
            price: Some(1.0 + f64::from(i)),
            ..Product::default()
        })
        .collect();
    out.push(Product {
        id: "fridge".into(),
        category: Some(vec!["Home".into(), "Fridges".into()]),
        lifecycle: Some(Lifecycle { kind: LifecycleKind::Durable, lifetime_days: Some(3650.0), repurchase_days: None }),
        ..Product::default()
    });
    out.push(Product {
        id: "diapers".into(),
        sensitivity: Some(SensitivityClass::PregnancyBaby),
        ..Product::default()
    });
    out
}

pub fn js<T: serde::Serialize>(x: &T) -> JsValue {
    to_js(x).unwrap()
}

pub fn request() -> RankRequest {
    RankRequest {
        history: vec![
            Event::purchase("p1", ts("2024-04-01")),
            Event::purchase("p1", ts("2024-04-15")),
            Event::purchase("fridge", ts("2024-04-20")),
            Event::purchase("diapers", ts("2024-04-21")),
        ],
        preferences: None,
        impressions: None,
        context: Context { k: Some(8), seed: Some(5), ..Context::at(ts("2024-05-01T09:00:00Z")) },
    }
}

fn error_fields(err: &JsValue) -> (String, String) {
    assert!(err.is_instance_of::<js_sys::Error>(), "every throw is an Error");
    let code = Reflect::get(err, &"code".into()).unwrap().as_string().unwrap();
    let path = Reflect::get(err, &"path".into()).unwrap().as_string().unwrap();
    (code, path)
}

pub fn ranking_round_trips_and_matches_the_engine() {
    let products = catalog();
    let mut js_engine = JsEngine::new(js(&products), JsValue::UNDEFINED).unwrap();
    let out = js_engine.rank(js(&request())).unwrap();
    let ranking: Ranking = serde_wasm_bindgen::from_value(out.clone()).unwrap();
    let mut direct = Engine::new(&products, &EngineOptions::default()).unwrap();
    assert_eq!(ranking, direct.rank(&request()).unwrap(), "the boundary changes nothing");
    assert_eq!(ranking.items.len(), 8);
    assert!(ranking.items.iter().all(|i| i.product_id != "fridge" && i.product_id != "diapers"));
    // Plain objects, not ES Maps.
    let counts = Reflect::get(&out, &"removedCounts".into()).unwrap();
    assert!(!counts.is_instance_of::<js_sys::Map>());
    assert!(Reflect::get(&counts, &"OWNED_DURABLE".into()).unwrap().as_f64().unwrap() >= 1.0);
    assert_eq!(js_engine.size(), products.len() as u32);
}

pub fn profile_round_trips_with_nulls_for_absent_values() {
    let products = catalog();
    let js_engine = JsEngine::new(js(&products), JsValue::UNDEFINED).unwrap();
    let req = ProfileRequest { history: request().history, preferences: None, context: Context::at(ts("2024-05-01")) };
    let out = js_engine.profile(js(&req)).unwrap();
    let profile: Profile = serde_wasm_bindgen::from_value(out.clone()).unwrap();
    let direct = Engine::new(&products, &EngineOptions::default()).unwrap().profile(&req).unwrap();
    assert_eq!(profile, direct);
    assert_eq!(profile.sensitive_ignored, 1);
    let owned = Array::from(&Reflect::get(&out, &"owned".into()).unwrap());
    let line = Reflect::get(&owned.get(0), &"productLine".into()).unwrap();
    assert!(line.is_null(), "absent is null, not undefined");
}

pub fn js_dates_are_timestamps() {
    let js_engine = JsEngine::new(js(&catalog()), JsValue::UNDEFINED).unwrap();
    let req = js(&request());
    let ctx = Reflect::get(&req, &"context".into()).unwrap();
    Reflect::set(&ctx, &"now".into(), &js_sys::Date::new(&JsValue::from_f64(1_714_554_000_000.0)).into()).unwrap();
    let mut e = js_engine;
    let ranking: Ranking = serde_wasm_bindgen::from_value(e.rank(req).unwrap()).unwrap();
    assert_eq!(ranking.items.len(), 8);
}

pub fn every_error_code_reaches_js_with_its_path() {
    // INVALID_INPUT, with the exact path of the bad value.
    let mut e = JsEngine::new(js(&catalog()), JsValue::UNDEFINED).unwrap();
    let req = js(&request());
    let history = Array::from(&Reflect::get(&req, &"history".into()).unwrap());
    Reflect::set(&history.get(2), &"at".into(), &"2024-02-30".into()).unwrap();
    let (code, path) = error_fields(&e.rank(req).unwrap_err());
    assert_eq!((code.as_str(), path.as_str()), ("INVALID_INPUT", "history[2].at"));

    // Indices of one, two and three digits are written into the path as they are.
    for (i, want) in [(0u32, "history[0].at"), (10, "history[10].at"), (107, "history[107].at")] {
        let mut long = request();
        long.history = (0..=i).map(|_| long.history[0].clone()).collect();
        let req = js(&long);
        let history = Array::from(&Reflect::get(&req, &"history".into()).unwrap());
        Reflect::set(&history.get(i), &"at".into(), &"2024-02-30".into()).unwrap();
        assert_eq!(error_fields(&e.rank(req).unwrap_err()).1, want);
    }

    let req = js(&request());
    let prefs = js_sys::Object::new();
    Reflect::set(&prefs, &"sharedDevise".into(), &true.into()).unwrap();
    Reflect::set(&req, &"preferences".into(), &prefs).unwrap();
    assert_eq!(error_fields(&e.rank(req).unwrap_err()).1, "preferences.sharedDevise");

    let bad_catalog = js(&catalog());
    Reflect::set(&Array::from(&bad_catalog).get(3), &"price".into(), &"cheap".into()).unwrap();
    let (code, path) = error_fields(&JsEngine::new(bad_catalog, JsValue::UNDEFINED).err().unwrap());
    assert_eq!((code.as_str(), path.as_str()), ("INVALID_INPUT", "catalog[3].price"));

    let options = js_sys::Object::new();
    let policy = js_sys::Object::new();
    Reflect::set(&policy, &"diversty".into(), &0.5.into()).unwrap();
    Reflect::set(&options, &"policy".into(), &policy).unwrap();
    let (code, path) = error_fields(&JsEngine::new(js(&catalog()), options.into()).err().unwrap());
    assert_eq!((code.as_str(), path.as_str()), ("INVALID_INPUT", "options.policy.diversty"));

    let (code, path) =
        error_fields(&JsEngine::new(js_sys::Uint8Array::new_with_length(4).into(), JsValue::UNDEFINED).err().unwrap());
    assert_eq!((code.as_str(), path.as_str()), ("INVALID_INPUT", "catalog"));

    let req = js(&request());
    Reflect::set(&req, &"context".into(), &JsValue::from_f64(1.0)).unwrap();
    assert_eq!(error_fields(&e.rank(req).unwrap_err()).1, "context");

    // LIMIT_EXCEEDED, checked on the JS array before anything is read.
    let req = js(&request());
    let huge = Array::new_with_length(tactful::read::limits::MAX_HISTORY_EVENTS as u32 + 1);
    Reflect::set(&req, &"history".into(), &huge).unwrap();
    let (code, path) = error_fields(&e.rank(req).unwrap_err());
    assert_eq!((code.as_str(), path.as_str()), ("LIMIT_EXCEEDED", "history"));

    // UNSUPPORTED_VERSION.
    let options = js(&EngineOptions { policy: None, model: Some(Model { version: 7, ..Model::default() }) });
    let (code, path) = error_fields(&JsEngine::new(js(&catalog()), options).err().unwrap());
    assert_eq!((code.as_str(), path.as_str()), ("UNSUPPORTED_VERSION", "options.model.version"));

    // INTERNAL: no input can cause it; the conversion every error takes is checked here.
    let (code, path) = error_fields(&to_js_error(&Error::internal("a bug")));
    assert_eq!((code.as_str(), path.as_str()), ("INTERNAL", ""));
    let err: js_sys::Error = to_js_error(&Error::internal("a bug")).dyn_into().unwrap();
    assert_eq!(String::from(err.message()), "a bug");
}

pub fn the_instance_survives_errors() {
    let mut e = JsEngine::new(js(&catalog()), JsValue::UNDEFINED).unwrap();
    for _ in 0..3 {
        assert!(e.rank(JsValue::from_str("not a request")).is_err());
        assert!(e.rank(js(&request())).is_ok(), "an error never traps the instance");
    }
}

/// Issue 17's edge values at the JS edge (the native table is tests/edge_values.rs): values JSON cannot carry (NaN,
/// ±Infinity, BigInt, functions, Dates before 1970), a 10 MB id, nesting past the edge's 16 levels, duplicate ids,
/// truncated and bit-flipped packed bytes. Each is an `Error` with its code and path, never a trap, and the instance
/// ranks the next request as before.
pub fn edge_values_reach_js_with_code_and_path() {
    let mut e = JsEngine::new(js(&catalog()), JsValue::UNDEFINED).unwrap();
    let baseline: Ranking = serde_wasm_bindgen::from_value(e.rank(js(&request())).unwrap()).unwrap();
    let set_event = |key: &str, value: JsValue| {
        let req = js(&request());
        let history = Array::from(&Reflect::get(&req, &"history".into()).unwrap());
        Reflect::set(&history.get(0), &key.into(), &value).unwrap();
        req
    };
    let mut deep = JsValue::from_f64(1.0);
    for _ in 0..20 {
        let a = Array::new();
        a.push(&deep);
        deep = a.into();
    }
    let cases: Vec<(&str, JsValue, &str, &str)> = vec![
        ("at", JsValue::from_f64(f64::NAN), "INVALID_INPUT", "history[0].at"),
        ("at", JsValue::from_f64(f64::INFINITY), "INVALID_INPUT", "history[0].at"),
        ("at", JsValue::from_f64(1e308), "INVALID_INPUT", "history[0].at"),
        ("at", js_sys::BigInt::from(5).into(), "INVALID_INPUT", "history[0].at"),
        ("at", js_sys::Function::new_no_args("return 1").into(), "INVALID_INPUT", "history[0].at"),
        ("at", deep, "LIMIT_EXCEEDED", "history[0].at[0][0][0][0][0][0][0][0][0][0][0][0][0][0]"),
        ("quantity", JsValue::from_f64(f64::NEG_INFINITY), "INVALID_INPUT", "history[0].quantity"),
        ("productId", "".into(), "INVALID_INPUT", "history[0].productId"),
        ("productId", "x".repeat(10 * 1024 * 1024).into(), "LIMIT_EXCEEDED", "history[0].productId"),
        ("colour", "red".into(), "INVALID_INPUT", "history[0].colour"),
    ];
    for (key, value, code, path) in cases {
        let err = e.rank(set_event(key, value)).unwrap_err();
        assert_eq!(error_fields(&err), (code.to_string(), path.to_string()), "history[0].{key}");
        let again: Ranking = serde_wasm_bindgen::from_value(e.rank(js(&request())).unwrap()).unwrap();
        assert_eq!(again, baseline, "the instance ranks as before after history[0].{key}");
    }
    // −0 and a Date before 1970 are values like any other.
    assert!(e.rank(set_event("at", JsValue::from_f64(-0.0))).is_ok());
    assert!(e.rank(set_event("at", js_sys::Date::new(&JsValue::from_f64(-1e12)).into())).is_ok());

    let mut dup = catalog();
    dup[5].id = "p1".into();
    let (code, path) = error_fields(&JsEngine::new(js(&dup), JsValue::UNDEFINED).err().unwrap());
    assert_eq!((code.as_str(), path.as_str()), ("INVALID_INPUT", "catalog[5].id"));

    let bytes = tactful::engine::packed::pack(&catalog(), None, tactful::engine::packed::Quant::F32).unwrap();
    let mut packed = JsEngine::new(js_sys::Uint8Array::from(&bytes[..]).into(), JsValue::UNDEFINED).unwrap();
    let from_packed: Ranking = serde_wasm_bindgen::from_value(packed.rank(js(&request())).unwrap()).unwrap();
    assert_eq!(from_packed, baseline);
    for cut in [0, 7, 31, 32, bytes.len() / 2, bytes.len() - 1] {
        let err = JsEngine::new(js_sys::Uint8Array::from(&bytes[..cut]).into(), JsValue::UNDEFINED).err().unwrap();
        assert_eq!(error_fields(&err), ("INVALID_INPUT".into(), "catalog".into()), "cut at {cut}");
    }
    for i in [0, 9, 20, 40, bytes.len() / 2, bytes.len() - 1] {
        let mut b = bytes.clone();
        b[i] ^= 0x10;
        let (code, path) =
            error_fields(&JsEngine::new(js_sys::Uint8Array::from(&b[..]).into(), JsValue::UNDEFINED).err().unwrap());
        assert!(code == "INVALID_INPUT" || code == "UNSUPPORTED_VERSION", "byte {i}: {code}");
        assert!(path.starts_with("catalog"), "byte {i}: {path}");
    }
}

// ---- messaging (src/wasm_message.rs) ----------------------------------------------------------------------------

use tactful::message::{self, lift, lint, segments, send};
use tactful::wasm_message::{check_segments, in_holdout, lift_report, lint_copy, plan_send};

fn obj(json_like: &[(&str, JsValue)]) -> JsValue {
    let o = js_sys::Object::new();
    for (k, v) in json_like {
        Reflect::set(&o, &(*k).into(), v).unwrap();
    }
    o.into()
}

pub fn plan_send_round_trips_and_matches_the_engine() {
    let req = message::SendRequest {
        now: ts("2024-05-06T06:00:00Z"),
        channel: Some(message::Channel::Email),
        purpose: None,
        engagement: None,
        ledger: Some(vec![message::LedgerEntry {
            channel: message::LedgerChannel::Page,
            at: ts("2024-05-05T12:00:00Z"),
            purpose: None,
            id: None,
        }]),
        preferences: None,
        policy: None,
        utc_offset_minutes: Some(120),
        subscribed_at: None,
    };
    let out = plan_send(js(&req)).unwrap();
    assert!(Reflect::get(&out, &"sendAt".into()).unwrap().as_f64().is_some(), "epoch ms as a number");
    let plan: message::SendPlan = serde_wasm_bindgen::from_value(out).unwrap();
    assert_eq!(plan, send::plan(&req).unwrap(), "the boundary changes nothing");
    // ISO text and JS Dates are timestamps too; no consent is a suppression, not an error.
    let consent = obj(&[("email", false.into())]);
    let prefs = obj(&[("consent", consent)]);
    let req =
        obj(&[("now", js_sys::Date::new(&JsValue::from_f64(1_714_975_200_000.0)).into()), ("preferences", prefs)]);
    let out = plan_send(req).unwrap();
    assert_eq!(Reflect::get(&out, &"suppressed".into()).unwrap().as_string().unwrap(), "NO_CONSENT");
}

pub fn lint_copy_spans_are_js_string_indices() {
    let subject = "😀 Zoë, {FNAME}: cheap finds";
    let facts = obj(&[("firstName", obj(&[("confirmed", true.into())]))]);
    let out = lint_copy(obj(&[("subject", subject.into()), ("facts", facts)])).unwrap();
    let issues: Vec<message::LintIssue> = serde_wasm_bindgen::from_value(out.clone()).unwrap();
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0].code, "PERSONAL_NEAR_PRICE");
    // JS's own String.prototype.slice with the returned span gives the flagged text.
    let sliced = js_sys::JsString::from(subject).slice(issues[0].start, issues[0].end);
    assert_eq!(String::from(sliced), "{FNAME}: cheap");
    assert!(Array::is_array(&out));
    let direct = lint::lint(&message::LintRequest {
        subject: subject.into(),
        facts: Some(message::FactMap(vec![(
            "firstName".to_string(),
            message::Fact { confirmed: Some(true), value: None, source: None },
        )])),
        ..message::LintRequest::default()
    })
    .unwrap();
    assert_eq!(issues, direct);
}

pub fn holdout_lift_and_segments_round_trip() {
    let req = obj(&[("customerKey", "c-42".into()), ("salt", "spring".into()), ("share", 0.3.into())]);
    assert_eq!(in_holdout(req).unwrap(), message::holdout::position("spring", "c-42") < 0.3);
    let arm = |n: f64, c: f64| obj(&[("n", n.into()), ("conversions", c.into())]);
    let out = lift_report(obj(&[("treated", arm(70.0, 56.0)), ("holdout", arm(80.0, 48.0))])).unwrap();
    let report: message::LiftReport = serde_wasm_bindgen::from_value(out).unwrap();
    let direct = lift::report(&message::LiftRequest {
        treated: message::Arm { n: 70, conversions: 56 },
        holdout: message::Arm { n: 80, conversions: 48 },
    })
    .unwrap();
    assert_eq!(report, direct);
    let none = lift_report(obj(&[("treated", arm(10.0, 0.0)), ("holdout", arm(10.0, 0.0))])).unwrap();
    assert!(Reflect::get(&none, &"relativeLift".into()).unwrap().is_null(), "absent is null");
    let sizes = js(&vec![500u32, 12, 300]);
    let out = check_segments(obj(&[("sizes", sizes), ("minSize", 50.into()), ("customers", 1000.into())])).unwrap();
    let report: message::SegmentReport = serde_wasm_bindgen::from_value(out).unwrap();
    let direct =
        segments::check(&message::SegmentRequest { sizes: vec![500, 12, 300], min_size: 50, customers: 1000 }).unwrap();
    assert_eq!(report, direct);
    assert!(!report.ok && report.too_small == vec![1]);
}

pub fn messaging_errors_reach_js_with_code_and_path() {
    // INVALID_INPUT with the path of the bad value, for each function.
    let entry = obj(&[("channel", "sms".into()), ("at", 0.into())]);
    let ledger: JsValue = Array::of1(&entry).into();
    let req = obj(&[("now", "2024-05-06".into()), ("ledger", ledger)]);
    let (code, path) = error_fields(&plan_send(req).unwrap_err());
    assert_eq!((code.as_str(), path.as_str()), ("INVALID_INPUT", "ledger[0].channel"));
    let policy = obj(&[("quietHours", obj(&[("start", "9pm".into()), ("end", "07:00".into())]))]);
    let req = obj(&[("now", "2024-05-06".into()), ("policy", policy)]);
    assert_eq!(error_fields(&plan_send(req).unwrap_err()).1, "policy.quietHours.start");
    let policy = obj(&[("nearWord", 3.into())]);
    let (code, path) = error_fields(&lint_copy(obj(&[("subject", "x".into()), ("policy", policy)])).unwrap_err());
    assert_eq!((code.as_str(), path.as_str()), ("INVALID_INPUT", "policy.nearWord"));
    let req = obj(&[("customerKey", "c".into()), ("salt", "s".into()), ("share", 10.into())]);
    assert_eq!(error_fields(&in_holdout(req).unwrap_err()), ("INVALID_INPUT".to_string(), "share".to_string()));
    let arm = |n: f64, c: f64| obj(&[("n", n.into()), ("conversions", c.into())]);
    let err = lift_report(obj(&[("treated", arm(10.0, 11.0)), ("holdout", arm(10.0, 1.0))])).unwrap_err();
    assert_eq!(error_fields(&err).1, "treated");
    let sizes: JsValue = Array::of2(&1.into(), &"two".into()).into();
    let err = check_segments(obj(&[("sizes", sizes), ("minSize", 5.into()), ("customers", 9.into())])).unwrap_err();
    assert_eq!(error_fields(&err).1, "sizes[1]");
    // LIMIT_EXCEEDED, checked on the JS values before anything is read.
    let huge = Array::new_with_length(send::MAX_EVENTS as u32 + 1);
    let (code, path) = error_fields(&plan_send(obj(&[("now", 0.into()), ("engagement", huge.into())])).unwrap_err());
    assert_eq!((code.as_str(), path.as_str()), ("LIMIT_EXCEEDED", "engagement"));
    let long = "x".repeat(lint::MAX_LINE + 1);
    let (code, path) = error_fields(&lint_copy(obj(&[("subject", long.as_str().into())])).unwrap_err());
    assert_eq!((code.as_str(), path.as_str()), ("LIMIT_EXCEEDED", "subject"));
    // Not an object at all; and the instance survives every one of these.
    assert_eq!(error_fields(&lint_copy("subject".into()).unwrap_err()).0, "INVALID_INPUT");
    assert!(lint_copy(obj(&[("subject", "Hello".into())])).is_ok());
}

/// Declares one `#[wasm_bindgen_test]` per boundary check, for the binary that includes this module (Node or
/// Chromium: the environment is the including file's choice).
#[macro_export]
macro_rules! boundary_tests {
    ($($name:ident),* $(,)?) => {
        $(
            #[wasm_bindgen_test::wasm_bindgen_test]
            fn $name() {
                wasm_boundary::$name();
            }
        )*
    };
}
