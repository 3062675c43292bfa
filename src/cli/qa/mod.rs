//! `tactful qa`: what a policy does to a whole population of shoppers, before it ships (issue 16).
//!
//! Every shopper of an order export is ranked through the same `Engine::rank` the browser runs, on the home page
//! (`k` items) and in an email (`email_k` items), as of one moment (`at`). The report counts, per guardrail, what was
//! removed or demoted and for how many shoppers, with a few examples taken from the engine's own `removed` list (so
//! nothing is named that the disclosure gate would not name on that surface); the mode mix and why; coverage, the
//! categories and slots served, new-arrival exposure and the long tail of exposure; and, first, sensitive exposure
//! without an opt-in and compliance breaches, judged against a **reference** classification that does not depend on
//! the policy under review (the product file's sensitive mapping, the catalog's own `sensitivity`, every policy's
//! mapping, and the regulated classes of every policy plus the defaults). A policy that drops a mapping therefore
//! shows up as a leak instead of silently reclassifying its products as harmless.
//!
//! Messaging is projected with `planSend` over `days` days of the shop's campaigns (`campaigns`, local times), the
//! send policy's caps and quiet hours; segments are "the top-level category of the shopper's first email item" (the
//! product itself where the catalog has no categories), checked with `checkSegments` against `min_segment`.
//!
//! With a second policy (`--against`), [`diff`] compares the two runs shopper by shopper (rank-biased overlap), product
//! by product (exposure) and guardrail by guardrail.

pub mod args;
pub mod html;
pub mod render;

use crate::cli::read::Row;
use crate::cli::shop::Shop;
use crate::contract::input::{Context, Product, RankRequest, SensitivityClass, Surface};
use crate::contract::output::{Mode, Ranking, Slot};
use crate::contract::time::{Timestamp, MS_PER_DAY, MS_PER_MINUTE};
use crate::engine::catalog::Catalog;
use crate::engine::model::Model;
use crate::engine::policy::{PolicySpec, Settings};
use crate::engine::{Engine, EngineOptions};
use crate::message::segments::{self, SegmentRequest};
use crate::message::send::{self, SendPlan, SendRequest};
use crate::message::{LedgerChannel, LedgerEntry, SendPolicy};
use crate::util::dict::Dict;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use std::collections::BTreeMap;

/// Guardrail codes that push a candidate down and out of the list (re-ranking), rather than refuse it.
pub const DEMOTING: [&str; 3] = ["CATEGORY_CAP", "DIVERSITY", "FATIGUE"];
/// Codes that set the mode rather than remove a product.
pub const MODE_CODES: [&str; 3] = ["THIN_DATA", "NO_CONSENT", "POLICY_SURFACE"];
/// Persistence of the rank-biased overlap (the weight of depth d is p^(d-1)).
pub const RBO_P: f64 = 0.9;

#[derive(Debug, Clone)]
pub struct QaOptions {
    /// Items on the home page.
    pub k: usize,
    /// Items in an email.
    pub email_k: usize,
    /// When the shoppers come back (epoch ms); default: the day after the last order, 10:00 UTC.
    pub at: Option<i64>,
    /// Only the first N shoppers (by id).
    pub limit: Option<usize>,
    /// Examples kept per guardrail.
    pub examples: usize,
    /// Campaign send times, minutes after local midnight (one marketing email attempt each, every day).
    pub campaigns: Vec<u16>,
    pub days: u32,
    pub send: Option<SendPolicy>,
    /// The smallest segment allowed.
    pub min_segment: u32,
    pub progress: bool,
    /// Worker threads (default: the machine's cores, at most 8).
    pub threads: Option<usize>,
}

impl Default for QaOptions {
    fn default() -> Self {
        QaOptions {
            k: 10,
            email_k: 4,
            at: None,
            limit: None,
            examples: 3,
            campaigns: vec![9 * 60, 18 * 60],
            days: 7,
            send: None,
            min_segment: 50,
            progress: false,
            threads: None,
        }
    }
}

/// The population and the shop, read once, shared by both policies.
pub struct Population<'a> {
    pub rows: &'a [Row],
    /// The product file (`None`: the catalog is derived from the orders).
    pub products: Option<&'a [Product]>,
    pub model: Option<Model>,
    /// The product file's sensitive mapping (category name → class), part of the reference classification.
    pub sensitive: Dict<SensitivityClass>,
}

/// One concrete removal, as the shopper would read it (taken from the engine's own `removed` list).
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Example {
    pub shopper: String,
    pub product_id: String,
    pub title: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct GuardRow {
    pub code: String,
    /// `removed`, `demoted` or `mode`.
    pub kind: String,
    /// Candidates (or, for a mode code, events or shoppers) the guardrail counted, home page and email together.
    pub count: u64,
    pub shoppers: u64,
    /// Whether the engine names its removals (false: counted only, so no example can be shown).
    pub named: bool,
    pub examples: Vec<Example>,
}

/// A breach: who, where, which class. The product is never named (it is exactly what must not be named).
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Breach {
    pub shopper: String,
    pub surface: String,
    pub class: String,
    pub rank: usize,
}

#[derive(Debug, Clone, Serialize, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Safety {
    /// Items of a sensitive class served to shoppers who did not opt in (none does in an export), any surface.
    pub sensitive_exposures: u64,
    pub sensitive_shoppers: u64,
    /// Items of a regulated class served without verified eligibility (none is verified in an export), or in email.
    pub compliance_breaches: u64,
    pub compliance_shoppers: u64,
    /// Products the reference classification marks sensitive / regulated.
    pub reference_sensitive_products: u64,
    pub reference_regulated_products: u64,
    pub examples: Vec<Breach>,
}

