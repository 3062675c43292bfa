//! The disclosure property through the JS API, in wasm (Node): random shops, histories, preferences, surfaces and
//! shared states built from a seeded generator, passed as JS values to the `Engine` class exactly as a page would,
//! and the whole output read as JSON text (`JSON.stringify`) for the id or title of anything that may not be named
//! there. Fewer cases than the native property (`tests/disclosure_property.rs`), the same oracle.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod disclosure_oracle;
use disclosure_oracle::{leak, pid, shared, title, Oracle};
use tactful::util::mix::SplitMix64;
use tactful::wasm::{to_js, JsEngine};
use tactful::*;
use wasm_bindgen::JsValue;

const DAY: i64 = 86_400_000;
const START: i64 = 1_704_067_200_000;
const NOW: i64 = START + 365 * DAY;
const CASES: u64 = 150;

/// A seeded stream of numbers (SplitMix64), so every case can be replayed from its seed.
struct Rng(SplitMix64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0.below(n as u64) as usize
    }
    fn chance(&mut self, in_n: usize) -> bool {
        self.below(in_n) == 0
    }
}

fn case(rng: &mut Rng) -> (Vec<Product>, Model, RankRequest) {
    let n = 8 + rng.below(30);
    let products: Vec<Product> = (0..n)
        .map(|i| {
            let dept = rng.below(5);
            Product {
                id: pid(i),
                title: Some(title(i)),
                category: Some(vec![format!("Dept{dept}"), format!("Dept{dept}Leaf{}", rng.below(3))]),
                brand: (rng.below(4) < 3).then(|| format!("Brand{}", rng.below(3))),
                product_line: rng.chance(3).then(|| format!("line-{}", rng.below(2))),
                compatible_with: rng.chance(3).then(|| vec![format!("line-{}", rng.below(2))]),
                sensitivity: rng.chance(3).then(|| SensitivityClass::ALL[rng.below(SensitivityClass::ALL.len())]),
                ..Product::default()
            }
        })
        .collect();
    let mut neighbours: Vec<(String, Vec<(String, f64)>)> = Vec::new();
    for a in 0..n {
        let list: Vec<(String, f64)> =
            (0..rng.below(4)).map(|_| rng.below(n)).filter(|&b| b != a).map(|b| (pid(b), 0.8)).collect();
        if !list.is_empty() {
            let mut seen: Vec<(String, f64)> = Vec::new();
            for x in list {
                if !seen.iter().any(|y| y.0 == x.0) {
                    seen.push(x);
                }
            }
            neighbours.push((pid(a), seen));
        }
    }
    let model = Model {
        version: 1,
        min_customers: 5,
        popularity: (0..n).map(|i| (pid(i), (n - i) as f64)).collect(),
        trending: vec![],
        repeat: vec![],
        neighbours,
        dim: 0,
        embeddings: vec![],
    };
    let history: Vec<Event> = (0..rng.below(40))
        .map(|_| Event {
            product_id: pid(rng.below(n + 3)),
            at: Timestamp(START + rng.below(380) as i64 * DAY),
            kind: Some(match rng.below(12) {
                0 => EventType::Return,
                1 => EventType::Cancel,
                _ => EventType::Purchase,
            }),
            quantity: Some(1.0 + rng.below(3) as f64),
            price: None,
            order_id: Some(format!("ord{}", rng.below(25))),
            gift: Some(rng.chance(8)),
            ship_to: rng.chance(3).then(|| format!("ship{}", rng.below(2))),
            member: rng.chance(4).then(|| format!("mem{}", rng.below(2))),
        })
        .collect();
    let forgotten: Vec<String> = (0..rng.below(3))
        .map(|_| match rng.below(5) {
            0 => "pregnancy_baby".to_string(),
            1 => "romance".to_string(),
            2 => "Dept1".to_string(),
            3 => "Brand1".to_string(),
            _ => pid(rng.below(n + 3)),
        })
        .collect();
    let prefs = Preferences {
        consent: Some(Consent { personalization: Some(!rng.chance(8)), email: Some(!rng.chance(8)), push: None }),
        sensitive_opt_in: Some((0..rng.below(5)).map(|_| SensitivityClass::ALL[rng.below(10)]).collect()),
        muted: Some(Muted {
            categories: rng.chance(3).then(|| vec![format!("Dept{}", rng.below(5))]),
            brands: rng.chance(3).then(|| vec![format!("Brand{}", rng.below(3))]),
            products: Some((0..rng.below(3)).map(|_| pid(rng.below(n))).collect()),
        }),
        forgotten: Some(forgotten),
        shared_device: [None, Some(true), Some(false)][rng.below(3)],
        ..Preferences::default()
    };
    let surface = [Surface::Home, Surface::Product, Surface::Cart, Surface::Email, Surface::Push][rng.below(5)];
    let context = Context {
        surface: Some(surface),
        k: Some(1 + rng.below(25) as u32),
        seed_product_id: rng.chance(2).then(|| pid(rng.below(n))),
        cart: Some((0..rng.below(3)).map(|_| pid(rng.below(n))).collect()),
        ..Context::at(Timestamp(NOW))
    };
    (products, model, RankRequest { history, preferences: Some(prefs), impressions: None, context })
}

fn js<T: serde::Serialize>(x: &T) -> JsValue {
    to_js(x).unwrap()
}

fn text(v: &JsValue) -> String {
    js_sys::JSON::stringify(v).unwrap().as_string().unwrap()
}

#[wasm_bindgen_test::wasm_bindgen_test]
fn nothing_that_may_not_be_named_is_named_through_the_js_api() {
    for seed in 0..CASES {
        let mut rng = Rng(SplitMix64(seed));
        let (products, model, req) = case(&mut rng);
        let options = js(&EngineOptions { policy: None, model: Some(model) });
        let mut engine = JsEngine::new(js(&products), options).unwrap();
        let prefs = req.preferences.clone().unwrap();
        let profile_req = ProfileRequest {
            history: req.history.clone(),
            preferences: Some(prefs.clone()),
            context: req.context.clone(),
        };
        let profile = engine.profile(js(&profile_req)).unwrap();
        let household: Profile = serde_wasm_bindgen::from_value(profile.clone()).unwrap();
        let shared = shared(&prefs, household.shared_use.likely);
        let surface = req.context.surface.unwrap();

        let ranking = text(&engine.rank(js(&req)).unwrap());
        let oracle = Oracle { prefs: &prefs, public: shared || surface.is_message() };
        assert_eq!(leak(&ranking, &oracle.forbidden(&products)), None, "seed {seed}: rank {ranking}");
        let oracle = Oracle { prefs: &prefs, public: shared };
        let profile = text(&profile);
        assert_eq!(leak(&profile, &oracle.forbidden(&products)), None, "seed {seed}: profile {profile}");
    }
}
