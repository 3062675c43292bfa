//! Stage 4, score: an evidence-weighted blend of personal and popular signals, plus what the shopper stated, the
//! page's context, new arrivals and business boosts. Each term is kept, so explanations are faithful to the score.
//!
//! score = w·personal + (1 − w)·popular + interest + context + new + trending + promoted + price
//! where w = e / (e + evidenceHalf) × intensity (0 without consent or evidence; see `guard::thin_data`).

use crate::contract::codes::ReasonCode;
use crate::contract::input::{Intensity, LifecycleKind};
use crate::contract::time::{MS_PER_DAY, MS_PER_HOUR};
use crate::engine::catalog::{Catalog, Pid, NONE};
use crate::engine::disclose::Gate;
use crate::engine::model::ModelIndex;
use crate::engine::policy::Settings;
use crate::engine::prefs::Prefs;
use crate::engine::stages::profile::{decay, Taste};
use rustc_hash::FxHashMap;

/// The score's terms. Each maps to one reason code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Term {
    DueAgain,
    BoughtBefore,
    YouLike,
    GoesWith,
    BoughtTogether,
    LikeYours,
    Similar,
    YourInterest,
    NewArrival,
    Popular,
    Featured,
    Trending,
    Promoted,
    Price,
}

impl Term {
    /// The code a shopper's reason carries for this term (`Price` alone says "More from the shop").
    pub fn reason_code(self) -> ReasonCode {
        match self {
            Term::DueAgain => ReasonCode::DueAgain,
            Term::BoughtBefore => ReasonCode::BoughtBefore,
            Term::YouLike => ReasonCode::YouLike,
            Term::GoesWith => ReasonCode::GoesWith,
            Term::BoughtTogether => ReasonCode::BoughtTogether,
            Term::LikeYours => ReasonCode::LikeYours,
            Term::Similar => ReasonCode::Similar,
            Term::YourInterest => ReasonCode::YourInterest,
            Term::NewArrival => ReasonCode::NewArrival,
            Term::Popular => ReasonCode::Popular,
            Term::Featured => ReasonCode::Featured,
            Term::Trending => ReasonCode::Trending,
            Term::Promoted => ReasonCode::Promoted,
            Term::Price => ReasonCode::MoreFromShop,
        }
    }

    /// The term's name in the native tool's analysis: its reason code, and `PRICE` for the price term.
    pub fn code(self) -> &'static str {
        match self {
            Term::Price => "PRICE",
            t => t.reason_code().as_str(),
        }
    }

    /// Terms that come from the shopper's own history.
    pub fn is_personal(self) -> bool {
        matches!(
            self,
            Term::DueAgain
                | Term::BoughtBefore
                | Term::YouLike
                | Term::GoesWith
                | Term::BoughtTogether
                | Term::LikeYours
        )
    }
}

/// Weight of a stated interest: above anything inferred (stated beats inferred).
pub const INTEREST_WEIGHT: f64 = 1.0;
/// Weight of the new-arrival term for a product launched today (falls to 0 at `newArrivalDays`).
pub const NEW_WEIGHT: f64 = 0.3;
/// Without a model, catalog order stands in for popularity, this strongly.
pub const FEATURED_WEIGHT: f64 = 0.3;

#[derive(Debug, Clone)]
pub struct Scored {
    pub p: Pid,
    pub score: f64,
    /// The terms with their contribution, unordered.
    pub terms: Vec<(Term, f64)>,
    /// Chosen from the shopper's own history.
    pub personal: bool,
    /// The product behind each term that has one (the owned product behind `GOES_WITH`, the history product behind
    /// `BOUGHT_TOGETHER` and `LIKE_YOURS`, the seed or cart item behind SIMILAR), so a reason names the product that
    /// produced its own term. Only products the disclosure gate lets be named ever get here.
    pub sources: Vec<(Term, Pid)>,
}