impl Safety {
    pub fn failed(&self) -> bool {
        self.sensitive_exposures + self.compliance_breaches > 0
    }
}

#[derive(Debug, Clone, Serialize, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Modes {
    pub default: u64,
    pub blended: u64,
    pub personal: u64,
    /// Why, per mode: `mode: reason` → shoppers.
    pub why: BTreeMap<String, u64>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Exposed {
    pub product_id: String,
    pub title: String,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Exposure {
    pub catalog: u64,
    /// Distinct products shown on the home page to anyone.
    pub shown: u64,
    pub coverage: f64,
    /// Whether the catalog has categories at all.
    pub has_categories: bool,
    pub mean_leaf_categories: f64,
    pub mean_top_categories: f64,
    /// Home-page items per slot.
    pub slots: BTreeMap<String, u64>,
    /// Home-page items in the `new` slot or with a `NEW_ARRIVAL` reason, and shoppers shown at least one.
    pub new_arrival_items: u64,
    pub new_arrival_shoppers: u64,
    /// Products with a launch date within the policy's `newArrivalDays` of `at`.
    pub new_arrival_products: u64,
    /// Gini of home-page exposure over the whole catalog (0: even, 1: one product takes it all).
    pub gini: f64,
    /// Share of exposure taken by the most shown 1 % of the catalog.
    pub top1pct_share: f64,
    /// The long-tail curve: (share of products, most shown first; cumulative share of exposure), 101 points.
    pub curve: Vec<(f64, f64)>,
    /// How often each product is shown: (rank, most shown first; shoppers shown it), at about 60 log-spaced ranks.
    pub ranked: Vec<(u64, u64)>,
    pub top: Vec<Exposed>,
}

#[derive(Debug, Clone, Serialize, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Messaging {
    pub days: u32,
    pub attempts: u64,
    pub sends: u64,
    pub sends_per_day: Vec<u64>,
    /// Sends planned for after the projected days (an evening attempt held by quiet hours until the next morning).
    pub after_window: u64,
    pub suppressed: BTreeMap<String, u64>,
    pub min_segment: u32,
    pub segments: u64,
    pub segments_too_small: u64,
    pub shoppers_in_small_segments: u64,
    /// The engine's `checkSegments` messages.
    pub segment_issues: Vec<String>,
}

/// One policy's report.
#[derive(Debug, Clone, Serialize, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PolicyReport {
    pub policy: String,
    pub shoppers: u64,
    pub k: usize,
    pub email_k: usize,
    pub at: String,
    pub safety: Safety,
    pub guardrails: Vec<GuardRow>,
    pub modes: Modes,
    pub exposure: Exposure,
    pub messaging: Messaging,
}

/// What a run keeps for a diff: each shopper's home list.
pub struct Run {
    pub report: PolicyReport,
    pub lists: Vec<Vec<String>>,
    pub shoppers: Vec<String>,
    pub exposure: FxHashMap<String, u64>,
    /// Per code: (count, shoppers).
    pub codes: BTreeMap<String, (u64, u64)>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ExposureChange {
    pub product_id: String,
    pub title: String,
    pub before: u64,
    pub after: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct GuardChange {
    pub code: String,
    pub before: u64,
    pub after: u64,
    pub shoppers_before: u64,
    pub shoppers_after: u64,
}

/// `--policy` compared with `--against` (the baseline): what changes if the policy ships.
#[derive(Debug, Clone, Serialize, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Diff {
    pub policy: String,
    pub against: String,
    pub shoppers: u64,
    /// Shoppers whose home top k differs in any way (members or order).
    pub changed: u64,
    /// Mean rank-biased overlap (p = 0.9) of the two top-k lists; 1 = identical.
    pub mean_rbo: f64,
    /// Shoppers per RBO decile (0–0.1, …, 0.9–1, and exactly 1 in the last).
    pub rbo_histogram: Vec<u64>,
    pub gainers: Vec<ExposureChange>,
    pub losers: Vec<ExposureChange>,
    pub guardrails: Vec<GuardChange>,
    /// Mode counts (default, blended, personal): against → policy.
    pub modes_before: [u64; 3],
    pub modes_after: [u64; 3],
    pub sends_before: u64,
    pub sends_after: u64,
}

impl Diff {
    /// Nothing changes: same lists, same exposure, same guardrail counts, same modes and sends.
    pub fn is_empty(&self) -> bool {
        self.changed == 0
            && self.gainers.is_empty()
            && self.losers.is_empty()
            && self.guardrails.is_empty()
            && self.modes_before == self.modes_after
            && self.sends_before == self.sends_after
    }
}

/// The whole report: the policy's, the baseline's when there is one, and the diff.
#[derive(Debug, Clone, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct QaReport {
    pub policy: PolicyReport,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub against: Option<PolicyReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<Diff>,
    /// Seconds spent ranking (both policies), for the record.
    pub seconds: f64,
}

