//! The edge-value table (issue 17): NaN, ±∞, −0, 1e308, empty strings, 10 MB strings, deep nesting, duplicate ids,
//! dates before 1970 and after 2100, unknown fields, wrong types, truncated and bit-flipped packed bytes. Each row
//! puts one value into an otherwise valid input and states the outcome: accepted, or refused with this code at this
//! path. Never a panic; and after every row the same engine still gives the same ranking for a plain request.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use tactful::engine::packed::{self, Quant};
use tactful::read::value::{read, Value};
use tactful::*;

const TEN_MB: usize = 10 * 1024 * 1024;
/// Nesting as deep as native input can be: JSON text nests at most 128 levels (serde_json's limit, tested below); the
/// JS edge refuses more than 16 (`LIMIT_EXCEEDED`, tests/wasm_node.rs) and the packed reader more than 16.
const DEEP: usize = 120;

fn json(text: &str) -> Value<'static> {
    Value::from_json(text).unwrap()
}

fn s(text: &str) -> Value<'static> {
    Value::Str(text.to_string().into())
}

fn n(x: f64) -> Value<'static> {
    Value::Num(x)
}

fn big() -> Value<'static> {
    Value::Str("x".repeat(TEN_MB).into())
}

/// `depth` arrays, one inside the other, around a number.
fn nested(depth: usize) -> Value<'static> {
    let mut v = n(1.0);
    for _ in 0..depth {
        v = Value::Arr(vec![v]);
    }
    v
}

/// Sets the value at `path` (`history[0].at`, `context.k`), adding an object key when it is missing.
fn set(root: &mut Value<'static>, path: &str, new: Value<'static>) {
    let mut parts: Vec<String> = Vec::new();
    for piece in path.split('.') {
        let mut rest = piece;
        if let Some(i) = rest.find('[') {
            if i > 0 {
                parts.push(rest[..i].to_string());
            }
            rest = &rest[i..];
            while let Some(end) = rest.find(']') {
                parts.push(rest[..=end].to_string());
                rest = &rest[end + 1..];
            }
        } else {
            parts.push(rest.to_string());
        }
    }
    let mut at = root;
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        if let Some(index) = part.strip_prefix('[').and_then(|p| p.strip_suffix(']')) {
            let Value::Arr(items) = at else { panic!("{path}: not an array at {part}") };
            let index: usize = index.parse().unwrap();
            if last {
                items[index] = new;
                return;
            }
            at = &mut items[index];
        } else {
            let Value::Obj(entries) = at else { panic!("{path}: not an object at {part}") };
            let pos = match entries.iter().position(|(k, _)| k == part) {
                Some(p) => p,
                None => {
                    entries.push((part.clone().into(), Value::Null));
                    entries.len() - 1
                }
            };
            if last {
                entries[pos].1 = new;
                return;
            }
            at = &mut entries[pos].1;
        }
    }
}

/// What a row expects.
#[derive(Debug, Clone, Copy)]
enum Expect {
    Accept,
    Refuse(ErrorCode, &'static str),
}
use Expect::{Accept, Refuse};
const INVALID: ErrorCode = ErrorCode::InvalidInput;
const LIMIT: ErrorCode = ErrorCode::LimitExceeded;
const VERSION: ErrorCode = ErrorCode::UnsupportedVersion;

fn outcome<T>(r: &Result<T, Error>) -> String {
    match r {
        Ok(_) => "accepted".into(),
        Err(e) => format!("{} at `{}` ({})", e.code.as_str(), e.path, e.message),
    }
}

fn matches<T>(r: &Result<T, Error>, want: Expect) -> bool {
    match (r, want) {
        (Ok(_), Accept) => true,
        (Err(e), Refuse(code, path)) => e.code == code && e.path == path && !e.message.is_empty(),
        _ => false,
    }
}

const CATALOG: &str = r#"[
 {"id":"p0","title":"Whole milk","category":["Grocery","Dairy"],"brand":"Acme","price":1.2,
  "lifecycle":{"kind":"consumable","repurchaseDays":7}},
 {"id":"p1","title":"Oat milk","category":["Grocery","Dairy"],"brand":"Oatly","price":2.5},
 {"id":"p2","title":"Kettle","category":["Home","Kitchen"],"price":30,"lifecycle":{"kind":"durable","lifetimeDays":1500}},
 {"id":"p3","title":"Coffee","category":["Grocery","Coffee"],"price":8},
 {"id":"p4","title":"Mug","category":["Home","Kitchen"],"price":6},
 {"id":"p5","title":"Tea","category":["Grocery","Tea"],"price":3}
]"#;

