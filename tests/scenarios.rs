//! The seeds' public failures, replayed: each must not happen, and the list must still be good.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;
use common::shop::*;
use common::*;
use tactful::*;

const NOW: &str = "2024-05-01T12:00:00Z";

fn run(history: Vec<Event>, prefs: Option<Preferences>, surface: Surface) -> Ranking {
    let mut e = engine(&shop());
    let mut r = request(history, NOW);
    r.preferences = prefs;
    r.context.surface = Some(surface);
    r.context.k = Some(12);
    e.rank(&r).unwrap()
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn the_teenagers_pregnancy_purchases_on_a_family_account_reveal_nothing() {
    let m = |id: &str, who: &str, at: &str| Event { member: Some(who.into()), ..buy(id, at) };
    let mut h: Vec<Event> = regular(4).into_iter().map(|e| Event { member: Some("parent".into()), ..e }).collect();
    h.push(m("toy", "teen", "2024-04-18"));
    h.push(m("ga00", "teen", "2024-04-19"));
    h.push(m("test-kit", "teen", "2024-04-20"));
    h.push(m("diapers", "teen", "2024-04-27"));
    for surface in [Surface::Home, Surface::Email, Surface::Push] {
        let r = run(h.clone(), None, surface);
        assert!(r.items.iter().all(|i| i.product_id != "diapers" && i.product_id != "test-kit"), "{surface:?}");
        assert_eq!(r.items.len(), 12);
        assert!(r.items.iter().all(|i| i.reasons.iter().all(|x| !x.text.to_lowercase().contains("baby"))));
    }
    let p = engine(&shop())
        .profile(&ProfileRequest { history: h, preferences: None, context: Context::at(ts(NOW)) })
        .unwrap();
    assert_eq!(p.sensitive_ignored, 2, "only a count");
    assert!(p.categories.iter().all(|c| c.path[0] != "Baby" && c.path[0] != "Health"));
    assert!(p.shared_use.likely, "two members: a household account");
    assert!(p.shared_use.evidence.iter().all(|e| !e.contains("teen")), "who bought what is never said");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn the_engagement_ring_stays_off_the_shared_laptop() {
    let prefs = prefs(|p| {
        p.sensitive_opt_in = Some(vec![SensitivityClass::Romance]);
        p.shared_device = Some(true);
    });
    let mut h = regular(4);
    h.push(buy("ring", "2024-04-01"));
    let r = run(h, prefs, Surface::Home);
    assert!(!has(&r, "ring"));
    assert!(r.removed.iter().all(|x| x.product_id != "ring"), "not even named in \"why not?\"");
    assert!(r.removed_counts.get("SHARED_DEVICE").is_some_and(|&n| n >= 1));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn nobody_is_offered_a_second_fridge() {
    let mut h = regular(4);
    h.push(buy("fridge-a", "2024-04-28"));
    let r = run(h, None, Surface::Home);
    assert!(!has(&r, "fridge-a") && !has(&r, "fridge-b"));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn the_ipad_owner_is_not_offered_iphone_cases() {
    let mut h = regular(4);
    h.push(buy("ipad", "2024-04-28"));
    let r = run(h, None, Surface::Home);
    assert!(!has(&r, "case-iphone"));
    assert!(has(&r, "case-ipad"), "the case that fits is a good suggestion");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_gift_does_not_shape_taste() {
    let mut h = regular(4);
    h.extend((0..3).map(|i| Event { gift: Some(true), ..buy("toy", &format!("2024-04-2{i}")) }));
    let r = run(h, None, Surface::Home);
    assert!(r.items.iter().all(|i| i.reasons.iter().all(|x| !x.text.contains("plush"))));
    assert!(r.removed_counts.get("GIFT_EXCLUDED").is_some_and(|&n| n >= 1));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_returned_item_does_not_come_back() {
    let mut h = regular(4);
    h.push(buy("lux-bag", "2024-04-20"));
    h.push(Event { kind: Some(EventType::Return), ..buy("lux-bag", "2024-04-25") });
    assert!(!has(&run(h, None, Surface::Home), "lux-bag"));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_shopper_with_one_purchase_gets_a_full_honest_default() {
    let r = run(vec![buy("gr00", "2024-04-30")], None, Surface::Home);
    assert_eq!(r.mode, Mode::Default);
    assert_eq!(r.items.len(), 12);
    assert!(r.items.iter().all(|i| i.slot != Slot::Personal));
    let cats: std::collections::BTreeSet<&str> = r.items.iter().map(|i| &i.product_id[..2]).collect();
    assert!(cats.len() >= 3, "varied, not one aisle: {cats:?}");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_product_page_and_a_cart_use_what_the_shopper_looks_at() {
    let mut e = engine(&shop());
    let mut r = request(regular(4), NOW);
    r.context.surface = Some(Surface::Product);
    r.context.seed_product_id = Some("ipad".into());
    let out = e.rank(&r).unwrap();
    assert!(!has(&out, "ipad"), "not the product itself");
    let case = out.items.iter().position(|i| i.product_id == "case-ipad").expect("its case");
    assert!(case < 3, "near the top");
    r.context.surface = Some(Surface::Cart);
    r.context.seed_product_id = None;
    r.context.cart = Some(vec!["iphone".into()]);
    let out = e.rank(&r).unwrap();
    assert!(!has(&out, "iphone") && has(&out, "case-iphone"));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn stated_interests_beat_inferred_taste() {
    let mut e = engine(&shop());
    let mut r = request(regular(4), NOW);
    r.preferences = prefs(|p| p.interests = Some(vec!["Toys".into()]));
    let out = e.rank(&r).unwrap();
    assert_eq!(out.items[0].product_id, "toy", "{:?}", out.items.iter().map(|i| &i.product_id).collect::<Vec<_>>());
    assert!(out.items[0].reasons.iter().any(|x| x.code == "YOUR_INTEREST"));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn discovery_and_new_arrivals_get_their_slots() {
    let mut s = shop();
    s.push(with("new-lamp", &["Lighting", "Lamps"], |p| p.launched_at = Some(ts("2024-04-25"))));
    let mut e = engine(&s);
    let mut r = request(regular(4), NOW);
    r.preferences = prefs(|p| p.discovery = Some(0.3));
    let out = e.rank(&r).unwrap();
    assert!(out.items.iter().any(|i| i.slot == Slot::Discovery), "{:?}", out.items);
    let lamp = out.items.iter().find(|i| i.product_id == "new-lamp").expect("the new arrival");
    assert!(lamp.reasons.iter().any(|x| x.code == "NEW_ARRIVAL" && x.text == "New in Lighting"));
    let d = out.items.iter().find(|i| i.slot == Slot::Discovery).unwrap();
    assert_eq!(d.reasons[0].code, "DISCOVERY");
    // No room for discovery: none.
    r.preferences = prefs(|p| p.discovery = Some(0.0));
    assert!(e.rank(&r).unwrap().items.iter().all(|i| i.slot != Slot::Discovery));
}
