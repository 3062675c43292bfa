//! The bodies of tactful's fuzz targets (one thin file per target in `fuzz_targets/`; see docs/fuzzing.md).
//!
//! Decoders (`products`, `history`, `preferences`, `policy`, `model`, `message`) read a value tree as the JS edge
//! does: the fuzz bytes are either JSON text (first byte even) or a valid template changed by a few structured
//! mutations that `arbitrary` directs (first byte odd: a node replaced by an edge value — NaN, ±∞, −0, 1e308, long
//! strings, deep nesting, wrong types —, an array item or object key removed or given twice). What reads
//! successfully is then used (an engine built, a ranking made), so the fuzzer reaches past the readers.
//!
//! `packed` feeds bytes to the packed-catalog reader; half the inputs get a repaired header (length and checksum), so
//! mutations reach the sections behind the checksum. `rank` and `profile` build a whole shop and shopper from
//! `arbitrary` (typed, every value one the readers could have produced).
//!
//! The oracle: no panic (the engine's lints forbid them; debug assertions and overflow checks are on while
//! fuzzing), no `INTERNAL` error, every error has a message and (below a named root) a path, a ranking holds at most
//! `k` distinct catalog products, the same request ranks the same twice, and the engine works on the next call.

use arbitrary::{Arbitrary, Result as AResult, Unstructured};
use std::cell::RefCell;
use tactful::contract::error::ErrorCode;
use tactful::read::limits;
use tactful::message::{
    holdout, lift, lint, segments, send, DailyWindow, HoldoutRequest, LiftRequest, LintRequest, MessageCaps,
    SegmentRequest, SendRequest,
};
use tactful::engine::packed;
use tactful::read::value::{read, Value};
use tactful::*;

pub const DAY: i64 = 86_400_000;
/// 2024-01-01T00:00:00Z.
pub const BASE: i64 = 1_704_067_200_000;

/// Every error the engine returns must be one of the contract's: not `INTERNAL`, with a message, and with the path
/// of the bad value when the input has a named root.
pub fn check_error(e: &Error, named_root: bool) {
    assert!(e.code != ErrorCode::Internal, "INTERNAL error: {e}");
    assert!(!e.message.is_empty(), "error without a message: {e:?}");
    if named_root {
        assert!(!e.path.is_empty(), "error without a path: {e:?}");
    }
}

/// A ranking's invariants: at most `k` items, distinct, each a catalog product.
pub fn check_ranking(engine: &Engine, r: &Ranking, k: usize) {
    assert!(r.items.len() <= k, "{} items for k = {k}", r.items.len());
    let mut seen = std::collections::HashSet::new();
    for item in &r.items {
        assert!(engine.catalog().pid(&item.product_id).is_some(), "{} is not in the catalog", item.product_id);
        assert!(seen.insert(item.product_id.as_str()), "{} ranked twice", item.product_id);
        assert!(item.score.is_finite(), "score {} for {}", item.score, item.product_id);
    }
    assert!(r.evidence.is_finite());
}

// ---------------------------------------------------------------------------------------------------------------
// Value trees: JSON text or a mutated template

/// Strings the readers know (enum names, field names, dates) and a few awkward ones.
const WORDS: &[&str] = &[
    "",
    " ",
    "p0",
    "p1",
    "p2",
    "p3",
    "p99",
    "Grocery",
    "Dairy",
    "Baby",
    "Pharmacy",
    "Acme",
    "purchase",
    "return",
    "cancel",
    "home",
    "product",
    "cart",
    "email",
    "push",
    "subtle",
    "moderate",
    "strong",
    "phone",
    "desktop",
    "conservative",
    "balanced",
    "bold",
    "durable",
    "consumable",
    "seasonal",
    "regular",
    "pregnancy_baby",
    "medical",
    "alcohol",
    "adult",
    "welcome",
    "marketing",
    "opened",
    "clicked",
    "sent",
    "page",
    "2024-05-01T12:00:00Z",
    "2024-02-29",
    "1969-12-31T23:59:59Z",
    "1900-01-01",
    "2101-01-01T00:00:00+14:00",
    "-271821-04-20T00:00:00Z",
    "275760-09-13T00:00:01Z",
    "2024-13-01",
    "2024-05-01T25:00:00Z",
    "09:00",
    "24:00",
    "23:59",
    "{FNAME}",
    "Hi {FNAME}, still need diapers?",
    "<b>&amp;</b>",
    "\u{0}",
    "\u{feff}",
    "😀",
    "é",
];

/// Numbers at the edges of every reader.
const NUMBERS: &[f64] = &[
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    -0.0,
    0.0,
    1.0,
    -1.0,
    0.5,
    1e308,
    -1e308,
    5e-324,
    9_007_199_254_740_993.0,
    4_294_967_295.0,
    4_294_967_296.0,
    2_147_483_648.0,
    -2_147_483_649.0,
    8.64e15,
    8.640_000_000_000_001e15,
    -8.64e15,
    1_714_564_800_000.0,
    -86_400_000.0,
    201.0,
    1081.0,
];

