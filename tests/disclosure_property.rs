//! The universal disclosure property: over random catalogs (with a co-purchase model, so "often bought with …"
//! reasons happen), histories (sensitive, gift, returned, muted, forgotten, unknown and future-dated lines, household
//! members and ship-to tokens), preferences, surfaces, carts, seeds and shared states, the WHOLE serialized output of
//! `rank`, `profile` and the messaging helpers never carries the id or the title of a product that may not be named
//! to that reader. The rules are restated here independently of the engine (the oracle below), from the issue's
//! product decisions, so a regression in the gate cannot hide behind the gate itself.
//!
//! CI runs `TACTFUL_DISCLOSURE_CASES` cases (else `TACTFUL_PROPTEST_CASES`, else 1,000); the documented long run is
//! `TACTFUL_DISCLOSURE_CASES=10000 cargo test --release --test disclosure_property` (README, "Disclosure"), or all
//! properties at once with `TACTFUL_PROPTEST_CASES` (docs/hardening.md).
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod disclosure_oracle;
use disclosure_oracle::{leak, pid, shared, title, Oracle};
use proptest::prelude::*;
use std::collections::HashSet;
use tactful::message::{send, SendRequest};
use tactful::*;

const DAY: i64 = 86_400_000;
const START: i64 = 1_704_067_200_000; // 2024-01-01
const NOW: i64 = START + 365 * DAY;

fn class(i: u8) -> Option<SensitivityClass> {
    SensitivityClass::ALL.get(i as usize).copied()
}

prop_compose! {
    fn product_strategy(i: usize)(
        dept in 0..5u8, leaf in 0..3u8, sens in 0..30u8, life in 0..6u8, days in 3.0..400.0f64, brand in 0..4u8,
        line in 0..5u8, compat in 0..6u8, launched in proptest::option::of(0..400i64),
    ) -> Product {
        Product {
            id: pid(i),
            title: Some(title(i)),
            category: Some(vec![format!("Dept{dept}"), format!("Dept{dept}Leaf{leaf}")]),
            brand: (brand < 3).then(|| format!("Brand{brand}")),
            price: Some(1.0 + f64::from(dept) * 3.0 + f64::from(leaf)),
            in_stock: None,
            launched_at: launched.map(|d| Timestamp(START + d * DAY)),
            lifecycle: match life {
                0 => Some(Lifecycle { kind: LifecycleKind::Durable, lifetime_days: Some(days), repurchase_days: None }),
                1 => Some(Lifecycle { kind: LifecycleKind::Consumable, lifetime_days: None, repurchase_days: Some(days) }),
                _ => None,
            },
            product_line: (line < 2).then(|| format!("line-{line}")),
            compatible_with: (compat < 2).then(|| vec![format!("line-{compat}")]),
            sensitivity: if sens < 10 { class(sens) } else { None },
            tags: None,
        }
    }
}

prop_compose! {
    fn event_strategy(n: usize)(
        p in 0..n + 3, day in 0..380i64, kind in 0..12u8, qty in 1..4u8, gift in 0..8u8, ship in 0..6u8,
        member in 0..8u8, order in 0..25u8,
    ) -> Event {
        Event {
            product_id: pid(p),
            // Up to 15 days after `now`: future-dated lines, as a page sending local time without an offset makes.
            at: Timestamp(START + day * DAY),
            kind: Some(match kind { 0 => EventType::Return, 1 => EventType::Cancel, _ => EventType::Purchase }),
            quantity: Some(f64::from(qty)),
            price: None,
            order_id: Some(format!("ord{order}")),
            gift: Some(gift == 0),
            ship_to: (ship < 2).then(|| format!("ship{ship}")),
            member: (member < 2).then(|| format!("mem{member}")),
        }
    }
}

