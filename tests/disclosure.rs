//! The disclosure gate, rule by rule: for each, the case it must stop and the case it must let through, read from
//! the whole output (`serde_json` of the ranking or profile), as a hostile reader would.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;
use common::shop::{has, prefs, with};
use common::*;
use tactful::*;

const NOW: &str = "2024-05-01T12:00:00Z";

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap()
}

fn titled(id: &str, title: &str, path: &[&str]) -> Product {
    Product { title: Some(title.into()), ..product(id, path) }
}

/// A grocery with a tea aisle, books, a pregnancy test, a ring, and a model that pairs things.
fn shop() -> Vec<Product> {
    let mut s = store();
    s.extend([
        titled("tea", "Green tea", &["Grocery", "Tea"]),
        titled("mug", "Tea mug", &["Home", "Mugs"]),
        titled("mug2", "Big mug", &["Home", "Mugs"]),
        titled("book", "Cook book", &["Home", "Mugs"]),
        with("test-kit", &["Health", "Pregnancy"], |p| {
            p.title = Some("Pregnancy test".into());
            p.sensitivity = Some(SensitivityClass::PregnancyBaby);
        }),
        with("vitamins", &["Health", "Pregnancy"], |p| {
            p.title = Some("Prenatal vitamins".into());
            p.sensitivity = Some(SensitivityClass::PregnancyBaby);
        }),
        with("ring", &["Jewelry", "Rings"], |p| {
            p.title = Some("Engagement ring".into());
            p.sensitivity = Some(SensitivityClass::Romance);
        }),
        titled("gift-bear", "Teddy bear", &["Toys", "Plush"]),
        titled("lamp", "Desk lamp", &["Home", "Lamps"]),
    ]);
    s
}

fn model(pairs: &[(&str, &str)]) -> Model {
    let mut neighbours: Vec<(String, Vec<(String, f64)>)> = Vec::new();
    for (a, b) in pairs {
        match neighbours.iter_mut().find(|x| x.0 == *a) {
            Some(l) => l.1.push((b.to_string(), 0.9)),
            None => neighbours.push((a.to_string(), vec![(b.to_string(), 0.9)])),
        }
    }
    Model {
        version: 1,
        min_customers: 5,
        popularity: shop().iter().enumerate().map(|(i, p)| (p.id.clone(), (200 - i) as f64)).collect(),
        trending: vec![],
        repeat: vec![],
        neighbours,
        dim: 0,
        embeddings: vec![],
    }
}

fn engine_m(pairs: &[(&str, &str)]) -> Engine {
    let policy = Policy { max_removed: Some(200), ..Policy::default() };
    Engine::new(
        &shop(),
        &EngineOptions { policy: Some(PolicySpec::Custom(Box::new(policy))), model: Some(model(pairs)) },
    )
    .unwrap()
}

/// Weekly groceries over two months: enough occasions for personal mode.
fn weekly() -> Vec<Event> {
    (1..=8).map(|w| buy(&format!("gr0{}", w % 5), &format!("2024-03-{:02}T10:00:00Z", w * 3))).collect()
}

fn with_order(mut e: Event, order: &str) -> Event {
    e.order_id = Some(order.into());
    e
}

fn rank_on(e: &mut Engine, history: Vec<Event>, p: Option<Preferences>, f: impl FnOnce(&mut Context)) -> Ranking {
    let mut r = request(history, NOW);
    r.context.k = Some(30);
    r.preferences = p;
    f(&mut r.context);
    e.rank(&r).unwrap()
}

fn profile_of(e: &Engine, history: Vec<Event>, p: Option<Preferences>) -> Profile {
    e.profile(&ProfileRequest { history, preferences: p, context: Context::at(ts(NOW)) }).unwrap()
}

fn opted_in() -> Option<Preferences> {
    prefs(|p| p.sensitive_opt_in = Some(vec![SensitivityClass::PregnancyBaby, SensitivityClass::Romance]))
}

