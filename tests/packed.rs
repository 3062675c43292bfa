//! The packed form (`tactful pack`, `new Engine(bytes)`): an engine read from the bytes ranks exactly as one built from
//! the objects, on real data with a 32-dim model; damaged, truncated and other-version bytes are refused with the
//! right code and a path, never a panic. Runs with `cargo test --features cli --test packed`.
#![cfg(all(not(target_arch = "wasm32"), feature = "cli"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::path::Path;
use tactful::cli::model_build::{self, BuildOptions};
use tactful::cli::read::read_orders;
use tactful::cli::shop;
use tactful::cli::split;
use tactful::cli::synth;
use tactful::engine::packed::{self, Quant, FORMAT_VERSION, HEADER_LEN};
use tactful::read::value::{read, Value};
use tactful::*;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The Online Retail sample: its derived catalog, a 32-dim model built from all its orders, every customer's events.
type Retail = (Vec<Product>, Model, Vec<(String, Vec<Event>)>);

fn retail() -> Retail {
    let orders = read_orders(&root().join("data/online-retail/sample.csv")).unwrap();
    let settings = Settings::preset(PolicyPreset::Balanced);
    let b = split::baskets(&orders.rows, &settings);
    let model = model_build::build(
        &b,
        &model_build::titles(&b, &orders.rows),
        &BuildOptions { dim: 32, ..BuildOptions::default() },
    );
    let products = shop::catalog(&orders.rows, &settings);
    let (names, groups) = split::by_customer(&orders.rows);
    let customers = names.into_iter().zip(groups.iter().map(|g| shop::events(g))).collect();
    (products, model, customers)
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap()
}

#[test]
fn packed_bytes_rank_byte_for_byte_like_the_objects_on_real_data() {
    let (products, model, customers) = retail();
    assert_eq!(model.dim, 32);
    assert!(model.embeddings.len() > 1_000, "the model has embeddings: {}", model.embeddings.len());
    let options = EngineOptions { policy: None, model: Some(model.clone()) };
    let mut objects = Engine::new(&products, &options).unwrap();
    let bytes = packed::pack(&products, Some(&model), Quant::F32);
    let mut from_bytes = packed::engine(&bytes, None).unwrap();
    assert_eq!(from_bytes.catalog().len(), products.len());
    // The same model without embeddings: where its ranking differs, the embeddings (the scan) were compared too.
    let bare = Model { dim: 0, embeddings: vec![], ..model.clone() };
    let mut without = Engine::new(&products, &EngineOptions { policy: None, model: Some(bare) }).unwrap();
    let mut compared = 0;
    let mut discovered = 0;
    for (customer, history) in customers.iter().step_by(9) {
        let now = history.iter().map(|e| e.at).max().unwrap();
        let mut context = Context::at(Timestamp(now.millis() + 86_400_000));
        context.k = Some(20);
        let req = RankRequest { history: history.clone(), preferences: None, impressions: None, context };
        let a = json(&objects.rank(&req).unwrap());
        let b = json(&from_bytes.rank(&req).unwrap());
        assert_eq!(a, b, "customer {customer}");
        discovered += usize::from(json(&without.rank(&req).unwrap()) != a);
        let preq = ProfileRequest { history: req.history.clone(), preferences: None, context: req.context.clone() };
        assert_eq!(json(&objects.profile(&preq).unwrap()), json(&from_bytes.profile(&preq).unwrap()));
        compared += 1;
    }
    assert!(compared > 100, "{compared} customers compared");
    assert!(discovered > 0, "no ranking used the embeddings: the comparison would not cover the scan");
}

#[test]
fn the_demo_catalog_with_categories_round_trips_through_the_binary() {
    let dir = root().join("www/data");
    let catalog: Vec<Product> =
        read(&Value::from_json(&std::fs::read_to_string(dir.join("catalog.json")).unwrap()).unwrap(), "catalog")
            .unwrap();
    let model: Model =
        read(&Value::from_json(&std::fs::read_to_string(dir.join("model.json")).unwrap()).unwrap(), "model").unwrap();
    let history: Vec<Event> =
        read(&Value::from_json(&std::fs::read_to_string(dir.join("history.json")).unwrap()).unwrap(), "history")
            .unwrap();
    let out = std::env::temp_dir().join(format!("tactful-pack-{}.bin", std::process::id()));
    let summary =
        tactful::cli::pack::run(&dir.join("catalog.json"), Some(&dir.join("model.json")), Quant::F32, &out).unwrap();
    assert!(summary.contains(&format!("{} products", catalog.len())), "{summary}");
    let bytes = std::fs::read(&out).unwrap();
    std::fs::remove_file(&out).ok();
    let u = packed::unpack(&bytes).unwrap();
    assert_eq!(u.products, catalog);
    assert_eq!(u.model.as_ref(), Some(&model));
    let now = history.iter().map(|e| e.at).max().unwrap();
    let req = RankRequest {
        history,
        preferences: None,
        impressions: None,
        context: Context { k: Some(12), ..Context::at(Timestamp(now.millis() + 86_400_000)) },
    };
    let mut a = Engine::new(&catalog, &EngineOptions { policy: None, model: Some(model) }).unwrap();
    let mut b = packed::engine(&bytes, None).unwrap();
    assert_eq!(json(&a.rank(&req).unwrap()), json(&b.rank(&req).unwrap()));
}