fn leaf(u: &mut Unstructured<'_>, depth: usize) -> AResult<Value<'static>> {
    Ok(match u.int_in_range(0..=13u8)? {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary()?),
        2 | 3 => Value::Num(*u.choose(NUMBERS)?),
        4 => Value::Num(u.arbitrary()?),
        5 => Value::Num(f64::from(u.int_in_range(-3i32..=1000)?)),
        6 | 7 => Value::Str((*u.choose(WORDS)?).into()),
        8 => Value::Str(u.arbitrary::<String>()?.into()),
        9 => {
            // A long string: over every documented text limit (ids 256, texts 1,024, lines, bodies).
            let n = usize::from(u.arbitrary::<u16>()?) * 4;
            Value::Str("x".repeat(n).into())
        }
        10 => Value::Arr(Vec::new()),
        11 => Value::Obj(Vec::new()),
        12 => {
            // Nesting, deeper than the contract's 5 levels, within the JS edge's 16.
            let levels = u.int_in_range(1..=16usize.saturating_sub(depth).max(1))?;
            let mut v = leaf_flat(u)?;
            for _ in 0..levels {
                v = if u.arbitrary()? { Value::Arr(vec![v]) } else { Value::Obj(vec![("a".into(), v)]) };
            }
            v
        }
        _ => {
            let key: String = if u.arbitrary()? { (*u.choose(WORDS)?).to_string() } else { u.arbitrary()? };
            Value::Obj(vec![(key.into(), leaf_flat(u)?)])
        }
    })
}

fn leaf_flat(u: &mut Unstructured<'_>) -> AResult<Value<'static>> {
    Ok(match u.int_in_range(0..=3u8)? {
        0 => Value::Null,
        1 => Value::Num(*u.choose(NUMBERS)?),
        2 => Value::Str((*u.choose(WORDS)?).into()),
        _ => Value::Bool(u.arbitrary()?),
    })
}

/// One structured change somewhere in `v`.
fn mutate(v: &mut Value<'static>, u: &mut Unstructured<'_>, depth: usize) -> AResult<()> {
    match v {
        Value::Arr(items) if !items.is_empty() && u.ratio(4u8, 5)? => {
            let i = u.choose_index(items.len())?;
            match u.int_in_range(0..=7u8)? {
                0 => {
                    let copy = items.get(i).cloned().unwrap_or(Value::Null);
                    items.push(copy);
                }
                1 => {
                    items.remove(i);
                }
                2 => items.push(leaf(u, depth + 1)?),
                _ => {
                    if let Some(item) = items.get_mut(i) {
                        mutate(item, u, depth + 1)?;
                    }
                }
            }
            return Ok(());
        }
        Value::Obj(entries) if !entries.is_empty() && u.ratio(4u8, 5)? => {
            let i = u.choose_index(entries.len())?;
            match u.int_in_range(0..=7u8)? {
                0 => {
                    // The same key twice (the last one counts, as in JSON.parse).
                    let key = entries.get(i).map(|(k, _)| k.clone()).unwrap_or_default();
                    entries.push((key, leaf(u, depth + 1)?));
                }
                1 => {
                    entries.remove(i);
                }
                2 => {
                    // An unknown or misspelt field.
                    let key: String = if u.arbitrary()? { (*u.choose(WORDS)?).to_string() } else { u.arbitrary()? };
                    entries.push((key.into(), leaf(u, depth + 1)?));
                }
                _ => {
                    if let Some((_, item)) = entries.get_mut(i) {
                        mutate(item, u, depth + 1)?;
                    }
                }
            }
            return Ok(());
        }
        _ => {}
    }
    *v = leaf(u, depth)?;
    Ok(())
}

/// The value a fuzz input stands for (see the module docs), or `None` for bytes that are neither.
pub fn value(data: &[u8], templates: &[&str]) -> Option<Value<'static>> {
    let (&mode, rest) = data.split_first()?;
    if mode & 1 == 0 {
        // serde_json refuses nesting past 128 levels; the JS edge refuses past 16 (`LIMIT_EXCEEDED`).
        return Value::from_json(std::str::from_utf8(rest).ok()?).ok();
    }
    let template = templates.get(usize::from(mode >> 1) % templates.len().max(1))?;
    let mut v = Value::from_json(template).ok()?;
    let mut u = Unstructured::new(rest);
    let changes = u.int_in_range(0..=6u8).ok()?;
    for _ in 0..changes {
        mutate(&mut v, &mut u, 0).ok()?;
    }
    Some(v)
}

// ---------------------------------------------------------------------------------------------------------------
// A fixed shop for the decoder targets

