//! Email and site, one engine: `context.device` shapes an email or push (how many items, which layout, image box,
//! titles cut at a word boundary) without ever changing which guardrails apply; and an email never shows a product
//! the site's guardrails removed for the same shopper and moment — the differences between the two lists are only
//! the email-only rules (docs/messaging.md, "Email and site").
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;
use common::shop::*;
use common::*;
use std::collections::BTreeSet;
use tactful::*;

const NOW: &str = "2024-05-01T12:00:00Z";
const LONG: &str = "Organic whole milk from grass-fed cows, family size with a resealable cap and a long story";

/// The guardrail shop, with long titles on a few products so titles have something to cut.
fn long_shop() -> Vec<Product> {
    let mut s = shop();
    for p in s.iter_mut() {
        if p.id.starts_with("gr0") || p.id.starts_with("ho1") {
            p.title = Some(format!("{LONG} {}", p.id));
        }
    }
    s
}

fn eng(f: impl FnOnce(&mut Policy)) -> Engine {
    let mut p = Policy { max_removed: Some(200), ..Policy::default() };
    f(&mut p);
    engine_with(&long_shop(), p)
}

/// A shopper every guardrail has something to say about: weekly groceries, a fridge, a return, a gift, an opted-in
/// sensitive purchase, a muted product.
fn busy_request(k: u32) -> RankRequest {
    let mut h = regular(4);
    h.push(buy("fridge-a", "2024-04-20"));
    h.push(buy("diapers", "2024-04-21"));
    h.push(Event { kind: Some(EventType::Return), ..buy("ho00", "2024-04-22") });
    h.push(Event { gift: Some(true), ..buy("toy", "2024-04-23") });
    h.push(buy("ipad", "2024-03-01"));
    let mut r = request(h, NOW);
    r.preferences = prefs(|p| {
        p.sensitive_opt_in = Some(vec![SensitivityClass::PregnancyBaby, SensitivityClass::Alcohol]);
        p.muted = Some(Muted { products: Some(vec!["ga00".into()]), ..Muted::default() });
    });
    r.context.k = Some(k);
    r.context.seed = Some(1);
    r
}

fn on(r: &RankRequest, surface: Surface, device: Option<Device>) -> RankRequest {
    let mut r = r.clone();
    r.context.surface = Some(surface);
    r.context.device = device;
    r
}

fn removed_set(r: &Ranking) -> BTreeSet<(String, String)> {
    r.removed.iter().map(|x| (x.product_id.clone(), x.code.as_str().to_string())).collect()
}

#[test]
fn a_device_shapes_the_message_but_never_which_guardrails_apply() {
    let mut e = eng(|_| {});
    let base = busy_request(10);
    for surface in [Surface::Email, Surface::Push] {
        let plain = e.rank(&on(&base, surface, None)).unwrap();
        assert!(plain.layout.is_none(), "no device: no layout");
        assert_eq!(plain.items.len(), 10);
        assert!(!plain.removed_counts.is_empty(), "the shopper gives the guardrails work");
        for device in [Device::Phone, Device::Tablet, Device::Desktop] {
            let r = e.rank(&on(&base, surface, Some(device))).unwrap();
            // The same decisions: removed (ids and codes), full counts, summary sentences, mode and evidence.
            assert_eq!(removed_set(&r), removed_set(&plain), "{surface:?} {device:?}");
            assert_eq!(r.removed, plain.removed, "{surface:?} {device:?}");
            assert_eq!(r.removed_counts, plain.removed_counts, "{surface:?} {device:?}");
            assert_eq!(r.summary, plain.summary);
            assert_eq!((r.mode, r.evidence), (plain.mode, plain.evidence));
            // The shown items are the first ones of the same list, as many as fit.
            let layout = r.layout.as_ref().unwrap();
            assert_eq!(layout.device, device);
            let n = layout.max_items as usize;
            assert_eq!(ids(&r), ids(&plain)[..n].to_vec(), "{surface:?} {device:?}");
            for (item, title) in r.items.iter().zip(&layout.titles) {
                assert_eq!(item.product_id, title.product_id);
                assert!(title.title.chars().count() <= layout.title_chars as usize, "{}", title.title);
            }
            assert_eq!(layout.titles.len(), r.items.len());
        }
    }
}

