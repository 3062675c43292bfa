//! A small shop with one product for each guardrail to act on, plus filler.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use super::*;

pub fn with(id: &str, path: &[&str], f: impl FnOnce(&mut Product)) -> Product {
    let mut p = product(id, path);
    f(&mut p);
    p
}

pub fn durable(days: f64) -> Option<Lifecycle> {
    Some(Lifecycle { kind: LifecycleKind::Durable, lifetime_days: Some(days), repurchase_days: None })
}

pub fn consumable(days: f64) -> Option<Lifecycle> {
    Some(Lifecycle { kind: LifecycleKind::Consumable, lifetime_days: None, repurchase_days: Some(days) })
}

pub fn shop() -> Vec<Product> {
    let mut s = store();
    s.extend([
        with("ipad", &["Tech", "Tablets"], |p| p.product_line = Some("ipad-pro-11".into())),
        with("iphone", &["Tech", "Phones"], |p| p.product_line = Some("iphone-15".into())),
        with("case-ipad", &["Tech", "Cases"], |p| p.compatible_with = Some(vec!["ipad-pro-11".into()])),
        with("case-iphone", &["Tech", "Cases"], |p| p.compatible_with = Some(vec!["iphone-15".into()])),
        with("fridge-a", &["Home", "Fridges"], |p| p.lifecycle = durable(3650.0)),
        with("fridge-b", &["Home", "Fridges"], |p| p.lifecycle = durable(3650.0)),
        with("milk", &["Grocery", "Dairy"], |p| p.lifecycle = consumable(7.0)),
        with("diapers", &["Baby", "Diapers"], |p| p.sensitivity = Some(SensitivityClass::PregnancyBaby)),
        with("test-kit", &["Health", "Pregnancy"], |p| p.sensitivity = Some(SensitivityClass::PregnancyBaby)),
        with("ring", &["Jewelry", "Rings"], |p| p.sensitivity = Some(SensitivityClass::Romance)),
        with("beer", &["Drinks", "Beer"], |p| p.sensitivity = Some(SensitivityClass::Alcohol)),
        with("lux-bag", &["Fashion", "Bags"], |p| p.brand = Some("Lux".into())),
        with("clearance-tee", &["Fashion", "Tees"], |p| p.tags = Some(vec!["clearance".into()])),
        with("oos", &["Grocery", "Grocery aisle 0"], |p| p.in_stock = Some(false)),
        with("toy", &["Toys", "Plush"], |_| {}),
    ]);
    s
}

/// A request that ranks the whole shop (k = 200), so "never appears" means never.
pub fn all(history: Vec<Event>, now: &str) -> RankRequest {
    let mut r = request(history, now);
    r.context.k = Some(200);
    r
}

pub fn prefs(f: impl FnOnce(&mut Preferences)) -> Option<Preferences> {
    let mut p = Preferences::default();
    f(&mut p);
    Some(p)
}

/// A history with enough evidence for personal mode: weekly groceries.
pub fn regular(now_month: u32) -> Vec<Event> {
    (1..=8).map(|d| buy(&format!("gr0{}", d % 5), &format!("2024-{now_month:02}-{:02}", d * 2))).collect()
}

pub fn has(r: &Ranking, id: &str) -> bool {
    r.items.iter().any(|i| i.product_id == id)
}

pub fn removal<'a>(r: &'a Ranking, id: &str) -> &'a Removal {
    r.removed.iter().find(|x| x.product_id == id).unwrap_or_else(|| panic!("{id} not in removed: {:?}", r.removed))
}

/// The summary sentence of a guardrail code.
pub fn summary<'a>(r: &'a Ranking, code: &str) -> &'a str {
    r.summary
        .iter()
        .find(|x| x.code == code)
        .map(|x| x.text.as_str())
        .unwrap_or_else(|| panic!("no {code} in {:?}", r.summary))
}

/// Neither shown nor named: only counted.
pub fn unnamed(r: &Ranking, id: &str) -> bool {
    !has(r, id) && r.removed.iter().all(|x| x.product_id != id)
}