impl QaReport {
    /// The command fails when the policy under review exposes a sensitive class without an opt-in or breaks
    /// compliance.
    pub fn failed(&self) -> bool {
        self.policy.safety.failed()
    }
}

/// The reference classification: sensitivity bits and regulated bits per product id, independent of the policy
/// under review.
pub struct Reference {
    pub catalog: Catalog,
    pub regulated: u16,
}

impl Reference {
    pub fn build(products: &[Product], file: &Dict<SensitivityClass>, specs: &[&PolicySpec]) -> Result<Self, String> {
        let mut s = Settings::resolve(&PolicySpec::default(), "policy").map_err(|e| e.to_string())?;
        let mut mapping: Dict<SensitivityClass> = Dict::new();
        let mut regulated: u16 = s.regulated_classes.iter().fold(0, |a, c| a | c.bit());
        for (k, v) in file.iter() {
            mapping.insert(k.to_lowercase(), *v);
        }
        for spec in specs {
            let p = Settings::resolve(spec, "policy").map_err(|e| e.to_string())?;
            for (k, v) in p.sensitive_categories.iter() {
                mapping.insert(k.to_lowercase(), *v);
            }
            regulated |= p.regulated_classes.iter().fold(0, |a, c| a | c.bit());
        }
        s.sensitive_categories = mapping;
        let catalog = Catalog::build(products, &s).map_err(|e| e.to_string())?;
        Ok(Reference { catalog, regulated })
    }

    fn class(&self, id: &str) -> u16 {
        self.catalog.pid(id).map_or(0, |p| self.catalog.sensitivity_of(p))
    }
}

fn class_names(bits: u16) -> String {
    let names: Vec<&str> = SensitivityClass::ALL.iter().filter(|c| bits & c.bit() != 0).map(|c| c.as_str()).collect();
    names.join("+")
}

/// Default "now": the day after the last order line, 10:00 UTC.
pub fn default_at(rows: &[Row]) -> i64 {
    let last = rows.iter().map(|r| r.at).max().unwrap_or(0);
    (last.div_euclid(MS_PER_DAY) + 1) * MS_PER_DAY + 10 * 60 * MS_PER_MINUTE
}

fn bar(n: usize, on: bool, msg: String) -> indicatif::ProgressBar {
    if !on || n < 2000 {
        return indicatif::ProgressBar::hidden();
    }
    let b = indicatif::ProgressBar::new(n as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{msg:>12} {bar:40} {pos}/{len} {elapsed}") {
        b.set_style(style);
    }
    b.set_message(msg);
    b
}

type Histories = FxHashMap<String, Vec<crate::contract::input::Event>>;

/// Shopping occasions in a history: distinct orders (or days, for lines without an order id).
fn occasions(histories: &Histories, shopper: &str, at: i64) -> usize {
    let mut seen: FxHashSet<String> = FxHashSet::default();
    if let Some(h) = histories.get(shopper) {
        for e in h.iter().filter(|e| e.at.millis() <= at && e.kind.is_none()) {
            seen.insert(e.order_id.clone().unwrap_or_else(|| e.at.millis().div_euclid(MS_PER_DAY).to_string()));
        }
    }
    seen.len()
}

fn rank(
    engine: &mut Engine,
    req: &mut RankRequest,
    shopper: &str,
    k: usize,
    surface: Surface,
) -> Result<Ranking, String> {
    req.context.k = Some(k as u32);
    req.context.surface = Some(surface);
    engine.rank(req).map_err(|e| format!("shopper {shopper}: {e}"))
}

fn no_list() -> Ranking {
    Ranking {
        items: Vec::new(),
        removed: Vec::new(),
        removed_counts: Dict::new(),
        summary: Vec::new(),
        mode: Mode::Default,
        evidence: 0.0,
        layout: None,
    }
}

/// One shopper's home ranking, email ranking and shopping occasions.
type Ranked = (Ranking, Ranking, usize);

fn work(
    engine: &mut Engine,
    histories: &Histories,
    part: &[String],
    at: i64,
    opts: &QaOptions,
    pb: &indicatif::ProgressBar,
) -> Result<Vec<Ranked>, String> {
    let mut out = Vec::with_capacity(part.len());
    for shopper in part {
        let history = histories.get(shopper).cloned().unwrap_or_default();
        let mut req =
            RankRequest { history, preferences: None, impressions: None, context: Context::at(Timestamp(at)) };
        let home = rank(engine, &mut req, shopper, opts.k, Surface::Home)?;
        // `email_k` 0: the home page only (half the time); segments then follow the home page's first item.
        let email = if opts.email_k == 0 {
            Ranking { removed_counts: Dict::new(), items: home.items.iter().take(1).cloned().collect(), ..no_list() }
        } else {
            rank(engine, &mut req, shopper, opts.email_k, Surface::Email)?
        };
        out.push((home, email, occasions(histories, shopper, at)));
        pb.inc(1);
    }
    Ok(out)
}