prop_compose! {
    fn prefs_strategy(n: usize)(
        consent in 0..8u8, opt in proptest::collection::vec(0..10u8, 0..5),
        muted_cat in proptest::option::of(0..5u8), muted_brand in proptest::option::of(0..3u8),
        muted_product in proptest::collection::vec(0..n, 0..3), forgotten in proptest::collection::vec(0..6u8, 0..3),
        forgotten_product in proptest::option::of(0..n + 3), shared in 0..3u8,
    ) -> Preferences {
        let mut forgotten: Vec<String> = forgotten.into_iter().map(|f| match f {
            0 => "pregnancy_baby".to_string(),
            1 => "Dept1Leaf2".to_string(),
            2 => "Brand1".to_string(),
            3 => "romance".to_string(),
            4 => "Dept3".to_string(),
            _ => "medical".to_string(),
        }).collect();
        forgotten.extend(forgotten_product.map(pid));
        Preferences {
            consent: Some(Consent { personalization: Some(consent != 0), email: Some(consent != 1), push: None }),
            sensitive_opt_in: Some(opt.into_iter().filter_map(class).collect()),
            muted: Some(Muted {
                categories: muted_cat.map(|d| vec![format!("Dept{d}")]),
                brands: muted_brand.map(|b| vec![format!("Brand{b}")]),
                products: Some(muted_product.into_iter().map(pid).collect()),
            }),
            forgotten: Some(forgotten),
            shared_device: [None, Some(true), Some(false)][shared as usize],
            ..Preferences::default()
        }
    }
}

/// Co-purchase neighbours between random products (including sensitive and muted ones), popularity for all.
fn model_strategy(n: usize) -> impl Strategy<Value = Model> {
    proptest::collection::vec((0..n, 0..n, 0.05..1.0f64), 0..n * 3).prop_map(move |pairs| {
        let mut neighbours: Vec<(String, Vec<(String, f64)>)> = Vec::new();
        for (a, b, w) in pairs {
            if a == b {
                continue;
            }
            match neighbours.iter_mut().find(|x| x.0 == pid(a)) {
                Some(list) if !list.1.iter().any(|x| x.0 == pid(b)) => list.1.push((pid(b), w)),
                Some(_) => {}
                None => neighbours.push((pid(a), vec![(pid(b), w)])),
            }
        }
        Model {
            version: 1,
            min_customers: 5,
            popularity: (0..n).map(|i| (pid(i), (n - i) as f64)).collect(),
            trending: Vec::new(),
            repeat: Vec::new(),
            neighbours,
            dim: 0,
            embeddings: Vec::new(),
        }
    })
}

#[derive(Debug)]
struct Case {
    products: Vec<Product>,
    model: Model,
    req: RankRequest,
}

fn case() -> impl Strategy<Value = Case> {
    (8usize..40).prop_flat_map(|n| ((0..n).map(product_strategy).collect::<Vec<_>>(), model_strategy(n))).prop_flat_map(
        |(products, model)| {
            let n = products.len();
            (
                Just(products),
                Just(model),
                proptest::collection::vec(event_strategy(n), 0..45),
                prefs_strategy(n),
                0..5u8,
                1..25u32,
                proptest::option::of(0..n),
                proptest::collection::vec(0..n, 0..3),
            )
                .prop_map(|(products, model, history, prefs, surface, k, seed_product, cart)| {
                    let surface = [Surface::Home, Surface::Product, Surface::Cart, Surface::Email, Surface::Push]
                        [surface as usize];
                    let context = Context {
                        surface: Some(surface),
                        k: Some(k),
                        seed_product_id: seed_product.map(pid),
                        cart: Some(cart.into_iter().map(pid).collect()),
                        ..Context::at(Timestamp(NOW))
                    };
                    Case {
                        products,
                        model,
                        req: RankRequest { history, preferences: Some(prefs), impressions: None, context },
                    }
                })
        },
    )
}

