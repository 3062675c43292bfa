//! Properties over random shops, histories and preferences (proptest): the guarantees hold for every input, not
//! just the examples.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use proptest::prelude::*;
use tactful::*;

const DAY: i64 = 86_400_000;
const START: i64 = 1_704_067_200_000; // 2024-01-01
const NOW: i64 = START + 365 * DAY;

fn class(i: u8) -> Option<SensitivityClass> {
    SensitivityClass::ALL.get(i as usize).copied()
}

prop_compose! {
    fn product_strategy(i: usize)(
        dept in 0..5u8, leaf in 0..3u8, sens in 0..40u8, stock in 0..10u8, life in 0..6u8,
        days in 3.0..400.0f64, brand in 0..4u8, line in 0..6u8, compat in 0..8u8, price in 0.0..500.0f64,
        launched in proptest::option::of(0..400i64), tag in 0..5u8,
    ) -> Product {
        Product {
            id: format!("p{i}"),
            title: Some(format!("Product {i}")),
            category: Some(vec![format!("D{dept}"), format!("D{dept}L{leaf}")]),
            brand: (brand < 3).then(|| format!("B{brand}")),
            price: Some(price),
            in_stock: Some(stock != 0),
            launched_at: launched.map(|d| Timestamp(START + d * DAY)),
            lifecycle: match life {
                0 => Some(Lifecycle { kind: LifecycleKind::Durable, lifetime_days: Some(days), repurchase_days: None }),
                1 => Some(Lifecycle { kind: LifecycleKind::Consumable, lifetime_days: None, repurchase_days: Some(days) }),
                _ => None,
            },
            product_line: (line < 3).then(|| format!("dev{}-{line}", line % 2)),
            compatible_with: (compat < 3).then(|| vec![format!("dev{}-{compat}", compat % 2)]),
            sensitivity: if sens < 10 { class(sens) } else { None },
            tags: (tag == 0).then(|| vec!["clearance".to_string()]),
        }
    }
}

fn catalog() -> impl Strategy<Value = Vec<Product>> {
    (10usize..60).prop_flat_map(|n| (0..n).map(product_strategy).collect::<Vec<_>>())
}

prop_compose! {
    fn event_strategy(n: usize)(
        p in 0..n + 3, day in 0..400i64, kind in 0..10u8, qty in 1..5u8, gift in 0..10u8, ship in 0..4u8,
        member in 0..6u8, order in 0..30u8,
    ) -> Event {
        Event {
            product_id: format!("p{p}"),
            at: Timestamp(START + day * DAY),
            kind: Some(match kind { 0 => EventType::Return, 1 => EventType::Cancel, _ => EventType::Purchase }),
            quantity: Some(f64::from(qty)),
            price: None,
            order_id: Some(format!("o{order}")),
            gift: Some(gift == 0),
            ship_to: (ship < 2).then(|| format!("s{ship}")),
            member: (member < 2).then(|| format!("m{member}")),
        }
    }
}

prop_compose! {
    fn prefs_strategy(n: usize)(
        consent in 0..8u8, opt in proptest::collection::vec(0..10u8, 0..4), muted_cat in proptest::option::of(0..5u8),
        muted_brand in proptest::option::of(0..3u8), muted_product in proptest::option::of(0..n),
        forgotten in proptest::collection::vec(0..4u8, 0..2), shared in any::<bool>(), discovery in 0.0..1.0f64,
        intensity in 0..3u8, interest in proptest::option::of(0..5u8),
    ) -> Preferences {
        Preferences {
            consent: Some(Consent { personalization: Some(consent != 0), email: Some(consent != 1), push: None }),
            sensitive_opt_in: Some(opt.into_iter().filter_map(class).collect()),
            muted: Some(Muted {
                categories: muted_cat.map(|d| vec![format!("D{d}")]),
                brands: muted_brand.map(|b| vec![format!("b{b}")]),
                products: muted_product.map(|p| vec![format!("p{p}")]),
            }),
            forgotten: Some(forgotten.into_iter().map(|f| match f {
                0 => "pregnancy_baby".to_string(),
                1 => "D1L2".to_string(),
                2 => "B1".to_string(),
                _ => "p3".to_string(),
            }).collect()),
            shared_device: Some(shared),
            interests: interest.map(|d| vec![format!("D{d}")]),
            intensity: Some([Intensity::Subtle, Intensity::Moderate, Intensity::Strong][intensity as usize]),
            discovery: Some(discovery),
            not_gifts: None,
            quiet_hours: None,
            message_caps: None,
        }
    }
}