pub const SHOP: &str = r#"[
 {"id":"p0","title":"Whole milk","category":["Grocery","Dairy"],"brand":"Acme","price":1.2,
  "lifecycle":{"kind":"consumable","repurchaseDays":7},"tags":["organic"]},
 {"id":"p1","title":"Oat milk","category":["Grocery","Dairy"],"brand":"Oatly","price":2.5,"inStock":true},
 {"id":"p2","title":"Diapers","category":["Baby","Diapers"],"price":12,"sensitivity":"pregnancy_baby",
  "lifecycle":{"kind":"consumable","repurchaseDays":20}},
 {"id":"p3","title":"Kettle","category":["Home","Kitchen"],"brand":"Acme","price":30,
  "lifecycle":{"kind":"durable","lifetimeDays":1500},"productLine":"k1"},
 {"id":"p4","title":"Kettle filter","category":["Home","Kitchen","Parts"],"price":4,"compatibleWith":["k1"]},
 {"id":"p5","title":"Red wine","category":["Drinks","Wine"],"price":9,"sensitivity":"alcohol"},
 {"id":"p6","title":"Pain relief","category":["Pharmacy"],"price":5,"sensitivity":"medical","inStock":false},
 {"id":"p7","title":"Scarf","category":["Clothing","Winter"],"brand":"Wool Co","price":25,
  "lifecycle":{"kind":"seasonal"},"launchedAt":"2024-04-20"},
 {"id":"p8","title":"Coffee","category":["Grocery","Coffee"],"brand":"Bean","price":8,"tags":["clearance"]},
 {"id":"p9","title":"Tea","category":["Grocery","Tea"],"brand":"Leaf","price":3,"launchedAt":1713916800000},
 {"id":"p10","title":"Mug","category":["Home","Kitchen"],"price":6},
 {"id":"p11","title":"Gift card","category":["Gifts"],"price":50}
]"#;

pub const HISTORY: &str = r#"[
 {"productId":"p0","at":"2024-04-01T10:00:00Z","quantity":2,"orderId":"o1"},
 {"productId":"p0","at":"2024-04-08T10:00:00Z","orderId":"o2","price":1.1},
 {"productId":"p2","at":"2024-04-09T10:00:00Z","orderId":"o2","gift":true},
 {"productId":"p3","at":"2024-01-09T10:00:00Z","type":"purchase","shipTo":"s1","member":"m1"},
 {"productId":"p8","at":1712000000000,"type":"return"},
 {"productId":"p5","at":"2024-03-01","type":"cancel","quantity":1}
]"#;

pub const PREFERENCES: &str = r#"{"consent":{"personalization":true,"email":true,"push":false},
 "sensitiveOptIn":["pregnancy_baby"],"muted":{"categories":["Drinks"],"brands":["Oatly"],"products":["p6"]},
 "forgotten":["p3"],"sharedDevice":false,"interests":["Home"],"intensity":"moderate","discovery":0.3,
 "notGifts":["p2"],"quietHours":{"start":"22:00","end":"07:00"},"messageCaps":{"perDay":1,"perWeek":3}}"#;

pub const POLICY: &str = r#"{"preset":"balanced","halfLifeDays":60,"minEvidence":1,"minOccasions":2,
 "evidenceHalf":3,"diversity":0.3,"maxPerCategory":3,"discovery":0.2,"newShare":0.1,"newArrivalDays":30,
 "fatigueImpressions":3,"fatigueDays":7,"inferGifts":true,"outlierQuantityFactor":5,"nonProductIds":["p11"],
 "sensitiveCategories":{"Pharmacy":"medical"},"productFamilies":{"p0":"milk","p1":"milk"},
 "regulatedClasses":["alcohol"],"regulatedOnMessages":true,
 "brandRules":[{"brand":"Acme","notOn":["email"],"notWithTags":["clearance"]}],
 "personalizedSurfaces":["home","cart"],"sharedDevicePersonal":false,"boostTags":{"organic":0.2},
 "maxRemoved":20,"priceWeight":0.1,"dueWindow":0.5,"repeatConfidence":0.5}"#;

pub const MODEL: &str = r#"{"version":1,"minCustomers":3,"popularity":[["p0",0.5],["p8",0.2],["p3",0.1],["zz",1]],
 "trending":[["p7",2.5],["p9",0.5]],"repeat":[["p0",0.8],["p8",0.4]],
 "neighbours":[["p3",[["p4",0.9],["p10",0.3]]],["p0",[["p1",0.5],["p9",0.2]]]],
 "dim":3,"embeddings":[["p0",[0.1,0.2,0.3]],["p1",[0.1,0.25,0.3]],["p3",[-1,0,1]]]}"#;

fn now() -> Timestamp {
    Timestamp(BASE + 121 * DAY + DAY / 2)
}

fn shop_products() -> Vec<Product> {
    Value::from_json(SHOP).and_then(|v| read(&v, "catalog")).unwrap_or_default()
}

fn shop_history() -> Vec<Event> {
    Value::from_json(HISTORY).and_then(|v| read(&v, "history")).unwrap_or_default()
}

thread_local! {
    /// One engine for the whole run, as a page keeps one: a bad request must leave it working for the next.
    static SHOP_ENGINE: RefCell<Option<Engine>> = const { RefCell::new(None) };
}

fn with_shop<R>(f: impl FnOnce(&mut Engine) -> R) -> R {
    SHOP_ENGINE.with(|cell| {
        let mut slot = cell.borrow_mut();
        let engine = slot.get_or_insert_with(|| {
            Engine::new(&shop_products(), &EngineOptions::default()).unwrap_or_else(|e| panic!("the shop: {e}"))
        });
        f(engine)
    })
}

