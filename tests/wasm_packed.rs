//! The packed form through the wasm boundary (in Node): `new Engine(Uint8Array)` ranks like the engine built from the
//! same objects; damaged bytes and other versions are JS errors with `code` and `path`; the SIMD dot product of this
//! build agrees bit for bit with the portable one.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use js_sys::{Reflect, Uint8Array};
use tactful::engine::packed::{self, Quant};
use tactful::internals::scan;
use tactful::wasm::{to_js, JsEngine};
use tactful::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn ts(s: &str) -> Timestamp {
    Timestamp::parse_iso(s).unwrap()
}

/// 300 products in 6 aisles; embeddings of 12 numbers, alike within an aisle.
fn case() -> (Vec<Product>, Model) {
    let products: Vec<Product> = (0..300)
        .map(|i| Product {
            id: format!("p{i}"),
            title: Some(format!("Product {i}")),
            category: Some(vec![format!("Dept {}", i % 3), format!("Aisle {}", i % 6)]),
            price: Some(1.0 + f64::from(i % 17)),
            in_stock: Some(i % 29 != 0),
            ..Product::default()
        })
        .collect();
    let embeddings = (0..300u32)
        .map(|i| {
            let v: Vec<f32> =
                (0..12u32).map(|d| if d % 6 == i % 6 { 1.0 } else { 0.05 * ((i * 7 + d) % 5) as f32 }).collect();
            let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
            (format!("p{i}"), v.into_iter().map(|x| x / norm).collect())
        })
        .collect();
    let model = Model {
        version: 1,
        popularity: (0..300).map(|i| (format!("p{i}"), f64::from(300 - i))).collect(),
        dim: 12,
        embeddings,
        ..Model::default()
    };
    (products, model)
}

/// The packed bytes of `case()`, written in wasm by the same writer as `tactful pack`.
fn pack(products: &[Product], model: &Model, quant: Quant) -> Vec<u8> {
    packed::pack(products, Some(model), quant).unwrap()
}

fn request() -> RankRequest {
    let history = (0..30).map(|i| Event::purchase(&format!("p{}", (i * 6) % 60), ts("2024-04-01"))).collect();
    RankRequest {
        history,
        preferences: None,
        impressions: None,
        context: Context { k: Some(12), ..Context::at(ts("2024-05-01T09:00:00Z")) },
    }
}

fn code_and_path(err: &JsValue) -> (String, String) {
    assert!(err.is_instance_of::<js_sys::Error>(), "every throw is an Error");
    let code = Reflect::get(err, &"code".into()).unwrap().as_string().unwrap();
    let path = Reflect::get(err, &"path".into()).unwrap().as_string().unwrap();
    (code, path)
}

#[wasm_bindgen_test]
fn an_engine_from_packed_bytes_ranks_like_the_objects() {
    let (products, model) = case();
    let bytes = pack(&products, &model, Quant::F32);
    let mut js_engine = JsEngine::new(Uint8Array::from(&bytes[..]).into(), JsValue::UNDEFINED).unwrap();
    assert_eq!(js_engine.size(), 300);
    let out = js_engine.rank(to_js(&request()).unwrap()).unwrap();
    let ranking: Ranking = serde_wasm_bindgen::from_value(out).unwrap();
    let mut direct = Engine::new(&products, &EngineOptions { policy: None, model: Some(model) }).unwrap();
    assert_eq!(ranking, direct.rank(&request()).unwrap());
    assert_eq!(ranking.items.len(), 12);
    // A policy may still be given with the bytes.
    let options = js_sys::Object::new();
    Reflect::set(&options, &"policy".into(), &"conservative".into()).unwrap();
    assert!(JsEngine::new(Uint8Array::from(&bytes[..]).into(), options.into()).is_ok());
}