fn case() -> impl Strategy<Value = (Vec<Product>, RankRequest, u8)> {
    catalog().prop_flat_map(|products| {
        let n = products.len();
        (
            Just(products),
            proptest::collection::vec(event_strategy(n), 0..40),
            prefs_strategy(n),
            0..5u8,
            1..30u32,
            any::<u32>(),
            any::<(bool, bool)>(),
            proptest::option::of(0..n),
            0..4u8,
        )
            .prop_map(move |(products, history, prefs, surface, k, seed, (alc, tob), seed_product, preset)| {
                let surface =
                    [Surface::Home, Surface::Product, Surface::Cart, Surface::Email, Surface::Push][surface as usize];
                let context = Context {
                    surface: Some(surface),
                    k: Some(k),
                    seed: Some(seed),
                    eligibility: Some(Eligibility { alcohol: Some(alc), tobacco: Some(tob) }),
                    seed_product_id: seed_product.map(|p| format!("p{p}")),
                    cart: seed_product.map(|p| vec![format!("p{}", (p + 1) % n)]),
                    ..Context::at(Timestamp(NOW))
                };
                let impressions = history
                    .iter()
                    .take(6)
                    .map(|e| Impression {
                        product_id: e.product_id.clone(),
                        at: Timestamp(NOW - DAY),
                        surface: None,
                        clicked: Some(false),
                    })
                    .collect();
                (
                    products,
                    RankRequest { history, preferences: Some(prefs), impressions: Some(impressions), context },
                    preset,
                )
            })
    })
}

fn policy(preset: u8) -> EngineOptions {
    let preset = [PolicyPreset::Conservative, PolicyPreset::Balanced, PolicyPreset::Bold, PolicyPreset::Balanced]
        [preset as usize];
    let brand_rules = vec![BrandRule {
        brand: "B2".into(),
        not_on: Some(vec![Surface::Email]),
        not_with_tags: Some(vec!["clearance".into()]),
    }];
    EngineOptions {
        policy: Some(PolicySpec::Custom(Box::new(Policy {
            preset: Some(preset),
            brand_rules: Some(brand_rules),
            ..Policy::default()
        }))),
        model: None,
    }
}