impl Scored {
    /// The product behind `term`, if it has one.
    pub fn source(&self, term: Term) -> Option<Pid> {
        self.sources.iter().find(|s| s.0 == term).map(|s| s.1)
    }
}

pub struct ScoreCtx<'a> {
    pub c: &'a Catalog,
    pub s: &'a Settings,
    pub model: Option<&'a ModelIndex>,
    pub taste: &'a Taste,
    pub prefs: &'a Prefs,
    /// What may be used and named for this reader: sources of reasons must pass it.
    pub gate: &'a Gate<'a>,
    pub now: i64,
    /// Personal weight 0..1.
    pub w: f64,
    pub seed: Option<Pid>,
    pub cart: &'a [Pid],
    /// ln(1 + the catalog's highest price).
    pub log_max_price: f64,
    /// Co-purchase pull of the history on each product, 0..1, with the strongest history product behind it.
    pub together: FxHashMap<Pid, (f64, Pid)>,
    /// The shopper's repeat habits (see [`habits`]).
    pub habits: Habits,
}

/// How this shopper repeats: per product, the recency-weighted share of their baskets it was in, and how much of
/// what they buy is new to them.
#[derive(Debug, Default)]
pub struct Habits {
    /// Product → Σ over the baskets holding it of `BASKET_DECAY^i` (i = 0 for the newest basket) / Σ over all.
    pub repeat: FxHashMap<Pid, f64>,
    /// Share of the products in each basket after the first that were never bought before, shrunk toward
    /// `NOVELTY_PRIOR` by `NOVELTY_PRIOR_ITEMS` items.
    pub novelty: f64,
    /// Products the shopper never bought whose embedding is closest to one of their `ALIKE_FROM` heaviest products:
    /// product → (cosine, that product of theirs), at most `ALIKE_CANDIDATES`, cosine ≥ `ALIKE_MIN`.
    pub alike: FxHashMap<Pid, (f64, Pid)>,
    /// The products of the newest basket, and its time.
    pub last_basket: Vec<Pid>,
    pub last_at: Option<i64>,
}

/// How many of the shopper's heaviest products look for look-alikes. Each one is a query of the scan, which is most
/// of `rank`'s time with a model: 10 instead of 20 halves the scan and changed neither shop's recall, NDCG or explore
/// recall beyond noise, on the practice cases or the dev targets (paired intervals in docs/evaluation.md).
pub const ALIKE_FROM: usize = 10;
pub const ALIKE_CANDIDATES: usize = 200;
/// Embedding cosine below which two products are not alike.
pub const ALIKE_MIN: f64 = 0.7;

/// The never-bought products closest (embedding cosine) to the shopper's heaviest products: one pass over the
/// model's contiguous embeddings, the one full-catalog scan the engine makes, because discovery is its point.
pub fn alike(model: Option<&ModelIndex>, taste: &Taste, gate: &Gate<'_>) -> FxHashMap<Pid, (f64, Pid)> {
    let mut out: FxHashMap<Pid, (f64, Pid)> = FxHashMap::default();
    let Some(m) = model.filter(|m| m.dim > 0) else { return out };
    let own: Vec<(Pid, &[f32])> = taste
        .products_by_weight()
        .into_iter()
        .filter(|&(p, _)| gate.may_source(p))
        .take(ALIKE_FROM)
        .filter_map(|(p, _)| Some((p, m.embedding(p)?)))
        .collect();
    if own.is_empty() {
        return out;
    }
    // The shopper's own products are passed over (a bitset, not a hash lookup per product).
    let mut skip = crate::engine::catalog::BitSet::with_len(m.has_embedding.len());
    for &p in taste.products.keys() {
        skip.set(p);
    }
    let queries: Vec<f32> = own.iter().flat_map(|(_, e)| e.iter().copied()).collect();
    let hits = crate::engine::scan::top_k(
        &m.embeddings,
        m.dim,
        &m.has_embedding,
        &skip,
        &queries,
        ALIKE_MIN,
        ALIKE_CANDIDATES,
    );
    for h in hits {
        if let Some(&(from, _)) = own.get(h.query as usize) {
            out.insert(h.p, (f64::from(h.sim), from));
        }
    }
    out
}