const REQUEST: &str = r#"{"history":[{"productId":"p0","at":"2024-04-01T10:00:00Z","quantity":2,"price":1.1,"orderId":"o1"},
  {"productId":"p3","at":"2024-04-20T10:00:00Z"}],
 "preferences":{"consent":{"personalization":true},"muted":{"categories":["Tea"]},"discovery":0.2,"interests":["Home"]},
 "impressions":[{"productId":"p4","at":"2024-04-30T10:00:00Z","surface":"home"}],
 "context":{"now":"2024-05-01T12:00:00Z","k":4,"seed":1,"surface":"home","cart":["p1"],"utcOffsetMinutes":60}}"#;

fn rank_value(engine: &mut Engine, v: &Value) -> Result<Ranking, Error> {
    let req: RankRequest = read(v, "")?;
    engine.rank(&req)
}

fn profile_value(engine: &Engine, v: &Value) -> Result<Profile, Error> {
    let req: ProfileRequest = read(v, "")?;
    engine.profile(&req)
}

/// Context values only `rank` checks (`k`, `cart`, `utcOffsetMinutes` in range): `profile` reads them (so a wrong
/// type is refused there too) but does not use them, so a well-typed value out of range is accepted there.
fn rank_only(path: &str, value: &Value) -> bool {
    match (path, value) {
        ("context.k", Value::Num(k)) => *k == 201.0 || *k == 0.0,
        ("context.cart[0]", Value::Str(_)) => true,
        ("context.utcOffsetMinutes", Value::Num(m)) => *m == 1081.0,
        _ => false,
    }
}