#[test]
fn every_product_field_survives_the_round_trip() {
    let mut products = synth::catalog(400, 3);
    products[1].product_line = Some("ipad-pro-11".into());
    products[2].compatible_with = Some(vec!["ipad-pro-11".into(), "ipad-air".into()]);
    products[3].tags = Some(vec!["gift-wrap".into(), "clearance".into()]);
    products[4].sensitivity = Some(SensitivityClass::Romance);
    products[5].lifecycle =
        Some(Lifecycle { kind: LifecycleKind::Seasonal, lifetime_days: Some(90.0), repurchase_days: Some(365.0) });
    products[6] = Product { id: "bare".into(), ..Product::default() };
    products[7].title = Some("Crème brûlée — 🍮".into());
    let model = synth::model(400, 8, 3);
    let u = packed::unpack(&packed::pack(&products, Some(&model), Quant::F32)).unwrap();
    assert_eq!(u.products, products);
    let m = u.model.unwrap();
    assert_eq!((m.popularity.len(), m.neighbours.len(), m.dim), (400, model.neighbours.len(), 0));
    let e = u.embeddings.unwrap();
    // "bare" replaced sku-6: its embedding has no product, and "bare" has no embedding.
    assert_eq!((e.dim, e.has.iter().filter(|h| **h).count()), (8, 399));
    assert!(!e.has[6] && e.rows[8 * 6..8 * 7].iter().all(|v| *v == 0.0));
    assert_eq!(&e.rows[8 * 5..8 * 6], &model.embeddings[5].1[..]);
    // Without a model: no model, no embeddings.
    let u = packed::unpack(&packed::pack(&products, None, Quant::F32)).unwrap();
    assert!(u.model.is_none() && u.embeddings.is_none());
}

#[test]
fn int8_embeddings_are_a_quarter_of_the_bytes_and_keep_most_neighbours() {
    let products = synth::catalog(3_000, 4);
    let model = synth::model(3_000, 32, 4);
    let f32_pack = tactful::cli::pack::pack(&products, Some(&model), Quant::F32).unwrap();
    let int8 = tactful::cli::pack::pack(&products, Some(&model), Quant::Int8).unwrap();
    let (recall, k) = int8.recall.unwrap();
    assert_eq!(k, 20);
    assert!(recall > 0.8 && recall <= 1.0, "recall@20 of int8: {recall}");
    assert!(f32_pack.recall.is_none());
    let saved = f32_pack.bytes.len() - int8.bytes.len();
    assert_eq!(saved, int8.embeddings * (32 * 4 - (4 + 32)), "3 bytes saved per number, 4 spent per product");
    // An engine from the int8 bytes ranks with its embeddings.
    let mut e = packed::engine(&int8.bytes, None).unwrap();
    assert_eq!(e.rank(&synth::request(3_000, 200, 20)).unwrap().items.len(), 20);
}

fn code(bytes: &[u8]) -> Result<(), Error> {
    packed::engine(bytes, None).map(|_| ())
}

#[test]
fn truncated_damaged_and_other_version_bytes_are_refused_with_a_code_and_a_path() {
    let products = synth::catalog(300, 5);
    let model = synth::model(300, 16, 5);
    let bytes = packed::pack(&products, Some(&model), Quant::Int8);
    assert!(code(&bytes).is_ok());

    // Truncated anywhere.
    for len in (0..bytes.len()).step_by(97).chain([bytes.len() - 1, HEADER_LEN, 7]) {
        let e = code(&bytes[..len]).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput, "truncated to {len}: {e}");
        assert!(e.path.starts_with("catalog"), "{}", e.path);
    }
    // One bit flipped anywhere: the magic, the header, the checksum or the body.
    for i in (0..bytes.len()).step_by(61).chain(0..HEADER_LEN) {
        let mut b = bytes.clone();
        b[i] ^= 1 << (i % 8);
        let e = code(&b).unwrap_err();
        let want = if (8..12).contains(&i) { ErrorCode::UnsupportedVersion } else { ErrorCode::InvalidInput };
        assert_eq!(e.code, want, "bit flipped at byte {i}: {e}");
        assert!(e.path.starts_with("catalog"), "{}", e.path);
    }
    // Another version.
    let mut b = bytes.clone();
    b[8..12].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
    let e = code(&b).unwrap_err();
    assert_eq!((e.code, e.path.as_str()), (ErrorCode::UnsupportedVersion, "catalog.version"));
    // Not a packed catalog at all.
    let e = code(b"[{\"id\":\"a\"}]").unwrap_err();
    assert_eq!((e.code, e.path.as_str()), (ErrorCode::InvalidInput, "catalog"));
}

/// Damage the checksum cannot see (the checksum rewritten to match): the reader still never panics or over-allocates,
/// and whatever it accepts indexes like any catalog.
#[test]
fn damage_behind_a_matching_checksum_never_panics() {
    let products = synth::catalog(200, 9);
    let model = synth::model(200, 8, 9);
    let bytes = packed::pack(&products, Some(&model), Quant::F32);
    let mut refused = 0;
    for i in (HEADER_LEN..bytes.len()).step_by(89) {
        for v in [0x00u8, 0xff, 0x80] {
            let mut b = bytes.clone();
            b[i] = v;
            let sum = packed::checksum(&b[HEADER_LEN..]);
            b[24..32].copy_from_slice(&sum.to_le_bytes());
            if let Err(e) = code(&b) {
                refused += 1;
                assert!(e.path.starts_with("catalog") || e.path.starts_with("options"), "{e:?}");
            }
        }
    }
    assert!(refused > 50, "{refused} damaged copies refused");
}

#[test]
fn the_model_version_is_still_checked_inside_the_bytes() {
    let products = synth::catalog(50, 1);
    let mut model = synth::model(50, 0, 1);
    model.version = 99;
    let e = code(&packed::pack(&products, Some(&model), Quant::F32)).unwrap_err();
    assert_eq!((e.code, e.path.as_str()), (ErrorCode::UnsupportedVersion, "catalog.model.version"));
}
