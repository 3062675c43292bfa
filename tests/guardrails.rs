//! Every guardrail: the case it must stop, the case it must let through, and the words the shopper reads.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;
use common::shop::*;
use common::*;
use tactful::*;

fn eng() -> Engine {
    engine_with(&shop(), Policy { max_removed: Some(200), ..Policy::default() })
}

fn eng_with(f: impl FnOnce(&mut Policy)) -> Engine {
    let mut p = Policy { max_removed: Some(200), ..Policy::default() };
    f(&mut p);
    engine_with(&shop(), p)
}

fn rank(e: &mut Engine, history: Vec<Event>, p: Option<Preferences>, f: impl FnOnce(&mut Context)) -> Ranking {
    let mut r = all(history, "2024-05-01T12:00:00Z");
    r.preferences = p;
    f(&mut r.context);
    e.rank(&r).unwrap()
}

fn count(r: &Ranking, code: &str) -> u32 {
    r.removed_counts.get(code).copied().unwrap_or(0)
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn no_consent_reads_nothing_and_ranks_like_an_empty_history() {
    let mut e = eng();
    let no = prefs(|p| p.consent = Some(Consent { personalization: Some(false), ..Consent::default() }));
    let without = rank(&mut e, regular(4), no, |_| {});
    let empty = rank(&mut e, vec![], None, |_| {});
    assert_eq!(without.items, empty.items, "no personal signal at all");
    assert_eq!(without.mode, Mode::Default);
    assert_eq!(count(&without, "NO_CONSENT"), 8, "every history line counted as unused");
    let with = rank(&mut e, regular(4), None, |_| {});
    assert_ne!(with.mode, Mode::Default);
    assert_eq!(count(&with, "NO_CONSENT"), 0);
    // Per channel: email consent off keeps the email impersonal while the site stays personal.
    let no_email = prefs(|p| p.consent = Some(Consent { email: Some(false), ..Consent::default() }));
    let email = rank(&mut e, regular(4), no_email.clone(), |c| c.surface = Some(Surface::Email));
    assert_eq!(email.mode, Mode::Default);
    assert!(count(&email, "NO_CONSENT") > 0);
    assert_ne!(rank(&mut e, regular(4), no_email, |_| {}).mode, Mode::Default);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn sensitive_classes_need_an_opt_in_and_never_go_to_email() {
    let mut e = eng();
    let r = rank(&mut e, regular(4), None, |_| {});
    for id in ["diapers", "test-kit", "ring"] {
        assert!(unnamed(&r, id), "{id}: never shown, never named in \"why not?\"");
    }
    assert_eq!(count(&r, "SENSITIVE_CLASS"), 3);
    assert_eq!(summary(&r, "SENSITIVE_CLASS"), "3 items hidden: sensitive categories you have not chosen to see here.");
    let opted = prefs(|p| p.sensitive_opt_in = Some(vec![SensitivityClass::PregnancyBaby]));
    let mut h = regular(4);
    h.push(buy("diapers", "2024-04-20"));
    let r = rank(&mut e, h.clone(), opted.clone(), |_| {});
    assert!(has(&r, "diapers") && has(&r, "test-kit"), "opted in: allowed");
    assert!(unnamed(&r, "ring") && count(&r, "SENSITIVE_CLASS") == 1, "only the class opted into");
    let r = rank(&mut e, h, opted, |c| c.surface = Some(Surface::Email));
    assert!(unnamed(&r, "diapers") && count(&r, "SENSITIVE_CLASS") == 3, "never in email subject matter");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_shared_device_hides_sensitive_items_even_opted_into_and_personal_ones_when_the_policy_says_so() {
    let mut e = eng();
    let romance = |shared: bool| {
        prefs(|p| {
            p.sensitive_opt_in = Some(vec![SensitivityClass::Romance]);
            p.shared_device = Some(shared);
        })
    };
    let r = rank(&mut e, regular(4), romance(true), |_| {});
    assert!(unnamed(&r, "ring"));
    assert_eq!(count(&r, "SHARED_DEVICE"), 1);
    assert_eq!(summary(&r, "SHARED_DEVICE"), "1 item hidden because this device is shared.");
    assert!(has(&rank(&mut e, regular(4), romance(false), |_| {}), "ring"));
    // Balanced lets the shopper's own products show; conservative does not.
    assert!(has(&rank(&mut e, regular(4), romance(true), |_| {}), "gr01"));
    let mut strict = eng_with(|p| p.preset = Some(PolicyPreset::Conservative));
    let r = rank(&mut strict, regular(4), romance(true), |_| {});
    assert!(unnamed(&r, "gr01") && count(&r, "SHARED_DEVICE") > 1);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn an_owned_durable_and_its_substitutes_are_not_offered_until_its_lifetime_ends() {
    let mut e = eng();
    let r = rank(&mut e, vec![buy("fridge-a", "2024-04-01")], None, |_| {});
    assert!(!has(&r, "fridge-a") && !has(&r, "fridge-b"));
    assert_eq!(removal(&r, "fridge-b").code, "OWNED_DURABLE");
    assert_eq!(removal(&r, "fridge-b").text, "You already own one: your Product fridge-a.");
    assert_eq!(removal(&r, "fridge-a").text, "You already own this.");
    let r = rank(&mut e, vec![buy("fridge-a", "2010-04-01")], None, |_| {});
    assert!(has(&r, "fridge-b"), "ten years on, a new fridge is fair");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_consumable_waits_for_its_repurchase_window() {
    let mut e = eng();
    let mut h = regular(4);
    h.extend([buy("milk", "2024-04-16"), buy("milk", "2024-04-23"), buy("milk", "2024-04-30")]);
    let r = rank(&mut e, h.clone(), None, |_| {});
    assert!(!has(&r, "milk"));
    assert_eq!(removal(&r, "milk").code, "NOT_DUE");
    assert_eq!(removal(&r, "milk").text, "You bought this 2 days ago; you usually need it about every 7 days.");
    // A week later it is due, and says why.
    h.truncate(h.len() - 1);
    let r = rank(&mut e, h, None, |_| {});
    let milk = r.items.iter().find(|i| i.product_id == "milk").expect("due again");
    assert!(
        milk.reasons.iter().any(|x| x.code == "DUE_AGAIN" && x.text == "You buy this about every 7 days"),
        "{:?}",
        milk.reasons
    );
    // A product with no stated lifecycle is never held back: repeats keep their signal.
    let r = rank(&mut e, vec![buy("gr00", "2024-04-30"), buy("gr00", "2024-04-29")], None, |_| {});
    assert_ne!(removed_code(&r, "gr00"), Some("NOT_DUE"));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_returned_product_is_not_offered_again() {
    let mut e = eng();
    let ret = Event { kind: Some(EventType::Return), ..buy("toy", "2024-04-10") };
    let r = rank(&mut e, vec![buy("toy", "2024-04-01"), ret], None, |_| {});
    assert_eq!(removal(&r, "toy").code, "RETURNED");
    assert_eq!(removal(&r, "toy").text, "You returned this.");
    assert!(has(&rank(&mut e, vec![buy("toy", "2024-04-01")], None, |_| {}), "toy"));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn gifts_are_excluded_from_taste_and_explained() {
    let mut e = eng();
    let mut h = regular(4);
    h.extend((0..4).map(|i| Event { gift: Some(true), ..buy(&format!("ga{i}0"), "2024-04-25") }));
    let r = rank(&mut e, h.clone(), None, |c| c.k = Some(10));
    assert_eq!(count(&r, "GIFT_EXCLUDED"), 4);
    // Each gift is named in "why not?" — unless it is recommended anyway (a product is in items or removed, never
    // both).
    for i in 0..4 {
        let id = format!("ga{i}0");
        let named = r.removed.iter().any(|x| x.product_id == id && x.code == "GIFT_EXCLUDED");
        assert!(has(&r, &id) != named, "{id}: exactly one of shown and named");
    }
    let named: Vec<&Removal> = r.removed.iter().filter(|x| x.code == "GIFT_EXCLUDED").collect();
    assert!(!named.is_empty() && named.iter().all(|x| x.text.contains("gift")), "{named:?}");
    let garden_liked = |r: &Ranking| {
        r.items.iter().any(|i| i.product_id.starts_with("ga") && i.reasons.iter().any(|x| x.code == "YOU_LIKE"))
    };
    assert!(!garden_liked(&r), "gifts shape no taste");
    let own: Vec<Event> = h
        .into_iter()
        .map(|mut e| {
            e.gift = None;
            e
        })
        .collect();
    assert!(garden_liked(&rank(&mut e, own, None, |c| c.k = Some(10))), "the same purchases for oneself do");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn accessories_must_fit_a_line_the_shopper_owns() {
    let mut e = eng();
    let mut h = regular(4);
    h.push(buy("ipad", "2024-04-01"));
    let r = rank(&mut e, h, None, |_| {});
    assert_eq!(removal(&r, "case-iphone").code, "INCOMPATIBLE");
    assert_eq!(removal(&r, "case-iphone").text, "Does not fit your ipad-pro-11.");
    let case = r.items.iter().find(|i| i.product_id == "case-ipad").expect("the fitting case is offered");
    assert!(case.reasons.iter().any(|x| x.code == "GOES_WITH" && x.text == "Goes with your Product ipad"));
    // Owning nothing of the family, nothing is judged.
    let r = rank(&mut e, vec![buy("gr00", "2024-04-01")], None, |_| {});
    assert!(has(&r, "case-iphone") && has(&r, "case-ipad"));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn muted_and_forgotten_topics_never_appear() {
    let mut e = eng();
    let muted = prefs(|p| {
        p.muted = Some(Muted {
            categories: Some(vec!["garden".into()]),
            brands: Some(vec!["lux".into()]),
            products: Some(vec!["toy".into()]),
        })
    });
    let r = rank(&mut e, regular(4), muted, |_| {});
    assert!(r
        .items
        .iter()
        .all(|i| !i.product_id.starts_with("ga") && i.product_id != "lux-bag" && i.product_id != "toy"));
    assert!(unnamed(&r, "lux-bag") && unnamed(&r, "toy") && unnamed(&r, "ga00"));
    assert_eq!(count(&r, "MUTED"), 22, "20 garden products, the brand's bag, the toy");
    assert_eq!(summary(&r, "MUTED"), "22 items hidden: you muted them.");
    // Forgetting a class cascades to every product in it, even opted into.
    let forgot = prefs(|p| {
        p.sensitive_opt_in = Some(vec![SensitivityClass::PregnancyBaby]);
        p.forgotten = Some(vec!["pregnancy_baby".into(), "Tech".into()]);
    });
    let mut h = regular(4);
    h.push(buy("diapers", "2024-04-20"));
    h.push(buy("ipad", "2024-04-20"));
    let r = rank(&mut e, h, forgot, |_| {});
    for id in ["diapers", "test-kit", "ipad", "iphone", "case-ipad", "case-iphone"] {
        assert!(unnamed(&r, id), "{id}");
    }
    assert_eq!(count(&r, "FORGOTTEN"), 6);
    assert_eq!(summary(&r, "FORGOTTEN"), "6 items hidden: topics you asked us to forget.");
    assert!(has(&rank(&mut e, regular(4), None, |_| {}), "ipad"), "nothing forgotten: tech is back");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn out_of_stock_products_are_not_offered() {
    let mut e = eng();
    let r = rank(&mut e, regular(4), None, |_| {});
    assert_eq!(removal(&r, "oos").code, "OUT_OF_STOCK");
    assert_eq!(removal(&r, "oos").text, "Out of stock.");
    assert!(has(&r, "gr01"), "its in-stock neighbours are");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_category_cap_limits_more_of_the_same() {
    let mut capped = eng_with(|p| p.max_per_category = Some(1));
    let r = rank(&mut capped, regular(4), None, |c| c.k = Some(10));
    let mut leaves: Vec<String> = r.items.iter().map(|i| i.product_id[..3].to_string()).collect();
    leaves.sort();
    let n = leaves.len();
    leaves.dedup();
    assert_eq!(leaves.len(), n, "one per category: {:?}", r.items.iter().map(|i| &i.product_id).collect::<Vec<_>>());
    assert!(count(&r, "CATEGORY_CAP") > 0);
    assert!(removal(&r, "gr01").text.starts_with("Enough Grocery aisle 0"));
    let mut loose = eng_with(|p| p.max_per_category = Some(100));
    let r = rank(&mut loose, regular(4), None, |c| c.k = Some(10));
    assert!(r.items.iter().filter(|i| i.product_id.starts_with("gr0")).count() > 1);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn diversity_trades_relevance_for_variety() {
    let distinct = |lambda: f64| {
        let mut e = eng_with(|p| {
            p.diversity = Some(lambda);
            p.max_per_category = Some(100);
        });
        let r = rank(&mut e, regular(4), None, |c| c.k = Some(8));
        let mut tops: Vec<String> = r.items.iter().map(|i| i.product_id[..2].to_string()).collect();
        tops.sort();
        tops.dedup();
        (tops.len(), r)
    };
    let (narrow, _) = distinct(0.0);
    let (wide, r) = distinct(1.0);
    assert!(wide > narrow, "λ=1 gives {wide} departments, λ=0 {narrow}");
    assert!(count(&r, "DIVERSITY") > 0);
    assert!(r.removed.iter().any(|x| x.code == "DIVERSITY" && x.text == "Made room for something different."));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn fatigue_rests_products_shown_often_without_a_click() {
    let mut e = eng();
    let shown = |clicked: bool, day: &str| Impression {
        product_id: "gr01".into(),
        at: ts(day),
        surface: None,
        clicked: Some(clicked),
    };
    let mut req = all(regular(4), "2024-05-01T12:00:00Z");
    req.impressions = Some(vec![shown(false, "2024-04-28"), shown(false, "2024-04-29"), shown(false, "2024-04-30")]);
    let r = e.rank(&req).unwrap();
    assert_eq!(removal(&r, "gr01").code, "FATIGUE");
    assert!(removal(&r, "gr01").text.contains("several times"));
    // A click in the window, or impressions long ago, and it comes back.
    req.impressions.as_mut().unwrap().push(shown(true, "2024-04-30"));
    assert!(has(&e.rank(&req).unwrap(), "gr01"));
    req.impressions = Some(vec![shown(false, "2024-03-01"), shown(false, "2024-03-02"), shown(false, "2024-03-03")]);
    assert!(has(&e.rank(&req).unwrap(), "gr01"));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn regulated_classes_need_verified_eligibility_and_stay_off_messages() {
    let mut e = eng();
    let opted = prefs(|p| p.sensitive_opt_in = Some(vec![SensitivityClass::Alcohol]));
    let r = rank(&mut e, regular(4), opted.clone(), |_| {});
    assert!(unnamed(&r, "beer"));
    assert_eq!(count(&r, "COMPLIANCE"), 1);
    assert_eq!(summary(&r, "COMPLIANCE"), "1 item not shown: they need an age or eligibility check.");
    let verified = |c: &mut Context| c.eligibility = Some(Eligibility { alcohol: Some(true), tobacco: None });
    assert!(has(&rank(&mut e, regular(4), opted.clone(), verified), "beer"));
    let r = rank(&mut e, regular(4), opted.clone(), |c| {
        verified(c);
        c.surface = Some(Surface::Email);
    });
    assert!(unnamed(&r, "beer") && count(&r, "COMPLIANCE") == 1, "kept off email by default");
    let mut allows = eng_with(|p| p.regulated_on_messages = Some(true));
    let r = rank(&mut allows, regular(4), opted, |c| {
        verified(c);
        c.surface = Some(Surface::Push);
    });
    assert!(unnamed(&r, "beer"));
    assert_eq!(count(&r, "COMPLIANCE"), 0, "the policy allows it on messages...");
    assert!(count(&r, "SENSITIVE_CLASS") >= 1, "...but sensitive matter still never goes to push");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn brand_rules_keep_a_brand_off_surfaces_and_away_from_some_tags() {
    let rule = BrandRule { brand: "LUX".into(), not_on: Some(vec![Surface::Email]), not_with_tags: None };
    let mut e = eng_with(|p| p.brand_rules = Some(vec![rule]));
    let r = rank(&mut e, regular(4), None, |c| c.surface = Some(Surface::Email));
    assert_eq!(removal(&r, "lux-bag").code, "BRAND_RULE");
    assert_eq!(removal(&r, "lux-bag").text, "Not shown here, by the brand's guidelines.");
    assert!(has(&rank(&mut e, regular(4), None, |_| {}), "lux-bag"), "fine on the home page");
    let rule = BrandRule { brand: "Lux".into(), not_on: None, not_with_tags: Some(vec!["clearance".into()]) };
    let mut e = eng_with(|p| p.brand_rules = Some(vec![rule]));
    let r = rank(&mut e, regular(4), None, |_| {});
    assert!(has(&r, "clearance-tee") && !has(&r, "lux-bag"), "never beside clearance");
    assert_eq!(removal(&r, "lux-bag").code, "BRAND_RULE");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn thin_data_gives_a_full_default_list_without_personal_claims() {
    let mut e = eng();
    let r = rank(&mut e, vec![buy("gr00", "2024-04-30")], None, |c| c.k = Some(10));
    assert_eq!(r.mode, Mode::Default);
    assert_eq!(r.items.len(), 10, "never empty, never short");
    assert_eq!(count(&r, "THIN_DATA"), 1);
    let personal = ["BOUGHT_BEFORE", "YOU_LIKE", "DUE_AGAIN", "BOUGHT_TOGETHER", "GOES_WITH"];
    assert!(r.items.iter().all(|i| i.reasons.iter().all(|x| !personal.contains(&x.code.as_str()))));
    let r = rank(&mut e, regular(4), None, |c| c.k = Some(10));
    assert_ne!(r.mode, Mode::Default);
    assert!(r.items.iter().any(|i| i.reasons.iter().any(|x| personal.contains(&x.code.as_str()))));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn the_policy_can_keep_a_surface_impersonal() {
    let mut e = eng_with(|p| p.personalized_surfaces = Some(vec![Surface::Home]));
    assert_eq!(rank(&mut e, regular(4), None, |c| c.surface = Some(Surface::Email)).mode, Mode::Default);
    assert_ne!(rank(&mut e, regular(4), None, |_| {}).mode, Mode::Default);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn removed_is_capped_and_counts_are_complete() {
    let mut e = engine_with(&shop(), Policy { max_removed: Some(2), ..Policy::default() });
    let r = e.rank(&all(regular(4), "2024-05-01")).unwrap();
    assert_eq!(r.removed.len(), 2);
    let total: u32 = r.removed_counts.values().sum();
    assert!(total > 2, "{:?}", r.removed_counts);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn on_a_shared_device_opted_in_sensitive_purchases_shape_nothing_and_are_not_profiled() {
    let mut e = eng();
    let mut h = regular(4);
    h.extend((0..4).map(|i| buy("diapers", &format!("2024-04-1{i}"))));
    let opted = |shared: bool| {
        prefs(|p| {
            p.sensitive_opt_in = Some(vec![SensitivityClass::PregnancyBaby]);
            p.shared_device = Some(shared);
        })
    };
    let profile = |e: &Engine, p: Option<Preferences>| {
        e.profile(&ProfileRequest { history: h.clone(), preferences: p, context: Context::at(ts("2024-05-01")) })
            .unwrap()
    };
    let own = profile(&e, opted(false));
    assert!(own.categories.iter().any(|c| c.path[0] == "Baby"), "opted in, own device: it is part of the profile");
    let shared = profile(&e, opted(true));
    assert!(shared.categories.iter().all(|c| c.path[0] != "Baby"), "shared screen: not shown");
    assert_eq!(shared.sensitive_ignored, 4, "only counted");
    let r = rank(&mut e, h.clone(), opted(true), |_| {});
    assert!(r.items.iter().all(|i| i.reasons.iter().all(|x| !x.text.to_lowercase().contains("baby"))));
    assert!(unnamed(&r, "diapers"));
}
