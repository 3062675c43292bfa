//! Every guardrail over real shoppers: the Online Retail sample (1,103 customers) and the Complete Journey households
//! (84.51°, CC0; sensitive and durable categories mapped by policy), ranked as of the day after their last purchase.
//! Prints how many candidates each guardrail removed, and checks what must never happen on real data.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;
#[path = "common/retail.rs"]
mod retail;

use std::collections::{BTreeMap, HashMap, HashSet};
use tactful::*;

const DAY: i64 = 86_400_000;

fn add(totals: &mut BTreeMap<String, u64>, r: &Ranking) {
    for (code, n) in r.removed_counts.iter() {
        *totals.entry(code.clone()).or_default() += u64::from(*n);
    }
}

#[test]
fn online_retail_customers() {
    let data = retail::load("data/online-retail/sample.csv");
    let mut engine = Engine::new(&data.products, &EngineOptions::default()).unwrap();
    let mut totals = BTreeMap::new();
    for history in data.customers.values() {
        let now = Timestamp(history.iter().map(|e| e.at.millis()).max().unwrap() + DAY);
        let r = engine
            .rank(&RankRequest {
                history: history.clone(),
                preferences: None,
                impressions: None,
                context: Context::at(now),
            })
            .unwrap();
        assert_eq!(r.items.len(), 10);
        add(&mut totals, &r);
    }
    eprintln!("Online Retail, {} customers, k = 10: candidates removed per guardrail {totals:?}", data.customers.len());
    // The sample has no categories, lifecycles or sensitivity: only list-level and history guardrails can act.
    assert!(!totals.contains_key("SENSITIVE_CLASS") && !totals.contains_key("OWNED_DURABLE"));
}

/// Category names of the Complete Journey hierarchy and what the shop's policy says they are.
const SENSITIVE: [(&str, SensitivityClass); 22] = [
    ("DIAPERS & DISPOSABLES", SensitivityClass::PregnancyBaby),
    ("INFANT FORMULA", SensitivityClass::PregnancyBaby),
    ("BABY FOODS", SensitivityClass::PregnancyBaby),
    ("BABYFOOD", SensitivityClass::PregnancyBaby),
    ("BABY HBC", SensitivityClass::PregnancyBaby),
    ("INFANT CARE PRODUCTS", SensitivityClass::PregnancyBaby),
    ("PREGNANCY TEST KITS", SensitivityClass::PregnancyBaby),
    ("FAMILY PLANNING", SensitivityClass::ReproductiveHealth),
    ("FEMININE HYGIENE", SensitivityClass::IntimateCare),
    ("ADULT INCONTINENCE", SensitivityClass::IntimateCare),
    ("LAXATIVES", SensitivityClass::Medical),
    ("SMOKING CESSATIONS", SensitivityClass::Medical),
    ("DIETARY AID PRODUCTS", SensitivityClass::WeightLoss),
    ("CIGARETTES", SensitivityClass::Tobacco),
    ("CIGARS", SensitivityClass::Tobacco),
    ("TOBACCO OTHER", SensitivityClass::Tobacco),
    ("BEERS/ALES", SensitivityClass::Alcohol),
    ("DOMESTIC WINE", SensitivityClass::Alcohol),
    ("IMPORTED WINE", SensitivityClass::Alcohol),
    ("MISC WINE", SensitivityClass::Alcohol),
    ("LIQUOR", SensitivityClass::Alcohol),
    ("MISC. DAIRY", SensitivityClass::Medical), // a decoy name that exists, to show the mapping is by exact name
];

fn lifecycle(category: &str) -> Option<Lifecycle> {
    let durable =
        |days: f64| Some(Lifecycle { kind: LifecycleKind::Durable, lifetime_days: Some(days), repurchase_days: None });
    let consumable = |days: f64| {
        Some(Lifecycle { kind: LifecycleKind::Consumable, lifetime_days: None, repurchase_days: Some(days) })
    };
    match category {
        "PORTABLE ELECTRIC APPLIANCES" => durable(5.0 * 365.0),
        "PERSONAL CARE APPLIANCES" => durable(4.0 * 365.0),
        "COOKWARE & BAKEWARE" => durable(5.0 * 365.0),
        "FLUID MILK PRODUCTS" => consumable(7.0),
        "EGGS" => consumable(14.0),
        "BAKED BREAD/BUNS/ROLLS" => consumable(7.0),
        "YOGURT" => consumable(10.0),
        "COFFEE" => consumable(30.0),
        _ => None,
    }
}

#[test]
fn complete_journey_households() {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut reader = csv::Reader::from_path(format!("{root}/data/complete-journey/products.csv")).unwrap();
    let mut products = Vec::new();
    for row in reader.records() {
        let row = row.unwrap();
        let path: Vec<String> =
            [&row[2], &row[4], &row[5]].iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
        products.push(Product {
            id: row[0].to_string(),
            title: Some(row[5].trim().to_string()).filter(|t| !t.is_empty()),
            brand: Some(row[3].to_string()),
            lifecycle: lifecycle(row[4].trim()),
            category: Some(path),
            ..Product::default()
        });
    }
    let policy = Policy {
        sensitive_categories: Some(SENSITIVE.iter().map(|(name, class)| (name.to_string(), *class)).collect()),
        ..Policy::default()
    };
    let mut engine =
        Engine::new(&products, &EngineOptions { policy: Some(PolicySpec::Custom(Box::new(policy))), model: None })
            .unwrap();
    let sensitive: HashSet<&str> = products
        .iter()
        .filter(|p| p.category.iter().flatten().any(|c| SENSITIVE.iter().any(|(n, _)| n == c && *n != "MISC. DAIRY")))
        .map(|p| p.id.as_str())
        .collect();
    let mut households: HashMap<String, Vec<Event>> = HashMap::new();
    let mut reader = csv::Reader::from_path(format!("{root}/data/complete-journey/transactions_sample.csv")).unwrap();
    for row in reader.records() {
        let row = row.unwrap();
        households.entry(row[0].to_string()).or_default().push(Event {
            quantity: row[4].parse::<f64>().ok().filter(|q| *q > 0.0),
            order_id: Some(row[2].to_string()),
            ..Event::purchase(&row[3], Timestamp::parse_iso(&row[10]).unwrap())
        });
    }
    let mut totals = BTreeMap::new();
    let (mut shown_sensitive, mut bought_sensitive) = (0, 0);
    let mut keys: Vec<&String> = households.keys().collect();
    keys.sort();
    for key in &keys {
        let history = &households[*key];
        bought_sensitive += usize::from(history.iter().any(|e| sensitive.contains(e.product_id.as_str())));
        let now = Timestamp(history.iter().map(|e| e.at.millis()).max().unwrap() + DAY);
        let r = engine
            .rank(&RankRequest {
                history: history.clone(),
                preferences: None,
                impressions: None,
                context: Context::at(now),
            })
            .unwrap();
        assert_eq!(r.items.len(), 10, "household {key}");
        shown_sensitive += r.items.iter().filter(|i| sensitive.contains(i.product_id.as_str())).count();
        add(&mut totals, &r);
    }
    eprintln!(
        "Complete Journey, {} households ({} with sensitive purchases), {} products, k = 10: candidates removed per guardrail {totals:?}",
        keys.len(),
        bought_sensitive,
        products.len()
    );
    assert_eq!(shown_sensitive, 0, "no sensitive product in any household's list");
    assert!(bought_sensitive > 50, "the sample holds real sensitive purchases to protect");
    assert!(totals["SENSITIVE_CLASS"] > 0 && totals["COMPLIANCE"] > 0);
}
