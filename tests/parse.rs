//! The readers in `parse.rs` and the serde names the TypeScript types come from must agree: every input type, fully
#![cfg(not(target_arch = "wasm32"))]
//! populated, serialized with serde and read back, is unchanged. A renamed or forgotten field fails here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use tactful::read::value::{read, FromValue, Value};
use tactful::*;

fn round_trip<T: serde::Serialize + FromValue + PartialEq + std::fmt::Debug>(x: &T) {
    let json = serde_json::to_value(x).unwrap();
    let back: T = read(&Value::from(json.clone()), "").unwrap_or_else(|e| panic!("{e} in {json}"));
    assert_eq!(&back, x);
}

fn t(s: &str) -> Timestamp {
    Timestamp::parse_iso(s).unwrap()
}

#[test]
fn every_input_type_round_trips_through_its_serde_names() {
    let product = Product {
        id: "ipad-case".into(),
        title: Some("Case".into()),
        category: Some(vec!["Tech".into(), "Cases".into()]),
        brand: Some("Acme".into()),
        price: Some(19.5),
        in_stock: Some(false),
        launched_at: Some(t("2024-01-02T03:04:05Z")),
        lifecycle: Some(Lifecycle {
            kind: LifecycleKind::Consumable,
            lifetime_days: Some(10.0),
            repurchase_days: Some(30.0),
        }),
        product_line: Some("ipad-case-11".into()),
        compatible_with: Some(vec!["ipad-pro-11".into()]),
        sensitivity: Some(SensitivityClass::FinancialDistress),
        tags: Some(vec!["clearance".into()]),
    };
    round_trip(&product);
    let event = Event {
        product_id: "p".into(),
        at: t("2024-02-02"),
        kind: Some(EventType::Return),
        quantity: Some(2.0),
        price: Some(3.5),
        order_id: Some("o1".into()),
        gift: Some(true),
        ship_to: Some("s1".into()),
        member: Some("m1".into()),
    };
    let prefs = Preferences {
        consent: Some(Consent { personalization: Some(true), email: Some(false), push: Some(true) }),
        sensitive_opt_in: Some(vec![SensitivityClass::PregnancyBaby, SensitivityClass::Romance]),
        muted: Some(Muted {
            categories: Some(vec!["Garden".into()]),
            brands: Some(vec!["Acme".into()]),
            products: Some(vec!["x".into()]),
        }),
        forgotten: Some(vec!["baby".into()]),
        shared_device: Some(true),
        interests: Some(vec!["Kitchen".into()]),
        intensity: Some(Intensity::Subtle),
        discovery: Some(0.4),
        not_gifts: Some(vec!["o1".into()]),
        quiet_hours: Some(tactful::message::DailyWindow::new(22 * 60, 7 * 60 + 30)),
        message_caps: Some(tactful::message::MessageCaps { per_day: Some(1), per_week: Some(2) }),
    };
    let context = Context {
        now: t("2024-03-03T10:00:00Z"),
        surface: Some(Surface::Product),
        seed_product_id: Some("p".into()),
        cart: Some(vec!["q".into()]),
        k: Some(12),
        seed: Some(7),
        eligibility: Some(Eligibility { alcohol: Some(true), tobacco: Some(false) }),
        utc_offset_minutes: Some(-300),
        device: Some(Device::Tablet),
    };
    round_trip(&RankRequest {
        history: vec![event.clone()],
        preferences: Some(prefs.clone()),
        impressions: Some(vec![Impression {
            product_id: "p".into(),
            at: t("2024-03-01"),
            surface: Some(Surface::Email),
            clicked: Some(false),
        }]),
        context: context.clone(),
    });
    round_trip(&ProfileRequest { history: vec![event], preferences: Some(prefs), context });
    let policy = Policy {
        preset: Some(PolicyPreset::Conservative),
        half_life_days: Some(30.0),
        min_evidence: Some(1.0),
        min_occasions: Some(3),
        evidence_half: Some(2.0),
        diversity: Some(0.5),
        max_per_category: Some(2),
        discovery: Some(0.3),
        new_share: Some(0.2),
        new_arrival_days: Some(14.0),
        fatigue_impressions: Some(4),
        fatigue_days: Some(3.0),
        infer_gifts: Some(false),
        outlier_quantity_factor: Some(5.0),
        non_product_ids: Some(vec!["POST".into()]),
        sensitive_categories: Some([("DIAPERS".to_string(), SensitivityClass::PregnancyBaby)].into_iter().collect()),
        product_families: Some([("ipad-pro-11".to_string(), "apple-mobile".to_string())].into_iter().collect()),
        regulated_classes: Some(vec![SensitivityClass::Alcohol]),
        regulated_on_messages: Some(true),
        brand_rules: Some(vec![BrandRule {
            brand: "Lux".into(),
            not_on: Some(vec![Surface::Email]),
            not_with_tags: Some(vec!["clearance".into()]),
        }]),
        personalized_surfaces: Some(vec![Surface::Home]),
        shared_device_personal: Some(false),
        boost_tags: Some([("new-season".to_string(), 0.2)].into_iter().collect()),
        max_removed: Some(5),
        price_weight: Some(0.01),
        due_window: Some(0.9),
        repeat_confidence: Some(2.0),
    };
    round_trip(&policy);
    round_trip(&EngineOptions {
        policy: Some(PolicySpec::Custom(Box::new(policy))),
        model: Some(Model {
            version: 1,
            min_customers: 5,
            popularity: vec![("a".into(), 3.0)],
            trending: vec![("a".into(), 1.5)],
            repeat: vec![("a".into(), 0.25)],
            neighbours: vec![("a".into(), vec![("b".into(), 0.5)])],
            dim: 2,
            embeddings: vec![("a".into(), vec![0.25, -0.5])],
        }),
    });
    round_trip(&EngineOptions { policy: Some(PolicySpec::Preset(PolicyPreset::Bold)), model: None });
}

#[test]
fn policy_keys_list_matches_the_policy_type() {
    // Every key the reader accepts is a field the serde side writes, and the other way round.
    let full = serde_json::json!({"preset":"bold"});
    let p: Policy = read(&Value::from(full), "policy").unwrap();
    assert_eq!(p.preset, Some(PolicyPreset::Bold));
    let written = serde_json::to_value(Policy { half_life_days: Some(1.0), ..Policy::default() }).unwrap();
    assert_eq!(written.as_object().unwrap().len(), 1, "absent knobs are not written");
    for key in Policy::KEYS {
        let v = Value::from_json(&format!(r#"{{"{key}": null}}"#)).unwrap();
        read::<Policy>(&v, "policy").unwrap_or_else(|e| panic!("{key}: {e}"));
    }
}

#[test]
fn dates_and_numbers_are_both_timestamps() {
    let a: Event =
        read(&Value::from_json(r#"{"productId":"p","at":"2024-01-01T00:00:00+01:00"}"#).unwrap(), "").unwrap();
    let b: Event = read(&Value::from_json(r#"{"productId":"p","at":1704063600000}"#).unwrap(), "").unwrap();
    assert_eq!(a.at, b.at);
}
