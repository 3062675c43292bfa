//! Stage 6, rerank: a seeded shuffle among near-ties, maximal marginal relevance with a category cap
//! (`guard::diversity`), a slot mix — personal, discovery, new — set by the shopper's `intensity` and `discovery`
//! and the policy, and the list-level brand rule. Same inputs and seed → the same list.

use crate::engine::catalog::{Catalog, Pid, NONE};
use crate::engine::policy::Settings;
use crate::engine::stages::guard::{brand, diversity, Code};
use crate::engine::stages::score::{Scored, Term};
use crate::util::mix::mix;
use crate::util::order::{by_weight_desc, f64_desc, permute, sort_keys, Key};
use rustc_hash::FxHashMap;

/// Scores closer than this are near-ties, ordered by the seeded shuffle.
pub const TIE: f64 = 1e-3;
/// MMR looks this many times `k` deep into the sorted candidates.
pub const MMR_DEPTH: usize = 6;

/// Sorts by score, highest first; near-ties (same `TIE` bucket) in a seeded order.
pub fn sort_seeded(items: Vec<Scored>, seed: u32) -> Vec<Scored> {
    let mut keys: Vec<Key> = items
        .iter()
        .enumerate()
        .map(|(i, x)| (f64_desc((x.score / TIE).floor()), mix(u64::from(seed), u64::from(x.p)), i as u32))
        .collect();
    sort_keys(&mut keys);
    permute(items, &keys)
}

/// How many of `k` slots go to discovery (never-bought products), per shopper.
///
/// With `repeat_confidence` 0 it is a fixed share: `k × discovery × intensity factor`. Above 0, the shopper's own
/// repeat candidates decide: those whose repeat estimate (the `BOUGHT_BEFORE` and `DUE_AGAIN` terms over the personal
/// weight `w`) reaches `repeat_confidence` keep their slots, and of the rest a share `min(1, 2d)` explores, where `d` is
/// the discovery share (the shopper's own setting, else the policy's) times the intensity factor; above `d = 0.5`
/// exploration also takes `(2d − 1)` of the confident slots. So `d = 0` never explores, `0.5` explores every slot the
/// history is not confident about, `1` explores everything, and a shopper with many sure repeats gets fewer
/// discovery slots than one whose history says little.
pub fn discovery_slots(
    k: usize,
    main: &[Scored],
    discovery: f64,
    intensity: crate::contract::input::Intensity,
    w: f64,
    repeat_confidence: f64,
) -> usize {
    use crate::contract::input::Intensity;
    if w <= 0.0 {
        return 0;
    }
    let by_intensity = match intensity {
        Intensity::Subtle => 1.25,
        Intensity::Moderate => 1.0,
        Intensity::Strong => 0.75,
    };
    let d = (discovery * by_intensity).max(0.0).min(1.0);
    if repeat_confidence <= 0.0 {
        return ((k as f64) * discovery * by_intensity).round() as usize;
    }
    let confident = main.iter().filter(|x| is_sure(x, repeat_confidence * w)).take(k).count() as f64;
    let free = k as f64 - confident;
    let slots = (2.0 * d).min(1.0) * free + (2.0 * d - 1.0).max(0.0) * confident;
    (slots.round() as usize).min(k)
}

/// The candidate's repeat estimate: its `BOUGHT_BEFORE` and `DUE_AGAIN` terms (scaled by the personal weight `w`).
pub fn repeat_estimate(x: &Scored) -> f64 {
    x.terms.iter().filter(|t| matches!(t.0, Term::BoughtBefore | Term::DueAgain)).map(|t| t.1).sum()
}

/// A sure repeat: a repeat estimate of at least `threshold` (`repeatConfidence × w`; 0 or below: none is sure).
pub fn is_sure(x: &Scored, threshold: f64) -> bool {
    threshold > 0.0 && repeat_estimate(x) >= threshold
}

pub struct Picked {
    pub item: Scored,
    pub discovery: bool,
    pub new: bool,
}

pub struct Plan {
    pub k: usize,
    /// MMR trade-off (the policy's `diversity`, raised in `default` mode).
    pub lambda: f64,
    pub discovery_slots: usize,
    pub new_slots: usize,
    /// The repeat estimate from which a candidate is a sure repeat (`repeatConfidence × w`; 0: none), which MMR
    /// does not push down for variety.
    pub sure: f64,
}

