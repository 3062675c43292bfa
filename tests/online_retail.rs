//! Real data: every customer of the Online Retail sample (1,103) profiles and ranks without error, and the cleaning
//! rules touch the lines they should.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;
#[path = "common/retail.rs"]
mod retail;

use std::collections::BTreeMap;
use std::time::Instant;
use tactful::*;

const NON_PRODUCT: [&str; 7] = ["POST", "M", "C2", "DOT", "CRUK", "D", "BANK CHARGES"];

#[test]
fn every_customer_of_the_sample_profiles_and_cleaning_touches_the_right_lines() {
    let data = retail::load("data/online-retail/sample.csv");
    assert_eq!(data.customers.len(), 1_103);
    let mut engine = Engine::new(&data.products, &EngineOptions::default()).unwrap();
    let mut totals: BTreeMap<String, u32> = BTreeMap::new();
    let (mut cancels, mut non_products, mut lines) = (0u32, 0u32, 0usize);
    let started = Instant::now();
    for (customer, history) in &data.customers {
        let last = history.iter().map(|e| e.at).max().unwrap();
        let now = Timestamp(last.millis() + 86_400_000);
        let p = engine
            .profile(&ProfileRequest { history: history.clone(), preferences: None, context: Context::at(now) })
            .unwrap_or_else(|e| panic!("customer {customer}: {e}"));
        lines += history.len();
        for (rule, n) in &p.cleaning {
            *totals.entry(rule.clone()).or_default() += n;
        }
        assert!(p.evidence.is_finite() && p.evidence >= 0.0);
        // Every cancellation line is accounted for: it netted a purchase, found none, repeated a line, or was a fee.
        for (i, e) in history.iter().enumerate() {
            let ignored: Vec<&str> =
                p.ignored.iter().filter(|l| l.index as usize == i).map(|l| l.reason.as_str()).collect();
            if NON_PRODUCT.contains(&e.product_id.as_str()) {
                non_products += 1;
                assert_eq!(ignored, ["NON_PRODUCT"], "customer {customer} line {i}");
            } else if e.kind == Some(EventType::Cancel) {
                cancels += 1;
                assert!(
                    matches!(ignored.as_slice(), ["CANCELLED"] | ["UNMATCHED_CANCEL"] | ["DUPLICATE"]),
                    "customer {customer} line {i}: {ignored:?}"
                );
            }
        }
        // A ranking for the same moment never fails and never offers what the shopper cancelled in full.
        let r = engine
            .rank(&RankRequest {
                history: history.clone(),
                preferences: None,
                impressions: None,
                context: Context::at(now),
            })
            .unwrap();
        assert_eq!(r.items.len(), 10);
    }
    eprintln!("profiled and ranked {} customers ({lines} lines) in {:?}", data.customers.len(), started.elapsed());
    eprintln!("lines per cleaning rule: {totals:?}");
    assert_eq!(
        non_products, 519,
        "the sample's non-product lines (POST 335, M 111, C2 23, DOT 16, CRUK 16, D 15, BANK CHARGES 3)"
    );
    assert_eq!(totals["NON_PRODUCT"], 519);
    assert_eq!(cancels, 1_882 - 101, "cancellation lines of products (101 more cancel fees and postage)");
    assert!(totals["CANCELLED"] >= 1_500, "most cancellations find the purchase they undo");
    assert!(!totals.contains_key("UNKNOWN_PRODUCT"), "the catalog holds every product of the sample");
    assert!(totals["USED"] > 90_000);
}