/// Ranks and profiles with `engine` and checks the results; errors must be contract errors.
fn exercise(engine: &mut Engine, history: Vec<Event>, preferences: Option<Preferences>, context: Context) {
    let k = context.k.unwrap_or(10) as usize;
    let req = RankRequest { history, preferences, impressions: None, context };
    match engine.rank(&req) {
        Ok(r) => check_ranking(engine, &r, k),
        Err(e) => check_error(&e, true),
    }
    let preq = ProfileRequest { history: req.history, preferences: req.preferences, context: req.context };
    if let Err(e) = engine.profile(&preq) {
        check_error(&e, true);
    }
}

/// After anything, a plain request still ranks.
fn still_works(engine: &mut Engine) {
    let c = engine.catalog();
    let history: Vec<Event> =
        (0..c.len().min(3)).map(|i| Event::purchase(c.id(i as u32), Timestamp(BASE + 100 * DAY))).collect();
    let req = RankRequest { history, preferences: None, impressions: None, context: Context::at(now()) };
    match engine.rank(&req) {
        Ok(r) => check_ranking(engine, &r, 10),
        Err(e) => panic!("a plain request failed after a fuzz input: {e}"),
    }
}

// ---------------------------------------------------------------------------------------------------------------
// The decoder targets

pub fn products(data: &[u8]) {
    let Some(v) = value(data, &[SHOP]) else { return };
    match read::<Vec<Product>>(&v, "catalog") {
        Err(e) => check_error(&e, true),
        Ok(products) => match Engine::new(&products, &EngineOptions::default()) {
            Err(e) => check_error(&e, true),
            Ok(mut engine) => {
                exercise(&mut engine, shop_history(), None, Context::at(now()));
                if engine.catalog().len() > 0 {
                    still_works(&mut engine);
                }
            }
        },
    }
}

pub fn history(data: &[u8]) {
    let Some(v) = value(data, &[HISTORY]) else { return };
    if matches!(&v, Value::Arr(a) if a.len() > limits::MAX_HISTORY_EVENTS) {
        return; // the JS edge refuses it before reading (`LIMIT_EXCEEDED`)
    }
    match read::<Vec<Event>>(&v, "history") {
        Err(e) => check_error(&e, true),
        Ok(history) => with_shop(|engine| {
            exercise(engine, history, None, Context::at(now()));
            still_works(engine);
        }),
    }
}

pub fn preferences(data: &[u8]) {
    let Some(v) = value(data, &[PREFERENCES]) else { return };
    match read::<Preferences>(&v, "preferences") {
        Err(e) => check_error(&e, true),
        Ok(prefs) => with_shop(|engine| {
            exercise(engine, shop_history(), Some(prefs.clone()), Context::at(now()));
            let mut email = Context::at(now());
            email.surface = Some(Surface::Email);
            exercise(engine, shop_history(), Some(prefs), email);
            still_works(engine);
        }),
    }
}