/// What re-ranking decided: the list, and the removals it made.
pub struct Reranked {
    pub picked: Vec<Picked>,
    pub removed: Vec<(Pid, Code)>,
}

fn leaf_key(c: &Catalog, p: Pid) -> u32 {
    let leaf = c.leaf_of(p);
    if leaf == NONE {
        // Without categories the cap applies per product line, else not at all.
        let line = c.line_of(p);
        if line == NONE {
            NONE
        } else {
            u32::MAX - 1 - line
        }
    } else {
        leaf
    }
}

/// The category cap (`maxPerCategory`) as the list fills: how many picks each leaf (or product line) holds.
struct Cap<'a> {
    c: &'a Catalog,
    max: u32,
    per_cat: FxHashMap<u32, u32>,
}

impl Cap<'_> {
    fn fits(&self, p: Pid) -> bool {
        let key = leaf_key(self.c, p);
        key == NONE || self.per_cat.get(&key).copied().unwrap_or(0) < self.max
    }

    fn take(&mut self, p: Pid) {
        let key = leaf_key(self.c, p);
        if key != NONE {
            *self.per_cat.entry(key).or_default() += 1;
        }
    }
}

/// `main` and `explore` sorted by `sort_seeded`; `explore` holds the discovery candidates (never bought, unlike the
/// shopper's usual categories). Four steps: reserved slots (new arrivals, discovery), MMR for the rest, the reserved
/// picks spread through the list, the list-level brand rule.
pub fn rerank(c: &Catalog, s: &Settings, main: &[Scored], explore: Vec<Scored>, plan: &Plan) -> Reranked {
    let mut cap = Cap { c, max: s.max_per_category, per_cat: FxHashMap::default() };
    // Discovery first, then new arrivals, never more than the list holds.
    let discovery_slots = plan.discovery_slots.min(plan.k);
    let new_slots = plan.new_slots.min(plan.k - discovery_slots);
    let main_slots = plan.k - discovery_slots - new_slots;

    // 1. New arrivals and discovery first claim their reserved slots (the best of each), so the cap sees them.
    let mut chosen = vec![false; main.len()];
    let new_picks = reserve_new(main, new_slots, &mut cap, &mut chosen);
    let disc_picks = reserve_discovery(main, &chosen, explore, discovery_slots, &mut cap);
    let reserved: Vec<Pid> = new_picks.iter().chain(&disc_picks).map(|x| x.item.p).collect();

    // 2. MMR over the main pool for the remaining slots; what the cap or diversity kept out of the top is recorded.
    let want = plan.k.saturating_sub(new_picks.len() + disc_picks.len());
    let depth = (want.max(main_slots) * MMR_DEPTH).max(want);
    let Mmr { picks: main_picks, capped, relevance_top } =
        mmr(c, main, &chosen, &new_picks, &disc_picks, want, depth, (plan.lambda, plan.sure), &mut cap);
    let mut removed: Vec<(Pid, Code)> = Vec::new();
    for p in capped.into_iter().filter(|p| relevance_top.contains(p)) {
        removed.push((p, Code::CategoryCap));
    }
    for &p in &relevance_top {
        let in_list = main_picks.iter().any(|m| m.item.p == p) || removed.iter().any(|r| r.0 == p);
        if !in_list && !reserved.contains(&p) {
            removed.push((p, Code::Diversity));
        }
    }

    // 3. Interleave: reserved picks spread evenly through the list.
    let mut picked = interleave(main_picks, new_picks, disc_picks);

    // 4. The list-level brand rule: drop what may not stand beside the rest.
    if !s.brand_rules.is_empty() {
        let ids: Vec<Pid> = picked.iter().map(|x| x.item.p).collect();
        picked.retain(|x| {
            let others: Vec<Pid> = ids.iter().copied().filter(|&o| o != x.item.p).collect();
            let clash = brand::clashes(c, &s.brand_rules, x.item.p, &others);
            if clash {
                removed.push((x.item.p, Code::BrandRule));
            }
            !clash
        });
    }
    Reranked { picked, removed }
}

