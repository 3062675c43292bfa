//! The pure core: no wasm-bindgen, no js-sys, no I/O. Data flows one way:
//! clean → profile → candidates → score → guard → rerank → explain.

pub mod candidates;
pub mod catalog;
pub mod clean;
pub mod dict;
pub mod disclose;
pub mod error;
pub mod explain;
pub mod guard;
pub mod input;
pub mod limits;
pub mod message;
pub mod model;
pub mod order;
pub mod output;
pub mod packed;
pub mod parse;
pub mod policy;
pub mod prefs;
pub mod profile;
pub mod rerank;
pub mod scan;
pub mod score;
pub mod time;
pub mod value;

use crate::engine::candidates::{CandidateSet, Sources};
use crate::engine::catalog::{Catalog, Pid, NONE};
use crate::engine::clean::{Cleaned, LineRule};
use crate::engine::error::Error;
use crate::engine::guard::{Code, GuardCtx};
use crate::engine::input::{Context, Event, Preferences, Product, ProfileRequest, RankRequest, Surface};
use crate::engine::model::{Model, ModelIndex};
use crate::engine::output::*;
use crate::engine::policy::{PolicySpec, Settings};
use crate::engine::prefs::Prefs;
use crate::engine::profile::Taste;
use crate::engine::rerank::Plan;
use crate::engine::score::{ScoreCtx, Scored};
use crate::engine::time::MS_PER_DAY;
use rustc_hash::FxHashMap;
use serde::Serialize;

/// Engine options: the policy (a preset name or an object; default `balanced`) and the optional aggregate model.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct EngineOptions {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional, type = "PolicyPreset | Policy"))]
    pub policy: Option<PolicySpec>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional, type = "Model"))]
    pub model: Option<Model>,
}