/// Weight of the repeat term: a repeat probability of 0.1 then outweighs most products' popularity, as the practice
/// cases (a shopper's own products are their best predictor) ask. Chosen on the practice cases: 10 beat 2 and 1.
pub const REPEAT_WEIGHT: f64 = 10.0;
/// How much recency (half-life `RECENCY_HALF_LIFE_DAYS`) adds to the repeat share.
pub const RECENCY_WEIGHT: f64 = 0.2;
pub const RECENCY_HALF_LIFE_DAYS: f64 = 90.0;
/// A return within this many hours of the last basket counts as the same trip.
pub const SPLIT_TRIP_HOURS: f64 = 24.0;
/// The repeat term of the last basket's products on such a return.
pub const SPLIT_TRIP_FACTOR: f64 = 0.1;
/// How strongly a product's repeat propensity (from the model) scales its repeat term: lift^power.
pub const REPEAT_LIFT_POWER: f64 = 1.0;
/// How many of the shopper's own baskets weigh as much as the model's repeat propensity (`shrunk_lift`). Chosen on
/// the practice cases of both shops: 30 beat 10 and no shrinking (docs/evaluation.md).
pub const REPEAT_LIFT_PRIOR_BASKETS: f64 = 30.0;
/// Weight of co-purchase pull (0..1) from the shopper's products.
pub const TOGETHER_WEIGHT: f64 = 1.0;
/// Weight of embedding likeness to the shopper's products, for never-bought products.
pub const LIKE_YOURS_WEIGHT: f64 = 0.5;

/// Weight of a basket one visit older than another in the repeat share (TIFU-KNN's within-group decay).
pub const BASKET_DECAY: f64 = 0.9;
/// The share of new products in a basket when the shopper's own history says nothing yet (about two thirds in the
/// Online Retail practice cases).
pub const NOVELTY_PRIOR: f64 = 0.65;
pub const NOVELTY_PRIOR_ITEMS: f64 = 20.0;

pub fn habits(
    cleaned: &crate::engine::stages::clean::Cleaned,
    model: Option<&ModelIndex>,
    taste: &Taste,
    gate: &Gate<'_>,
) -> Habits {
    use crate::engine::stages::clean::basket_key;
    // Baskets oldest first (lines are in time order).
    let mut index: FxHashMap<(u32, i64), usize> = FxHashMap::default();
    let mut baskets: Vec<Vec<Pid>> = Vec::new();
    for l in &cleaned.lines {
        let i = *index.entry(basket_key(l)).or_insert_with(|| {
            baskets.push(Vec::new());
            baskets.len() - 1
        });
        if let Some(b) = baskets.get_mut(i) {
            if !b.contains(&l.pid) {
                b.push(l.pid);
            }
        }
    }
    let n = baskets.len();
    let mut h = Habits::default();
    let (mut new, mut all) = (0.0, 0.0);
    let mut seen: rustc_hash::FxHashSet<Pid> = rustc_hash::FxHashSet::default();
    let mut total = 0.0;
    for (i, b) in baskets.iter().enumerate() {
        let wgt = BASKET_DECAY.powi((n - 1 - i) as i32);
        total += wgt;
        for &p in b {
            *h.repeat.entry(p).or_default() += wgt;
            if i > 0 {
                all += 1.0;
                if !seen.contains(&p) {
                    new += 1.0;
                }
            }
        }
        seen.extend(b.iter().copied());
    }
    if total > 0.0 {
        for v in h.repeat.values_mut() {
            *v /= total;
        }
    }
    h.novelty = (new + NOVELTY_PRIOR * NOVELTY_PRIOR_ITEMS) / (all + NOVELTY_PRIOR_ITEMS);
    h.last_basket = baskets.last().cloned().unwrap_or_default();
    h.last_at = cleaned.lines.iter().map(|l| l.at).max();
    h.alike = alike(model, taste, gate);
    h
}