#[test]
fn each_device_gets_its_own_count_layout_image_and_title_length() {
    let mut e = eng(|_| {});
    let base = busy_request(10);
    let get = |e: &mut Engine, s, d| e.rank(&on(&base, s, Some(d))).unwrap().layout.unwrap();
    let phone = get(&mut e, Surface::Email, Device::Phone);
    let tablet = get(&mut e, Surface::Email, Device::Tablet);
    let desktop = get(&mut e, Surface::Email, Device::Desktop);
    assert_eq!((phone.layout, phone.columns, phone.max_items), (LayoutKind::List, 1, 3));
    assert_eq!((tablet.layout, tablet.columns, tablet.max_items), (LayoutKind::Grid, 2, 4));
    assert_eq!((desktop.layout, desktop.columns, desktop.max_items), (LayoutKind::Grid, 3, 6));
    assert!(phone.title_chars < tablet.title_chars && tablet.title_chars < desktop.title_chars);
    assert_eq!((phone.image_width, tablet.image_width, desktop.image_width), (96, 240, 176));
    for d in [Device::Phone, Device::Tablet, Device::Desktop] {
        let push = get(&mut e, Surface::Push, d);
        assert_eq!((push.layout, push.max_items, push.titles.len()), (LayoutKind::Notification, 1, 1));
    }
}

#[test]
fn long_titles_are_cut_at_a_word_boundary_and_short_ones_let_through() {
    let mut e = eng(|_| {});
    // A shopper of the long-titled aisle: the email leads with them.
    let h: Vec<Event> = (1..=8).map(|d| buy(&format!("gr0{}", d % 5), &format!("2024-04-{:02}", d * 2))).collect();
    let mut r = request(h, NOW);
    r.context.surface = Some(Surface::Email);
    let mut cut = 0;
    let mut whole = 0;
    for device in [Device::Phone, Device::Tablet, Device::Desktop] {
        r.context.device = Some(device);
        let ranking = e.rank(&r).unwrap();
        let layout = ranking.layout.unwrap();
        for t in &layout.titles {
            let full = long_shop().into_iter().find(|p| p.id == t.product_id).unwrap().title.unwrap();
            if t.truncated {
                // Stopped: cut, within the limit, ending in "…", and the kept text is whole words of the title.
                cut += 1;
                assert!(t.title.chars().count() <= layout.title_chars as usize);
                let kept = t.title.strip_suffix('…').unwrap();
                assert!(full.starts_with(kept), "{kept} / {full}");
                let next = full[kept.len()..].chars().next().unwrap();
                assert!(next == ' ' || next == ',' || next == '-', "cut inside a word: {}", t.title);
            } else {
                // Let through: a title that fits is the catalog's, unchanged.
                whole += 1;
                assert_eq!(t.title, full);
            }
        }
    }
    assert!(cut > 0 && whole > 0, "both cases happened: {cut} cut, {whole} whole");
}

#[test]
fn fewer_items_than_fit_are_all_shown_and_site_surfaces_ignore_the_device() {
    let mut e = eng(|_| {});
    let mut r = on(&busy_request(2), Surface::Email, Some(Device::Desktop));
    let two = e.rank(&r).unwrap();
    assert_eq!((two.items.len(), two.layout.as_ref().unwrap().titles.len()), (2, 2));
    r.context.surface = Some(Surface::Home);
    let home = e.rank(&on(&busy_request(10), Surface::Home, Some(Device::Phone))).unwrap();
    let plain = e.rank(&on(&busy_request(10), Surface::Home, None)).unwrap();
    assert!(home.layout.is_none());
    assert_eq!(home, plain, "the site lays itself out: the device changes nothing there");
}

// ---- The same decisions on the site and in the email ----

/// Product-level guardrails: a decision about the product, whatever else is in the list. (`GIFT_EXCLUDED` is not one:
/// it says a gift did not shape the shopper's taste; the product itself may still be shown.)
const PRODUCT_LEVEL: [&str; 12] = [
    "SENSITIVE_CLASS",
    "SHARED_DEVICE",
    "OWNED_DURABLE",
    "NOT_DUE",
    "RETURNED",
    "INCOMPATIBLE",
    "MUTED",
    "FORGOTTEN",
    "OUT_OF_STOCK",
    "FATIGUE",
    "COMPLIANCE",
    "BRAND_RULE",
];