/// The best new arrivals for the new-arrival slots, as the cap allows; each marked `chosen`.
fn reserve_new(main: &[Scored], slots: usize, cap: &mut Cap<'_>, chosen: &mut [bool]) -> Vec<Picked> {
    let mut picks: Vec<Picked> = Vec::new();
    if slots == 0 {
        return picks;
    }
    let news: Vec<(u32, f64)> = main
        .iter()
        .enumerate()
        .filter(|(_, x)| x.terms.iter().any(|t| t.0 == Term::NewArrival))
        .map(|(i, x)| (i as u32, x.score))
        .collect();
    for i in by_weight_desc(&news).into_iter().map(|i| i as usize) {
        if picks.len() >= slots {
            break;
        }
        let (Some(x), Some(ch)) = (main.get(i), chosen.get_mut(i)) else { continue };
        if cap.fits(x.p) {
            cap.take(x.p);
            *ch = true;
            picks.push(Picked { item: x.clone(), discovery: false, new: true });
        }
    }
    picks
}

/// The best discovery candidates not already chosen, as the cap allows.
fn reserve_discovery(
    main: &[Scored],
    chosen: &[bool],
    explore: Vec<Scored>,
    slots: usize,
    cap: &mut Cap<'_>,
) -> Vec<Picked> {
    let mut picks: Vec<Picked> = Vec::new();
    for x in explore {
        if picks.len() >= slots {
            break;
        }
        if main.iter().zip(chosen).any(|(m, &ch)| ch && m.p == x.p) {
            continue;
        }
        if cap.fits(x.p) {
            cap.take(x.p);
            picks.push(Picked { item: x, discovery: true, new: false });
        }
    }
    picks
}

/// What maximal marginal relevance chose, and what it kept out: products the cap stopped, and the `want` most
/// relevant of the pool (to tell a cap or diversity removal from a product that was never in reach).
struct Mmr {
    picks: Vec<Picked>,
    capped: Vec<Pid>,
    relevance_top: Vec<Pid>,
}

/// MMR over the first `depth` unchosen candidates: each pick maximises (1 − λ)·relevance − λ·similarity to what is
/// already picked, within the cap; a sure repeat (repeat estimate ≥ `sure`, see [`is_sure`]) counts no similarity,
/// so a grocery shopper's staples are not displaced by variety (the cap still holds). The window can run dry when the cap empties it (a catalog whose best candidates
/// crowd into a few categories): the rest then fills in score order from beyond the window, the cap still holding,
/// so the list is never short while eligible products remain.
#[allow(clippy::too_many_arguments)] // each is one of the step's inputs; a struct would only rename them
fn mmr(
    c: &Catalog,
    main: &[Scored],
    chosen: &[bool],
    new_picks: &[Picked],
    disc_picks: &[Picked],
    want: usize,
    depth: usize,
    (lambda, sure): (f64, f64),
    cap: &mut Cap<'_>,
) -> Mmr {
    let disc_ids: Vec<Pid> = disc_picks.iter().map(|d| d.item.p).collect();
    let pool: Vec<usize> = chosen.iter().enumerate().filter(|(_, &ch)| !ch).map(|(i, _)| i).take(depth).collect();
    let relevance_top: Vec<Pid> = pool.iter().take(want).filter_map(|&i| main.get(i).map(|x| x.p)).collect();
    let max_score = pool.first().and_then(|&i| main.get(i)).map_or(1.0, |x| x.score.abs().max(1e-9));
    let mut picks: Vec<Picked> = Vec::new();
    let mut used = vec![false; pool.len()];
    let mut capped: Vec<Pid> = Vec::new();
    // Each pool candidate's largest similarity to what is picked so far (the reserved picks, then each MMR pick as it
    // is made): kept up to date after every pick rather than recomputed against the whole list for every candidate in
    // every round, which made this step grow with k³ (k = 200: about a second). Similarities are a few exact values
    // ≥ 0, so the running maximum is the same number the full fold gave.
    let reserved_ids: Vec<Pid> = new_picks.iter().chain(disc_picks.iter()).map(|q| q.item.p).collect();
    let mut near: Vec<f64> = pool
        .iter()
        .map(|&i| {
            main.get(i)
                .map_or(0.0, |x| reserved_ids.iter().map(|&q| diversity::similarity(c, x.p, q)).fold(0.0, f64::max))
        })
        .collect();
    while picks.len() < want {
        let mut best: Option<(usize, f64)> = None;
        for (j, ((&i, used), &near)) in pool.iter().zip(used.iter_mut()).zip(&near).enumerate() {
            let Some(x) = main.get(i).filter(|_| !*used) else { continue };
            if disc_ids.contains(&x.p) {
                *used = true;
                continue;
            }
            if !cap.fits(x.p) {
                *used = true;
                capped.push(x.p);
                continue;
            }
            // A sure repeat (the shopper's staple) is not pushed down for variety: its similarity does not count.
            let sim = if is_sure(x, sure) { 0.0 } else { near };
            let mmr = (1.0 - lambda) * (x.score / max_score) - lambda * sim;
            if best.is_none_or(|(_, b)| mmr > b) {
                best = Some((j, mmr));
            }
        }
        let Some((j, _)) = best else { break };
        let (Some(u), Some(x)) = (used.get_mut(j), pool.get(j).and_then(|&i| main.get(i))) else { break };
        *u = true;
        cap.take(x.p);
        let p = x.p;
        picks.push(Picked { item: x.clone(), discovery: false, new: false });
        for ((&i, _), n) in pool.iter().zip(&used).zip(near.iter_mut()).filter(|((_, &u), _)| !u) {
            if let Some(y) = main.get(i) {
                *n = n.max(diversity::similarity(c, y.p, p));
            }
        }
    }
    if picks.len() < want {
        for (x, &ch) in main.iter().zip(chosen).skip(pool.last().map_or(0, |&l| l + 1)) {
            if picks.len() >= want {
                break;
            }
            if ch || disc_ids.contains(&x.p) || !cap.fits(x.p) {
                continue;
            }
            cap.take(x.p);
            picks.push(Picked { item: x.clone(), discovery: false, new: false });
        }
    }
    Mmr { picks, capped, relevance_top }
}