pub fn intensity_factor(i: Intensity) -> f64 {
    match i {
        Intensity::Subtle => 0.6,
        Intensity::Moderate => 1.0,
        Intensity::Strong => 1.25,
    }
}

/// Co-purchase pull from the shopper's strongest products onto their neighbours, normalised to 0..1.
pub fn together(model: Option<&ModelIndex>, taste: &Taste, gate: &Gate<'_>) -> FxHashMap<Pid, (f64, Pid)> {
    let mut out: FxHashMap<Pid, (f64, Pid)> = FxHashMap::default();
    let Some(m) = model else { return out };
    // Only products that may be named pull: a muted product is the source of nothing.
    let own: Vec<(Pid, f64)> = taste.products_by_weight().into_iter().filter(|&(p, _)| gate.may_source(p)).collect();
    let top = own.first().map_or(1.0, |x| x.1).max(f64::MIN_POSITIVE);
    for (h, hw) in own.into_iter().take(50) {
        for &(q, w) in m.neighbours_of(h) {
            let pull = f64::from(w) * hw / top;
            let e = out.entry(q).or_insert((0.0, h));
            if pull > e.0 {
                e.1 = h;
            }
            e.0 += pull;
        }
    }
    let max = out.values().map(|v| v.0).fold(0.0, f64::max);
    if max > 0.0 {
        for v in out.values_mut() {
            v.0 /= max;
        }
    }
    out
}

/// Weight of the due-again term for a regular product exactly one interval after its last purchase.
pub const DUE_WEIGHT: f64 = 0.5;
/// A product is due from this fraction of its interval on ...
pub const DUE_FROM: f64 = 0.75;
/// ... and its due-ness falls to 0 this many intervals away from exactly due.
pub const DUE_SPREAD: f64 = 3.0;
/// Weight of the category-and-brand term ("Because you buy …").
pub const YOU_LIKE_WEIGHT: f64 = 0.6;
/// How much the shopper's share of a category counts at each level, leaf first; deeper levels than listed count
/// `YOU_LIKE_DEEPER_LEVELS`.
pub const YOU_LIKE_LEVELS: [f64; 3] = [0.5, 0.3, 0.2];
pub const YOU_LIKE_DEEPER_LEVELS: f64 = 0.1;
/// How much the shopper's share of a brand strengthens a category they already buy.
pub const YOU_LIKE_BRAND: f64 = 0.15;
/// Weight of an accessory or complement of something the shopper owns.
pub const GOES_WITH_WEIGHT: f64 = 0.8;
/// The page's context: a product that fits the seed or cart item's line, one of the same line or leaf, and a model
/// neighbour (`SIMILAR_NEIGHBOUR_BASE` + `SIMILAR_NEIGHBOUR_SPAN` × its co-purchase weight).
pub const SIMILAR_FITS: f64 = 0.9;
pub const SIMILAR_SAME: f64 = 0.5;
pub const SIMILAR_NEIGHBOUR_BASE: f64 = 0.4;
pub const SIMILAR_NEIGHBOUR_SPAN: f64 = 0.5;
/// Weight of the model's popularity (scaled by `1 − w`, the impersonal share).
pub const POPULAR_WEIGHT: f64 = 0.6;
/// Weight of a trend (recent sales over earlier ones, above 1, capped at doubling).
pub const TRENDING_WEIGHT: f64 = 0.1;