fn surface(s: Surface) -> impl FnOnce(&mut Context) {
    move |c| c.surface = Some(s)
}

#[test]
fn email_never_uses_or_names_an_opted_in_sensitive_purchase() {
    let mut e = engine_m(&[("vitamins", "mug"), ("tea", "mug2")]);
    let mut history = weekly();
    history.push(buy("vitamins", "2024-04-20T10:00:00Z"));
    // Stop: in an email, the opted-in vitamins are neither named nor evidence (the same items as without them).
    let email = rank_on(&mut e, history.clone(), opted_in(), surface(Surface::Email));
    assert!(!json(&email).contains("vitamins") && !json(&email).contains("Prenatal"), "{}", json(&email));
    let without = rank_on(&mut e, weekly(), opted_in(), surface(Surface::Email));
    assert_eq!(ids(&email), ids(&without), "the email's items do not change because of a sensitive purchase");
    let push = rank_on(&mut e, history.clone(), opted_in(), surface(Surface::Push));
    assert!(!json(&push).contains("Prenatal"));
    // Let through: on the shopper's own screen, opted in, the same purchase is evidence and may be named.
    let home = rank_on(&mut e, history, opted_in(), |_| {});
    let mug = home.items.iter().find(|i| i.product_id == "mug").expect("pulled in by the vitamins at home");
    assert!(mug.reasons.iter().any(|r| r.text == "Often bought with Prenatal vitamins"), "{:?}", mug.reasons);
}

#[test]
fn a_sensitive_cart_item_or_seed_is_neither_named_nor_a_source() {
    let mut e = engine_m(&[("test-kit", "lamp")]);
    for s in [Surface::Cart, Surface::Email, Surface::Push] {
        let cart = rank_on(&mut e, weekly(), None, |c| {
            c.surface = Some(s);
            c.cart = Some(vec!["test-kit".into()]);
        });
        let text = json(&cart);
        assert!(!text.contains("test-kit") && !text.contains("Pregnancy test"), "{s:?}: {text}");
        let empty = rank_on(&mut e, weekly(), None, |c| {
            c.surface = Some(s);
            c.cart = Some(vec![]);
        });
        assert_eq!(ids(&cart), ids(&empty), "{s:?}: a sensitive cart item pulls nothing");
    }
    let seed = rank_on(&mut e, weekly(), opted_in(), |c| {
        c.surface = Some(Surface::Push);
        c.seed_product_id = Some("test-kit".into());
    });
    assert!(!json(&seed).contains("Pregnancy test"), "abandoned-cart push seeded by a sensitive product");
    // Let through: an ordinary cart item is named as the source of "pairs with".
    let book = rank_on(&mut e, weekly(), None, |c| {
        c.surface = Some(Surface::Cart);
        c.cart = Some(vec!["book".into()]);
    });
    assert!(book.items.iter().any(|i| i.reasons.iter().any(|r| r.text == "Pairs with Cook book")), "{}", json(&book));
}

fn household(extra: Vec<Event>) -> Vec<Event> {
    let mut h: Vec<Event> = weekly()
        .into_iter()
        .enumerate()
        .map(|(i, mut e)| {
            e.member = Some(if i % 2 == 0 { "ann".into() } else { "bob".into() });
            e
        })
        .collect();
    h.extend(extra);
    h
}