/// Every shopper ranked, in order, on as many threads as the machine has cores (up to 8; one engine each, all
/// sharing the histories). Threads change nothing but the time: each shopper's call is the same pure function.
#[allow(clippy::needless_pass_by_value)] // the model is handed over: nothing after this reads it
fn rank_all(
    shop: &mut Shop,
    spec: &PolicySpec,
    model: Option<Model>,
    shoppers: &[String],
    at: i64,
    opts: &QaOptions,
    pb: &indicatif::ProgressBar,
) -> Result<Vec<Ranked>, String> {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    // Unless told, a thread only for every 200 shoppers: an engine costs a catalog index.
    let threads = match opts.threads {
        Some(t) => t.clamp(1, 8),
        None => cores.clamp(1, 8).min(shoppers.len() / 200 + 1),
    };
    let chunk = shoppers.len().div_ceil(threads).max(1);
    let mut engines = Vec::with_capacity(threads.saturating_sub(1));
    for _ in 1..threads {
        let options = EngineOptions { policy: Some(spec.clone()), model: model.clone() };
        engines.push(Engine::new(&shop.products, &options).map_err(|e| e.to_string())?);
    }
    let histories = &shop.histories;
    let main = &mut shop.engine;
    std::thread::scope(|s| {
        let mut parts = shoppers.chunks(chunk);
        let first = parts.next().unwrap_or(&[]);
        let handles: Vec<_> = engines
            .iter_mut()
            .zip(parts)
            .map(|(engine, part)| s.spawn(move || work(engine, histories, part, at, opts, pb)))
            .collect();
        let mut out = work(main, histories, first, at, opts, pb)?;
        for h in handles {
            out.extend(h.join().map_err(|_| "a QA worker thread failed".to_string())??);
        }
        Ok(out)
    })
}

fn slot_name(s: Slot) -> &'static str {
    match s {
        Slot::Personal => "personal",
        Slot::Discovery => "discovery",
        Slot::New => "new",
        Slot::Popular => "popular",
        Slot::Business => "business",
    }
}

