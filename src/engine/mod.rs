//! The ranking engine: no wasm-bindgen, no js-sys, no I/O. [`Engine::rank`] runs the seven stages of [`stages`] in
//! order — clean → profile → candidates → score → guard → rerank → explain — each a module that takes the previous
//! stage's output and gives the next one its input. Beside the stages sit the ranking engine's own support types:
//! the indexed [`catalog`], the aggregate [`model`] and its [`scan`], the resolved shopper preferences ([`prefs`]),
//! the [`policy`], the disclosure [`disclose`] gate every named product passes, the request [`parse`]r of JS values,
//! and the [`packed`] catalog format.

pub(crate) mod beliefs;
pub(crate) mod catalog;
pub(crate) mod disclose;
pub(crate) mod layout;
pub mod model;
pub mod packed;
pub(crate) mod parse;
pub(crate) mod phrases;
pub mod policy;
pub(crate) mod prefs;
pub(crate) mod scan;
pub(crate) mod stages;

use self::stages::{candidates, clean, explain, guard, profile, rerank, score};
use crate::read::limits;
use crate::util::num::round6;
use crate::util::{dict, order};

use crate::contract::codes::SummaryCode;
use crate::contract::error::Error;
use crate::contract::input::{Context, Event, Preferences, Product, ProfileRequest, RankRequest, Surface};
use crate::contract::output::{Mode, Profile, RankedItem, Ranking, Removal, SharedUse, Slot};
use crate::engine::catalog::{Catalog, Pid};
use crate::engine::model::{Model, ModelIndex};
use crate::engine::policy::{PolicySpec, Settings};
use crate::engine::prefs::Prefs;
use crate::engine::stages::candidates::{CandidateSet, Sources};
use crate::engine::stages::clean::Cleaned;
use crate::engine::stages::guard::{Code, GuardCtx};
use crate::engine::stages::profile::Taste;
use crate::engine::stages::rerank::Plan;
use crate::engine::stages::score::{ScoreCtx, Scored};
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
}

/// Everything one call derives from the shopper's inputs, before ranking.
struct Shopper {
    prefs: Prefs,
    cleaned: Cleaned,
    taste: Taste,
    /// Why personal signals are off, if they are (`NO_CONSENT`, `POLICY_SURFACE`).
    impersonal: Option<SummaryCode>,
    /// A shared screen: the shopper said so, or the orders look like a household's and they have not said otherwise.
    shared: bool,
    /// Every catalog product anywhere in the history, for the gate's "own history".
    own: rustc_hash::FxHashSet<Pid>,
    /// What the guardrails read in a message when it differs from the evidence: the shopper's own-screen reading
    /// (opted-in sensitive classes included), so an email leaves out whatever the site leaves out.
    site_view: Option<(Cleaned, Taste)>,
}

impl Engine {
    pub fn new(products: &[Product], options: &EngineOptions) -> Result<Engine, Error> {
        // Read in place: cloning the spec compiled a deep clone of `Policy` into the module (0.9 KB gzip) for nothing.
        let settings = match &options.policy {
            Some(spec) => Settings::resolve(spec, "options.policy")?,
            None => Settings::resolve(&PolicySpec::default(), "options.policy")?,
        };
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
        let mut reading = clean::Reading::of(&prefs);
        if impersonal.is_some() {
            reading.personalization = false;
        }
        if prefs.shared_device || surface.is_message() {
            reading.opt_in = 0;
        }
        let mut cleaned = clean::clean(&self.catalog, &self.settings, reading, history, now);
        let mut taste = profile::build(&self.catalog, &self.settings, &cleaned, now);
        let shared = disclose::shared(&prefs, taste.shared_likely);
        if shared && reading.opt_in != 0 {
            // A household detected in the orders is a shared screen until the shopper says the device is theirs
            // alone: read again without the opted-in sensitive classes, keeping what the detection found.
            reading.opt_in = 0;
            cleaned = clean::clean(&self.catalog, &self.settings, reading, history, now);
            let detected = std::mem::take(&mut taste);
            taste = profile::build(&self.catalog, &self.settings, &cleaned, now);
            taste.shared_likely = detected.shared_likely;
            taste.shared_evidence = detected.shared_evidence;
            taste.ship_to_clusters = detected.ship_to_clusters;
        }
        let own = history.iter().filter_map(|e| self.catalog.pid(&e.product_id)).collect();
        // A message reads no sensitive class as evidence, but its guardrails read the history as the shopper's own
        // screen does: an opted-in sensitive durable still makes its substitutes owned, a return still a return. Only
        // removals come of it, and a message never names what it removes from the shopper's history.
        let site_view = (surface.is_message() && impersonal.is_none() && !shared && prefs.opt_in != 0).then(|| {
            let mut own_screen = reading;
            own_screen.opt_in = prefs.opt_in;
            let cleaned = clean::clean(&self.catalog, &self.settings, own_screen, history, now);
            let taste = profile::build(&self.catalog, &self.settings, &cleaned, now);
            (cleaned, taste)
        });
        Ok(Shopper { prefs, cleaned, taste, impersonal, shared, own, site_view })
    }