#[test]
fn a_detected_household_acts_as_a_shared_device_until_the_shopper_says_otherwise() {
    let mut e = engine_m(&[("vitamins", "mug"), ("ring", "lamp")]);
    let mut ring = buy("ring", "2024-04-25T10:00:00Z");
    ring.member = Some("ann".into());
    let history = household(vec![buy("vitamins", "2024-04-20T10:00:00Z"), ring]);
    let p = profile_of(&e, history.clone(), opted_in());
    assert!(p.shared_use.likely, "two members named");
    // Stop: opted-in sensitive and romance purchases are neither used nor named, in rank or in the profile.
    let r = rank_on(&mut e, history.clone(), opted_in(), |_| {});
    for text in [json(&r), json(&p)] {
        for word in ["vitamins", "Prenatal", "\"ring\"", "Engagement", "Pregnancy", "Jewelry"] {
            assert!(!text.contains(word), "{word} in {text}");
        }
    }
    assert!(p.categories.iter().all(|c| c.path[0] != "Health" && c.path[0] != "Jewelry"));
    assert_eq!(p.sensitive_ignored, 2, "only counted");
    // Let through: the shopper says the device is theirs alone (sharedDevice: false, not absent).
    let mine = prefs(|p| {
        p.sensitive_opt_in = Some(vec![SensitivityClass::PregnancyBaby, SensitivityClass::Romance]);
        p.shared_device = Some(false);
    });
    let p = profile_of(&e, history.clone(), mine.clone());
    assert!(p.categories.iter().any(|c| c.path[0] == "Health"), "{:?}", p.categories);
    let r = rank_on(&mut e, history, mine, |_| {});
    assert!(json(&r).contains("Prenatal vitamins"), "its taste is used again");
}

#[test]
fn without_consent_the_profile_counts_and_never_lists() {
    let e = engine_m(&[]);
    let mut history = weekly();
    history.push(buy("test-kit", "2024-04-01T10:00:00Z"));
    let no = prefs(|p| p.consent = Some(Consent { personalization: Some(false), ..Consent::default() }));
    let p = profile_of(&e, history.clone(), no);
    let text = json(&p);
    for ev in &history {
        assert!(!text.contains(&format!("\"{}\"", ev.product_id)), "{} listed: {text}", ev.product_id);
    }
    assert!(p.ignored.is_empty() && p.gifts.is_empty() && p.categories.is_empty());
    assert_eq!(p.cleaning.get("NO_CONSENT"), Some(&9));
    assert_eq!(p.withheld.get("NO_CONSENT"), Some(&9), "counted where not named");
    // Let through: with consent the same history is listed as beliefs.
    let p = profile_of(&e, history, None);
    assert!(!p.categories.is_empty());
}

#[test]
fn forgotten_lines_are_gone_from_every_list_and_only_counted() {
    let e = engine_m(&[]);
    let mut history = weekly();
    history.push(buy("lamp", "2024-04-01T10:00:00Z"));
    history.push(buy("gone-product", "2024-04-02T10:00:00Z"));
    let forget = prefs(|p| p.forgotten = Some(vec!["lamp".into(), "gone-product".into()]));
    let p = profile_of(&e, history.clone(), forget);
    let text = json(&p);
    assert!(!text.contains("lamp") && !text.contains("Desk lamp") && !text.contains("gone-product"), "{text}");
    assert_eq!(p.withheld.get("FORGOTTEN"), Some(&2));
    // Let through: not forgotten, the lamp is a belief and the unknown id is listed as such.
    let p = profile_of(&e, history, None);
    assert!(json(&p).contains("Desk lamp"));
    assert!(p.ignored.iter().any(|i| i.product_id == "gone-product" && i.reason == "UNKNOWN_PRODUCT"));
}

#[test]
fn a_future_dated_sensitive_purchase_is_not_listed_as_future() {
    let e = engine_m(&[]);
    let mut history = weekly();
    // Local time sent without an offset: a little after `now`.
    history.push(buy("test-kit", "2024-05-01T13:30:00Z"));
    history.push(buy("lamp", "2024-05-01T13:30:00Z"));
    let p = profile_of(&e, history, None);
    assert!(!json(&p).contains("test-kit"), "sensitive, not opted into: not named, even as FUTURE");
    // Let through: an ordinary future-dated line is listed as FUTURE.
    assert!(p.ignored.iter().any(|i| i.product_id == "lamp" && i.reason == "FUTURE"));
    assert_eq!(p.withheld.get("FUTURE"), Some(&1));
}