/// The reserved picks (new arrivals and discovery, alternating) spread evenly through the list: the i-th stands at
/// position (i + 1)·total / (r + 1), never first.
fn interleave(main_picks: Vec<Picked>, new_picks: Vec<Picked>, disc_picks: Vec<Picked>) -> Vec<Picked> {
    let mut reserved_picks: Vec<Picked> = Vec::new();
    let (mut ni, mut di) = (new_picks.into_iter(), disc_picks.into_iter());
    loop {
        match (ni.next(), di.next()) {
            (None, None) => break,
            (a, b) => reserved_picks.extend(a.into_iter().chain(b)),
        }
    }
    let total = main_picks.len() + reserved_picks.len();
    let r = reserved_picks.len();
    let positions: Vec<usize> = (0..r).map(|i| ((i + 1) * total / (r + 1)).max(1)).collect();
    let mut picked: Vec<Picked> = Vec::with_capacity(total);
    let mut main_iter = main_picks.into_iter();
    let mut res_iter = reserved_picks.into_iter();
    for pos in 0..total {
        let next = if positions.contains(&pos) {
            res_iter.next().or_else(|| main_iter.next())
        } else {
            main_iter.next().or_else(|| res_iter.next())
        };
        picked.extend(next);
    }
    picked
}

#[cfg(all(test, not(target_arch = "wasm32")))]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::contract::input::Intensity;

    /// Candidates whose repeat terms are `repeat[i]` (personal weight `w`).
    fn cands(repeat: &[f64], w: f64) -> Vec<Scored> {
        repeat
            .iter()
            .enumerate()
            .map(|(i, &r)| Scored {
                p: i as Pid,
                score: r,
                terms: if r > 0.0 { vec![(Term::BoughtBefore, w * r)] } else { vec![(Term::Popular, 0.1)] },
                personal: r > 0.0,
                sources: Vec::new(),
            })
            .collect()
    }

    /// Milk `a` and `b` (one leaf) and bread `c`, scored 3.0 / 2.9 / 2.5; `a` and `b` are repeats when `repeats`.
    fn staples(repeats: bool) -> (Catalog, Vec<Scored>) {
        use crate::contract::input::Product;
        use crate::engine::policy::{PolicyPreset, Settings};
        let product = |id: &str, path: [&str; 2]| Product {
            id: id.into(),
            category: Some(path.iter().map(|s| s.to_string()).collect()),
            ..Product::default()
        };
        let c = Catalog::build(
            &[product("a", ["Dairy", "Milk"]), product("b", ["Dairy", "Milk"]), product("c", ["Bakery", "Bread"])],
            &Settings::preset(PolicyPreset::Balanced),
        )
        .unwrap();
        let term = |p: Pid| if repeats && p < 2 { Term::BoughtBefore } else { Term::Popular };
        let main = [3.0, 2.9, 2.5]
            .iter()
            .enumerate()
            .map(|(i, &v)| Scored {
                p: i as Pid,
                score: v,
                terms: vec![(term(i as Pid), v)],
                personal: false,
                sources: Vec::new(),
            })
            .collect();
        (c, main)
    }

    fn ids(c: &Catalog, r: &Reranked) -> Vec<String> {
        r.picked.iter().map(|x| c.id(x.item.p).to_string()).collect()
    }

    #[test]
    fn mmr_does_not_push_sure_repeats_down_for_variety() {
        use crate::engine::policy::{PolicyPreset, Settings};
        let s = Settings::preset(PolicyPreset::Balanced);
        let plan = |sure: f64| Plan { k: 3, lambda: 0.5, discovery_slots: 0, new_slots: 0, sure };
        // Both milks are sure repeats (estimate 3.0 and 2.9 ≥ 1): the second milk keeps its place above the bread.
        let (c, main) = staples(true);
        let r = rerank(&c, &s, &main, Vec::new(), &plan(1.0));
        assert_eq!(ids(&c, &r), ["a", "b", "c"]);
        assert!(r.removed.iter().all(|x| x.1 != Code::Diversity));
        // Without sure repeats (threshold 0, or milks the shopper never bought) variety moves the bread up.
        for (repeats, sure) in [(true, 0.0), (false, 1.0)] {
            let (c, main) = staples(repeats);
            let r = rerank(&c, &s, &main, Vec::new(), &plan(sure));
            assert_eq!(ids(&c, &r), ["a", "c", "b"], "repeats {repeats}, sure {sure}");
        }
        // A repeat below the threshold is not sure.
        let (c, main) = staples(true);
        assert_eq!(ids(&c, &rerank(&c, &s, &main, Vec::new(), &plan(2.95))), ["a", "c", "b"]);
    }

    #[test]
    fn discovery_slots_follow_how_sure_the_repeats_are_and_the_shoppers_setting() {
        let sure = cands(&[5.0, 4.0, 3.0, 2.0, 2.0, 1.5, 1.2, 1.1, 0.2, 0.0, 0.0], 0.8);
        let unsure = cands(&[2.0, 0.5, 0.3, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], 0.8);
        let m = Intensity::Moderate;
        // 8 sure repeats leave 2 slots, of which 2d = 20 % explore: 0; 1 sure repeat leaves 9: 2 slots.
        assert_eq!(discovery_slots(10, &sure, 0.1, m, 0.8, 1.0), 0);
        assert_eq!(discovery_slots(10, &unsure, 0.1, m, 0.8, 1.0), 2);
        // The shopper's own setting still moves it: 0 never explores, 0.5 every unsure slot, 1 everything.
        assert_eq!(discovery_slots(10, &unsure, 0.0, m, 0.8, 1.0), 0);
        assert_eq!(discovery_slots(10, &sure, 0.5, m, 0.8, 1.0), 2);
        assert_eq!(discovery_slots(10, &unsure, 0.5, m, 0.8, 1.0), 9);
        assert_eq!(discovery_slots(10, &sure, 1.0, m, 0.8, 1.0), 10);
        // A subtle intensity explores more; no personal weight never does; 0 is the fixed share.
        assert!(discovery_slots(10, &unsure, 0.1, Intensity::Subtle, 0.8, 1.0) >= 2);
        assert_eq!(discovery_slots(10, &unsure, 0.5, m, 0.0, 1.0), 0);
        assert_eq!(discovery_slots(10, &sure, 0.2, m, 0.8, 0.0), 2);
    }
}