#[test]
fn without_an_email_only_rule_the_email_is_the_site_list() {
    let mut e = eng(|_| {});
    // No opt-in, no eligibility, no brand rule: nothing the email decides on its own.
    let mut base = busy_request(12);
    base.preferences = prefs(|p| p.muted = Some(Muted { products: Some(vec!["ga00".into()]), ..Muted::default() }));
    let site = e.rank(&on(&base, Surface::Home, None)).unwrap();
    let email = e.rank(&on(&base, Surface::Email, None)).unwrap();
    assert_eq!(ids(&email), ids(&site), "the same products, in the same order");
    assert_eq!(email.removed_counts, site.removed_counts, "the same guardrails, the same counts");
    assert_eq!((email.mode, email.evidence), (site.mode, site.evidence));
    // The email names less (nothing of the shopper's own history), never something else.
    assert!(removed_set(&email).is_subset(&removed_set(&site)));
    assert!(email.removed.len() < site.removed.len());
}

#[test]
fn an_email_never_shows_what_the_site_removed_and_differs_only_by_the_email_only_rules() {
    // Three email-only rules with something to act on: an opted-in sensitive class (diapers), a regulated class the
    // shopper was verified for (beer), and a brand kept off email (Lux).
    let mut e = eng(|p| {
        p.brand_rules =
            Some(vec![BrandRule { brand: "Lux".into(), not_on: Some(vec![Surface::Email]), not_with_tags: None }]);
    });
    let mut base = busy_request(200);
    base.context.eligibility = Some(Eligibility { alcohol: Some(true), tobacco: None });
    let site = e.rank(&on(&base, Surface::Home, None)).unwrap();
    let email = e.rank(&on(&base, Surface::Email, None)).unwrap();
    let site_items: BTreeSet<&str> = ids(&site).into_iter().collect();
    let email_items: BTreeSet<&str> = ids(&email).into_iter().collect();
    // Let through on the site (the shopper's own screen): the opted-in class, the verified beer, the Lux bag.
    for id in ["diapers", "test-kit", "beer", "lux-bag"] {
        assert!(site_items.contains(id), "{id} on the site");
    }
    // Never in the email what the site's guardrails removed: with k = 200 every product is in the site's items or
    // its removed list, so the email's items are a subset of the site's.
    let site_removed: BTreeSet<&str> = site.removed.iter().map(|x| x.product_id.as_str()).collect();
    for id in &email_items {
        assert!(!site_removed.contains(id), "{id}: removed on the site, shown in the email");
    }
    assert!(email_items.is_subset(&site_items), "{:?}", email_items.difference(&site_items).collect::<Vec<_>>());
    // The differences are exactly the email-only rules' products, each counted under its rule.
    let gone: BTreeSet<&str> = site_items.difference(&email_items).copied().collect();
    // (diapers and the test kit: the opted-in pregnancy_baby class; beer: alcohol, verified; the Lux bag: its brand.)
    assert_eq!(gone, BTreeSet::from(["beer", "diapers", "lux-bag", "test-kit"]));
    let delta = |code: &str| {
        i64::from(email.removed_counts.get(code).copied().unwrap_or(0))
            - i64::from(site.removed_counts.get(code).copied().unwrap_or(0))
    };
    assert_eq!((delta("SENSITIVE_CLASS"), delta("COMPLIANCE"), delta("BRAND_RULE")), (2, 1, 1));
    for code in PRODUCT_LEVEL.iter().filter(|c| !["SENSITIVE_CLASS", "COMPLIANCE", "BRAND_RULE"].contains(c)) {
        assert_eq!(delta(code), 0, "{code}: a site rule counts the same in the email");
    }
}