#[test]
fn a_muted_product_is_never_named_in_other_items_reasons() {
    let mut e = engine_m(&[("tea", "mug")]);
    let mut history = weekly();
    history.push(buy("tea", "2024-04-20T10:00:00Z"));
    history.push(buy("tea", "2024-04-27T10:00:00Z"));
    let muted = prefs(|p| p.muted = Some(Muted { products: Some(vec!["tea".into()]), ..Muted::default() }));
    let r = rank_on(&mut e, history.clone(), muted.clone(), |_| {});
    assert!(!json(&r).contains("Green tea") && !json(&r).contains("\"tea\""), "{}", json(&r));
    let p = profile_of(&e, history.clone(), muted);
    assert!(!json(&p).contains("Green tea"));
    // Let through: not muted, the tea is named as the source.
    let r = rank_on(&mut e, history, None, |_| {});
    let mug = r.items.iter().find(|i| i.product_id == "mug").unwrap();
    assert!(mug.reasons.iter().any(|x| x.text == "Often bought with Green tea"), "{:?}", mug.reasons);
}

#[test]
fn on_a_shared_device_nothing_from_the_history_is_named_in_removed() {
    let mut e = engine_m(&[]);
    let mut history = weekly();
    let mut gift = buy("gift-bear", "2024-04-10T10:00:00Z");
    gift.gift = Some(true);
    history.push(gift);
    history.push(with_order(buy("lamp", "2024-04-11T10:00:00Z"), "o9"));
    let mut ret = with_order(buy("lamp", "2024-04-12T10:00:00Z"), "o9");
    ret.kind = Some(EventType::Return);
    history.push(ret);
    let shared = prefs(|p| p.shared_device = Some(true));
    let r = rank_on(&mut e, history.clone(), shared, |_| {});
    let text = json(&r.removed);
    assert!(!text.contains("gift-bear") && !text.contains("lamp"), "{text}");
    assert!(r.removed_counts.get("GIFT_EXCLUDED").is_some() && r.removed_counts.get("RETURNED").is_some());
    let p = profile_of(&e, history.clone(), prefs(|p| p.shared_device = Some(true)));
    assert!(!json(&p).contains("gift-bear"), "a surprise gift is not listed on a shared screen");
    assert_eq!(p.withheld.get("GIFT"), Some(&1));
    // Let through: on the shopper's own device both are named, so they can ask "why not?" (a short list, so the bear
    // is not recommended instead: a product is in items or removed, never both).
    let r = rank_on(&mut e, history, prefs(|p| p.discovery = Some(0.0)), |c| c.k = Some(5));
    assert!(!has(&r, "gift-bear"));
    assert!(r.removed.iter().any(|x| x.product_id == "gift-bear" && x.code == "GIFT_EXCLUDED"));
    assert!(r.removed.iter().any(|x| x.product_id == "lamp" && x.code == "RETURNED"));
}

#[test]
fn a_product_is_in_items_or_in_removed_never_both() {
    let mut e = engine_m(&[]);
    let mut history = weekly();
    // A gift of the shop's most popular product: excluded from taste, still a good popular pick.
    let mut gift = buy("gr10", "2024-04-10T10:00:00Z");
    gift.gift = Some(true);
    history.push(gift);
    let r = rank_on(&mut e, history, None, |c| c.k = Some(60));
    assert!(has(&r, "gr10"), "still recommended on popularity");
    for item in &r.items {
        assert!(r.removed.iter().all(|x| x.product_id != item.product_id), "{} in both", item.product_id);
    }
    assert_eq!(r.removed_counts.get("GIFT_EXCLUDED"), Some(&1), "still counted");
}

#[test]
fn a_reason_names_the_product_that_produced_its_term() {
    // The mug is bought with the tea (history) and looks like the book in the cart: each reason names its own source.
    let mut e = engine_m(&[("tea", "mug")]);
    let mut history = weekly();
    history.push(buy("tea", "2024-04-20T10:00:00Z"));
    history.push(buy("tea", "2024-04-27T10:00:00Z"));
    let r = rank_on(&mut e, history, None, |c| {
        c.surface = Some(Surface::Cart);
        c.cart = Some(vec!["book".into()]);
    });
    let mug = r.items.iter().find(|i| i.product_id == "mug").unwrap();
    let texts: Vec<&str> = mug.reasons.iter().map(|x| x.text.as_str()).collect();
    assert!(texts.contains(&"Pairs with Cook book"), "{texts:?}");
    assert!(!texts.contains(&"Pairs with Green tea"), "{texts:?}");
}