/// Cases per property: `TACTFUL_PROPTEST_CASES` (the long run is 10,000: docs/hardening.md), else 192 (CI).
fn cases() -> u32 {
    std::env::var("TACTFUL_PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(192)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn guarantees_hold_for_every_input((products, req, preset) in case()) {
        let mut engine = Engine::new(&products, &policy(preset)).unwrap();
        let r = engine.rank(&req).unwrap();
        let prefs = req.preferences.clone().unwrap();
        let ctx = &req.context;
        let surface = ctx.surface.unwrap();
        let by_id = |id: &str| products.iter().find(|p| p.id == id);
        prop_assert!(r.items.len() <= ctx.k.unwrap() as usize);
        prop_assert!(r.evidence.is_finite());
        let mut seen = std::collections::HashSet::new();
        for item in &r.items {
            // Output ⊆ the eligible catalog, once each, never what the shopper is looking at.
            let p = by_id(&item.product_id).expect("a catalog product");
            prop_assert!(seen.insert(&item.product_id));
            prop_assert!(p.in_stock != Some(false));
            prop_assert!(item.score.is_finite());
            prop_assert!(!item.reasons.is_empty());
            prop_assert!(ctx.seed_product_id.as_deref() != Some(p.id.as_str()));
            prop_assert!(!ctx.cart.iter().flatten().any(|c| c == &p.id));
            // No sensitive class without an opt-in; never on a shared device or in a message.
            if let Some(class) = p.sensitivity {
                prop_assert!(prefs.sensitive_opt_in.iter().flatten().any(|c| *c == class), "{} {:?}", p.id, class);
                prop_assert!(prefs.shared_device != Some(true));
                prop_assert!(!surface.is_message());
                if class == SensitivityClass::Alcohol {
                    prop_assert!(ctx.eligibility.as_ref().unwrap().alcohol == Some(true));
                }
                if class == SensitivityClass::Tobacco {
                    prop_assert!(ctx.eligibility.as_ref().unwrap().tobacco == Some(true));
                }
            }
            // Muted and forgotten never appear.
            let muted = prefs.muted.as_ref().unwrap();
            let dept = &p.category.as_ref().unwrap()[0];
            let leaf = &p.category.as_ref().unwrap()[1];
            prop_assert!(!muted.categories.iter().flatten().any(|c| c.eq_ignore_ascii_case(dept)));
            prop_assert!(!muted.brands.iter().flatten().any(|b| p.brand.as_deref().is_some_and(|x| x.eq_ignore_ascii_case(b))));
            prop_assert!(!muted.products.iter().flatten().any(|x| x == &p.id));
            for topic in prefs.forgotten.iter().flatten() {
                prop_assert!(topic != &p.id && !topic.eq_ignore_ascii_case(leaf));
                prop_assert!(p.brand.as_deref() != Some(topic.as_str()));
                prop_assert!(!(topic == "pregnancy_baby" && p.sensitivity == Some(SensitivityClass::PregnancyBaby)));
            }
            if p.brand.as_deref() == Some("B2") {
                prop_assert!(surface != Surface::Email);
            }
        }
        // "Why not?" never names a sensitive product the shopper did not opt into, nor a muted one.
        for x in &r.removed {
            let p = by_id(&x.product_id).expect("a catalog product");
            if let Some(class) = p.sensitivity {
                prop_assert!(prefs.sensitive_opt_in.iter().flatten().any(|c| *c == class), "{} named", p.id);
            }
            prop_assert!(!prefs.muted.as_ref().unwrap().products.iter().flatten().any(|m| m == &p.id));
        }
        // Determinism: the same call, and a fresh engine, give the same output.
        prop_assert_eq!(&engine.rank(&req).unwrap(), &r);
        prop_assert_eq!(&Engine::new(&products, &policy(preset)).unwrap().rank(&req).unwrap(), &r);
    }

    #[test]
    fn without_consent_the_history_changes_nothing((products, mut req, preset) in case()) {
        let mut engine = Engine::new(&products, &policy(preset)).unwrap();
        let prefs = req.preferences.as_mut().unwrap();
        prefs.consent = Some(Consent { personalization: Some(false), ..Consent::default() });
        let with_history = engine.rank(&req).unwrap();
        req.history.clear();
        prop_assert_eq!(with_history.items, engine.rank(&req).unwrap().items);
    }

    #[test]
    fn a_higher_price_never_removes_a_product_nor_costs_it_more_than_the_price_term(
        (mut products, req, preset) in case(), pick in any::<prop::sample::Index>(), factor in 1.0..10.0f64,
    ) {
        let i = pick.index(products.len());
        let id = products[i].id.clone();
        let before = Engine::new(&products, &policy(preset)).unwrap().rank(&req).unwrap();
        let old = products[i].price.unwrap();
        products[i].price = Some(old * factor + 1.0);
        let after = Engine::new(&products, &policy(preset)).unwrap().rank(&req).unwrap();
        let score = |r: &Ranking| r.items.iter().find(|x| x.product_id == id).map(|x| x.score);
        if let Some(s0) = score(&before) {
            let s1 = score(&after);
            prop_assert!(s1.is_some(), "{id} dropped when its price rose");
            let price_weight = Settings::preset(PolicyPreset::Balanced).price_weight;
            // The price term is the only place price enters, and it never exceeds `priceWeight`: the score moves by
            // at most that much either way (other items' price terms shift when the catalog's top price moves, and
            // a stated interest's lift is relative to them).
            prop_assert!(s1.unwrap() >= s0 - price_weight - 1e-6, "score fell by more than the price term: {s0} -> {:?}", s1);
            prop_assert!(s1.unwrap() <= s0 + price_weight + 1e-6);
        }
    }
}