/// Ranks every shopper with one policy and builds its report.
pub fn run(
    pop: &Population<'_>,
    label: &str,
    spec: &PolicySpec,
    reference: &Reference,
    opts: &QaOptions,
) -> Result<Run, String> {
    let mut shop = Shop::with_products(pop.rows, pop.model.clone(), Some(spec.clone()), pop.products)?;
    let settings = shop.engine.settings().clone();
    let at = opts.at.unwrap_or_else(|| default_at(pop.rows));
    let mut shoppers: Vec<String> = shop.histories.keys().cloned().collect();
    shoppers.sort();
    if let Some(n) = opts.limit {
        shoppers.truncate(n);
    }
    let mut report = PolicyReport {
        policy: label.to_string(),
        shoppers: shoppers.len() as u64,
        k: opts.k,
        email_k: opts.email_k,
        at: Timestamp(at).date_string(),
        ..PolicyReport::default()
    };
    let c = shop.engine.catalog();
    let has_categories = shop.products.iter().any(|p| p.category.as_ref().is_some_and(|x| !x.is_empty()));
    let leaf: FxHashMap<String, (String, String)> = shop
        .products
        .iter()
        .filter_map(|p| {
            let path = p.category.as_ref()?;
            Some((p.id.clone(), (path.join(" > "), path.first().cloned().unwrap_or_default())))
        })
        .collect();
    let titles: FxHashMap<String, String> =
        shop.products.iter().map(|p| (p.id.clone(), p.title.clone().unwrap_or_default())).collect();
    let new_window = (settings.new_arrival_days * MS_PER_DAY as f64) as i64;
    let new_arrival_products = (0..c.len() as u32)
        .filter(|&p| {
            let l = c.launched_at(p);
            l != i64::MIN && l != 0 && l <= at && at - l <= new_window
        })
        .count() as u64;
    let catalog_size = shop.products.len() as u64;
    reference_counts(&mut report.safety, reference, &shop.products);

    let mut codes: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let mut examples: BTreeMap<String, Vec<Example>> = BTreeMap::new();
    let mut exposure: FxHashMap<String, u64> = FxHashMap::default();
    let mut lists = Vec::with_capacity(shoppers.len());
    let mut leaf_sum = 0usize;
    let mut top_sum = 0usize;
    let mut segments: BTreeMap<String, u32> = BTreeMap::new();
    let pb = bar(shoppers.len(), opts.progress, label.chars().take(12).collect());
    let ranked = rank_all(&mut shop, spec, pop.model.clone(), &shoppers, at, opts, &pb)?;
    pb.finish_and_clear();
    for (shopper, (home, email, occasions)) in shoppers.iter().zip(ranked) {
        // Guardrails: counts from both surfaces; examples from the engine's own (gated) `removed` list.
        let mut touched: FxHashSet<&str> = FxHashSet::default();
        for r in [&home, &email] {
            for (code, &n) in r.removed_counts.iter() {
                let e = codes.entry(code.clone()).or_default();
                e.0 += u64::from(n);
                if !touched.contains(code.as_str()) {
                    e.1 += 1;
                }
            }
            touched.extend(r.removed_counts.iter().map(|(code, _)| code.as_str()));
        }
        for x in &home.removed {
            // The engine's gate named it under this policy; the report also holds to the reference classification,
            // so a policy that drops a mapping cannot make the report name what it unmapped.
            if reference.class(&x.product_id) != 0 {
                continue;
            }
            let list = examples.entry(x.code.as_str().to_string()).or_default();
            if list.len() < opts.examples && !list.iter().any(|e| e.shopper == *shopper) {
                list.push(Example {
                    shopper: shopper.clone(),
                    product_id: x.product_id.clone(),
                    title: titles.get(&x.product_id).cloned().unwrap_or_default(),
                    text: x.text.clone(),
                });
            }
        }
        // Safety, on both surfaces: no shopper of an export has opted in or been verified.
        let mut sens = false;
        let mut comp = false;
        let surfaces: &[(&str, &Ranking)] =
            if opts.email_k == 0 { &[("home", &home)] } else { &[("home", &home), ("email", &email)] };
        for &(surface, r) in surfaces {
            for (i, item) in r.items.iter().enumerate() {
                let class = reference.class(&item.product_id);
                if class == 0 {
                    continue;
                }
                report.safety.sensitive_exposures += 1;
                sens = true;
                if class & reference.regulated != 0 {
                    report.safety.compliance_breaches += 1;
                    comp = true;
                }
                if report.safety.examples.len() < 10 {
                    report.safety.examples.push(Breach {
                        shopper: shopper.clone(),
                        surface: surface.to_string(),
                        class: class_names(class),
                        rank: i + 1,
                    });
                }
            }
        }
        report.safety.sensitive_shoppers += u64::from(sens);
        report.safety.compliance_shoppers += u64::from(comp);
        // Modes and why.
        let why = match home.mode {
            Mode::Default => {
                report.modes.default += 1;
                if shop.histories.get(shopper).is_none_or(Vec::is_empty) {
                    "default: no history"
                } else if home.removed_counts.contains_key("NO_CONSENT") {
                    "default: no consent"
                } else if home.removed_counts.contains_key("POLICY_SURFACE") {
                    "default: surface not personalised by the policy"
                } else if occasions < settings.min_occasions as usize {
                    "default: fewer occasions than minOccasions (one order is thin data)"
                } else {
                    "default: evidence below minEvidence (few or old occasions)"
                }
            }
            Mode::Blended => {
                report.modes.blended += 1;
                "blended: some evidence, not yet enough for personal"
            }
            Mode::Personal => {
                report.modes.personal += 1;
                "personal: enough evidence"
            }
        };
        *report.modes.why.entry(why.to_string()).or_default() += 1;
        // Exposure on the home page.
        let mut leaves: FxHashSet<&str> = FxHashSet::default();
        let mut tops: FxHashSet<&str> = FxHashSet::default();
        let mut new_here = false;
        for item in &home.items {
            *exposure.entry(item.product_id.clone()).or_default() += 1;
            *report.exposure.slots.entry(slot_name(item.slot).to_string()).or_default() += 1;
            if let Some((l, t)) = leaf.get(&item.product_id) {
                leaves.insert(l);
                tops.insert(t);
            }
            if item.slot == Slot::New || item.reasons.iter().any(|r| r.code == "NEW_ARRIVAL") {
                report.exposure.new_arrival_items += 1;
                new_here = true;
            }
        }
        report.exposure.new_arrival_shoppers += u64::from(new_here);
        leaf_sum += leaves.len();
        top_sum += tops.len();
        // The email's segment: its first item's top-level category (the product without categories).
        if let Some(first) = email.items.first() {
            let key = match leaf.get(&first.product_id) {
                Some((_, top)) => top.clone(),
                None => first.product_id.clone(),
            };
            *segments.entry(key).or_default() += 1;
        }
        lists.push(home.items.iter().map(|i| i.product_id.clone()).collect());
    }

    let n = shoppers.len().max(1) as f64;
    for (code, (count, who)) in &codes {
        let kind = if MODE_CODES.contains(&code.as_str()) {
            "mode"
        } else if DEMOTING.contains(&code.as_str()) {
            "demoted"
        } else {
            "removed"
        };
        let named =
            crate::engine::stages::guard::Code::ALL.iter().find(|c| c.as_str() == code).is_some_and(|c| c.listed());
        report.guardrails.push(GuardRow {
            code: code.clone(),
            kind: kind.to_string(),
            count: *count,
            shoppers: *who,
            named: named && kind != "mode",
            examples: examples.remove(code).unwrap_or_default(),
        });
    }
    report.guardrails.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(&b.code)));

    let e = &mut report.exposure;
    e.catalog = catalog_size;
    e.shown = exposure.len() as u64;
    e.coverage = e.shown as f64 / (catalog_size.max(1) as f64);
    e.has_categories = has_categories;
    e.mean_leaf_categories = leaf_sum as f64 / n;
    e.mean_top_categories = top_sum as f64 / n;
    e.new_arrival_products = new_arrival_products;
    let mut counts: Vec<u64> = exposure.values().copied().collect();
    counts.sort_unstable_by(|a, b| b.cmp(a));
    let (gini, top1, curve) = tail(&counts, catalog_size as usize);
    e.gini = gini;
    e.top1pct_share = top1;
    e.curve = curve;
    e.ranked = log_spaced(&counts);
    let mut top: Vec<(&String, &u64)> = exposure.iter().collect();
    top.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    e.top = top
        .into_iter()
        .take(10)
        .map(|(id, &count)| {
            let (product_id, title) = public_name(reference, &titles, id);
            Exposed { product_id, title, count }
        })
        .collect();

    report.messaging = messaging(shoppers.len(), at, opts, &segments)?;
    Ok(Run { report, lists, shoppers, exposure, codes })
}

