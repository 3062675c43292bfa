//! Benchmarks of the hot paths on seeded synthetic catalogs (1k and 100k products) and on the real Online Retail
//! sample. `cargo bench` prints medians; quote them with the machine's noise in mind (2 shared cores).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use std::hint::black_box;
use tactful::*;

const DAY: i64 = 86_400_000;
const NOW: i64 = 1_714_521_600_000; // 2024-05-01

use tactful::util::mix::SplitMix64 as Rng;

fn catalog(n: usize, seed: u64) -> Vec<Product> {
    let mut rng = Rng(seed);
    (0..n)
        .map(|i| {
            let dept = rng.below(12);
            let leaf = rng.below(25);
            Product {
                id: format!("sku-{i}"),
                title: Some(format!("Product {i}")),
                category: Some(vec![format!("Dept {dept}"), format!("Dept {dept} / Aisle {leaf}")]),
                brand: Some(format!("Brand {}", rng.below(200))),
                price: Some(1.0 + rng.below(50_000) as f64 / 100.0),
                in_stock: Some(rng.below(20) != 0),
                launched_at: (rng.below(10) == 0).then(|| Timestamp(NOW - rng.below(120) as i64 * DAY)),
                lifecycle: match rng.below(10) {
                    0 => Some(Lifecycle {
                        kind: LifecycleKind::Durable,
                        lifetime_days: Some(1500.0),
                        repurchase_days: None,
                    }),
                    1 | 2 => Some(Lifecycle {
                        kind: LifecycleKind::Consumable,
                        lifetime_days: None,
                        repurchase_days: Some(14.0),
                    }),
                    _ => None,
                },
                sensitivity: (rng.below(25) == 0).then_some(SensitivityClass::Medical),
                ..Product::default()
            }
        })
        .collect()
}

fn history(n_products: usize, events: usize, seed: u64) -> Vec<Event> {
    let mut rng = Rng(seed);
    // A shopper with habits: most purchases from a few favourite products.
    let favourites: Vec<u64> = (0..15).map(|_| rng.below(n_products as u64)).collect();
    (0..events)
        .map(|i| {
            let p = if rng.below(3) == 0 { rng.below(n_products as u64) } else { favourites[(rng.below(15)) as usize] };
            Event {
                order_id: Some(format!("o{}", i / 4)),
                ..Event::purchase(&format!("sku-{p}"), Timestamp(NOW - (events - i) as i64 * DAY / 2))
            }
        })
        .collect()
}

fn bench_rank(c: &mut Criterion) {
    let mut group = c.benchmark_group("rank");
    for n in [1_000usize, 100_000] {
        let products = catalog(n, 7);
        let mut engine = Engine::new(&products, &EngineOptions::default()).unwrap();
        let req = RankRequest {
            history: history(n, 60, 11),
            preferences: None,
            impressions: None,
            context: Context { k: Some(12), ..Context::at(Timestamp(NOW)) },
        };
        group.bench_with_input(BenchmarkId::new("history60_k12", n), &req, |b, req| {
            b.iter(|| black_box(engine.rank(black_box(req)).unwrap()))
        });
        let empty = RankRequest { history: vec![], ..req.clone() };
        group.bench_with_input(BenchmarkId::new("default_k12", n), &empty, |b, req| {
            b.iter(|| black_box(engine.rank(black_box(req)).unwrap()))
        });
    }
    group.finish();
}

fn bench_index(c: &mut Criterion) {
    let mut group = c.benchmark_group("engine_new");
    group.sample_size(10);
    for n in [1_000usize, 100_000] {
        let products = catalog(n, 7);
        group.bench_with_input(BenchmarkId::from_parameter(n), &products, |b, p| {
            b.iter(|| black_box(Engine::new(black_box(p), &EngineOptions::default()).unwrap()))
        });
    }
    group.finish();
}

/// Profiles every customer of the Online Retail sample (1,103 customers, 98,750 lines).
fn bench_online_retail(c: &mut Criterion) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/online-retail/sample.csv");
    let Ok(mut reader) = csv::Reader::from_path(path) else { return };
    let mut customers: std::collections::BTreeMap<String, Vec<Event>> = Default::default();
    let mut products: std::collections::BTreeMap<String, Product> = Default::default();
    for row in reader.records().flatten() {
        let id = row[1].to_string();
        products.entry(id.clone()).or_insert_with(|| Product {
            id: id.clone(),
            title: Some(row[2].to_string()),
            ..Product::default()
        });
        let qty: f64 = row[3].parse().unwrap_or(1.0);
        customers.entry(row[6].to_string()).or_default().push(Event {
            kind: Some(if row[0].starts_with('C') { EventType::Cancel } else { EventType::Purchase }),
            quantity: Some(qty.abs()),
            order_id: Some(row[0].to_string()),
            ..Event::purchase(&id, Timestamp::parse_iso(&row[4]).unwrap())
        });
    }
    let products: Vec<Product> = products.into_values().collect();
    let engine = Engine::new(&products, &EngineOptions::default()).unwrap();
    let requests: Vec<ProfileRequest> = customers
        .into_values()
        .map(|history| {
            let now = history.iter().map(|e| e.at).max().unwrap();
            ProfileRequest { history, preferences: None, context: Context::at(Timestamp(now.millis() + DAY)) }
        })
        .collect();
    let mut group = c.benchmark_group("online_retail");
    group.sample_size(10);
    group.bench_function("profile_all_1103_customers", |b| {
        b.iter(|| {
            for r in &requests {
                black_box(engine.profile(r).unwrap());
            }
        })
    });
    group.finish();
}

/// Issue 11's case: 100k products, a 32-dim embedding model (the discovery scan runs), a 1,000-event history, k = 20,
/// every guardrail stage acting (`tactful::cli::synth`); and building that engine from packed bytes.
fn bench_issue11(c: &mut Criterion) {
    use tactful::cli::synth;
    use tactful::engine::packed::{self, Quant};
    let n = 100_000;
    let products = synth::catalog(n, 7);
    let model = synth::model(n, 32, 7);
    let req = synth::request(n, 1_000, 20);
    let mut group = c.benchmark_group("issue11");
    group.sample_size(20);
    let mut plain = Engine::new(&products, &EngineOptions::default()).unwrap();
    group
        .bench_function("rank_100k_h1000_k20_no_model", |b| b.iter(|| black_box(plain.rank(black_box(&req)).unwrap())));
    let bytes = packed::pack(&products, Some(&model), Quant::F32).unwrap();
    let mut engine = packed::engine(&bytes, None).unwrap();
    group
        .bench_function("rank_100k_h1000_k20_model32", |b| b.iter(|| black_box(engine.rank(black_box(&req)).unwrap())));
    group.sample_size(10);
    group.bench_function("engine_from_packed_100k_model32", |b| {
        b.iter(|| black_box(packed::engine(black_box(&bytes), None).unwrap()))
    });
    group.finish();
}

criterion_group!(benches, bench_rank, bench_index, bench_online_retail, bench_issue11);
criterion_main!(benches);
