//! The public contract, natively: valid input, every error code with its path, limits, determinism.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;
use common::*;
use tactful::read::limits;
use tactful::read::value::{read, FromValue, Value};
use tactful::*;

fn parse<T: FromValue>(root: &str, json: &str) -> Result<T, Error> {
    read(&Value::from_json(json)?, root)
}

fn rank_json(engine: &mut Engine, json: &str) -> Result<Ranking, Error> {
    let req: RankRequest = parse("", json)?;
    engine.rank(&req)
}

#[test]
fn ranks_valid_input_with_every_shape_filled() {
    let mut e = engine(&store());
    let r = rank_json(
        &mut e,
        r#"{"history":[{"productId":"gr00","at":"2024-04-01T10:00:00Z","quantity":2,"price":1.5,"orderId":"o1"},
                      {"productId":"gr01","at":1711965600000}],
            "preferences":{"consent":{"personalization":true},"intensity":"strong","discovery":0.2},
            "context":{"now":"2024-05-01T00:00:00Z","k":8,"seed":3,"surface":"home"}}"#,
    )
    .unwrap();
    assert_eq!(r.items.len(), 8);
    assert!(r.items.iter().all(|i| i.score.is_finite() && !i.reasons.is_empty()));
    assert!(r.evidence > 0.0);
    let mut seen = std::collections::HashSet::new();
    assert!(r.items.iter().all(|i| seen.insert(i.product_id.clone())), "no product twice");
}

#[test]
fn same_inputs_and_seed_give_identical_output_and_seeds_differ_among_ties() {
    let products: Vec<Product> = (0..60).map(|i| product(&format!("p{i}"), &[&format!("c{}", i % 6)])).collect();
    let mut e = engine(&products);
    let req = request(vec![], "2024-05-01");
    let a = e.rank(&req).unwrap();
    let b = e.rank(&req).unwrap();
    assert_eq!(a, b);
    let mut other = req.clone();
    other.context.seed = Some(99);
    let c = e.rank(&other).unwrap();
    assert_eq!(c.items.len(), a.items.len());
}