fn reference_counts(s: &mut Safety, r: &Reference, products: &[Product]) {
    for p in products {
        let class = r.class(&p.id);
        if class != 0 {
            s.reference_sensitive_products += 1;
        }
        if class & r.regulated != 0 {
            s.reference_regulated_products += 1;
        }
    }
}

/// A product's id and title for an aggregate list, or — for a product of a sensitive class — only its class: the
/// report is read by people other than the shoppers, so it follows the gate's rule for public readers.
fn public_name(r: &Reference, titles: &FxHashMap<String, String>, id: &str) -> (String, String) {
    let class = r.class(id);
    if class != 0 {
        return (WITHHELD.to_string(), format!("(a {} product)", class_names(class)));
    }
    (id.to_string(), titles.get(id).cloned().unwrap_or_default())
}

/// What stands for the id of a product of a sensitive class in aggregate lists.
pub const WITHHELD: &str = "(withheld)";

/// (rank, count) of a descending list at ranks 1, 2, … spaced evenly on a log scale, the last rank always included.
pub fn log_spaced(desc: &[u64]) -> Vec<(u64, u64)> {
    let mut out: Vec<(u64, u64)> = Vec::new();
    let n = desc.len();
    let mut r = 1.0f64;
    while (r as usize) <= n {
        let rank = r as usize;
        if out.last().is_none_or(|x| x.0 != rank as u64) {
            out.push((rank as u64, desc.get(rank - 1).copied().unwrap_or(0)));
        }
        r *= 1.12;
        r = r.max(rank as f64 + 1.0);
    }
    if n > 0 && out.last().is_none_or(|x| x.0 != n as u64) {
        out.push((n as u64, desc.get(n - 1).copied().unwrap_or(0)));
    }
    out
}

/// Gini over the catalog (unshown products count as 0), the top 1 % share, and the long-tail curve.
pub fn tail(desc: &[u64], catalog: usize) -> (f64, f64, Vec<(f64, f64)>) {
    let n = catalog.max(desc.len()).max(1);
    let total: u64 = desc.iter().sum();
    if total == 0 {
        return (0.0, 0.0, (0..=100).map(|i| (f64::from(i) / 100.0, 0.0)).collect());
    }
    // Gini from the ascending order: 1 − 2·Σ (cumulative share) / n, with the unshown zeros first.
    let mut asc: Vec<u64> = desc.to_vec();
    asc.reverse();
    let mut cum = 0u64;
    let mut area = 0.0;
    for &x in &asc {
        cum += x;
        area += cum as f64 / total as f64;
    }
    let gini = (1.0 - 2.0 * area / n as f64 + 1.0 / n as f64).max(0.0);
    let top_n = (n as f64 * 0.01).ceil() as usize;
    let top1: u64 = desc.iter().take(top_n).sum();
    let mut prefix = Vec::with_capacity(desc.len() + 1);
    let mut acc = 0u64;
    prefix.push(0u64);
    for &x in desc {
        acc += x;
        prefix.push(acc);
    }
    let curve = (0..=100)
        .map(|i| {
            let m = ((f64::from(i) / 100.0) * n as f64).round() as usize;
            let v = prefix.get(m.min(desc.len())).copied().unwrap_or(total);
            (f64::from(i) / 100.0, v as f64 / total as f64)
        })
        .collect();
    (gini, top1 as f64 / total as f64, curve)
}