/// Rows on the rank request: (path, value, expected).
fn request_rows() -> Vec<(&'static str, Value<'static>, Expect)> {
    vec![
        ("history[0].at", n(f64::NAN), Refuse(INVALID, "history[0].at")),
        ("history[0].at", n(f64::INFINITY), Refuse(INVALID, "history[0].at")),
        ("history[0].at", n(f64::NEG_INFINITY), Refuse(INVALID, "history[0].at")),
        ("history[0].at", n(-0.0), Accept),
        ("history[0].at", n(1e308), Refuse(INVALID, "history[0].at")),
        ("history[0].at", s(""), Refuse(INVALID, "history[0].at")),
        ("history[0].at", big(), Refuse(INVALID, "history[0].at")),
        ("history[0].at", nested(DEEP), Refuse(INVALID, "history[0].at")),
        ("history[0].at", s("1900-01-01"), Accept),
        ("history[0].at", s("1969-12-31T23:59:59.999Z"), Accept),
        ("history[0].at", s("2101-01-01T00:00:00Z"), Accept),
        ("history[0].at", s("9999-12-31T23:59:59Z"), Accept),
        ("history[0].at", n(8.64e15), Accept),
        ("history[0].at", n(8.640_000_000_000_001e15), Refuse(INVALID, "history[0].at")),
        ("history[0].at", n(-8.64e15), Accept),
        ("history[0].at", s("2024-02-30"), Refuse(INVALID, "history[0].at")),
        ("history[0].at", Value::Bool(true), Refuse(INVALID, "history[0].at")),
        ("history[0].quantity", n(f64::NAN), Refuse(INVALID, "history[0].quantity")),
        ("history[0].quantity", n(f64::INFINITY), Refuse(INVALID, "history[0].quantity")),
        ("history[0].quantity", n(-0.0), Accept),
        ("history[0].quantity", n(1e308), Accept),
        ("history[0].quantity", s("2"), Refuse(INVALID, "history[0].quantity")),
        ("history[0].price", n(-1e308), Accept),
        ("history[0].price", n(f64::NEG_INFINITY), Refuse(INVALID, "history[0].price")),
        ("history[0].productId", s(""), Refuse(INVALID, "history[0].productId")),
        ("history[0].productId", big(), Refuse(LIMIT, "history[0].productId")),
        ("history[0].productId", n(7.0), Refuse(INVALID, "history[0].productId")),
        ("history[0].productId", s("not-in-the-catalog"), Accept),
        ("history[0].orderId", big(), Refuse(LIMIT, "history[0].orderId")),
        ("history[0].orderId", s(""), Refuse(INVALID, "history[0].orderId")),
        ("history[0].type", s(""), Refuse(INVALID, "history[0].type")),
        ("history[0].colour", s("red"), Refuse(INVALID, "history[0].colour")),
        ("history[1]", json("[1,2]"), Refuse(INVALID, "history[1]")),
        ("history", json("{}"), Refuse(INVALID, "history")),
        ("history", Value::Null, Refuse(INVALID, "")),
        ("preferences.discovery", n(f64::NAN), Refuse(INVALID, "preferences.discovery")),
        ("preferences.discovery", n(-0.0), Accept),
        ("preferences.discovery", n(1e308), Refuse(INVALID, "preferences.discovery")),
        ("preferences.muted.categories[0]", s(""), Accept),
        ("preferences.muted.categories[0]", big(), Refuse(LIMIT, "preferences.muted.categories[0]")),
        ("preferences.interests", nested(DEEP), Refuse(INVALID, "preferences.interests[0]")),
        ("preferences.consent.personalization", s("yes"), Refuse(INVALID, "preferences.consent.personalization")),
        ("preferences.consent.everything", Value::Bool(true), Refuse(INVALID, "preferences.consent.everything")),
        (
            "preferences.quietHours",
            json(r#"{"start":"24:00","end":"07:00"}"#),
            Refuse(INVALID, "preferences.quietHours.start"),
        ),
        ("impressions[0].at", n(f64::NAN), Refuse(INVALID, "impressions[0].at")),
        ("impressions[0].productId", s(""), Refuse(INVALID, "impressions[0].productId")),
        ("context.now", n(f64::NAN), Refuse(INVALID, "context.now")),
        ("context.now", n(1e308), Refuse(INVALID, "context.now")),
        ("context.now", s("1969-07-20T20:17:00Z"), Accept),
        ("context.now", s("2150-01-01T00:00:00Z"), Accept),
        ("context.now", n(-0.0), Accept),
        ("context.k", n(-0.0), Refuse(INVALID, "context.k")),
        ("context.k", n(1e308), Refuse(INVALID, "context.k")),
        ("context.k", n(2.5), Refuse(INVALID, "context.k")),
        ("context.k", n(201.0), Refuse(INVALID, "context.k")),
        ("context.seed", n(f64::INFINITY), Refuse(INVALID, "context.seed")),
        ("context.surface", s(""), Refuse(INVALID, "context.surface")),
        ("context.cart[0]", s(""), Refuse(INVALID, "context.cart[0]")),
        ("context.cart[0]", big(), Refuse(LIMIT, "context.cart[0]")),
        ("context.utcOffsetMinutes", n(1e308), Refuse(INVALID, "context.utcOffsetMinutes")),
        ("context.utcOffsetMinutes", n(1081.0), Refuse(INVALID, "context.utcOffsetMinutes")),
        ("context.utcOffsetMinutes", n(-0.0), Accept),
        ("context", s("now"), Refuse(INVALID, "context")),
        ("unknown", Value::Null, Refuse(INVALID, "unknown")),
    ]
}

#[test]
fn every_request_edge_value_is_accepted_or_refused_with_its_code_and_path() {
    let products: Vec<Product> = read(&json(CATALOG), "catalog").unwrap();
    let mut engine = Engine::new(&products, &EngineOptions::default()).unwrap();
    let base = json(REQUEST);
    let baseline = rank_value(&mut engine, &base).unwrap();
    let mut base_profile = base.clone();
    let Value::Obj(entries) = &mut base_profile else { panic!() };
    entries.retain(|(k, _)| k != "impressions");
    let baseline_profile = profile_value(&engine, &base_profile).unwrap();
    let mut wrong = Vec::new();
    let rows = request_rows();
    for (path, value, want) in &rows {
        let mut v = base.clone();
        set(&mut v, path, value.clone());
        let got = rank_value(&mut engine, &v);
        if !matches(&got, *want) {
            wrong.push(format!("rank: {path} = {}: want {want:?}, got {}", short(value), outcome(&got)));
        }
        // The profile reads the same values but has no impressions (an unknown field there).
        let Value::Obj(entries) = &mut v else { panic!() };
        entries.retain(|(k, _)| k != "impressions");
        let got = profile_value(&engine, &v);
        let want_profile = if rank_only(path, value) { Accept } else { *want };
        if !path.starts_with("impressions") && !matches(&got, want_profile) {
            wrong.push(format!("profile: {path} = {}: want {want_profile:?}, got {}", short(value), outcome(&got)));
        }
        // The engine works on the next call, unchanged.
        assert_eq!(rank_value(&mut engine, &base).unwrap(), baseline, "after {path}");
        assert_eq!(profile_value(&engine, &base_profile).unwrap(), baseline_profile, "after {path}");
    }
    assert!(wrong.is_empty(), "{} of {} rows differ:\n{}", wrong.len(), rows.len(), wrong.join("\n"));
}

fn short(v: &Value) -> String {
    match v {
        Value::Str(s) if s.len() > 40 => format!("<string of {} bytes>", s.len()),
        Value::Arr(_) => "<array>".into(),
        other => format!("{other:?}"),
    }
}

#[test]
fn json_nested_ten_thousand_deep_is_refused_whole() {
    let text = format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000));
    let e = Value::from_json(&text).unwrap_err();
    assert_eq!((e.code, e.path.as_str()), (INVALID, ""));
    assert!(e.message.contains("recursion limit"), "{}", e.message);
    let text = format!(r#"{{"history":[],"context":{{"now":0,"k":{}3{}}}}}"#, "[".repeat(100), "]".repeat(100));
    let products: Vec<Product> = read(&json(CATALOG), "catalog").unwrap();
    let mut engine = Engine::new(&products, &EngineOptions::default()).unwrap();
    let e = rank_value(&mut engine, &json(&text)).unwrap_err();
    assert_eq!((e.code, e.path.as_str()), (INVALID, "context.k"));
}

