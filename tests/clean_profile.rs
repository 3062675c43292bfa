//! Cleaning and profiling, rule by rule: the case each rule must catch and the case it must leave alone.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;
use common::*;
use tactful::*;

fn profile_of(products: &[Product], history: Vec<Event>, prefs: Option<Preferences>, now: &str) -> Profile {
    engine(products).profile(&ProfileRequest { history, preferences: prefs, context: Context::at(ts(now)) }).unwrap()
}

fn reasons(p: &Profile) -> Vec<(u32, &str)> {
    p.ignored.iter().map(|l| (l.index, l.reason.as_str())).collect()
}

fn used(p: &Profile) -> u32 {
    p.cleaning.get("USED").copied().unwrap_or(0)
}

fn ev(id: &str, at: &str, kind: EventType, qty: f64, order: Option<&str>) -> Event {
    Event { kind: Some(kind), quantity: Some(qty), order_id: order.map(String::from), ..buy(id, at) }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_cancellation_nets_out_the_most_recent_purchase_before_it() {
    let s = store();
    let h = vec![
        ev("gr00", "2024-01-01", EventType::Purchase, 1.0, None),
        ev("gr00", "2024-02-01", EventType::Purchase, 2.0, None),
        ev("gr00", "2024-02-02", EventType::Cancel, 2.0, None),
    ];
    let p = profile_of(&s, h, None, "2024-03-01");
    assert_eq!(reasons(&p), vec![(2, "CANCELLED"), (1, "CANCELLED")], "the cancel and the February purchase");
    assert_eq!(used(&p), 1, "January's purchase stands");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_return_nets_by_order_id_first_and_marks_a_full_return() {
    let s = store();
    let h = vec![
        ev("gr00", "2024-01-01", EventType::Purchase, 1.0, Some("A")),
        ev("gr00", "2024-02-01", EventType::Purchase, 1.0, Some("B")),
        ev("gr00", "2024-02-10", EventType::Return, 1.0, Some("A")),
    ];
    let mut e = engine(&s);
    let req = ProfileRequest { history: h.clone(), preferences: None, context: Context::at(ts("2024-03-01")) };
    let p = e.profile(&req).unwrap();
    assert!(reasons(&p).contains(&(0, "RETURNED")), "order A's line is the one returned: {:?}", reasons(&p));
    assert_eq!(used(&p), 1);
    let r = e.rank(&request(h, "2024-03-01")).unwrap();
    assert_eq!(removed_code(&r, "gr00"), Some("RETURNED"));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_partial_return_reduces_the_quantity_and_does_not_mark_the_product() {
    let s = store();
    let h = vec![
        ev("gr00", "2024-01-01", EventType::Purchase, 3.0, None),
        ev("gr00", "2024-01-05", EventType::Return, 1.0, None),
        ev("gr01", "2024-01-06", EventType::Purchase, 1.0, None),
        ev("gr01", "2024-01-07", EventType::Purchase, 1.0, None),
    ];
    let mut e = engine(&s);
    let p = e
        .profile(&ProfileRequest { history: h.clone(), preferences: None, context: Context::at(ts("2024-02-01")) })
        .unwrap();
    assert_eq!(used(&p), 3, "the purchase stays, with 2 left");
    let r = e.rank(&request(h, "2024-02-01")).unwrap();
    assert_ne!(removed_code(&r, "gr00"), Some("RETURNED"));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_cancellation_with_nothing_before_it_is_ignored_not_applied_to_a_later_purchase() {
    let p = profile_of(
        &store(),
        vec![ev("gr00", "2024-01-01", EventType::Cancel, 1.0, None), buy("gr00", "2024-01-02")],
        None,
        "2024-02-01",
    );
    assert_eq!(reasons(&p), vec![(0, "UNMATCHED_CANCEL")]);
    assert_eq!(used(&p), 1);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn non_product_lines_are_counted_and_products_with_similar_codes_are_not() {
    let mut s = store();
    for id in ["POST", "S", "AMAZONFEE", "gift_0001_20", "BANK CHARGES", "POSTER", "SS"] {
        s.push(product(id, &["Misc"]));
    }
    let h: Vec<Event> = ["POST", "S", "AMAZONFEE", "gift_0001_20", "BANK CHARGES", "POSTER", "SS"]
        .iter()
        .map(|id| buy(id, "2024-01-01"))
        .collect();
    let p = profile_of(&s, h, None, "2024-02-01");
    assert_eq!(p.cleaning.get("NON_PRODUCT"), Some(&5));
    assert_eq!(used(&p), 2, "POSTER and SS are products");
    // A shop with its own codes sets the list; the defaults are then gone.
    let policy = Policy { non_product_ids: Some(vec!["SHIP-*".into()]), ..Policy::default() };
    let e = engine_with(&s, policy);
    let p = e
        .profile(&ProfileRequest {
            history: vec![buy("POST", "2024-01-01")],
            preferences: None,
            context: Context::at(ts("2024-02-01")),
        })
        .unwrap();
    assert_eq!(used(&p), 1);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn exact_duplicates_count_once_and_near_duplicates_stay() {
    let h = vec![
        ev("gr00", "2024-01-01T10:00:00Z", EventType::Purchase, 2.0, Some("A")),
        ev("gr00", "2024-01-01T10:00:00Z", EventType::Purchase, 2.0, Some("A")),
        ev("gr00", "2024-01-01T10:00:00Z", EventType::Purchase, 3.0, Some("A")),
    ];
    let p = profile_of(&store(), h, None, "2024-02-01");
    assert_eq!(reasons(&p), vec![(1, "DUPLICATE")]);
    assert_eq!(used(&p), 2);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn an_absurd_quantity_is_kept_at_the_typical_one_and_normal_variation_is_left_alone() {
    let mut h: Vec<Event> =
        (1..=4).map(|d| ev("gr00", &format!("2024-01-0{d}"), EventType::Purchase, 2.0, None)).collect();
    h.push(ev("gr00", "2024-01-05", EventType::Purchase, 2000.0, None));
    h.push(ev("gr01", "2024-01-05", EventType::Purchase, 12.0, None));
    h.push(ev("gr01", "2024-01-06", EventType::Purchase, 24.0, None));
    let p = profile_of(&store(), h, None, "2024-02-01");
    assert_eq!(reasons(&p), vec![(4, "OUTLIER_QUANTITY")]);
    assert_eq!(used(&p), 7, "an outlier line still counts, at the usual amount");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn unknown_products_and_future_lines_are_counted_not_fatal() {
    let p = profile_of(&store(), vec![buy("gone", "2024-01-01"), buy("gr00", "2024-05-01")], None, "2024-02-01");
    assert_eq!(reasons(&p), vec![(0, "UNKNOWN_PRODUCT"), (1, "FUTURE")]);
    assert_eq!(p.unknown_products, 1);
}

fn gift_store() -> Vec<Product> {
    let mut s = store();
    s.push(Product { tags: Some(vec!["gift-wrap".into()]), ..product("wrap", &["Services"]) });
    s.push(Product { tags: Some(vec!["gift-card".into()]), ..product("card", &["Services"]) });
    s.push(product("toy", &["Toys", "Plush"]));
    s
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn flagged_gifts_stay_out_of_taste_and_are_listed_with_a_reason() {
    let h = vec![buy("gr00", "2024-01-01"), Event { gift: Some(true), ..buy("ho00", "2024-01-02") }];
    let p = profile_of(&gift_store(), h.clone(), None, "2024-02-01");
    assert_eq!(p.gifts.len(), 1);
    assert_eq!(p.gifts[0].product_id, "ho00");
    assert!(p.gifts[0].text.contains("gift"));
    assert!(p.categories.iter().all(|c| c.path[0] != "Home"), "the gift shapes no category");
    // The shopper overrules it.
    let prefs = Preferences { not_gifts: Some(vec!["ho00".into()]), ..Preferences::default() };
    let p = profile_of(&gift_store(), h, Some(prefs), "2024-02-01");
    assert!(p.gifts.is_empty());
    assert!(p.categories.iter().any(|c| c.path[0] == "Home"));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn an_unusual_ship_to_makes_a_gift_and_the_usual_one_does_not() {
    let at = |d: u32| format!("2024-01-{d:02}");
    let mut h: Vec<Event> = (1..=3)
        .map(|d| Event { ship_to: Some("home".into()), order_id: Some(format!("o{d}")), ..buy("gr00", &at(d)) })
        .collect();
    h.push(Event { ship_to: Some("grandma".into()), order_id: Some("o9".into()), ..buy("ga00", &at(9)) });
    let p = profile_of(&gift_store(), h, None, "2024-02-01");
    assert_eq!(p.gifts.iter().map(|g| g.product_id.as_str()).collect::<Vec<_>>(), ["ga00"]);
    assert!(p.gifts[0].text.contains("address"));
    // One ship-to only: nothing is a gift.
    let h: Vec<Event> = (1..=3).map(|d| Event { ship_to: Some("home".into()), ..buy("gr00", &at(d)) }).collect();
    assert!(profile_of(&gift_store(), h, None, "2024-02-01").gifts.is_empty());
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn gift_wrap_makes_its_order_gifts_and_a_gift_card_is_a_gift() {
    let o = |id: &str, order: &str, at: &str| Event { order_id: Some(order.into()), ..buy(id, at) };
    let h = vec![
        o("gr00", "A", "2024-01-01"),
        o("ho00", "B", "2024-01-02"),
        o("wrap", "B", "2024-01-02"),
        o("card", "C", "2024-01-03"),
    ];
    let p = profile_of(&gift_store(), h, None, "2024-02-01");
    let mut gifts: Vec<&str> = p.gifts.iter().map(|g| g.product_id.as_str()).collect();
    gifts.sort();
    assert_eq!(gifts, ["card", "ho00", "wrap"]);
    assert_eq!(used(&p), 1);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_one_off_far_from_taste_in_december_is_a_gift_but_a_habit_is_not() {
    // Twelve purchases from January to October: enough taste to call a December toy far from it.
    let year: Vec<Event> = (1..=6)
        .flat_map(|m| [buy("gr00", &format!("2024-{m:02}-20")), buy("gr01", &format!("2024-{m:02}-25"))])
        .collect();
    let mut h = year.clone();
    h.push(buy("toy", "2024-12-10"));
    h.push(buy("gr01", "2024-12-11"));
    let p = profile_of(&gift_store(), h, None, "2024-12-20");
    assert_eq!(p.gifts.iter().map(|g| g.product_id.as_str()).collect::<Vec<_>>(), ["toy"]);
    // Too little history outside the season to judge: not a gift.
    let mut h: Vec<Event> = year.into_iter().take(6).collect();
    h.push(buy("toy", "2024-12-10"));
    assert!(profile_of(&gift_store(), h, None, "2024-12-20").gifts.is_empty());
    // The same toy in July is taste, not a gift.
    let mut h: Vec<Event> = (1..=6).map(|m| buy("gr00", &format!("2024-{m:02}-10"))).collect();
    h.push(buy("toy", "2024-07-10"));
    assert!(profile_of(&gift_store(), h, None, "2024-12-20").gifts.is_empty());
}

fn sensitive_store() -> Vec<Product> {
    let mut s = store();
    s.push(Product {
        sensitivity: Some(SensitivityClass::PregnancyBaby),
        ..product("test-kit", &["Health", "Pregnancy"])
    });
    s
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn sensitive_purchases_without_opt_in_leave_only_a_count() {
    let h = vec![buy("gr00", "2024-01-01"), buy("test-kit", "2024-01-02")];
    let p = profile_of(&sensitive_store(), h.clone(), None, "2024-02-01");
    assert_eq!(p.sensitive_ignored, 1);
    assert!(p.ignored.iter().all(|l| l.product_id != "test-kit"), "not even listed");
    assert!(p.categories.iter().all(|c| c.path[0] != "Health"));
    assert_eq!(used(&p), 1);
    let prefs = Preferences { sensitive_opt_in: Some(vec![SensitivityClass::PregnancyBaby]), ..Preferences::default() };
    let p = profile_of(&sensitive_store(), h, Some(prefs), "2024-02-01");
    assert_eq!(p.sensitive_ignored, 0);
    assert!(p.categories.iter().any(|c| c.path[0] == "Health"), "opted in: it counts");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn forgetting_a_topic_removes_its_lines_from_the_profile() {
    let h = vec![buy("gr00", "2024-01-01"), buy("ga00", "2024-01-02"), buy("ga10", "2024-01-03")];
    let prefs = Preferences { forgotten: Some(vec!["garden".into()]), ..Preferences::default() };
    let p = profile_of(&store(), h, Some(prefs), "2024-02-01");
    // Forgotten lines are gone from every list: only counted.
    assert_eq!(reasons(&p), vec![]);
    assert_eq!(p.withheld.get("FORGOTTEN"), Some(&2));
    assert_eq!(p.cleaning.get("FORGOTTEN"), Some(&2));
    assert!(p.categories.iter().all(|c| c.path[0] != "Garden"));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn without_consent_nothing_is_used() {
    let prefs = Preferences {
        consent: Some(Consent { personalization: Some(false), ..Consent::default() }),
        ..Preferences::default()
    };
    let p = profile_of(&store(), vec![buy("gr00", "2024-01-01")], Some(prefs), "2024-02-01");
    // Without consent the profile counts and never lists.
    assert_eq!(reasons(&p), vec![]);
    assert_eq!(p.withheld.get("NO_CONSENT"), Some(&1));
    assert_eq!(p.evidence, 0.0);
    assert_eq!(p.mode, Mode::Default);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn affinities_decay_with_time_and_show_the_purchases_behind_them() {
    // Old garden purchases, recent grocery ones: groceries lead.
    let mut h: Vec<Event> = (0..4).map(|i| buy(&format!("ga0{i}"), "2023-01-01")).collect();
    h.extend((0..2).map(|i| buy(&format!("gr0{i}"), "2024-04-01")));
    let p = profile_of(&store(), h, None, "2024-05-01");
    let top = &p.categories[0];
    assert_eq!(top.path, ["Grocery"]);
    assert_eq!(top.count, 2);
    assert_eq!(top.purchases.len(), 2);
    let garden = p.categories.iter().find(|c| c.path == ["Garden"]).unwrap();
    assert!(garden.affinity < top.affinity);
    assert!(p.evidence < 6.0, "old purchases count for less: {}", p.evidence);
    let level: f64 = p.categories.iter().filter(|c| c.path.len() == 1).map(|c| c.affinity).sum();
    assert!((level - 1.0).abs() < 1e-6, "shares of one level sum to 1");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn owned_durables_have_an_end_date_and_a_returned_one_is_not_owned() {
    let mut s = store();
    let durable = Lifecycle { kind: LifecycleKind::Durable, lifetime_days: Some(365.0), repurchase_days: None };
    s.push(Product { lifecycle: Some(durable.clone()), ..product("fridge", &["Home", "Fridges"]) });
    s.push(Product { lifecycle: Some(durable), ..product("mower", &["Garden", "Mowers"]) });
    let h = vec![
        buy("fridge", "2024-01-01"),
        buy("mower", "2024-01-01"),
        ev("mower", "2024-01-10", EventType::Return, 1.0, None),
    ];
    let p = profile_of(&s, h, None, "2024-02-01");
    assert_eq!(p.owned.len(), 1);
    assert_eq!(p.owned[0].product_id, "fridge");
    assert_eq!(p.owned[0].until.unwrap(), ts("2024-12-31"));
    // After its lifetime it is no longer owned.
    let p = profile_of(&s, vec![buy("fridge", "2022-01-01")], None, "2024-02-01");
    assert!(p.owned.is_empty());
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn cadence_shrinks_own_gaps_toward_the_catalog_interval() {
    let mut s = store();
    s.push(Product {
        lifecycle: Some(Lifecycle {
            kind: LifecycleKind::Consumable,
            lifetime_days: None,
            repurchase_days: Some(30.0),
        }),
        ..product("milk", &["Grocery", "Dairy"])
    });
    // Own gaps of 10 days (two of them), catalog 30: (2·10 + 2·30) / 4 = 20, confidence 0.5.
    let h = vec![buy("milk", "2024-01-01"), buy("milk", "2024-01-11"), buy("milk", "2024-01-21")];
    let p = profile_of(&s, h, None, "2024-02-05");
    let due = p.due_soon.iter().find(|d| d.product_id == "milk").unwrap();
    assert!((due.interval_days - 20.0).abs() < 1e-9, "{}", due.interval_days);
    assert!((due.confidence - 0.5).abs() < 1e-9);
    assert_eq!(due.due_at, ts("2024-02-10"));
    // A product bought once, with no catalog interval, has no cadence.
    let p = profile_of(&s, vec![buy("gr00", "2024-01-01")], None, "2024-01-10");
    assert!(p.due_soon.is_empty());
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn recent_intent_lists_the_last_days_categories_newest_first() {
    let h = vec![buy("ga00", "2024-01-01"), buy("gr00", "2024-04-28"), buy("ho10", "2024-04-29")];
    let p = profile_of(&store(), h, None, "2024-04-30");
    assert_eq!(
        p.recent_intent,
        vec![vec!["Home".to_string(), "Home aisle 1".into()], vec!["Grocery".into(), "Grocery aisle 0".into()]]
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn several_members_or_conflicting_ship_to_clusters_mean_shared_use() {
    let m = |id: &str, who: &str, d: &str| Event { member: Some(who.into()), ..buy(id, d) };
    let p =
        profile_of(&store(), vec![m("gr00", "ann", "2024-01-01"), m("ga00", "bob", "2024-01-02")], None, "2024-02-01");
    assert!(p.shared_use.likely);
    assert_eq!(p.shared_use.members, 2);
    assert!(!p.shared_use.evidence.is_empty());
    let s = |id: &str, to: &str, o: &str| Event {
        ship_to: Some(to.into()),
        order_id: Some(o.into()),
        ..buy(id, "2024-01-01")
    };
    let h = vec![s("gr00", "a", "1"), s("gr01", "a", "2"), s("ga00", "b", "3"), s("ga01", "b", "4")];
    let p = profile_of(
        &store(),
        h,
        Some(Preferences { not_gifts: Some(vec!["3".into(), "4".into()]), ..Preferences::default() }),
        "2024-02-01",
    );
    assert!(p.shared_use.likely, "two addresses, each its own kind of products");
    assert_eq!(p.shared_use.ship_to_clusters, 2);
    // One person, one address: not shared.
    let p = profile_of(&store(), vec![buy("gr00", "2024-01-01"), buy("ga00", "2024-01-02")], None, "2024-02-01");
    assert!(!p.shared_use.likely);
}