#[test]
fn a_short_email_shows_nothing_the_site_removed_at_its_own_length() {
    // A list of 12: the email fills its freed slots from the same candidates, and none of them is one the site's
    // product-level guardrails removed.
    let mut e = eng(|p| {
        p.brand_rules =
            Some(vec![BrandRule { brand: "Lux".into(), not_on: Some(vec![Surface::Email]), not_with_tags: None }]);
    });
    for k in [3, 6, 12, 24] {
        let mut base = busy_request(k);
        base.context.eligibility = Some(Eligibility { alcohol: Some(true), tobacco: None });
        let site = e.rank(&on(&base, Surface::Home, None)).unwrap();
        for device in [None, Some(Device::Phone), Some(Device::Desktop)] {
            let email = e.rank(&on(&base, Surface::Email, device)).unwrap();
            for item in &email.items {
                let code = site.removed.iter().find(|x| x.product_id == item.product_id).map(|x| x.code.as_str());
                assert!(
                    code.is_none_or(|c| !PRODUCT_LEVEL.contains(&c)),
                    "k {k}: {} removed on the site ({code:?})",
                    item.product_id
                );
                assert!(!["diapers", "test-kit", "beer", "lux-bag", "ga00", "fridge-b", "ho00"]
                    .contains(&item.product_id.as_str()));
            }
        }
    }
}

#[test]
fn an_opted_in_sensitive_purchase_is_not_evidence_in_an_email_but_still_leaves_out_what_it_leaves_out_on_the_site() {
    // A breast pump (pregnancy_baby, opted in) and a bottle warmer in the same leaf: owning one durable of a leaf
    // leaves its substitutes out.
    let mut products = long_shop();
    products.push(with("pump", &["Baby", "Feeding"], |p| {
        p.lifecycle = durable(1095.0);
        p.sensitivity = Some(SensitivityClass::PregnancyBaby);
    }));
    products.push(with("warmer", &["Baby", "Feeding"], |p| p.lifecycle = durable(1095.0)));
    let mut e = engine_with(&products, Policy { max_removed: Some(200), ..Policy::default() });
    let opted = prefs(|p| p.sensitive_opt_in = Some(vec![SensitivityClass::PregnancyBaby]));
    let run = |e: &mut Engine, history: Vec<Event>, surface| {
        let mut r = all(history, NOW);
        r.preferences = opted.clone();
        r.context.surface = Some(surface);
        e.rank(&r).unwrap()
    };
    let mut h = regular(4);
    h.push(buy("pump", "2024-04-25"));
    let site = run(&mut e, h.clone(), Surface::Home);
    assert_eq!(removed_code(&site, "warmer"), Some("OWNED_DURABLE"), "the site leaves the substitute out");
    // Stopped: the email leaves it out too, without naming the pump anywhere or using it as evidence.
    let email = run(&mut e, h.clone(), Surface::Email);
    assert!(!has(&email, "warmer") && !has(&email, "pump"));
    // (The site counts the pump and the warmer as owned; the email counts the pump under its own rule, first.)
    assert_eq!(site.removed_counts.get("OWNED_DURABLE"), Some(&2));
    assert_eq!(email.removed_counts.get("OWNED_DURABLE"), Some(&1), "the warmer, counted, never named");
    let text = serde_json::to_string(&email).unwrap();
    assert!(!text.contains("pump") && !text.contains("Product pump"), "{text}");
    // Let through: without the pump, the warmer is in the email.
    let without = run(&mut e, regular(4), Surface::Email);
    assert!(has(&without, "warmer"));
    assert_eq!(without.removed_counts.get("OWNED_DURABLE"), None);
    // And the email's evidence is the same with or without the sensitive purchase: it is not read as taste.
    assert_eq!(email.evidence, without.evidence);
}

// ---- The same, over random shoppers ----

mod random {
    use super::*;
    use proptest::prelude::*;

    const CLASSES: [SensitivityClass; 3] =
        [SensitivityClass::PregnancyBaby, SensitivityClass::Romance, SensitivityClass::Alcohol];

    #[derive(Debug, Clone)]
    struct Case {
        history: Vec<Event>,
        opt_in: Vec<SensitivityClass>,
        eligible: bool,
        brand_rule: bool,
        muted: Option<String>,
        shared: Option<bool>,
        k: u32,
        seed: u32,
    }

    fn catalog_ids() -> Vec<String> {
        long_shop().into_iter().map(|p| p.id).collect()
    }