/// Stage 4 for one candidate: the terms, in a fixed order, and their sum.
pub fn score(x: &ScoreCtx<'_>, p: Pid) -> Scored {
    let mut terms: Vec<(Term, f64)> = Vec::with_capacity(6);
    let mut sources: Vec<(Term, Pid)> = Vec::new();
    let personal = x.w > 0.0 && personal_terms(x, p, &mut terms, &mut sources);
    interest_term(x, p, &mut terms);
    context_term(x, p, &mut terms, &mut sources);
    popularity_terms(x, p, &mut terms);
    business_terms(x, p, &mut terms);
    let score = terms.iter().map(|t| t.1).sum::<f64>();
    Scored { p, score: if score.is_finite() { score } else { 0.0 }, terms, personal, sources }
}

/// The terms from the shopper's own history, each scaled by the personal weight `w`; true when any applies.
fn personal_terms(x: &ScoreCtx<'_>, p: Pid, terms: &mut Vec<(Term, f64)>, sources: &mut Vec<(Term, Pid)>) -> bool {
    let c = x.c;
    let w = x.w;
    let mut personal = false;
    if let Some(stat) = x.taste.products.get(&p) {
        personal = true;
        let since = (x.now - stat.last) as f64 / MS_PER_DAY as f64;
        let due = due_again(c.lifecycle_of(p), stat, since);
        if due > 0.0 {
            terms.push((Term::DueAgain, w * DUE_WEIGHT * due));
        }
        if c.lifecycle_of(p) != LifecycleKind::Durable {
            terms.push((Term::BoughtBefore, w * REPEAT_WEIGHT * repeat_chance(x, p, since)));
        }
    }
    let like = you_like(x, p);
    if like > 0.0 {
        personal = true;
        terms.push((Term::YouLike, w * YOU_LIKE_WEIGHT * like));
    }
    let fits = c.compatible_lines(p);
    if let Some(&line) = fits.iter().find(|l| x.taste.owned_lines.contains(l)) {
        personal = true;
        terms.push((Term::GoesWith, w * GOES_WITH_WEIGHT));
        let owner = x
            .taste
            .owned
            .iter()
            .map(|o| o.pid)
            .chain(x.taste.products_by_weight().into_iter().map(|(o, _)| o))
            .find(|&o| c.line_of(o) == line && o != p && x.gate.may_source(o));
        sources.extend(owner.map(|o| (Term::GoesWith, o)));
    }
    if let Some(&(pull, h)) = x.together.get(&p) {
        personal = true;
        let own = x.taste.products.contains_key(&p);
        // On a product of their own it breaks ties; on a new one it is discovery, as likely as they buy new things.
        let tw = if own { TOGETHER_WEIGHT } else { TOGETHER_WEIGHT * x.habits.novelty };
        terms.push((Term::BoughtTogether, w * tw * pull));
        if h != p {
            sources.push((Term::BoughtTogether, h));
        }
    }
    if let Some(&(sim, h)) = x.habits.alike.get(&p) {
        let v = (sim - ALIKE_MIN) / (1.0 - ALIKE_MIN);
        if v > 0.0 {
            personal = true;
            terms.push((Term::LikeYours, w * LIKE_YOURS_WEIGHT * x.habits.novelty * v));
            if h != p {
                sources.push((Term::LikeYours, h));
            }
        }
    }
    personal
}

/// How due a regular product is, `since` days after its last purchase: 0 before `DUE_FROM` of its interval, 1
/// exactly one interval on, falling to 0 `DUE_SPREAD` intervals away. Needs two baskets to know an interval.
fn due_again(kind: LifecycleKind, stat: &crate::engine::stages::profile::ProductStat, since: f64) -> f64 {
    let regular = matches!(kind, LifecycleKind::Consumable | LifecycleKind::Regular);
    match stat.interval {
        Some((iv, _)) if regular && stat.baskets >= 2 && iv > 0.0 => {
            let ratio: f64 = since / iv;
            if ratio >= DUE_FROM {
                (1.0 - (ratio - 1.0).abs() / DUE_SPREAD).max(0.0)
            } else {
                0.0
            }
        }
        _ => 0.0,
    }
}

