//! Shared fixtures for the native integration tests: small catalogs that say what each guardrail needs.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use tactful::*;

pub mod shop;

pub fn ts(s: &str) -> Timestamp {
    Timestamp::parse_iso(s).unwrap()
}

pub fn product(id: &str, path: &[&str]) -> Product {
    Product {
        id: id.into(),
        title: Some(format!("Product {id}")),
        category: Some(path.iter().map(|s| s.to_string()).collect()),
        ..Product::default()
    }
}

pub fn buy(id: &str, at: &str) -> Event {
    Event::purchase(id, ts(at))
}

pub fn request(history: Vec<Event>, now: &str) -> RankRequest {
    RankRequest { history, preferences: None, impressions: None, context: Context::at(ts(now)) }
}

pub fn engine(products: &[Product]) -> Engine {
    Engine::new(products, &EngineOptions::default()).unwrap()
}

pub fn engine_with(products: &[Product], policy: Policy) -> Engine {
    Engine::new(products, &EngineOptions { policy: Some(PolicySpec::Custom(Box::new(policy))), model: None }).unwrap()
}

pub fn ids(r: &Ranking) -> Vec<&str> {
    r.items.iter().map(|i| i.product_id.as_str()).collect()
}

pub fn removed_code<'a>(r: &'a Ranking, id: &str) -> Option<&'a str> {
    r.removed.iter().find(|x| x.product_id == id).map(|x| x.code.as_str())
}

/// A grocery-and-home store: 3 departments × 4 leaves × 5 products, plus special products appended by tests.
pub fn store() -> Vec<Product> {
    let mut out = Vec::new();
    for (d, dept) in ["Grocery", "Home", "Garden"].iter().enumerate() {
        for leaf in 0..4 {
            for i in 0..5 {
                let mut p = product(
                    &format!("{}{}{}", &dept[..2].to_lowercase(), leaf, i),
                    &[dept, &format!("{dept} aisle {leaf}")],
                );
                p.price = Some(1.0 + (d * 20 + leaf * 5 + i) as f64);
                out.push(p);
            }
        }
    }
    out
}