pub fn policy(data: &[u8]) {
    let Some(v) = value(data, &[POLICY, r#""bold""#]) else { return };
    match read::<PolicySpec>(&v, "options.policy") {
        Err(e) => check_error(&e, true),
        Ok(policy) => match Engine::new(&shop_products(), &EngineOptions { policy: Some(policy), model: None }) {
            Err(e) => check_error(&e, true),
            Ok(mut engine) => {
                exercise(&mut engine, shop_history(), None, Context::at(now()));
                still_works(&mut engine);
            }
        },
    }
}

pub fn model(data: &[u8]) {
    let Some(v) = value(data, &[MODEL]) else { return };
    match read::<Model>(&v, "options.model") {
        Err(e) => check_error(&e, true),
        Ok(model) => match Engine::new(&shop_products(), &EngineOptions { policy: None, model: Some(model) }) {
            Err(e) => check_error(&e, true),
            Ok(mut engine) => {
                exercise(&mut engine, shop_history(), None, Context::at(now()));
                let mut product = Context::at(now());
                product.surface = Some(Surface::Product);
                product.seed_product_id = Some("p3".into());
                exercise(&mut engine, shop_history(), None, product);
                still_works(&mut engine);
            }
        },
    }
}

/// Writes a header that matches the bytes (length and checksum), as a tool that packed them would have.
pub fn repair_header(bytes: &mut [u8]) {
    if bytes.len() < packed::HEADER_LEN {
        return;
    }
    let total = (bytes.len() as u64).to_le_bytes();
    let sum = packed::checksum(&bytes[packed::HEADER_LEN..]).to_le_bytes();
    bytes[16..24].copy_from_slice(&total);
    bytes[24..32].copy_from_slice(&sum);
}

pub fn packed(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else { return };
    let mut bytes = rest.to_vec();
    if flags & 1 == 1 {
        repair_header(&mut bytes);
    }
    match packed::engine(&bytes, None) {
        Err(e) => check_error(&e, true),
        Ok(mut engine) => {
            exercise(&mut engine, shop_history(), None, Context::at(now()));
            if engine.catalog().len() > 0 {
                still_works(&mut engine);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// The messaging helpers

pub const SEND: &str = r#"{"now":"2024-05-06T06:00:00Z","channel":"email","purpose":"marketing",
 "engagement":[{"type":"clicked","channel":"email","at":"2024-04-20T19:20:00Z"},
  {"type":"opened","channel":"push","at":"2024-04-21T08:00:00Z"},{"type":"sent","channel":"email","at":"2024-05-05T09:00:00Z"}],
 "ledger":[{"channel":"email","at":"2024-05-04T09:00:00Z","purpose":"welcome"},{"channel":"page","at":"2024-05-05T12:00:00Z"}],
 "preferences":{"consent":{"email":true,"push":true},"quietHours":{"start":"22:00","end":"07:00"},"messageCaps":{"perDay":2,"perWeek":5}},
 "policy":{"maxPerWeek":3,"maxPerDay":2,"minGapHours":6,"explicitConsent":true,"quietHours":{"start":"21:00","end":"08:00"}},
 "utcOffsetMinutes":-240,"subscribedAt":"2024-05-01T07:00:00Z"}"#;

pub const LINT: &str = r#"{"subject":"Hi {FNAME}, your diapers are back","preheader":"Only for you, Anna",
 "body":"<p>We saw you bought <b>pregnancy</b> tests &amp; more. Save 0% today! Dear Sir,</p>",
 "facts":{"firstName":{"confirmed":true,"value":"Anna"},"discount":{"confirmed":false,"value":0}},
 "policy":{"sensitiveWords":{"medical":["pain"]},"genderedWords":true}}"#;

pub const HOLDOUT: &str = r#"{"salt":"spring-2024","customerKey":"c-123","share":0.1}"#;
pub const LIFT: &str = r#"{"treated":{"n":1000,"conversions":50},"holdout":{"n":100,"conversions":3}}"#;
pub const SEGMENTS: &str = r#"{"sizes":[["all",1000],["new",20],["vip",0]],"customers":900,"minSize":50}"#;

fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

/// The JS edge's size checks (`src/wasm_message.rs`), done on the value before it is read.
fn message_sizes_ok(v: &Value, helper: u8) -> bool {
    let Value::Obj(entries) = v else { return true };
    entries.iter().all(|(k, x)| match (helper, k.as_ref(), x) {
        (0, "engagement" | "ledger", Value::Arr(a)) => a.len() <= send::MAX_EVENTS,
        (1, "subject" | "preheader", Value::Str(s)) => utf16_len(s) <= lint::MAX_LINE,
        (1, "body", Value::Str(s)) => utf16_len(s) <= lint::MAX_BODY,
        (4, "sizes", Value::Arr(a)) => a.len() <= segments::MAX_SEGMENTS,
        _ => true,
    })
}

pub fn message(data: &[u8]) {
    let Some((&which, rest)) = data.split_first() else { return };
    let helper = which % 5;
    let template = [SEND, LINT, HOLDOUT, LIFT, SEGMENTS][usize::from(helper)];
    let Some(v) = value(rest, &[template]) else { return };
    if !message_sizes_ok(&v, helper) {
        return;
    }
    let result = match helper {
        0 => read::<SendRequest>(&v, "").and_then(|r| send::plan(&r).map(drop)),
        1 => read::<LintRequest>(&v, "").and_then(|r| {
            let issues = lint::lint(&r)?;
            for issue in &issues {
                assert!(issue.start <= issue.end, "span {}..{}", issue.start, issue.end);
            }
            Ok(())
        }),
        2 => read::<HoldoutRequest>(&v, "").and_then(|r| holdout::in_holdout(&r).map(drop)),
        3 => read::<LiftRequest>(&v, "").and_then(|r| {
            let report = lift::report(&r)?;
            assert!(serde_json::to_string(&report).is_ok(), "the report does not serialize: {report:?}");
            Ok(())
        }),
        _ => read::<SegmentRequest>(&v, "").and_then(|r| segments::check(&r).map(drop)),
    };
    if let Err(e) = result {
        check_error(&e, false);
    }
}

// ---------------------------------------------------------------------------------------------------------------
// `rank` and `profile` on a whole shop and shopper built by `arbitrary`

/// A finite number: edge values often, any finite value sometimes.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub struct Num(u8, f64);

impl Num {
    pub fn get(self) -> f64 {
        let finite: Vec<f64> = NUMBERS.iter().copied().filter(|n| n.is_finite()).collect();
        match self.0 % 8 {
            0 | 1 => finite.get(usize::from(self.0 / 8) % finite.len()).copied().unwrap_or(0.0),
            2 if self.1.is_finite() => self.1,
            _ if self.1.is_finite() => (self.1 % 100.0).abs(),
            _ => f64::from(self.0),
        }
    }
}

/// A day offset from 2024-01-01, sometimes far outside the usual range (before 1970, after 2100).
#[derive(Arbitrary, Debug, Clone, Copy)]
pub struct Day(i16, u8);

impl Day {
    pub fn at(self) -> Timestamp {
        let days = if self.1 % 16 == 0 { i64::from(self.0) * 40 } else { i64::from(self.0 % 500) };
        Timestamp(BASE + days * DAY + i64::from(self.1) * 3_600_000 / 10)
    }
}

#[derive(Arbitrary, Debug)]
pub struct GenProduct {
    id: Option<u8>,
    title: bool,
    category: Option<Vec<u8>>,
    brand: Option<u8>,
    price: Option<Num>,
    in_stock: Option<bool>,
    launched: Option<Day>,
    lifecycle: Option<(u8, Option<Num>, Option<Num>)>,
    line: Option<u8>,
    compatible: Option<Vec<u8>>,
    sensitivity: Option<u8>,
    tags: Option<Vec<u8>>,
}

#[derive(Arbitrary, Debug)]
pub struct GenEvent {
    product: u8,
    at: Day,
    kind: Option<u8>,
    quantity: Option<Num>,
    price: Option<Num>,
    order: Option<u8>,
    gift: Option<bool>,
    ship_to: Option<u8>,
    member: Option<u8>,
}

#[derive(Arbitrary, Debug)]
pub struct GenPrefs {
    consent: Option<(Option<bool>, Option<bool>, Option<bool>)>,
    opt_in: Option<Vec<u8>>,
    muted: Option<(Option<Vec<u8>>, Option<Vec<u8>>, Option<Vec<u8>>)>,
    forgotten: Option<Vec<u8>>,
    shared: Option<bool>,
    interests: Option<Vec<u8>>,
    intensity: Option<u8>,
    discovery: Option<Num>,
    not_gifts: Option<Vec<u8>>,
    quiet: Option<(u16, u16)>,
    caps: Option<(Option<u8>, Option<u8>)>,
}

#[derive(Arbitrary, Debug)]
pub struct GenContext {
    now: Day,
    surface: Option<u8>,
    seed_product: Option<u8>,
    cart: Option<Vec<u8>>,
    k: Option<u8>,
    seed: Option<u32>,
    eligibility: Option<(Option<bool>, Option<bool>)>,
    utc_offset: Option<i16>,
    device: Option<u8>,
}

#[derive(Arbitrary, Debug)]
pub struct GenPolicy {
    preset: Option<u8>,
    half_life_days: Option<Num>,
    diversity: Option<Num>,
    max_per_category: Option<u8>,
    discovery: Option<Num>,
    new_share: Option<Num>,
    min_evidence: Option<Num>,
    fatigue_impressions: Option<u8>,
    infer_gifts: Option<bool>,
    outlier_quantity_factor: Option<Num>,
    families: Option<Vec<(u8, u8)>>,
    regulated: Option<Vec<u8>>,
    brand_rule: Option<(u8, Vec<u8>)>,
    surfaces: Option<Vec<u8>>,
    shared_device_personal: Option<bool>,
    boost: Option<Vec<(u8, Num)>>,
    price_weight: Option<Num>,
    due_window: Option<Num>,
    repeat_confidence: Option<Num>,
}

#[derive(Arbitrary, Debug)]
pub struct GenModel {
    popularity: Vec<(u8, Num)>,
    trending: Vec<(u8, Num)>,
    repeat: Vec<(u8, Num)>,
    neighbours: Vec<(u8, Vec<(u8, Num)>)>,
    dim: u8,
    embeddings: Vec<(u8, Vec<Num>)>,
}

#[derive(Arbitrary, Debug)]
pub struct GenCase {
    products: Vec<GenProduct>,
    policy: Option<GenPolicy>,
    model: Option<GenModel>,
    history: Vec<GenEvent>,
    preferences: Option<GenPrefs>,
    impressions: Option<Vec<(u8, Day, Option<u8>, Option<bool>)>>,
    context: GenContext,
    again: Option<GenContext>,
}

const CATEGORIES: &[&str] = &["Grocery", "Dairy", "Baby", "Home", "Kitchen", "Pharmacy", "Drinks", "Gifts"];
const BRANDS: &[&str] = &["Acme", "Oatly", "Bean", "Leaf", "Wool Co"];
const TAGS: &[&str] = &["clearance", "organic", "new", "gift", "refurbished"];

fn pick<'a>(list: &[&'a str], i: u8) -> &'a str {
    list.get(usize::from(i) % list.len()).copied().unwrap_or("")
}

fn pid(i: u8) -> String {
    format!("p{}", i % 64)
}

/// Names from everything the shopper may mention: products (some unknown), categories, brands.
fn any_name(i: u8) -> String {
    match i % 3 {
        0 => pid(i / 3),
        1 => pick(CATEGORIES, i / 3).to_string(),
        _ => pick(BRANDS, i / 3).to_string(),
    }
}

fn class(i: u8) -> Option<SensitivityClass> {
    SensitivityClass::ALL.get(usize::from(i) % (SensitivityClass::ALL.len() + 2)).copied()
}

fn surface(i: u8) -> Surface {
    [Surface::Home, Surface::Product, Surface::Cart, Surface::Email, Surface::Push][usize::from(i) % 5]
}

impl GenProduct {
    fn build(&self, i: usize) -> Product {
        let id = match self.id {
            Some(j) => pid(j),
            None => format!("p{i}"),
        };
        Product {
            title: self.title.then(|| format!("Product {id}")),
            id,
            category: self
                .category
                .as_ref()
                .map(|c| c.iter().take(9).map(|&x| pick(CATEGORIES, x).to_string()).collect()),
            brand: self.brand.map(|b| pick(BRANDS, b).to_string()),
            price: self.price.map(Num::get),
            in_stock: self.in_stock,
            launched_at: self.launched.map(Day::at),
            lifecycle: self.lifecycle.map(|(k, life, again)| Lifecycle {
                kind: [
                    LifecycleKind::Durable,
                    LifecycleKind::Consumable,
                    LifecycleKind::Seasonal,
                    LifecycleKind::Regular,
                ][usize::from(k) % 4],
                lifetime_days: life.map(Num::get),
                repurchase_days: again.map(Num::get),
            }),
            product_line: self.line.map(|l| format!("line{}", l % 4)),
            compatible_with: self.compatible.as_ref().map(|c| c.iter().map(|l| format!("line{}", l % 4)).collect()),
            sensitivity: self.sensitivity.and_then(class),
            tags: self.tags.as_ref().map(|t| t.iter().map(|&x| pick(TAGS, x).to_string()).collect()),
        }
    }
}

impl GenEvent {
    fn build(&self) -> Event {
        Event {
            product_id: pid(self.product),
            at: self.at.at(),
            kind: self.kind.map(|k| [EventType::Purchase, EventType::Return, EventType::Cancel][usize::from(k) % 3]),
            quantity: self.quantity.map(Num::get),
            price: self.price.map(Num::get),
            order_id: self.order.map(|o| format!("o{}", o % 16)),
            gift: self.gift,
            ship_to: self.ship_to.map(|s| format!("s{}", s % 4)),
            member: self.member.map(|m| format!("m{}", m % 4)),
        }
    }
}

fn names(v: &Option<Vec<u8>>) -> Option<Vec<String>> {
    v.as_ref().map(|v| v.iter().map(|&i| any_name(i)).collect())
}

impl GenPrefs {
    fn build(&self) -> Preferences {
        Preferences {
            consent: self.consent.map(|(p, e, s)| Consent { personalization: p, email: e, push: s }),
            sensitive_opt_in: self.opt_in.as_ref().map(|v| v.iter().filter_map(|&c| class(c)).collect()),
            muted: self.muted.as_ref().map(|(c, b, p)| Muted {
                categories: c.as_ref().map(|v| v.iter().map(|&i| pick(CATEGORIES, i).to_string()).collect()),
                brands: b.as_ref().map(|v| v.iter().map(|&i| pick(BRANDS, i).to_string()).collect()),
                products: p.as_ref().map(|v| v.iter().map(|&i| pid(i)).collect()),
            }),
            forgotten: names(&self.forgotten),
            shared_device: self.shared,
            interests: names(&self.interests),
            intensity: self
                .intensity
                .map(|i| [Intensity::Subtle, Intensity::Moderate, Intensity::Strong][usize::from(i) % 3]),
            discovery: self.discovery.map(Num::get),
            not_gifts: names(&self.not_gifts),
            quiet_hours: self.quiet.map(|(s, e)| DailyWindow::new(s % 1440, e % 1440)),
            message_caps: self.caps.map(|(d, w)| MessageCaps { per_day: d.map(u32::from), per_week: w.map(u32::from) }),
        }
    }
}

impl GenContext {
    fn build(&self) -> Context {
        Context {
            now: self.now.at(),
            surface: self.surface.map(surface),
            seed_product_id: self.seed_product.map(pid),
            cart: self.cart.as_ref().map(|c| c.iter().map(|&i| pid(i)).collect()),
            k: self.k.map(u32::from),
            seed: self.seed,
            eligibility: self.eligibility.map(|(a, t)| Eligibility { alcohol: a, tobacco: t }),
            utc_offset_minutes: self.utc_offset.map(|o| i32::from(o % 1200)),
            device: self.device.map(|d| [Device::Phone, Device::Tablet, Device::Desktop][usize::from(d) % 3]),
        }
    }
}

impl GenPolicy {
    fn build(&self) -> PolicySpec {
        let preset = self
            .preset
            .map(|p| [PolicyPreset::Conservative, PolicyPreset::Balanced, PolicyPreset::Bold][usize::from(p) % 3]);
        let mut p = Policy { preset, ..Policy::default() };
        p.half_life_days = self.half_life_days.map(Num::get);
        p.diversity = self.diversity.map(Num::get);
        p.max_per_category = self.max_per_category.map(u32::from);
        p.discovery = self.discovery.map(Num::get);
        p.new_share = self.new_share.map(Num::get);
        p.min_evidence = self.min_evidence.map(Num::get);
        p.fatigue_impressions = self.fatigue_impressions.map(u32::from);
        p.infer_gifts = self.infer_gifts;
        p.outlier_quantity_factor = self.outlier_quantity_factor.map(Num::get);
        p.product_families = self.families.as_ref().map(|f| {
            let mut d = tactful::util::dict::Dict::new();
            for &(a, b) in f {
                d.insert(pid(a), format!("fam{}", b % 4));
            }
            d
        });
        p.regulated_classes = self.regulated.as_ref().map(|v| v.iter().filter_map(|&c| class(c)).collect());
        p.brand_rules = self.brand_rule.as_ref().map(|(b, on)| {
            vec![BrandRule {
                brand: pick(BRANDS, *b).to_string(),
                not_on: Some(on.iter().map(|&s| surface(s)).collect()),
                not_with_tags: Some(vec!["clearance".into()]),
            }]
        });
        p.personalized_surfaces = self.surfaces.as_ref().map(|v| v.iter().map(|&s| surface(s)).collect());
        p.shared_device_personal = self.shared_device_personal;
        p.boost_tags = self.boost.as_ref().map(|b| {
            let mut d = tactful::util::dict::Dict::new();
            for &(t, w) in b {
                d.insert(pick(TAGS, t).to_string(), w.get());
            }
            d
        });
        p.price_weight = self.price_weight.map(Num::get);
        p.due_window = self.due_window.map(Num::get);
        p.repeat_confidence = self.repeat_confidence.map(Num::get);
        if self.preset.is_some_and(|x| x >= 128) {
            PolicySpec::Preset(preset.unwrap_or_default())
        } else {
            PolicySpec::Custom(Box::new(p))
        }
    }
}

impl GenModel {
    fn build(&self) -> Model {
        let pairs = |v: &Vec<(u8, Num)>| v.iter().map(|&(i, n)| (pid(i), n.get())).collect();
        let dim = u32::from(self.dim % 5);
        Model {
            version: 1,
            min_customers: 3,
            popularity: pairs(&self.popularity),
            trending: pairs(&self.trending),
            repeat: pairs(&self.repeat),
            neighbours: self.neighbours.iter().map(|(i, n)| (pid(*i), pairs(n))).collect(),
            dim,
            embeddings: self
                .embeddings
                .iter()
                .map(|(i, e)| (pid(*i), e.iter().map(|n| n.get() as f32).collect()))
                .collect(),
        }
    }
}

/// A shop and a shopper from fuzz bytes, and the engine for the shop (or `None` when the shop is refused, after
/// checking the error).
fn case(data: &[u8]) -> Option<(GenCase, Engine)> {
    let mut u = Unstructured::new(data);
    let case = GenCase::arbitrary(&mut u).ok()?;
    let products: Vec<Product> = case.products.iter().take(64).enumerate().map(|(i, p)| p.build(i)).collect();
    let options = EngineOptions {
        policy: case.policy.as_ref().map(GenPolicy::build),
        model: case.model.as_ref().map(GenModel::build),
    };
    match Engine::new(&products, &options) {
        Ok(engine) => Some((case, engine)),
        Err(e) => {
            check_error(&e, true);
            None
        }
    }
}

pub fn rank(data: &[u8]) {
    let Some((case, mut engine)) = case(data) else { return };
    let mut req = RankRequest {
        history: case.history.iter().map(GenEvent::build).collect(),
        preferences: case.preferences.as_ref().map(GenPrefs::build),
        impressions: case.impressions.as_ref().map(|v| {
            v.iter()
                .map(|&(p, at, s, c)| Impression {
                    product_id: pid(p),
                    at: at.at(),
                    surface: s.map(surface),
                    clicked: c,
                })
                .collect()
        }),
        context: case.context.build(),
    };
    let k = req.context.k.unwrap_or(10) as usize;
    match engine.rank(&req) {
        Ok(first) => {
            check_ranking(&engine, &first, k);
            // Same inputs → same output, with the engine's scratch reused.
            match engine.rank(&req) {
                Ok(second) => assert!(first == second, "the same request ranked differently"),
                Err(e) => panic!("the same request failed the second time: {e}"),
            }
        }
        Err(e) => check_error(&e, true),
    }
    if let Some(again) = &case.again {
        req.context = again.build();
        let k = req.context.k.unwrap_or(10) as usize;
        match engine.rank(&req) {
            Ok(r) => check_ranking(&engine, &r, k),
            Err(e) => check_error(&e, true),
        }
    }
    if engine.catalog().len() > 0 {
        still_works(&mut engine);
    }
}

pub fn profile(data: &[u8]) {
    let Some((case, mut engine)) = case(data) else { return };
    let req = ProfileRequest {
        history: case.history.iter().map(GenEvent::build).collect(),
        preferences: case.preferences.as_ref().map(GenPrefs::build),
        context: case.context.build(),
    };
    match engine.profile(&req) {
        Ok(first) => match engine.profile(&req) {
            Ok(second) => assert!(first == second, "the same request profiled differently"),
            Err(e) => panic!("the same request failed the second time: {e}"),
        },
        Err(e) => check_error(&e, true),
    }
    if engine.catalog().len() > 0 {
        still_works(&mut engine);
    }
}