#[test]
fn a_key_given_twice_counts_once_the_last_time() {
    let products: Vec<Product> = read(&json(CATALOG), "catalog").unwrap();
    let mut engine = Engine::new(&products, &EngineOptions::default()).unwrap();
    let once = json(r#"{"history":[],"context":{"now":"2024-05-01T12:00:00Z","k":3}}"#);
    // JSON text cannot carry a key twice past serde_json, but a JS object read key by key or a packed value tree
    // can: the context with `k` given twice, built by hand.
    let with_k = |first: Value<'static>, last: Value<'static>| {
        let mut v = once.clone();
        let Value::Obj(e) = &mut v else { panic!() };
        let (_, context) = e.iter_mut().find(|(k, _)| k == "context").unwrap();
        let Value::Obj(ctx) = context else { panic!() };
        ctx.retain(|(k, _)| k != "k");
        ctx.push(("k".into(), first));
        ctx.push(("k".into(), last));
        v
    };
    let dup = with_k(s("x"), n(3.0));
    assert_eq!(rank_value(&mut engine, &dup).unwrap(), rank_value(&mut engine, &once).unwrap());
    let dup = with_k(n(3.0), s("x"));
    let err = rank_value(&mut engine, &dup).unwrap_err();
    assert_eq!((err.code, err.path.as_str()), (INVALID, "context.k"));
}

/// Rows on the catalog: (path, value, expected).
fn catalog_rows() -> Vec<(&'static str, Value<'static>, Expect)> {
    vec![
        ("[1].id", s("p0"), Refuse(INVALID, "catalog[1].id")),
        ("[1].id", s(""), Refuse(INVALID, "catalog[1].id")),
        ("[1].id", big(), Refuse(LIMIT, "catalog[1].id")),
        ("[1].title", s(""), Accept),
        ("[1].title", big(), Refuse(LIMIT, "catalog[1].title")),
        ("[1].price", n(f64::NAN), Refuse(INVALID, "catalog[1].price")),
        ("[1].price", n(f64::INFINITY), Refuse(INVALID, "catalog[1].price")),
        ("[1].price", n(-0.0), Accept),
        ("[1].price", n(1e308), Accept),
        ("[1].price", n(-1.0), Refuse(INVALID, "catalog[1].price")),
        ("[1].category", json(r#"["a","b","c","d","e","f","g","h","i"]"#), Refuse(LIMIT, "catalog[1].category")),
        ("[1].category[0]", s(""), Accept),
        ("[1].category", nested(DEEP), Refuse(INVALID, "catalog[1].category[0]")),
        ("[1].launchedAt", s("1066-10-14"), Accept),
        ("[1].launchedAt", s("2200-01-01"), Accept),
        ("[1].launchedAt", n(f64::NAN), Refuse(INVALID, "catalog[1].launchedAt")),
        ("[1].lifecycle", json(r#"{"kind":"durable","lifetimeDays":1e308}"#), Refuse(INVALID, "catalog[1].lifecycle")),
        ("[1].lifecycle", json(r#"{"kind":"durable","lifetimeDays":-0}"#), Refuse(INVALID, "catalog[1].lifecycle")),
        ("[1].lifecycle", json(r#"{"kind":"forever"}"#), Refuse(INVALID, "catalog[1].lifecycle.kind")),
        ("[1].sensitivity", s(""), Refuse(INVALID, "catalog[1].sensitivity")),
        ("[1].inStock", n(1.0), Refuse(INVALID, "catalog[1].inStock")),
        ("[1].colour", s("red"), Refuse(INVALID, "catalog[1].colour")),
        ("[1]", s("p1"), Refuse(INVALID, "catalog[1]")),
    ]
}

#[test]
fn every_catalog_edge_value_is_accepted_or_refused_with_its_code_and_path() {
    let base = json(CATALOG);
    let request: RankRequest = read(&json(REQUEST), "").unwrap();
    let mut wrong = Vec::new();
    let rows = catalog_rows();
    for (path, value, want) in &rows {
        let mut v = base.clone();
        set(&mut v, path, value.clone());
        let got =
            read::<Vec<Product>>(&v, "catalog").and_then(|products| Engine::new(&products, &EngineOptions::default()));
        if !matches(&got, *want) {
            wrong.push(format!("catalog{path} = {}: want {want:?}, got {}", short(value), outcome(&got)));
        }
        if let Result::Ok(mut engine) = got {
            let r = engine.rank(&request).unwrap();
            assert!(!r.items.is_empty(), "catalog{path}: an accepted catalog ranks");
        }
    }
    assert!(wrong.is_empty(), "{} of {} rows differ:\n{}", wrong.len(), rows.len(), wrong.join("\n"));
}

const MODEL: &str = r#"{"version":1,"popularity":[["p0",0.5],["p3",0.2]],"neighbours":[["p0",[["p1",0.5]]]],
 "dim":2,"embeddings":[["p0",[0.1,0.2]],["p1",[0.3,0.1]]]}"#;

/// Rows on the engine options (policy and model): (path under `options`, value, expected).
fn options_rows() -> Vec<(&'static str, Value<'static>, Expect)> {
    vec![
        ("policy.diversity", n(f64::NAN), Refuse(INVALID, "options.policy.diversity")),
        ("policy.diversity", n(f64::INFINITY), Refuse(INVALID, "options.policy.diversity")),
        ("policy.diversity", n(-0.0), Accept),
        ("policy.diversity", n(1e308), Accept), // clamped to its range (below)
        ("policy.halfLifeDays", n(1e308), Accept),
        ("policy.halfLifeDays", n(f64::NEG_INFINITY), Refuse(INVALID, "options.policy.halfLifeDays")),
        ("policy.preset", s(""), Refuse(INVALID, "options.policy.preset")),
        ("policy.boostTags", json(r#"{"":1}"#), Accept),
        ("policy.productFamilies", json(r#"{"p0":""}"#), Accept),
        ("policy.maxPerCategory", n(-0.0), Accept),
        ("policy.maxPerCategory", n(-1.0), Refuse(INVALID, "options.policy.maxPerCategory")),
        ("policy.colour", s("red"), Refuse(INVALID, "options.policy.colour")),
        ("policy", n(3.0), Refuse(INVALID, "options.policy")),
        ("model.version", n(2.0), Refuse(VERSION, "options.model.version")),
        ("model.popularity[0][1]", n(f64::NAN), Refuse(INVALID, "options.model.popularity[0][1]")),
        ("model.popularity[0][1]", n(1e308), Accept),
        ("model.popularity[0][1]", n(-0.0), Accept),
        ("model.popularity[1][0]", s("p0"), Accept),
        ("model.popularity[0]", nested(DEEP), Refuse(INVALID, "options.model.popularity[0]")),
        ("model.embeddings[0][1][0]", n(f64::INFINITY), Refuse(INVALID, "options.model.embeddings[0][1][0]")),
        ("model.embeddings[0][1]", json("[1]"), Refuse(INVALID, "options.model.embeddings[0][1]")),
        ("model.dim", n(1e308), Refuse(INVALID, "options.model.dim")),
        ("model.colour", s("red"), Refuse(INVALID, "options.model.colour")),
    ]
}

#[test]
fn every_policy_and_model_edge_value_is_accepted_or_refused_with_its_code_and_path() {
    let products: Vec<Product> = read(&json(CATALOG), "catalog").unwrap();
    let base = json(&format!(r#"{{"policy":{{"preset":"balanced","diversity":0.3}},"model":{MODEL}}}"#));
    let request: RankRequest = read(&json(REQUEST), "").unwrap();
    let mut wrong = Vec::new();
    let rows = options_rows();
    for (path, value, want) in &rows {
        let mut v = base.clone();
        set(&mut v, path, value.clone());
        let got = read::<EngineOptions>(&v, "options").and_then(|o| Engine::new(&products, &o));
        if !matches(&got, *want) {
            wrong.push(format!("options.{path} = {}: want {want:?}, got {}", short(value), outcome(&got)));
        }
        if let Result::Ok(mut engine) = got {
            assert!(!engine.rank(&request).unwrap().items.is_empty(), "options.{path}: an accepted engine ranks");
            let s = engine.settings();
            assert!((0.0..=1.0).contains(&s.diversity) && (7.0..=1095.0).contains(&s.half_life_days), "{path}");
        }
    }
    assert!(wrong.is_empty(), "{} of {} rows differ:\n{}", wrong.len(), rows.len(), wrong.join("\n"));
}

fn packed_bytes() -> Vec<u8> {
    let products: Vec<Product> = read(&json(CATALOG), "catalog").unwrap();
    let model: Model = read(&json(MODEL), "model").unwrap();
    packed::pack(&products, Some(&model), Quant::Int8).unwrap()
}

/// A refusal of damaged packed bytes: a contract code, a message, a path under `catalog`.
fn check_packed_error(e: &Error, what: &str) {
    assert!(
        matches!(e.code, ErrorCode::InvalidInput | ErrorCode::UnsupportedVersion | ErrorCode::LimitExceeded),
        "{what}: {e}"
    );
    assert!(e.path.starts_with("catalog"), "{what}: path `{}`", e.path);
    assert!(!e.message.is_empty(), "{what}");
}

#[test]
fn every_truncation_of_packed_bytes_is_refused_with_a_path() {
    let bytes = packed_bytes();
    let mut engine = packed::engine(&bytes, None).unwrap();
    let request: RankRequest = read(&json(REQUEST), "").unwrap();
    let baseline = engine.rank(&request).unwrap();
    for len in 0..bytes.len() {
        let e = packed::engine(&bytes[..len], None).err().unwrap_or_else(|| panic!("{len} bytes were accepted"));
        check_packed_error(&e, &format!("truncated to {len} bytes"));
        if len == 0 || len == packed::HEADER_LEN - 1 {
            assert_eq!((e.code, e.path.as_str()), (INVALID, "catalog"), "{len} bytes");
        }
    }
    assert_eq!(engine.rank(&request).unwrap(), baseline);
}

#[test]
fn every_single_bit_flip_in_packed_bytes_is_refused_with_a_path() {
    let bytes = packed_bytes();
    let mut flipped = 0;
    for i in 0..bytes.len() {
        for bit in 0..8 {
            let mut b = bytes.clone();
            b[i] ^= 1 << bit;
            let e = packed::engine(&b, None).err().unwrap_or_else(|| panic!("byte {i} bit {bit} flipped was accepted"));
            check_packed_error(&e, &format!("byte {i} bit {bit}"));
            if (8..12).contains(&i) {
                assert_eq!((e.code, e.path.as_str()), (VERSION, "catalog.version"), "byte {i} bit {bit}");
            } else if i >= packed::HEADER_LEN {
                assert_eq!(e.message, "packed catalog: damaged (checksum)", "byte {i} bit {bit}");
            }
            flipped += 1;
        }
    }
    assert_eq!(flipped, bytes.len() * 8);
    // Not empty: the packed catalog is a few hundred bytes.
    assert!(bytes.len() > 200, "{} bytes", bytes.len());
}

#[test]
fn bytes_that_are_not_a_packed_catalog_are_refused_at_the_root() {
    for bytes in [&b""[..], b"TACTPAC", b"{\"id\":\"p0\"}", &[0u8; 64], &[0xffu8; 64]] {
        let e = packed::engine(bytes, None).err().unwrap();
        assert_eq!((e.code, e.path.as_str()), (INVALID, "catalog"), "{bytes:?}");
    }
}