/// The campaign calendar through `planSend`, for one shopper (every shopper of an export has the same inputs: no
/// engagement, consent absent = given, UTC), scaled to the population; segments through `checkSegments`.
fn messaging(
    shoppers: usize,
    at: i64,
    opts: &QaOptions,
    segments: &BTreeMap<String, u32>,
) -> Result<Messaging, String> {
    let mut m = Messaging {
        days: opts.days,
        sends_per_day: vec![0; opts.days as usize],
        min_segment: opts.min_segment,
        ..Messaging::default()
    };
    // The projection starts at the first midnight after `at`.
    let start = (at.div_euclid(MS_PER_DAY) + 1) * MS_PER_DAY;
    let mut ledger: Vec<LedgerEntry> = Vec::new();
    let mut one_sends = vec![0u64; opts.days as usize];
    let mut one_suppressed: BTreeMap<String, u64> = BTreeMap::new();
    let mut attempts = 0u64;
    let mut one_later = 0u64;
    for day in 0..i64::from(opts.days) {
        for &minute in &opts.campaigns {
            let now = start + day * MS_PER_DAY + i64::from(minute) * MS_PER_MINUTE;
            attempts += 1;
            let req = SendRequest {
                now: Timestamp(now),
                channel: None,
                purpose: None,
                engagement: None,
                ledger: Some(ledger.clone()),
                preferences: None,
                policy: opts.send.clone(),
                utc_offset_minutes: None,
                subscribed_at: None,
            };
            match send::plan(&req).map_err(|e| format!("send policy: {e}"))? {
                SendPlan::Send { send_at, .. } => {
                    let d = (send_at.millis() - start).div_euclid(MS_PER_DAY);
                    match usize::try_from(d).ok().and_then(|d| one_sends.get_mut(d)) {
                        Some(x) => *x += 1,
                        None => one_later += 1,
                    }
                    ledger.push(LedgerEntry { channel: LedgerChannel::Email, at: send_at, purpose: None, id: None });
                }
                SendPlan::Suppressed { suppressed, .. } => {
                    *one_suppressed.entry(suppressed.as_str().to_string()).or_default() += 1;
                }
            }
        }
    }
    let n = shoppers as u64;
    m.attempts = attempts * n;
    m.sends_per_day = one_sends.iter().map(|x| x * n).collect();
    m.sends = m.sends_per_day.iter().sum();
    m.after_window = one_later * n;
    m.suppressed = one_suppressed.into_iter().map(|(k, v)| (k, v * n)).collect();
    let sizes: Vec<u32> = segments.values().copied().collect();
    m.segments = sizes.len() as u64;
    if !sizes.is_empty() {
        let r = segments::check(&SegmentRequest {
            sizes: sizes.clone(),
            min_size: opts.min_segment,
            customers: shoppers as u32,
        })
        .map_err(|e| e.to_string())?;
        m.segments_too_small = r.too_small.len() as u64;
        m.shoppers_in_small_segments =
            r.too_small.iter().filter_map(|&i| sizes.get(i as usize)).map(|&x| u64::from(x)).sum();
        m.segment_issues = r.issues.into_iter().map(|i| i.message).collect();
    }
    Ok(m)
}

/// Rank-biased overlap of two lists at depth max(len), normalised so identical lists score 1.
pub fn rbo(a: &[String], b: &[String], p: f64) -> f64 {
    if a == b {
        return 1.0;
    }
    let depth = a.len().max(b.len());
    if depth == 0 {
        return 1.0;
    }
    let mut seen_a: FxHashSet<&str> = FxHashSet::default();
    let mut seen_b: FxHashSet<&str> = FxHashSet::default();
    let mut overlap = 0usize;
    let mut sum = 0.0;
    let mut weight = 1.0;
    let mut norm = 0.0;
    for d in 0..depth {
        let x = a.get(d).map(String::as_str);
        let y = b.get(d).map(String::as_str);
        if let (Some(x), Some(y)) = (x, y) {
            if x == y {
                overlap += 1;
            } else {
                overlap += usize::from(seen_b.contains(x)) + usize::from(seen_a.contains(y));
            }
        } else if let Some(x) = x {
            overlap += usize::from(seen_b.contains(x));
        } else if let Some(y) = y {
            overlap += usize::from(seen_a.contains(y));
        }
        if let Some(x) = x {
            seen_a.insert(x);
        }
        if let Some(y) = y {
            seen_b.insert(y);
        }
        sum += weight * overlap as f64 / (d + 1) as f64;
        norm += weight;
        weight *= p;
    }
    sum / norm
}