    /// Ranks products for one shopper. Never reads a clock; same inputs and seed → same output.
    pub fn rank(&mut self, req: &RankRequest) -> Result<Ranking, Error> {
        self.run(req, None)
    }

    /// [`Engine::rank`], and the best-scored candidates before re-ranking with their score terms, for the native
    /// tool's analysis (`TACTFUL_DUMP_TERMS`).
    #[cfg(feature = "cli")]
    pub fn rank_with_terms(&mut self, req: &RankRequest) -> Result<(Ranking, Vec<CapturedCandidate>), Error> {
        let mut terms = Vec::new();
        let ranking = self.run(req, Some(&mut terms))?;
        Ok((ranking, terms))
    }

    /// The pipeline: the request's own limits, then the seven stages in order.
    fn run(&mut self, req: &RankRequest, capture: Option<&mut Vec<CapturedCandidate>>) -> Result<Ranking, Error> {
        let ctx = &req.context;
        let surface = ctx.surface.unwrap_or_default();
        let k = check_request(req)?;
        // 1–2. clean and profile the history, as far as consent and the reader allow.
        let mut sh = self.shopper(&req.history, req.preferences.as_ref(), ctx, surface)?;
        let c = &self.catalog;
        let s = &self.settings;
        let now = ctx.now.millis();
        let reader = disclose::Reader { surface, shared: sh.shared, consent: sh.impersonal.is_none() };
        let gate = disclose::Gate::new(c, &sh.prefs, reader, std::mem::take(&mut sh.own));
        let looking = Looking::resolve(c, ctx, &gate);
        let (w, mode) = personal_weight(s, &sh, surface, &looking);
        let personal = w > 0.0;
        let impressions = req.impressions.as_deref().unwrap_or(&[]);
        let unclicked = guard::fatigue::unclicked(c, impressions, now, s.fatigue_days);
        let eligibility = ctx.eligibility.clone().unwrap_or_default();
        let (guard_cleaned, guard_taste) = match &sh.site_view {
            Some((cleaned, taste)) => (cleaned, taste),
            None => (&sh.cleaned, &sh.taste),
        };
        let gctx = GuardCtx {
            c,
            s,
            prefs: &sh.prefs,
            taste: guard_taste,
            cleaned: guard_cleaned,
            now,
            surface,
            eligible_alcohol: eligibility.alcohol == Some(true),
            eligible_tobacco: eligibility.tobacco == Some(true),
            unclicked: &unclicked,
            shared: sh.shared,
        };
        let model = self.model.as_ref();
        let habits =
            if personal { score::habits(&sh.cleaned, model, &sh.taste, &gate) } else { score::Habits::default() };

        // 3. candidates, from indexes.
        let sources = Sources { seed: looking.seed, cart: &looking.cart, personal, alike: &habits.alike };
        candidates::gather(&mut self.candidates, c, model, &sh.taste, &sh.prefs, &sources);

        // 4–5. score each candidate and guard it: what a guardrail stops goes to the audit.
        let together = if personal { score::together(model, &sh.taste, &gate) } else { FxHashMap::default() };
        let sctx = ScoreCtx {
            c,
            s,
            model,
            taste: &sh.taste,
            prefs: &sh.prefs,
            gate: &gate,
            now,
            w,
            seed: looking.seed,
            cart: &looking.cart,
            log_max_price: self.log_max_price,
            together,
            habits,
        };
        let mut audit = Audit::new(s.max_removed as usize);
        // Gifts first: "bought as a gift" is the answer to "why not?" for such a product, before any list-level
        // reason. Named only where the gate allows it (never muted, never on a shared screen or in a message).
        for g in &guard_cleaned.gifts {
            audit.remove(&gate, g.pid, Code::GiftExcluded, f64::MAX);
        }
        let main = score_and_guard(&self.candidates.list, &looking.looked_at, &sctx, &gctx, &gate, &mut audit);
        let main = rerank::sort_seeded(main, ctx.seed.unwrap_or(0));
        if let Some(terms) = capture {
            capture_terms(c, &main, terms);
        }

        // 6. rerank: discovery and new-arrival slots, diversity, the brand rule.
        // Sure repeats keep their places against variety only where the history leads the list.
        let history_leads = mode != Mode::Default && !context_leads(surface, &looking);
        let plan = plan_slots(c, s, &sh, &main, k, if personal { w } else { 0.0 }, (mode, history_leads));
        let reranked = rerank::rerank(c, s, &main, plan.1, &plan.0);
        for (p, code) in reranked.removed {
            audit.remove(&gate, p, code, 0.0);
        }
        if let Some(why) = sh.impersonal {
            audit.count(why, req.history.len() as u32);
        }
        if mode == Mode::Default && sh.impersonal.is_none() && !req.history.is_empty() {
            audit.count(SummaryCode::ThinData, 1);
        }

        // 7. explain what is shown; the audit names only what the gate allows.
        let picked: Vec<Pid> = reranked.picked.iter().map(|x| x.item.p).collect();
        // The device shapes the message only after every decision: the same list, cut to what fits.
        let fits = ctx.device.and_then(|d| layout::spec(surface, d).map(|spec| (d, spec)));
        let shown = fits.map_or(picked.len(), |(_, spec)| picked.len().min(spec.max_items as usize));
        let items: Vec<RankedItem> = reranked
            .picked
            .into_iter()
            .take(shown)
            .map(|x| RankedItem {
                product_id: c.id(x.item.p).to_string(),
                score: round6(x.item.score),
                slot: slot_of(&x),
                reasons: explain::reasons(c, &sh.taste, &gate, &x.item, x.discovery),
            })
            .collect();
        Ok(Ranking {
            items,
            removed: audit.finish(&gctx, &gate, &picked),
            summary: audit.counts.iter().filter_map(|&(code, n)| guard::summary(code, n)).collect(),
            removed_counts: audit.counts.iter().map(|&(code, n)| (code.as_str().to_string(), n)).collect(),
            mode,
            evidence: round6(sh.taste.evidence),
            layout: fits.map(|(device, spec)| {
                let titles: Vec<(&str, &str)> = picked.iter().take(shown).map(|&p| (c.id(p), c.title(p))).collect();
                layout::fit(device, spec, &titles)
            }),
        })
    }