/// The model's repeat propensity (its lift over the mean) as a prior that counts less as the shopper's own history
/// grows: `lift^(REPEAT_LIFT_POWER × m / (m + baskets))`, `m` = `REPEAT_LIFT_PRIOR_BASKETS`. A wholesaler's customer
/// with 3 orders leans on what every customer does; a grocery household with 60 baskets on its own shares.
pub fn shrunk_lift(lift: f64, baskets: u32) -> f64 {
    let m = REPEAT_LIFT_PRIOR_BASKETS;
    lift.powf(REPEAT_LIFT_POWER * m / (m + f64::from(baskets)))
}

/// P(bought again) ≈ (1 − novelty) × the product's recency-weighted share of the shopper's baskets, nudged by how
/// recently it was bought and by the model's repeat propensity (`shrunk_lift`).
fn repeat_chance(x: &ScoreCtx<'_>, p: Pid, since: f64) -> f64 {
    let share = x.habits.repeat.get(&p).copied().unwrap_or(0.0);
    let recency = decay(since, RECENCY_HALF_LIFE_DAYS);
    let mut lift = shrunk_lift(x.model.map_or(1.0, |m| m.repeat_lift(p)), x.taste.baskets);
    // Back within a day of the last basket: usually the same shopping trip (a split checkout), so what that basket
    // already holds is less likely again.
    let gap_hours = x.habits.last_at.map_or(f64::MAX, |t| (x.now - t) as f64 / MS_PER_HOUR as f64);
    if gap_hours < SPLIT_TRIP_HOURS && x.habits.last_basket.contains(&p) {
        lift *= SPLIT_TRIP_FACTOR;
    }
    (1.0 - x.habits.novelty) * (share + RECENCY_WEIGHT * recency) * lift
}

/// The shopper's share of the product's categories, leaf first, strengthened by its brand.
fn you_like(x: &ScoreCtx<'_>, p: Pid) -> f64 {
    let c = x.c;
    let leaf = c.leaf_of(p);
    if leaf == NONE {
        return 0.0;
    }
    let mut like = 0.0;
    for (i, node) in c.ancestors(leaf).enumerate() {
        like += x.taste.node_share(c, node) * YOU_LIKE_LEVELS.get(i).copied().unwrap_or(YOU_LIKE_DEEPER_LEVELS);
    }
    // The brand only strengthens a category the shopper buys: the reason names the category, so the brand alone must
    // not create it (a store brand would otherwise make "Because you buy pastries" up).
    let b = c.brand_of(p);
    if b != NONE && like > 0.0 {
        like += YOU_LIKE_BRAND * x.taste.brand_share(b);
    }
    like
}

/// What the shopper stated: above anything inferred.
fn interest_term(x: &ScoreCtx<'_>, p: Pid, terms: &mut Vec<(Term, f64)>) {
    let c = x.c;
    if x.prefs.interest_nodes.iter().any(|&n| c.is_under(p, n))
        || c.tags_of(p).iter().any(|t| x.prefs.interest_tags.contains(t))
    {
        terms.push((Term::YourInterest, INTEREST_WEIGHT * intensity_factor(x.prefs.intensity).min(1.0)));
    }
}

/// The page's context: the product page's seed and the cart (not personal: it is what the shopper looks at now).
fn context_term(x: &ScoreCtx<'_>, p: Pid, terms: &mut Vec<(Term, f64)>, sources: &mut Vec<(Term, Pid)>) {
    let mut similar: f64 = 0.0;
    let mut similar_to = None;
    for &q in x.seed.iter().chain(x.cart) {
        let v = similarity(x, q, p);
        if v > similar {
            similar = v;
            similar_to = Some(q);
        }
    }
    if similar > 0.0 {
        terms.push((Term::Similar, similar));
        sources.extend(similar_to.map(|q| (Term::Similar, q)));
    }
}