#[test]
fn invalid_input_names_the_path_of_the_bad_value() {
    let mut e = engine(&store());
    let cases = [
        (r#"{"history":[{"productId":"gr00","at":"2024-13-01"}],"context":{"now":0}}"#, "history[0].at"),
        (
            r#"{"history":[{"productId":"gr00","at":0},{"productId":"gr00","at":"soon"}],"context":{"now":0}}"#,
            "history[1].at",
        ),
        (r#"{"history":[],"context":{}}"#, "context"),
        (r#"{"history":[],"context":{"now":0,"k":0}}"#, "context.k"),
        (r#"{"history":[],"context":{"now":0,"surface":"billboard"}}"#, "context.surface"),
        (r#"{"history":[{"productId":"gr00","at":0,"gfit":true}],"context":{"now":0}}"#, "history[0].gfit"),
        (r#"{"history":[],"preferences":{"sharedDevise":true},"context":{"now":0}}"#, "preferences.sharedDevise"),
        (
            r#"{"history":[],"preferences":{"sensitiveOptIn":["gossip"]},"context":{"now":0}}"#,
            "preferences.sensitiveOptIn[0]",
        ),
        (r#"{"history":[],"preferences":{"discovery":2},"context":{"now":0}}"#, "preferences.discovery"),
        (r#"{"history":[{"productId":"","at":0}],"context":{"now":0}}"#, "history[0].productId"),
        (r#"{"history":[],"context":{"now":0,"utcOffsetMinutes":5000}}"#, "context.utcOffsetMinutes"),
        (r#"{"history":[],"impressions":[{"productId":"gr00"}],"context":{"now":0}}"#, "impressions[0]"),
    ];
    for (json, path) in cases {
        let err = rank_json(&mut e, json).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput, "{json}");
        assert_eq!(err.path, path, "{json}: {}", err.message);
        assert!(!err.message.is_empty());
    }
}

#[test]
fn catalog_and_options_errors_carry_their_paths() {
    let products: Result<Vec<Product>, Error> = parse("catalog", r#"[{"id":"a"},{"id":"b","price":"cheap"}]"#);
    assert_eq!(products.unwrap_err().path, "catalog[1].price");
    let products: Result<Vec<Product>, Error> = parse("catalog", r#"[{"id":"a","sensitivty":"medical"}]"#);
    assert_eq!(products.unwrap_err().path, "catalog[0].sensitivty");
    let options: Result<EngineOptions, Error> = parse("options", r#"{"policy":{"maxPerCategry":2}}"#);
    assert_eq!(options.unwrap_err().path, "options.policy.maxPerCategry");
    let options: EngineOptions = parse("options", r#"{"policy":{"diversity":"lots"}}"#).unwrap_or_default();
    assert_eq!(options, EngineOptions::default(), "a wrong type is an error, not a default");
    let err = parse::<EngineOptions>("options", r#"{"policy":{"diversity":"lots"}}"#).unwrap_err();
    assert_eq!(err.path, "options.policy.diversity");
    let err = Engine::new(&[product("a", &[]), product("a", &[])], &EngineOptions::default()).err().unwrap();
    assert_eq!((err.code, err.path.as_str()), (ErrorCode::InvalidInput, "catalog[1].id"));
}

#[test]
fn limits_are_limit_exceeded_with_paths() {
    let many: Vec<Product> =
        (0..=limits::MAX_CATALOG_PRODUCTS).map(|i| Product { id: i.to_string(), ..Product::default() }).collect();
    let err = Engine::new(&many, &EngineOptions::default()).err().unwrap();
    assert_eq!((err.code, err.path.as_str()), (ErrorCode::LimitExceeded, "catalog"));

    let mut e = engine(&store());
    let mut req = request(vec![buy("gr00", "2024-01-01"); limits::MAX_HISTORY_EVENTS + 1], "2024-05-01");
    let err = e.rank(&req).unwrap_err();
    assert_eq!((err.code, err.path.as_str()), (ErrorCode::LimitExceeded, "history"));
    req.history.clear();
    req.context.k = Some(limits::MAX_K + 1);
    let err = e.rank(&req).unwrap_err();
    assert_eq!(err.path, "context.k");
    req.context.k = None;
    req.preferences =
        Some(Preferences { forgotten: Some(vec!["x".into(); limits::MAX_LIST + 1]), ..Preferences::default() });
    let err = e.rank(&req).unwrap_err();
    assert_eq!((err.code, err.path.as_str()), (ErrorCode::LimitExceeded, "preferences.forgotten"));
    let long = "x".repeat(limits::MAX_ID_CHARS + 1);
    let err = e.rank(&request(vec![buy(&long, "2024-01-01")], "2024-05-01")).unwrap_err();
    assert_eq!((err.code, err.path.as_str()), (ErrorCode::LimitExceeded, "history[0].productId"));
}

#[test]
fn an_unsupported_model_version_is_refused() {
    let model = Model { version: 99, ..Model::default() };
    let err = Engine::new(&store(), &EngineOptions { policy: None, model: Some(model) }).err().unwrap();
    assert_eq!((err.code, err.path.as_str()), (ErrorCode::UnsupportedVersion, "options.model.version"));
}

#[test]
fn unknown_products_in_history_are_counted_not_fatal() {
    let mut e = engine(&store());
    let r = e.rank(&request(vec![buy("gone-1", "2024-04-01"), buy("gr00", "2024-04-02")], "2024-05-01")).unwrap();
    assert_eq!(r.items.len(), 10);
    let p = e
        .profile(&ProfileRequest {
            history: vec![buy("gone-1", "2024-04-01")],
            preferences: None,
            context: Context::at(ts("2024-05-01")),
        })
        .unwrap();
    assert_eq!(p.unknown_products, 1);
    assert_eq!(p.ignored[0].reason, "UNKNOWN_PRODUCT");
}

#[test]
fn errors_display_code_path_and_message() {
    let err = Error::invalid("history[12].at", "bad");
    assert_eq!(err.to_string(), "INVALID_INPUT at history[12].at: bad");
    assert_eq!(Error::internal("bug").code.as_str(), "INTERNAL");
    assert_eq!(ErrorCode::LimitExceeded.as_str(), "LIMIT_EXCEEDED");
    assert_eq!(ErrorCode::UnsupportedVersion.as_str(), "UNSUPPORTED_VERSION");
}