    /// What the engine believes about this shopper, and why: for the preference center.
    pub fn profile(&self, req: &ProfileRequest) -> Result<Profile, Error> {
        let mut sh = self.shopper(&req.history, req.preferences.as_ref(), &req.context, Surface::Home)?;
        let c = &self.catalog;
        // The preference center is the shopper's own page, unless the screen is shared; without consent it counts
        // and never lists.
        let reader = disclose::Reader { surface: Surface::Home, shared: sh.shared, consent: sh.prefs.personalization };
        let gate = disclose::Gate::new(c, &sh.prefs, reader, std::mem::take(&mut sh.own));
        // Moved out rather than cloned (nothing below reads them from `sh`): each clone was code in the module.
        let mut cleaning = std::mem::take(&mut sh.cleaned.counts);
        let shared_evidence = std::mem::take(&mut sh.taste.shared_evidence);
        let (t, cleaned) = (&sh.taste, &sh.cleaned);
        let (_, mode) = guard::thin_data::weigh(&self.settings, t.evidence, t.baskets);
        // Every list asks the gate; what it may not name is counted in `withheld` instead.
        let mut withheld: dict::Dict<u32> = dict::Dict::new();
        cleaning.insert("USED".to_string(), cleaned.lines.len() as u32);
        Ok(Profile {
            evidence: round6(t.evidence),
            mode,
            categories: beliefs::categories(c, t, cleaned, &gate),
            brands: beliefs::brands(c, t, cleaned),
            owned: beliefs::owned(c, t, &gate, &mut withheld),
            due_soon: beliefs::due_soon(c, t, &gate, req.context.now.millis()),
            recent_intent: t.recent_nodes.iter().take(5).map(|&n| c.node_path(n)).collect(),
            gifts: beliefs::gifts(c, cleaned, &gate, &mut withheld),
            ignored: beliefs::ignored(c, cleaned, &req.history, &gate, &mut withheld),
            withheld,
            sensitive_ignored: cleaned.sensitive_ignored,
            unknown_products: cleaned.unknown_products,
            shared_use: SharedUse {
                likely: t.shared_likely,
                members: cleaned.members,
                ship_to_clusters: t.ship_to_clusters,
                evidence: shared_evidence,
            },
            cleaning,
        })
    }
}