    prop_compose! {
        fn event()(p in 0..75usize, day in 1..120i64, kind in 0..10u8, gift in 0..10u8) -> Event {
            let all = catalog_ids();
            let id = all.get(p % all.len()).cloned().unwrap_or_default();
            let at = Timestamp(ts(NOW).millis() - day * 86_400_000);
            Event {
                kind: (kind == 0).then_some(EventType::Return),
                gift: (gift == 0).then_some(true),
                ..Event::purchase(&id, at)
            }
        }
    }

    prop_compose! {
        fn case()(
            history in proptest::collection::vec(event(), 0..30), opt in 0..8u8, eligible in any::<bool>(),
            brand_rule in any::<bool>(), muted in proptest::option::of(0..75usize), shared in 0..3u8,
            k in prop_oneof![Just(200u32), 3..25u32], seed in 0..4u32,
        ) -> Case {
            let all = catalog_ids();
            Case {
                history,
                opt_in: CLASSES.iter().enumerate().filter(|(i, _)| opt & (1 << i) != 0).map(|(_, c)| *c).collect(),
                eligible,
                brand_rule,
                muted: muted.and_then(|m| all.get(m).cloned()),
                shared: [None, Some(true), Some(false)][shared as usize],
                k,
                seed,
            }
        }
    }

    fn setup(case: &Case) -> (Engine, RankRequest) {
        let e = eng(|p| {
            if case.brand_rule {
                p.brand_rules = Some(vec![BrandRule {
                    brand: "Lux".into(),
                    not_on: Some(vec![Surface::Email]),
                    not_with_tags: None,
                }]);
            }
        });
        let mut r = request(case.history.clone(), NOW);
        r.preferences = prefs(|p| {
            p.consent = Some(Consent { personalization: Some(true), email: Some(true), push: Some(true) });
            p.sensitive_opt_in = Some(case.opt_in.clone());
            p.muted = case.muted.clone().map(|m| Muted { products: Some(vec![m]), ..Muted::default() });
            p.shared_device = case.shared;
        });
        r.context.k = Some(case.k);
        r.context.seed = Some(case.seed);
        r.context.eligibility = Some(Eligibility { alcohol: Some(case.eligible), tobacco: None });
        (e, r)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

        #[test]
        fn a_device_never_changes_the_decisions(case in case()) {
            let (mut e, base) = setup(&case);
            for surface in [Surface::Email, Surface::Push] {
                let plain = e.rank(&on(&base, surface, None)).unwrap();
                for device in [Device::Phone, Device::Tablet, Device::Desktop] {
                    let r = e.rank(&on(&base, surface, Some(device))).unwrap();
                    prop_assert_eq!(&r.removed, &plain.removed);
                    prop_assert_eq!(&r.removed_counts, &plain.removed_counts);
                    prop_assert_eq!(&r.summary, &plain.summary);
                    let n = r.layout.as_ref().map_or(0, |l| l.max_items as usize).min(plain.items.len());
                    prop_assert_eq!(&r.items[..], &plain.items[..n]);
                }
            }
        }

        #[test]
        fn an_email_never_shows_what_the_site_removed(case in case()) {
            let (mut e, base) = setup(&case);
            let site = e.rank(&on(&base, Surface::Home, None)).unwrap();
            let email = e.rank(&on(&base, Surface::Email, None)).unwrap();
            let catalog = long_shop();
            let muted = case.muted.clone().unwrap_or_default();
            for item in &email.items {
                let code = site.removed.iter().find(|x| x.product_id == item.product_id).map(|x| x.code.as_str());
                let listed = code.is_some_and(|c| PRODUCT_LEVEL.contains(&c));
                prop_assert!(!listed, "{} removed on the site: {:?}", item.product_id, code);
                let p = catalog.iter().find(|p| p.id == item.product_id).unwrap();
                prop_assert!(p.sensitivity.is_none() && item.product_id != muted);
            }
            // Without an email-only rule to act, the email is the site's list.
            if case.opt_in.is_empty() && !case.eligible && !case.brand_rule {
                prop_assert_eq!(ids(&email), ids(&site));
                prop_assert_eq!(&email.removed_counts, &site.removed_counts);
            }
        }
    }
}