/// A candidate's product id and its score terms (code, value), for the native tool's analysis.
#[cfg(feature = "cli")]
pub type CapturedCandidate = (String, Vec<(&'static str, f64)>);

/// On a product page or cart with a seed, the personal weight is multiplied by this.
pub const CONTEXT_SURFACE_PERSONAL: f64 = 0.5;
/// Without personal evidence, the list hedges across categories: MMR's λ is at least this in `default` mode.
pub const DEFAULT_MODE_DIVERSITY: f64 = 0.5;

/// Indexes the catalog once; ranks and profiles one shopper per call.
pub struct Engine {
    catalog: Catalog,
    settings: Settings,
    model: Option<ModelIndex>,
    log_max_price: f64,
    /// Scratch reused between calls.
    candidates: CandidateSet,
    /// For the native tool's analysis (`TACTFUL_DUMP_TERMS`): the best-scored candidates of the last call, with their
    /// score terms, before re-ranking.
    #[cfg(feature = "cli")]
    pub capture: Option<Vec<CapturedCandidate>>,
}

/// Everything one call derives from the shopper's inputs, before ranking.
struct Shopper {
    prefs: Prefs,
    cleaned: Cleaned,
    taste: Taste,
    /// Why personal signals are off, if they are (`NO_CONSENT`, `POLICY_SURFACE`).
    impersonal: Option<&'static str>,
    /// A shared screen: the shopper said so, or the orders look like a household's and they have not said otherwise.
    shared: bool,
    /// Every catalog product anywhere in the history, for the gate's "own history".
    own: rustc_hash::FxHashSet<Pid>,
}

impl Engine {
    pub fn new(products: &[Product], options: &EngineOptions) -> Result<Engine, Error> {
        let settings = Settings::resolve(&options.policy.clone().unwrap_or_default(), "options.policy")?;
        let catalog = Catalog::build(products, &settings)?;
        let model = match &options.model {
            Some(m) => Some(ModelIndex::build(m, &catalog, "options.model")?),
            None => None,
        };
        Ok(Engine::assemble(catalog, settings, model))
    }

    /// An engine from indexes already built (from objects, or read from packed bytes).
    fn assemble(catalog: Catalog, settings: Settings, model: Option<ModelIndex>) -> Engine {
        let max_price = catalog.price.iter().copied().filter(|v| !v.is_nan()).fold(0.0f32, f32::max);
        Engine {
            log_max_price: (1.0 + f64::from(max_price)).ln(),
            catalog,
            settings,
            model,
            candidates: CandidateSet::default(),
            #[cfg(feature = "cli")]
            capture: None,
        }
    }

    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// The model as indexed against the catalog, if there is one.
    pub fn model(&self) -> Option<&ModelIndex> {
        self.model.as_ref()
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    fn shopper(
        &self,
        history: &[Event],
        preferences: Option<&Preferences>,
        context: &Context,
        surface: Surface,
    ) -> Result<Shopper, Error> {
        clean::validate(history, "history")?;
        let prefs = Prefs::resolve(preferences, &self.catalog, "preferences")?;
        let now = context.now.millis();
        let impersonal = guard::consent::personal_allowed(&prefs, &self.settings, surface).err();
        // What the history may be read with: nothing without consent; on a shared device, no sensitive class even
        // opted into (its lines are only counted), so no reason or profile entry can reveal one on a shared screen.
        // In email and push (others may read them), no sensitive class is evidence either, opt-in or not.
        let mut reading = prefs.clone();
        if impersonal.is_some() {
            reading.personalization = false;
        }
        if prefs.shared_device || surface.is_message() {
            reading.opt_in = 0;
        }
        let mut cleaned = clean::clean(&self.catalog, &self.settings, &reading, history, now);
        let mut taste = profile::build(&self.catalog, &self.settings, &cleaned, now);
        let shared = disclose::shared(&prefs, taste.shared_likely);
        if shared && reading.opt_in != 0 {
            // A household detected in the orders is a shared screen until the shopper says the device is theirs
            // alone: read again without the opted-in sensitive classes, keeping what the detection found.
            reading.opt_in = 0;
            cleaned = clean::clean(&self.catalog, &self.settings, &reading, history, now);
            let detected = std::mem::take(&mut taste);
            taste = profile::build(&self.catalog, &self.settings, &cleaned, now);
            taste.shared_likely = detected.shared_likely;
            taste.shared_evidence = detected.shared_evidence;
            taste.ship_to_clusters = detected.ship_to_clusters;
        }
        let own = history.iter().filter_map(|e| self.catalog.pid(&e.product_id)).collect();
        Ok(Shopper { prefs, cleaned, taste, impersonal, shared, own })
    }

    /// Ranks products for one shopper. Never reads a clock; same inputs and seed → same output.
    pub fn rank(&mut self, req: &RankRequest) -> Result<Ranking, Error> {
        let ctx = &req.context;
        let surface = ctx.surface.unwrap_or_default();
        let k = ctx.k.unwrap_or(10);
        if k == 0 || k > limits::MAX_K {
            return Err(Error::invalid("context.k", format!("must be from 1 to {}", limits::MAX_K)));
        }
        let k = k as usize;
        let impressions = req.impressions.as_deref().unwrap_or(&[]);
        limits::check_list(impressions.len(), limits::MAX_IMPRESSIONS, "impressions")?;
        for (i, imp) in impressions.iter().enumerate() {
            limits::check_id(&imp.product_id, &format!("impressions[{i}].productId"))?;
        }
        let cart_ids = ctx.cart.as_deref().unwrap_or(&[]);
        limits::check_list(cart_ids.len(), limits::MAX_LIST, "context.cart")?;
        for (i, id) in cart_ids.iter().enumerate() {
            limits::check_id(id, &format!("context.cart[{i}]"))?;
        }
        if let Some(id) = &ctx.seed_product_id {
            limits::check_id(id, "context.seedProductId")?;
        }
        if let Some(offset) = ctx.utc_offset_minutes {
            if !(-18 * 60..=18 * 60).contains(&offset) {
                return Err(Error::invalid("context.utcOffsetMinutes", "must be within ±1080 minutes"));
            }
        }
        let mut sh = self.shopper(&req.history, req.preferences.as_ref(), ctx, surface)?;
        let c = &self.catalog;
        let s = &self.settings;
        let now = ctx.now.millis();
        let reader = disclose::Reader { surface, shared: sh.shared, consent: sh.impersonal.is_none() };
        let gate = disclose::Gate::new(c, &sh.prefs, reader, std::mem::take(&mut sh.own));
        // What the shopper looks at is never recommended back; it is a source of "pairs with" only where the gate
        // lets it be used and named (a sensitive cart item or seed pulls nothing, least of all in an email).
        let looked_at: Vec<Pid> = ctx.seed_product_id.iter().chain(cart_ids).filter_map(|id| c.pid(id)).collect();
        let seed_pid = ctx.seed_product_id.as_deref().and_then(|id| c.pid(id)).filter(|&p| gate.may_source(p));
        let cart: Vec<Pid> = cart_ids.iter().filter_map(|id| c.pid(id)).filter(|&p| gate.may_source(p)).collect();

        let (mut w, mode) = guard::thin_data::weigh(s, sh.taste.evidence, sh.taste.baskets);
        w = (w * score::intensity_factor(sh.prefs.intensity)).min(1.0);
        // On a product page or in the cart, what the shopper looks at now leads: personal signals count half.
        if matches!(surface, Surface::Product | Surface::Cart) && (seed_pid.is_some() || !cart.is_empty()) {
            w *= CONTEXT_SURFACE_PERSONAL;
        }
        let personal = w > 0.0;
        let unclicked = guard::fatigue::unclicked(c, impressions, now, s.fatigue_days);
        let eligibility = ctx.eligibility.clone().unwrap_or_default();
        let gctx = GuardCtx {
            c,
            s,
            prefs: &sh.prefs,
            taste: &sh.taste,
            cleaned: &sh.cleaned,
            now,
            surface,
            eligible_alcohol: eligibility.alcohol == Some(true),
            eligible_tobacco: eligibility.tobacco == Some(true),
            unclicked: &unclicked,
            shared: sh.shared,
        };

        let habits = if personal {
            score::habits(&sh.cleaned, self.model.as_ref(), &sh.taste, &gate)
        } else {
            score::Habits::default()
        };
        candidates::gather(
            &mut self.candidates,
            c,
            self.model.as_ref(),
            &sh.taste,
            &sh.prefs,
            &Sources { seed: seed_pid, cart: &cart, personal, alike: &habits.alike },
        );
        let sctx = ScoreCtx {
            c,
            s,
            model: self.model.as_ref(),
            taste: &sh.taste,
            prefs: &sh.prefs,
            gate: &gate,
            now,
            w,
            seed: seed_pid,
            cart: &cart,
            log_max_price: self.log_max_price,
            together: if personal {
                score::together(self.model.as_ref(), &sh.taste, &gate)
            } else {
                FxHashMap::default()
            },

            habits,
        };

        let mut audit = Audit::new(s.max_removed as usize);
        // Gifts first: "bought as a gift" is the answer to "why not?" for such a product, before any list-level
        // reason. Named only where the gate allows it (never muted, never on a shared screen or in a message).
        for g in &sh.cleaned.gifts {
            audit.remove(&gate, g.pid, Code::GiftExcluded, f64::MAX);
        }
        let mut main: Vec<Scored> = Vec::with_capacity(self.candidates.list.len());
        for &p in &self.candidates.list {
            // What the shopper is looking at is not recommended back to them.
            if looked_at.contains(&p) {
                continue;
            }
            let x = score::score(&sctx, p);
            match guard::check(&gctx, p, x.personal) {
                Some(code) => audit.remove(&gate, p, code, x.score),
                None => main.push(x),
            }
        }
        lift_stated_interests(&mut main);
        let main = rerank::sort_seeded(main, ctx.seed.unwrap_or(0));
        #[cfg(feature = "cli")]
        if let Some(cap) = self.capture.as_mut() {
            cap.clear();
            for x in main.iter().take(200) {
                cap.push((c.id(x.p).to_string(), x.terms.iter().map(|t| (t.0.code(), t.1)).collect()));
            }
        }

        // Discovery: how many slots, per shopper (`rerank::discovery_slots`), and the best-scored never-bought products.
        let discovery_slots = rerank::discovery_slots(
            k,
            &main,
            sh.prefs.discovery.unwrap_or(s.discovery),
            sh.prefs.intensity,
            if personal { w } else { 0.0 },
            s.repeat_confidence,
        );
        let explore: Vec<Scored> = if discovery_slots > 0 {
            main.iter()
                .filter(|x| {
                    // What the shopper asked for or looks at is not "something different".
                    let asked = x.terms.iter().any(|t| matches!(t.0, score::Term::YourInterest | score::Term::Similar));
                    // Different: never bought, and from a department the shopper never buys from — or, in a catalog
                    // without categories, simply never bought.
                    let top = c.ancestors(c.leaf_of(x.p)).last();
                    !asked
                        && !sh.taste.products.contains_key(&x.p)
                        && top.is_none_or(|t| sh.taste.node_share(c, t) == 0.0)
                })
                .take(discovery_slots * 4)
                .cloned()
                .collect()
        } else {
            Vec::new()
        };
        let has_new = main.iter().any(|x| x.terms.iter().any(|t| t.0 == score::Term::NewArrival));
        let new_slots = if has_new { ((k as f64) * s.new_share).round() as usize } else { 0 };
        let plan = Plan { k, lambda: s.diversity, discovery_slots: discovery_slots.min(explore.len()), new_slots };
        let lambda = if mode == Mode::Default { s.diversity.max(DEFAULT_MODE_DIVERSITY) } else { s.diversity };
        let plan = Plan { lambda, ..plan };
        let reranked = rerank::rerank(c, s, main, explore, &plan);
        for (p, code) in reranked.removed {
            audit.remove(&gate, p, code, 0.0);
        }
        if let Some(why) = sh.impersonal {
            audit.count(why, req.history.len() as u32);
        }
        if mode == Mode::Default && sh.impersonal.is_none() && !req.history.is_empty() {
            audit.count(Code::ThinData.as_str(), 1);
        }

        let picked: Vec<Pid> = reranked.picked.iter().map(|x| x.item.p).collect();
        let items: Vec<RankedItem> = reranked
            .picked
            .into_iter()
            .map(|x| {
                let reasons = explain::reasons(c, &sh.taste, &gate, &x.item, x.discovery);
                RankedItem {
                    product_id: c.id(x.item.p).to_string(),
                    score: round6(x.item.score),
                    slot: slot_of(&x),
                    reasons,
                }
            })
            .collect();
        Ok(Ranking {
            items,
            removed: audit.finish(&gctx, &gate, &picked),
            summary: audit.counts.iter().filter_map(|(code, &n)| guard::summary(code, n)).collect(),
            removed_counts: audit.counts,
            mode,
            evidence: round6(sh.taste.evidence),
        })
    }

    /// What the engine believes about this shopper, and why: for the preference center.
    pub fn profile(&self, req: &ProfileRequest) -> Result<Profile, Error> {
        let mut sh = self.shopper(&req.history, req.preferences.as_ref(), &req.context, Surface::Home)?;
        let c = &self.catalog;
        let now = req.context.now.millis();
        // The preference center is the shopper's own page, unless the screen is shared; without consent it counts
        // and never lists.
        let reader = disclose::Reader { surface: Surface::Home, shared: sh.shared, consent: sh.prefs.personalization };
        let gate = disclose::Gate::new(c, &sh.prefs, reader, std::mem::take(&mut sh.own));
        let mut withheld: dict::Dict<u32> = dict::Dict::new();
        let t = &sh.taste;
        let (_, mode) = guard::thin_data::weigh(&self.settings, t.evidence, t.baskets);
        let history = &req.history;
        let purchase_ref = |l: &clean::Line| PurchaseRef {
            product_id: c.id(l.pid).to_string(),
            title: c.title(l.pid).to_string(),
            at: time::Timestamp(l.at),
        };
        // Categories: every node with weight, deepest path kept, strongest first.
        let nodes: Vec<(u32, f64)> = t.nodes.iter().map(|(n, w)| (*n, *w)).collect();
        let categories: Vec<CategoryBelief> = order::by_weight_desc(&nodes)
            .into_iter()
            .take(20)
            .map(|node| {
                let under: Vec<&clean::Line> = sh.cleaned.lines.iter().filter(|l| c.is_under(l.pid, node)).collect();
                let mut keys: Vec<order::Key> =
                    under.iter().enumerate().map(|(i, l)| (l.at.saturating_neg(), 0, i as u32)).collect();
                order::sort_keys(&mut keys);
                let lines = order::permute(under, &keys);
                CategoryBelief {
                    path: c.node_path(node),
                    affinity: round6(t.node_share(c, node)),
                    count: lines.len() as u32,
                    purchases: lines.iter().filter(|l| gate.may_name(l.pid)).take(5).map(|l| purchase_ref(l)).collect(),
                }
            })
            .collect();
        let brands: Vec<(u32, f64)> = t.brands.iter().map(|(b, w)| (*b, *w)).collect();
        let brands = order::by_weight_desc(&brands)
            .into_iter()
            .take(10)
            .map(|b| BrandBelief {
                brand: c.brand_name(b).to_string(),
                affinity: round6(t.brand_share(b)),
                count: sh.cleaned.lines.iter().filter(|l| c.brand_of(l.pid) == b).count() as u32,
            })
            .collect();
        let owned = t
            .owned
            .iter()
            .filter(|o| gate.may_name(o.pid) || withhold(&mut withheld, "MUTED"))
            .map(|o| OwnedItem {
                product_id: c.id(o.pid).to_string(),
                title: c.title(o.pid).to_string(),
                since: time::Timestamp(o.since),
                until: Some(time::Timestamp(o.until)),
                product_line: Some(c.line_of(o.pid)).filter(|&l| l != NONE).map(|l| c.line_name(l).to_string()),
            })
            .collect();
        let due_soon: Vec<DueItem> = t
            .products
            .iter()
            .filter_map(|(&p, stat)| {
                let (interval, confidence) = stat.interval?;
                if !gate.may_name(p) {
                    return None;
                }
                let consumable = c.lifecycle_of(p) == input::LifecycleKind::Consumable;
                if !(consumable || stat.baskets >= 2) || interval <= 0.0 {
                    return None;
                }
                let due_at = stat.last + (interval * MS_PER_DAY as f64) as i64;
                // Due within two weeks, or overdue by less than two intervals.
                let soon =
                    due_at <= now + 14 * MS_PER_DAY && now - due_at < (2.0 * interval * MS_PER_DAY as f64) as i64;
                soon.then(|| DueItem {
                    product_id: c.id(p).to_string(),
                    title: c.title(p).to_string(),
                    interval_days: round6(interval),
                    confidence: round6(confidence),
                    last_bought: time::Timestamp(stat.last),
                    due_at: time::Timestamp(due_at),
                })
            })
            .collect();
        let mut keys: Vec<order::Key> =
            due_soon.iter().enumerate().map(|(i, d)| (d.due_at.millis(), 0, i as u32)).collect();
        order::sort_keys(&mut keys);
        let due_soon = order::permute(due_soon, &keys);
        let line_of_event = |index: u32| history.get(index as usize).map_or(String::new(), |e| e.product_id.clone());
        let gifts = sh
            .cleaned
            .gifts
            .iter()
            .filter(|g| gate.may_list_line(Some(g.pid), LineRule::Gift.code()) || withhold(&mut withheld, "GIFT"))
            .map(|g| IgnoredLine {
                index: g.index,
                product_id: c.id(g.pid).to_string(),
                reason: LineRule::Gift.code().to_string(),
                text: g.gift.map_or(LineRule::Gift.text(), |r| r.text()).to_string(),
            })
            .collect();
        let ignored = sh
            .cleaned
            .ignored
            .iter()
            .filter(|i| i.rule != LineRule::Gift)
            .filter(|i| {
                let pid = history.get(i.index as usize).and_then(|e| c.pid(&e.product_id));
                gate.may_list_line(pid, i.rule.code()) || withhold(&mut withheld, i.rule.code())
            })
            .map(|i| IgnoredLine {
                index: i.index,
                product_id: line_of_event(i.index),
                reason: i.rule.code().to_string(),
                text: i.rule.text().to_string(),
            })
            .collect();
        let recent_intent = t.recent_nodes.iter().take(5).map(|&n| c.node_path(n)).collect();
        let mut cleaning = sh.cleaned.counts.clone();
        cleaning.insert("USED".to_string(), sh.cleaned.lines.len() as u32);
        Ok(Profile {
            evidence: round6(t.evidence),
            mode,
            categories,
            brands,
            owned,
            due_soon,
            recent_intent,
            gifts,
            ignored,
            withheld,
            sensitive_ignored: sh.cleaned.sensitive_ignored,
            unknown_products: sh.cleaned.unknown_products,
            shared_use: SharedUse {
                likely: t.shared_likely,
                members: sh.cleaned.members,
                ship_to_clusters: t.ship_to_clusters,
                evidence: t.shared_evidence.clone(),
            },
            cleaning,
        })
    }
}

/// Counts one entry `code` left unnamed in a profile list; always false, so it reads as a filter's `|| withhold(…)`.
fn withhold(withheld: &mut dict::Dict<u32>, code: &str) -> bool {
    withheld.add(code, 1);
    false
}

/// Stated beats inferred: products under an interest the shopper stated are all lifted by the same amount, so the
/// best of them outscores everything else; their order among themselves is kept.
fn lift_stated_interests(items: &mut [Scored]) {
    let stated = |x: &Scored| x.terms.iter().any(|t| t.0 == score::Term::YourInterest);
    let best_other = items.iter().filter(|x| !stated(x)).map(|x| x.score).fold(f64::MIN, f64::max);
    let best_stated = items.iter().filter(|x| stated(x)).map(|x| x.score).fold(f64::MIN, f64::max);
    if best_stated == f64::MIN || best_other == f64::MIN || best_stated > best_other {
        return;
    }
    let lift = best_other - best_stated + 2.0 * rerank::TIE;
    for x in items.iter_mut().filter(|x| stated(x)) {
        for t in x.terms.iter_mut().filter(|t| t.0 == score::Term::YourInterest) {
            t.1 += lift;
        }
        x.score += lift;
    }
}

fn slot_of(x: &rerank::Picked) -> Slot {
    if x.discovery {
        return Slot::Discovery;
    }
    if x.new {
        return Slot::New;
    }
    let mut best: Option<(score::Term, f64)> = None;
    for &(t, v) in &x.item.terms {
        if t != score::Term::Price && best.is_none_or(|(_, b)| v > b) {
            best = Some((t, v));
        }
    }
    match best.map(|b| b.0) {
        Some(t) if t.is_personal() || t == score::Term::YourInterest || t == score::Term::Similar => Slot::Personal,
        Some(score::Term::NewArrival) => Slot::New,
        Some(score::Term::Promoted) => Slot::Business,
        _ => Slot::Popular,
    }
}

/// Scores are rounded to 6 decimals: stable across platforms' last-bit float differences, still finite.
fn round6(v: f64) -> f64 {
    if v.is_finite() {
        (v * 1e6).round() / 1e6
    } else {
        0.0
    }
}

/// The audit: full counts per code, and a capped list of removals (the most relevant first).
struct Audit {
    cap: usize,
    counts: dict::Dict<u32>,
    list: Vec<(f64, Pid, Code)>,
    seen: rustc_hash::FxHashSet<Pid>,
}

impl Audit {
    fn new(cap: usize) -> Audit {
        Audit { cap, counts: dict::Dict::new(), list: Vec::new(), seen: Default::default() }
    }

    fn count(&mut self, code: &str, n: u32) {
        self.counts.add(code, n);
    }

    /// Counts a removal, and keeps it for the named list only when the disclosure gate allows naming it here.
    fn remove(&mut self, gate: &disclose::Gate<'_>, p: Pid, code: Code, score: f64) {
        self.count(code.as_str(), 1);
        if !gate.may_list_removal(p, code) || !self.seen.insert(p) {
            return;
        }
        let relevance = score.min(1e6) - 1e7 * f64::from(code.tier());
        // Keep the most relevant: the list is cut to `cap` at the end, so texts are built only for those kept.
        if self.list.len() < self.cap * 4 || relevance > self.list.iter().map(|x| x.0).fold(f64::MAX, f64::min) {
            self.list.push((relevance, p, code));
            if self.list.len() > self.cap * 8 {
                self.keep_best(self.cap * 4);
            }
        }
    }

    fn keep_best(&mut self, n: usize) {
        let mut keys: Vec<order::Key> =
            self.list.iter().enumerate().map(|(i, x)| (order::f64_desc(x.0), u64::from(x.1), i as u32)).collect();
        order::sort_keys(&mut keys);
        keys.truncate(n);
        self.list = order::permute(std::mem::take(&mut self.list), &keys);
    }

    /// The capped list, most relevant first; texts are built only here, only for what is kept. A product in the
    /// ranking's items is never also in `removed`.
    fn finish(&mut self, g: &GuardCtx<'_>, gate: &disclose::Gate<'_>, picked: &[Pid]) -> Vec<Removal> {
        self.list.retain(|x| !picked.contains(&x.1));
        self.keep_best(self.cap);
        std::mem::take(&mut self.list)
            .into_iter()
            .map(|(_, p, code)| Removal {
                product_id: g.c.id(p).to_string(),
                code: code.as_str().to_string(),
                text: guard::explain(g, gate, code, p),
            })
            .collect()
    }
}