/// The request's own limits, checked before any work: `k`, impressions, cart, seed and offset. Gives `k`.
fn check_request(req: &RankRequest) -> Result<usize, Error> {
    let ctx = &req.context;
    let k = ctx.k.unwrap_or(10);
    if k == 0 || k > limits::MAX_K {
        return Err(Error::invalid("context.k", format!("must be from 1 to {}", limits::MAX_K)));
    }
    let impressions = req.impressions.as_deref().unwrap_or(&[]);
    limits::check_list(impressions.len(), limits::MAX_IMPRESSIONS, "impressions")?;
    for (i, imp) in impressions.iter().enumerate() {
        limits::id(&imp.product_id).map_err(|e| e.at(format!("impressions[{i}].productId")))?;
    }
    let cart_ids = ctx.cart.as_deref().unwrap_or(&[]);
    limits::check_list(cart_ids.len(), limits::MAX_LIST, "context.cart")?;
    for (i, id) in cart_ids.iter().enumerate() {
        limits::id(id).map_err(|e| e.at(format!("context.cart[{i}]")))?;
    }
    if let Some(id) = &ctx.seed_product_id {
        limits::check_id(id, "context.seedProductId")?;
    }
    if let Some(offset) = ctx.utc_offset_minutes {
        if !(-18 * 60..=18 * 60).contains(&offset) {
            return Err(Error::invalid("context.utcOffsetMinutes", "must be within ±1080 minutes"));
        }
    }
    Ok(k as usize)
}

/// What the shopper looks at now: the product page's seed and the cart.
struct Looking {
    /// Never recommended back.
    looked_at: Vec<Pid>,
    /// The seed and cart items the gate lets be a source of "pairs with" (a sensitive cart item or seed pulls
    /// nothing, least of all in an email).
    seed: Option<Pid>,
    cart: Vec<Pid>,
}

impl Looking {
    fn resolve(c: &Catalog, ctx: &Context, gate: &disclose::Gate<'_>) -> Looking {
        let cart_ids = ctx.cart.as_deref().unwrap_or(&[]);
        Looking {
            looked_at: ctx.seed_product_id.iter().chain(cart_ids).filter_map(|id| c.pid(id)).collect(),
            seed: ctx.seed_product_id.as_deref().and_then(|id| c.pid(id)).filter(|&p| gate.may_source(p)),
            cart: cart_ids.iter().filter_map(|id| c.pid(id)).filter(|&p| gate.may_source(p)).collect(),
        }
    }
}

/// The personal weight `w` (0..1) and the mode: from the evidence (`guard::thin_data`), the shopper's intensity,
/// and the page (on a product page or in the cart, what the shopper looks at now leads: personal signals count
/// `CONTEXT_SURFACE_PERSONAL`).
fn personal_weight(s: &Settings, sh: &Shopper, surface: Surface, looking: &Looking) -> (f64, Mode) {
    let (w, mode) = guard::thin_data::weigh(s, sh.taste.evidence, sh.taste.baskets);
    let mut w = (w * score::intensity_factor(sh.prefs.intensity)).min(1.0);
    if context_leads(surface, looking) {
        w *= CONTEXT_SURFACE_PERSONAL;
    }
    (w, mode)
}

/// On a product page or in the cart with something to look at, that leads the list rather than the history.
fn context_leads(surface: Surface, looking: &Looking) -> bool {
    matches!(surface, Surface::Product | Surface::Cart) && (looking.seed.is_some() || !looking.cart.is_empty())
}

/// Stages 4–5 over the candidates: each is scored, then guarded; what a guardrail stops is counted in the audit
/// (and named there only where the gate allows), what passes is kept, stated interests lifted.
fn score_and_guard(
    candidates: &[Pid],
    looked_at: &[Pid],
    sctx: &ScoreCtx<'_>,
    gctx: &GuardCtx<'_>,
    gate: &disclose::Gate<'_>,
    audit: &mut Audit,
) -> Vec<Scored> {
    let mut kept: Vec<Scored> = Vec::with_capacity(candidates.len());
    // What the shopper is looking at is not recommended back to them.
    for &p in candidates.iter().filter(|p| !looked_at.contains(p)) {
        let x = score::score(sctx, p);
        match guard::check(gctx, p, x.personal) {
            Some(code) => audit.remove(gate, p, code, x.score),
            None => kept.push(x),
        }
    }
    lift_stated_interests(&mut kept);
    kept
}