#[wasm_bindgen_test]
fn damaged_bytes_are_js_errors_with_code_and_path() {
    let (products, model) = case();
    let bytes = pack(&products, &model, Quant::Int8);
    let short = Uint8Array::from(&bytes[..bytes.len() - 3]);
    let err = JsEngine::new(short.into(), JsValue::UNDEFINED).err().unwrap();
    assert_eq!(code_and_path(&err), ("INVALID_INPUT".into(), "catalog".into()));
    let mut flipped = bytes.clone();
    flipped[bytes.len() / 2] ^= 0x10;
    let err = JsEngine::new(Uint8Array::from(&flipped[..]).into(), JsValue::UNDEFINED).err().unwrap();
    assert_eq!(code_and_path(&err), ("INVALID_INPUT".into(), "catalog".into()));
    let mut newer = bytes.clone();
    newer[8] = 9;
    let err = JsEngine::new(Uint8Array::from(&newer[..]).into(), JsValue::UNDEFINED).err().unwrap();
    assert_eq!(code_and_path(&err), ("UNSUPPORTED_VERSION".into(), "catalog.version".into()));
    // The bytes carry the model: another one in the options is refused, not silently ignored.
    let options = to_js(&EngineOptions { policy: None, model: Some(model) }).unwrap();
    let err = JsEngine::new(Uint8Array::from(&bytes[..]).into(), options).err().unwrap();
    assert_eq!(code_and_path(&err), ("INVALID_INPUT".into(), "options.model".into()));
}

/// Seeded floats in [-1, 1) (a 64-bit LCG's top bits), the same on every run.
fn floats(seed: u64) -> impl FnMut() -> f32 {
    let mut seed = seed;
    move || {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((seed >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0
    }
}

#[wasm_bindgen_test]
fn simd_and_scalar_dot_products_agree_in_this_build() {
    let mut next = floats(5);
    for dim in [1usize, 4, 7, 12, 32, 64, 67] {
        for _ in 0..40 {
            let a: Vec<f32> = (0..dim).map(|_| next()).collect();
            let b: Vec<f32> = (0..dim).map(|_| next()).collect();
            assert_eq!(scan::dot(&a, &b).to_bits(), scan::dot_scalar(&a, &b).to_bits(), "dim {dim}");
        }
    }
}

/// The scan takes its queries four at a time (SIMD sums, one read of each product row per four queries): its top k
/// must be exactly the plain definition's, built on the scalar dot product, down to the bits of each similarity.
#[wasm_bindgen_test]
fn the_scan_in_this_build_finds_the_exact_top_k() {
    let mut next = floats(9);
    for (n, dim, nq, k) in [(400usize, 32usize, 20usize, 30usize), (300, 7, 5, 10), (200, 64, 3, 200), (100, 12, 9, 1)]
    {
        let rows: Vec<f32> = (0..n * dim).map(|_| next()).collect();
        let queries: Vec<f32> = (0..nq * dim).map(|_| next()).collect();
        let has: Vec<bool> = (0..n).map(|p| p % 5 != 2).collect();
        let mut skip = tactful::internals::BitSet::with_len(n);
        for p in (0..n as u32).step_by(13) {
            skip.set(p);
        }
        let mut want: Vec<(u32, u32, u32)> = Vec::new();
        for (p, row) in rows.chunks_exact(dim).enumerate() {
            if !has[p] || skip.get(p as u32) {
                continue;
            }
            let mut best = (0.0f32, u32::MAX);
            for (j, q) in queries.chunks_exact(dim).enumerate() {
                let d = scan::dot_scalar(row, q);
                if d > best.0 {
                    best = (d, j as u32);
                }
            }
            if best.1 != u32::MAX && best.0 >= 0.05 {
                want.push((p as u32, best.0.to_bits(), best.1));
            }
        }
        want.sort_by(|a, b| f32::from_bits(b.1).total_cmp(&f32::from_bits(a.1)).then(a.0.cmp(&b.0)));
        want.truncate(k);
        assert!(!want.is_empty());
        let got: Vec<(u32, u32, u32)> = scan::top_k(&rows, dim, &has, &skip, &queries, 0.05, k)
            .iter()
            .map(|h| (h.p, h.sim.to_bits(), h.query))
            .collect();
        assert_eq!(got, want, "n {n} dim {dim} queries {nq} k {k}");
    }
}