/// `policy` (the change) against `base` (what runs now).
pub fn diff(policy: &Run, base: &Run, titles: &Reference) -> Diff {
    let mut d = Diff {
        policy: policy.report.policy.clone(),
        against: base.report.policy.clone(),
        shoppers: policy.shoppers.len() as u64,
        rbo_histogram: vec![0; 10],
        ..Diff::default()
    };
    let mut sum = 0.0;
    let by_shopper: FxHashMap<&str, &Vec<String>> =
        base.shoppers.iter().map(String::as_str).zip(base.lists.iter()).collect();
    let empty = Vec::new();
    for (s, list) in policy.shoppers.iter().zip(&policy.lists) {
        let other = by_shopper.get(s.as_str()).copied().unwrap_or(&empty);
        let r = rbo(list, other, RBO_P);
        if list != other {
            d.changed += 1;
        }
        sum += r;
        let bin = if list == other { 9 } else { ((r * 10.0).floor() as usize).min(9) };
        if let Some(x) = d.rbo_histogram.get_mut(bin) {
            *x += 1;
        }
    }
    d.mean_rbo = if policy.shoppers.is_empty() { 1.0 } else { sum / policy.shoppers.len() as f64 };
    let ids: FxHashSet<&String> = policy.exposure.keys().chain(base.exposure.keys()).collect();
    let titles_map: FxHashMap<String, String> = (0..titles.catalog.len() as u32)
        .map(|p| (titles.catalog.id(p).to_string(), titles.catalog.title(p).to_string()))
        .collect();
    let mut changes: Vec<ExposureChange> = ids
        .into_iter()
        .filter_map(|id| {
            let after = policy.exposure.get(id).copied().unwrap_or(0);
            let before = base.exposure.get(id).copied().unwrap_or(0);
            (after != before).then(|| {
                let (product_id, title) = public_name(titles, &titles_map, id);
                ExposureChange { product_id, title, before, after }
            })
        })
        .collect();
    let delta = |c: &ExposureChange| c.after as i64 - c.before as i64;
    changes.sort_by(|a, b| delta(b).cmp(&delta(a)).then(a.product_id.cmp(&b.product_id)));
    d.gainers = changes.iter().filter(|c| delta(c) > 0).take(10).cloned().collect();
    d.losers = changes.iter().rev().filter(|c| delta(c) < 0).take(10).cloned().collect();
    let codes: FxHashSet<&String> = policy.codes.keys().chain(base.codes.keys()).collect();
    let mut codes: Vec<&String> = codes.into_iter().collect();
    codes.sort();
    for code in codes {
        let (a, sa) = policy.codes.get(code).copied().unwrap_or((0, 0));
        let (b, sb) = base.codes.get(code).copied().unwrap_or((0, 0));
        if a != b || sa != sb {
            d.guardrails.push(GuardChange {
                code: code.clone(),
                before: b,
                after: a,
                shoppers_before: sb,
                shoppers_after: sa,
            });
        }
    }
    let m = |r: &PolicyReport| [r.modes.default, r.modes.blended, r.modes.personal];
    d.modes_before = m(&base.report);
    d.modes_after = m(&policy.report);
    d.sends_before = base.report.messaging.sends;
    d.sends_after = policy.report.messaging.sends;
    d
}

/// The whole command: the policy, the baseline if any, the diff.
pub fn report(
    pop: &Population<'_>,
    policy: (&str, &PolicySpec),
    against: Option<(&str, &PolicySpec)>,
    opts: &QaOptions,
) -> Result<QaReport, String> {
    let started = std::time::Instant::now();
    let products: Vec<Product> = if let Some(p) = pop.products {
        p.to_vec()
    } else {
        let s = Settings::resolve(policy.1, "policy").map_err(|e| e.to_string())?;
        crate::cli::shop::catalog(pop.rows, &s)
    };
    let mut specs = vec![policy.1];
    specs.extend(against.map(|a| a.1));
    let reference = Reference::build(&products, &pop.sensitive, &specs)?;
    let a = run(pop, policy.0, policy.1, &reference, opts)?;
    let (base, diff) = match against {
        Some((label, spec)) => {
            let b = run(pop, label, spec, &reference, opts)?;
            let d = diff(&a, &b, &reference);
            (Some(b.report), Some(d))
        }
        None => (None, None),
    };
    Ok(QaReport { policy: a.report, against: base, diff, seconds: started.elapsed().as_secs_f64() })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn l(x: &[&str]) -> Vec<String> {
        x.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn rbo_is_one_for_identical_lists_and_falls_with_disagreement_at_the_top() {
        let a = l(&["a", "b", "c", "d"]);
        assert_eq!(rbo(&a, &a, 0.9), 1.0);
        let swapped_top = rbo(&a, &l(&["b", "a", "c", "d"]), 0.9);
        let swapped_tail = rbo(&a, &l(&["a", "b", "d", "c"]), 0.9);
        assert!(swapped_top < swapped_tail && swapped_tail < 1.0, "{swapped_top} {swapped_tail}");
        assert_eq!(rbo(&a, &l(&["w", "x", "y", "z"]), 0.9), 0.0);
    }

    #[test]
    fn tail_reads_an_even_and_a_concentrated_exposure() {
        let (g, top1, curve) = tail(&[5, 5, 5, 5], 4);
        assert!(g.abs() < 1e-9, "{g}");
        assert!((curve[50].1 - 0.5).abs() < 1e-9);
        assert!((top1 - 0.25).abs() < 1e-9);
        let r = log_spaced(&[9, 5, 3, 2, 1]);
        assert_eq!(r.first(), Some(&(1, 9)));
        assert_eq!(r.last(), Some(&(5, 1)));
        assert!(r.windows(2).all(|w| w[0].0 < w[1].0 && w[0].1 >= w[1].1));
        let (g, top1, _) = tail(&[100], 100);
        assert!(g > 0.98, "{g}");
        assert_eq!(top1, 1.0);
    }
}