/// How many of the `CAPTURED` best-scored candidates the native tool's analysis keeps.
const CAPTURED: usize = 200;

fn capture_terms(c: &Catalog, sorted: &[Scored], out: &mut Vec<CapturedCandidate>) {
    out.clear();
    for x in sorted.iter().take(CAPTURED) {
        out.push((c.id(x.p).to_string(), x.terms.iter().map(|t| (t.0.code(), t.1)).collect()));
    }
}

/// Stage 6's plan: the discovery slots (per shopper, `rerank::discovery_slots`) with the best-scored never-bought
/// products from departments the shopper never buys from, the new-arrival slots, the diversity λ (at least
/// `DEFAULT_MODE_DIVERSITY` without personal evidence), and, where the history leads the list, the line above which a
/// repeat is sure (`rerank::is_sure`).
fn plan_slots(
    c: &Catalog,
    s: &Settings,
    sh: &Shopper,
    main: &[Scored],
    k: usize,
    w: f64,
    (mode, history_leads): (Mode, bool),
) -> (Plan, Vec<Scored>) {
    let discovery_slots = rerank::discovery_slots(
        k,
        main,
        sh.prefs.discovery.unwrap_or(s.discovery),
        sh.prefs.intensity,
        w,
        s.repeat_confidence,
    );
    let explore: Vec<Scored> = if discovery_slots > 0 {
        main.iter().filter(|x| is_different(c, sh, x)).take(discovery_slots * 4).cloned().collect()
    } else {
        Vec::new()
    };
    let has_new = main.iter().any(|x| x.terms.iter().any(|t| t.0 == score::Term::NewArrival));
    let new_slots = if has_new { ((k as f64) * s.new_share).round() as usize } else { 0 };
    let lambda = if mode == Mode::Default { s.diversity.max(DEFAULT_MODE_DIVERSITY) } else { s.diversity };
    let sure = if history_leads { s.repeat_confidence * w } else { 0.0 };
    (Plan { k, lambda, discovery_slots: discovery_slots.min(explore.len()), new_slots, sure }, explore)
}

/// "Something different": not asked for or looked at, never bought, and from a department the shopper never buys
/// from — or, in a catalog without categories, simply never bought.
fn is_different(c: &Catalog, sh: &Shopper, x: &Scored) -> bool {
    let asked = x.terms.iter().any(|t| matches!(t.0, score::Term::YourInterest | score::Term::Similar));
    let top = c.ancestors(c.leaf_of(x.p)).last();
    !asked && !sh.taste.products.contains_key(&x.p) && top.is_none_or(|t| sh.taste.node_share(c, t) == 0.0)
}

/// Stated beats inferred: products under an interest the shopper stated are all lifted by the same amount, so the
/// best of them outscores everything else; their order among themselves is kept.
#[allow(clippy::float_cmp)] // f64::MIN is the fold's own sentinel, compared exactly
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

/// The audit: full counts per code, and a capped list of removals (the most relevant first).
struct Audit {
    cap: usize,
    /// Counts per code, in code order (as `removedCounts` and `summary` list them).
    counts: Vec<(SummaryCode, u32)>,
    list: Vec<(f64, Pid, Code)>,
    seen: rustc_hash::FxHashSet<Pid>,
}

impl Audit {
    fn new(cap: usize) -> Audit {
        Audit { cap, counts: Vec::new(), list: Vec::new(), seen: rustc_hash::FxHashSet::default() }
    }

    fn count(&mut self, code: SummaryCode, n: u32) {
        match self.counts.binary_search_by(|(c, _)| c.as_str().cmp(code.as_str())) {
            Ok(i) => {
                if let Some(slot) = self.counts.get_mut(i) {
                    slot.1 += n;
                }
            }
            Err(i) => self.counts.insert(i, (code, n)),
        }
    }

    /// Counts a removal, and keeps it for the named list only when the disclosure gate allows naming it here.
    fn remove(&mut self, gate: &disclose::Gate<'_>, p: Pid, code: Code, score: f64) {
        self.count(code.into(), 1);
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
                code,
                text: guard::explain(g, gate, code, p),
            })
            .collect()
    }
}