/// How well `p` goes with `q`, the seed or a cart item: fits its line, shares its line or leaf, or is its model
/// neighbour.
fn similarity(x: &ScoreCtx<'_>, q: Pid, p: Pid) -> f64 {
    let c = x.c;
    let same_leaf = c.leaf_of(q) != NONE && c.leaf_of(q) == c.leaf_of(p);
    let same_line = c.line_of(q) != NONE && c.line_of(q) == c.line_of(p);
    let fits = c.line_of(q) != NONE && c.compatible_lines(p).contains(&c.line_of(q));
    let v = if fits {
        SIMILAR_FITS
    } else if same_line || same_leaf {
        SIMILAR_SAME
    } else {
        0.0
    };
    let neighbour = x.model.and_then(|m| m.neighbours_of(q).iter().find(|(n, _)| *n == p).map(|&(_, nw)| nw));
    match neighbour {
        Some(nw) => v.max(SIMILAR_NEIGHBOUR_BASE + SIMILAR_NEIGHBOUR_SPAN * f64::from(nw).min(1.0)),
        None => v,
    }
}

/// The impersonal part, scaled by `1 − w`: the model's popularity and trend, or without a model the catalog's order
/// (`FEATURED`).
fn popularity_terms(x: &ScoreCtx<'_>, p: Pid, terms: &mut Vec<(Term, f64)>) {
    let w = x.w;
    match x.model {
        Some(m) if !m.popular.is_empty() => {
            let pop = f64::from(m.pop(p));
            if pop > 0.0 {
                terms.push((Term::Popular, (1.0 - w) * POPULAR_WEIGHT * pop));
            }
            let trend = f64::from(m.trend(p));
            if trend > 1.0 {
                terms.push((Term::Trending, TRENDING_WEIGHT * (trend - 1.0).min(1.0)));
            }
        }
        _ => {
            let n = x.c.len().max(1) as f64;
            terms.push((Term::Featured, (1.0 - w) * FEATURED_WEIGHT * (1.0 - f64::from(p) / n)));
        }
    }
}

/// New arrivals, the shop's boosts, and the price term.
fn business_terms(x: &ScoreCtx<'_>, p: Pid, terms: &mut Vec<(Term, f64)>) {
    let c = x.c;
    let launched = c.launched_at(p);
    if launched != i64::MIN && launched <= x.now {
        let age = x.now.saturating_sub(launched) as f64 / MS_PER_DAY as f64;
        if age < x.s.new_arrival_days {
            terms.push((Term::NewArrival, NEW_WEIGHT * (1.0 - age / x.s.new_arrival_days)));
        }
    }
    let boost: f64 = c.tags_of(p).iter().filter_map(|&t| x.s.boost_tags.get(c.tag_name(t))).sum();
    if boost != 0.0 {
        terms.push((Term::Promoted, boost));
    }
    if let Some(price) = c.price_of(p) {
        if x.log_max_price > 0.0 {
            terms.push((Term::Price, x.s.price_weight * (1.0 + f64::from(price)).ln() / x.log_max_price));
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn the_models_repeat_propensity_counts_less_as_the_shoppers_own_history_grows() {
        // A: in half the shopper's baskets, a product most buyers do not buy again (lift 0.5); B: in 30 %, one most
        // buyers do (lift 2). With a long history the shopper's own shares lead (A over B); with two baskets the
        // model's propensity still does (B over A), as it did for every history before.
        let repeat = |share: f64, lift: f64, baskets: u32| share * shrunk_lift(lift, baskets);
        assert!(repeat(0.5, 0.5, 60) > repeat(0.3, 2.0, 60));
        assert!(repeat(0.5, 0.5, 2) < repeat(0.3, 2.0, 2));
        // No history: the full propensity; a neutral lift stays neutral at any length.
        assert!((shrunk_lift(2.0, 0) - 2.0).abs() < 1e-12);
        assert!((shrunk_lift(1.0, 500) - 1.0).abs() < 1e-12);
        assert!(shrunk_lift(2.0, 30) < shrunk_lift(2.0, 3));
    }
}