#[test]
fn a_return_bans_a_product_only_until_it_is_bought_again() {
    let mut e = engine_m(&[]);
    let mut history = vec![with_order(buy("gr21", "2024-01-10T10:00:00Z"), "o1")];
    let mut ret = with_order(buy("gr21", "2024-01-20T10:00:00Z"), "o1");
    ret.kind = Some(EventType::Return);
    history.push(ret);
    history.extend(weekly());
    // Stop: returned and not bought since.
    let r = rank_on(&mut e, history.clone(), None, |_| {});
    assert_eq!(removed_code(&r, "gr21"), Some("RETURNED"));
    // Let through: bought six times since the return, it is a staple again.
    for w in 0..6 {
        history.push(buy("gr21", &format!("2024-04-{:02}T10:00:00Z", 1 + w * 4)));
    }
    let r = rank_on(&mut e, history, None, |_| {});
    assert!(has(&r, "gr21"), "{:?}", r.removed);
    assert_eq!(r.removed_counts.get("RETURNED"), None);
}

#[test]
fn evidence_counts_shopping_occasions_not_lines() {
    let one_order: Vec<Event> =
        (0..12).map(|i| with_order(buy(&format!("gr{}{}", i % 4, i % 5), "2024-04-30T10:00:00Z"), "big")).collect();
    for preset in [PolicyPreset::Conservative, PolicyPreset::Balanced, PolicyPreset::Bold] {
        let mut e =
            Engine::new(&shop(), &EngineOptions { policy: Some(PolicySpec::Preset(preset)), model: Some(model(&[])) })
                .unwrap();
        let r = rank_on(&mut e, one_order.clone(), None, |_| {});
        assert_eq!(r.mode, Mode::Default, "{preset:?}: one 12-line order is thin data");
        assert!(r.evidence <= 1.0, "{preset:?}: one occasion, not twelve: {}", r.evidence);
        assert_eq!(r.removed_counts.get("THIN_DATA"), Some(&1));
    }
    // Let through: eight weekly trips are enough in the balanced preset.
    let mut e = engine_m(&[]);
    assert_ne!(rank_on(&mut e, weekly(), None, |_| {}).mode, Mode::Default);
}

fn devices() -> Vec<Product> {
    // Top-level categories that say nothing about families: tablets and phones under different tops.
    vec![
        with("ipad", &["Tablets", "iPad"], |p| p.product_line = Some("ipad-pro-11".into())),
        with("iphone", &["Phones", "iPhone"], |p| p.product_line = Some("iphone-15".into())),
        with("espresso", &["Kitchen", "Coffee"], |p| p.product_line = Some("vertuo".into())),
        with("case-ipad", &["Accessories", "Cases"], |p| p.compatible_with = Some(vec!["ipad-pro-11".into()])),
        with("case-iphone", &["Accessories", "Cases"], |p| p.compatible_with = Some(vec!["iphone-15".into()])),
        with("pods", &["Kitchen", "Pods"], |p| p.compatible_with = Some(vec!["vertuo".into()])),
    ]
}

fn families(map: &[(&str, &str)]) -> Engine {
    let policy = Policy {
        max_removed: Some(200),
        product_families: Some(map.iter().map(|(l, f)| (l.to_string(), f.to_string())).collect()),
        ..Policy::default()
    };
    engine_with(&devices(), policy)
}