fn household_likely(engine: &Engine, req: &RankRequest) -> bool {
    let profile = engine
        .profile(&ProfileRequest {
            history: req.history.clone(),
            preferences: req.preferences.clone(),
            context: req.context.clone(),
        })
        .unwrap();
    profile.shared_use.likely
}

fn check(text: &str, forbidden: &[String], what: &str) -> Result<(), TestCaseError> {
    if let Some(f) = leak(text, forbidden) {
        prop_assert!(false, "{what} names {f}: {text}");
    }
    Ok(())
}

fn cases() -> u32 {
    ["TACTFUL_DISCLOSURE_CASES", "TACTFUL_PROPTEST_CASES"]
        .iter()
        .find_map(|name| std::env::var(name).ok().and_then(|v| v.parse().ok()))
        .unwrap_or(1000)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn nothing_that_may_not_be_named_is_named_anywhere(case in case()) {
        let Case { products, model, req } = case;
        let options = EngineOptions { policy: None, model: Some(model) };
        let mut engine = Engine::new(&products, &options).unwrap();
        let prefs = req.preferences.clone().unwrap();
        let surface = req.context.surface.unwrap();
        let consent = prefs.consent.as_ref().and_then(|c| c.personalization) != Some(false);
        let household = household_likely(&engine, &req);
        let shared = shared(&prefs, household);
        let own: HashSet<&str> = req.history.iter().map(|e| e.product_id.as_str()).collect();

        // rank: the whole serialized ranking.
        let ranking = engine.rank(&req).unwrap();
        let text = serde_json::to_string(&ranking).unwrap();
        let oracle = Oracle { prefs: &prefs, public: shared || surface.is_message() };
        check(&text, &oracle.forbidden(&products), "rank")?;
        // "Why not?" on a shared screen or in a message names nothing from the shopper's own history.
        if oracle.public {
            for r in &ranking.removed {
                prop_assert!(!own.contains(r.product_id.as_str()), "{} from the history named in removed", r.product_id);
                for o in own.iter().filter_map(|id| products.iter().find(|p| p.id == *id)) {
                    prop_assert!(!r.text.contains(o.title.as_deref().unwrap()), "removed text names {}", o.id);
                }
            }
        }
        // A product is in items or in removed, never both; at most three reasons a card, none repeating its title.
        for item in &ranking.items {
            prop_assert!(ranking.removed.iter().all(|r| r.product_id != item.product_id), "{} in both", item.product_id);
            prop_assert!(item.reasons.len() <= 3);
            let own_title = products.iter().find(|p| p.id == item.product_id).unwrap().title.clone().unwrap();
            prop_assert!(item.reasons.iter().all(|r| !r.text.contains(&own_title)), "reason repeats {own_title}");
        }

        // profile: the preference center, on the shopper's own screen unless it is shared.
        let profile = engine
            .profile(&ProfileRequest { history: req.history.clone(), preferences: Some(prefs.clone()), context: req.context.clone() })
            .unwrap();
        let text = serde_json::to_string(&profile).unwrap();
        let oracle = Oracle { prefs: &prefs, public: shared };
        check(&text, &oracle.forbidden(&products), "profile")?;
        if !consent {
            // Without consent the profile counts and never lists anything of the history.
            for id in &own {
                prop_assert!(!text.contains(id), "profile without consent lists {id}");
            }
        }

        // The messaging helpers, on the same shopper: nothing of the catalog or the history in their output.
        let plan = send::plan(&SendRequest {
            now: Timestamp(NOW),
            channel: None,
            purpose: None,
            engagement: None,
            ledger: None,
            preferences: Some(prefs.clone()),
            policy: None,
            utc_offset_minutes: None,
            subscribed_at: None,
        })
        .unwrap();
        let plan = serde_json::to_string(&plan).unwrap();
        let all: Vec<String> = products.iter().flat_map(|p| [p.id.clone(), p.title.clone().unwrap()]).collect();
        check(&plan, &all, "planSend")?;
    }
}
