//! The benchmark case of issue 11, seeded and synthetic: a catalog of `n` products (12 departments × 25 aisles, 200
//! brands, prices, 5 % out of stock, durables and consumables, 4 % medical, 10 % new arrivals), a model with
//! popularity, co-purchase neighbours and `dim`-dimensional unit embeddings clustered by aisle (so the discovery scan
//! finds look-alikes), and a shopper with habits (two thirds of purchases from 15 favourites). The criterion benches,
//! `tactful bench-case` (which writes it for the browser benchmark) and the scaling table all use it.

use crate::contract::input::{
    Context, Event, Impression, Lifecycle, LifecycleKind, Muted, Preferences, Product, RankRequest, SensitivityClass,
};
use crate::contract::time::Timestamp;
use crate::engine::model::{Model, MODEL_VERSION};

pub const DAY: i64 = 86_400_000;
/// 2024-05-01.
pub const NOW: i64 = 1_714_521_600_000;

/// The synthetic data's random stream.
pub use crate::util::mix::SplitMix64 as Rng;

fn aisle_of(i: usize, seed: u64) -> (u64, u64) {
    let mut rng = Rng(seed ^ (i as u64).wrapping_mul(0x2545_F491_4F6C_DD1D));
    (rng.below(12), rng.below(25))
}

pub fn catalog(n: usize, seed: u64) -> Vec<Product> {
    let mut rng = Rng(seed);
    (0..n)
        .map(|i| {
            let (dept, leaf) = aisle_of(i, seed);
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

/// Popularity for every product, 20 co-purchase neighbours (same aisle) for one product in ten, and unit embeddings
/// of `dim` numbers (none when `dim` is 0) clustered by aisle.
pub fn model(n: usize, dim: usize, seed: u64) -> Model {
    let mut rng = Rng(seed.wrapping_add(1));
    let centres: Vec<Vec<f32>> = (0..300).map(|_| (0..dim).map(|_| rng.signed()).collect()).collect();
    let unit = |v: Vec<f32>| {
        let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(f32::MIN_POSITIVE);
        v.into_iter().map(|x| x / norm).collect::<Vec<f32>>()
    };
    let centres: Vec<Vec<f32>> = centres.into_iter().map(unit).collect();
    let mut m = Model { version: MODEL_VERSION, min_customers: 2, dim: dim as u32, ..Model::default() };
    for i in 0..n {
        let id = format!("sku-{i}");
        m.popularity.push((id.clone(), (1 + rng.below(1000)) as f64 / 1000.0));
        if rng.below(10) == 0 {
            let list = (0..20).map(|_| (format!("sku-{}", rng.below(n as u64)), (1 + rng.below(100)) as f64 / 100.0));
            m.neighbours.push((id.clone(), list.collect()));
        }
        if dim > 0 {
            let (dept, leaf) = aisle_of(i, 7);
            let c = centres.get((dept * 25 + leaf) as usize).cloned().unwrap_or_default();
            let v: Vec<f32> = c.iter().map(|x| x + 0.35 * rng.signed() / (dim as f32).sqrt()).collect();
            m.embeddings.push((id, unit(v)));
        }
    }
    m
}

/// `events` purchases over the months before `NOW`, four lines an order; with a gift, returns and a cancellation so
/// the cleaning rules act, and one huge quantity (the outlier rule).
pub fn history(n: usize, events: usize, seed: u64) -> Vec<Event> {
    let mut rng = Rng(seed);
    let favourites: Vec<u64> = (0..15).map(|_| rng.below(n as u64)).collect();
    let mut out: Vec<Event> = (0..events)
        .map(|i| {
            let fav = favourites.get(rng.below(15) as usize).copied().unwrap_or(0);
            let p = if rng.below(3) == 0 { rng.below(n as u64) } else { fav };
            Event {
                order_id: Some(format!("o{}", i / 4)),
                quantity: Some(if i == events / 2 { 400.0 } else { 1.0 + rng.below(3) as f64 }),
                ..Event::purchase(&format!("sku-{p}"), Timestamp(NOW - (events - i) as i64 * DAY / 2))
            }
        })
        .collect();
    if let Some(e) = out.get_mut(events / 3) {
        e.gift = Some(true);
    }
    out
}

/// The request: `events` of history, k, muted categories and impressions so every guardrail stage acts.
pub fn request(n: usize, events: usize, k: u32) -> RankRequest {
    let impressions: Vec<Impression> = (0..20i64)
        .map(|i| Impression {
            product_id: format!("sku-{}", (i as usize) * 37 % n.max(1)),
            at: Timestamp(NOW - (i + 1) * DAY / 4),
            surface: None,
            clicked: Some(false),
        })
        .collect();
    let muted = Muted { brands: Some(vec!["Brand 3".into()]), ..Muted::default() };
    let preferences = Preferences { muted: Some(muted), ..Preferences::default() };
    RankRequest {
        history: history(n, events, 11),
        preferences: Some(preferences),
        impressions: Some(impressions),
        context: Context { k: Some(k), ..Context::at(Timestamp(NOW)) },
    }
}