#[test]
fn compatibility_comes_from_declared_families_not_the_category_tree() {
    let owner = vec![buy("ipad", "2024-03-01T10:00:00Z"), buy("ipad", "2024-04-01T10:00:00Z")];
    let apple = [("ipad-pro-11", "apple"), ("iphone-15", "apple"), ("vertuo", "coffee")];
    let mut e = families(&apple);
    let r = rank_on(&mut e, owner.clone(), None, |_| {});
    assert_eq!(removed_code(&r, "case-iphone"), Some("INCOMPATIBLE"), "same declared family, a line not owned");
    assert!(has(&r, "case-ipad"), "fits what is owned");
    assert!(has(&r, "pods"), "another family: not judged");
    // Undeclared lines are one family: still no iPhone case for an iPad owner, whatever the tree looks like.
    let mut e = families(&[]);
    let r = rank_on(&mut e, owner, None, |_| {});
    assert_eq!(removed_code(&r, "case-iphone"), Some("INCOMPATIBLE"));
    assert!(has(&r, "case-ipad"));
    // Let through: owning nothing of a family is not judged.
    let mut e = families(&apple);
    let r = rank_on(&mut e, vec![buy("espresso", "2024-03-01T10:00:00Z")], None, |_| {});
    assert!(has(&r, "case-iphone") && has(&r, "case-ipad"));
    assert_eq!(removed_code(&r, "pods"), None);
}

#[test]
fn every_documented_text_limit_holds_titles_included() {
    let opts = EngineOptions::default();
    let big = Product { title: Some("x".repeat(1_000_000)), ..product("a", &["A"]) };
    let err = Engine::new(&[big], &opts).err().unwrap();
    assert_eq!((err.code, err.path.as_str()), (ErrorCode::LimitExceeded, "catalog[0].title"));
    // Characters, not bytes: 1,024 characters of three bytes each are within the limit; 1,025 are not.
    let ok = Product { title: Some("€".repeat(1024)), ..product("a", &["A"]) };
    assert!(Engine::new(&[ok], &opts).is_ok());
    let over = Product { title: Some("€".repeat(1025)), ..product("a", &["A"]) };
    assert!(Engine::new(&[over], &opts).is_err());
    // Preference and context texts too.
    let e = engine(&[product("a", &["A"])]);
    let long = prefs(|p| p.interests = Some(vec!["y".repeat(2000)]));
    let err = e.profile(&ProfileRequest { history: vec![], preferences: long, context: Context::at(ts(NOW)) });
    assert_eq!(err.err().unwrap().path, "preferences.interests[0]");
    let mut e = engine(&[product("a", &["A"])]);
    let mut req = request(vec![], NOW);
    req.context.cart = Some(vec!["z".repeat(300)]);
    assert_eq!(e.rank(&req).err().unwrap().path, "context.cart[0]");
}

#[test]
fn reasons_read_well_strongest_first_at_most_three_never_repeating_the_card() {
    let mut products = vec![
        titled("eggs", "Eggs - Large, 1 dozen (store brand)", &["Grocery", "Eggs - Large"]),
        titled("eggs-s", "Eggs - Small", &["Grocery", "Eggs - Large"]),
    ];
    products.extend(store());
    let mut e = Engine::new(&products, &EngineOptions::default()).unwrap();
    let mut history = weekly();
    history.push(buy("eggs", "2024-04-20T10:00:00Z"));
    history.push(buy("eggs", "2024-04-27T10:00:00Z"));
    let r = rank_on(&mut e, history, None, |_| {});
    let eggs = r.items.iter().find(|i| i.product_id == "eggs").unwrap();
    assert!(eggs.reasons.iter().all(|x| !x.text.to_lowercase().contains("eggs - large")), "{:?}", eggs.reasons);
    // Let through: another product of that category may say it.
    let small = r.items.iter().find(|i| i.product_id == "eggs-s").unwrap();
    assert!(small.reasons.iter().any(|x| x.text == "Because you buy eggs - large"), "{:?}", small.reasons);
    for item in &r.items {
        assert!(!item.reasons.is_empty() && item.reasons.len() <= 3, "{:?}", item.reasons);
    }
}
