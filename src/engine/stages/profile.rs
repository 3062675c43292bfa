//! Stage 2, profile: what the clean history says about the shopper — time-decayed affinities (every category level,
//! brand, product line), owned durables and when ownership is expected to end, repurchase cadence per product and per
//! category (the shopper's own median gap shrunk toward the catalog's interval), evidence, recent intent, and whether
//! the account looks shared.

use crate::contract::input::LifecycleKind;
use crate::contract::time::MS_PER_DAY;
use crate::engine::catalog::{Catalog, Pid, NONE};
use crate::engine::policy::Settings;
use crate::engine::stages::clean::{basket_key, median, Cleaned};
use crate::util::order::{permute, sort_keys, Key};
use rustc_hash::{FxHashMap, FxHashSet};

/// How strongly the catalog's interval counts against the shopper's own gaps, in gaps (a shopper with 2 gaps is
/// trusted half-way).
pub const CADENCE_PRIOR_GAPS: f64 = 2.0;
/// A durable whose catalog entry states no lifetime is treated as owned for this long (3 years).
pub const DEFAULT_DURABLE_DAYS: f64 = 1095.0;
/// Purchases this recent make up "recent intent".
pub const RECENT_INTENT_DAYS: f64 = 7.0;

#[derive(Debug, Clone, Default)]
pub struct ProductStat {
    /// Time-decayed weight of its baskets.
    pub weight: f64,
    /// Distinct baskets it was bought in.
    pub baskets: u32,
    pub first: i64,
    pub last: i64,
    /// Repurchase interval in days and its confidence (0..1), when there is one.
    pub interval: Option<(f64, f64)>,
}

#[derive(Debug, Clone)]
pub struct Owned {
    pub pid: Pid,
    pub since: i64,
    pub until: i64,
}

#[derive(Debug, Default)]
pub struct Taste {
    pub evidence: f64,
    /// Decayed weight per category node (every level).
    pub nodes: FxHashMap<u32, f64>,
    /// Sum of node weights per depth, to turn weights into shares.
    pub depth_totals: Vec<f64>,
    pub brands: FxHashMap<u32, f64>,
    pub brand_total: f64,
    pub lines: FxHashMap<u32, f64>,
    pub products: FxHashMap<Pid, ProductStat>,
    /// Repurchase interval per leaf category, days and confidence.
    pub leaf_interval: FxHashMap<u32, (f64, f64)>,
    pub owned: Vec<Owned>,
    /// Product lines owned (from any clean purchase of a product with a line).
    pub owned_lines: FxHashSet<u32>,
    pub last_purchase: Option<i64>,
    pub baskets: u32,
    pub recent_nodes: Vec<u32>,
    pub shared_likely: bool,
    pub shared_evidence: Vec<String>,
    pub ship_to_clusters: u32,
}

impl Taste {
    /// Share of taste of a node at its level, 0..1.
    pub fn node_share(&self, c: &Catalog, node: u32) -> f64 {
        let depth = c.node(node).map_or(0, |n| n.depth as usize);
        let total = self.depth_totals.get(depth).copied().unwrap_or(0.0);
        if total <= 0.0 {
            return 0.0;
        }
        self.nodes.get(&node).copied().unwrap_or(0.0) / total
    }

    /// The shopper's products with their weight, heaviest first.
    pub fn products_by_weight(&self) -> Vec<(Pid, f64)> {
        let weights: Vec<(Pid, f64)> = self.products.iter().map(|(p, s)| (*p, s.weight)).collect();
        crate::util::order::by_weight_desc(&weights)
            .into_iter()
            .map(|p| (p, self.products.get(&p).map_or(0.0, |s| s.weight)))
            .collect()
    }

    pub fn brand_share(&self, b: u32) -> f64 {
        if self.brand_total <= 0.0 {
            return 0.0;
        }
        self.brands.get(&b).copied().unwrap_or(0.0) / self.brand_total
    }
}

/// Decay of a purchase `age_days` old with half-life `half_life` days.
pub fn decay(age_days: f64, half_life: f64) -> f64 {
    0.5f64.powf(age_days.max(0.0) / half_life)
}

pub fn build(c: &Catalog, s: &Settings, cleaned: &Cleaned, now: i64) -> Taste {
    let mut t = Taste::default();
    // Weight per basket, so a wholesaler's 300-line order does not count as 300 visits: each line of a basket gets
    // decay / sqrt(lines in basket).
    let mut basket_lines: FxHashMap<(u32, i64), u32> = FxHashMap::default();
    for l in &cleaned.lines {
        *basket_lines.entry(basket_key(l)).or_default() += 1;
    }
    t.baskets = basket_lines.len() as u32;
    let mut product_days: FxHashMap<Pid, Vec<i64>> = FxHashMap::default();
    let mut leaf_days: FxHashMap<u32, Vec<i64>> = FxHashMap::default();
    let mut product_baskets: FxHashMap<Pid, FxHashSet<(u32, i64)>> = FxHashMap::default();
    let mut counted: FxHashSet<(u32, i64)> = FxHashSet::default();
    for l in &cleaned.lines {
        let age = (now - l.at) as f64 / MS_PER_DAY as f64;
        let n = f64::from(basket_lines.get(&basket_key(l)).copied().unwrap_or(1).max(1));
        let d = decay(age, s.half_life_days);
        // Evidence counts shopping occasions (orders, or days without an order id), each decayed by its age: one
        // 12-line order is one occasion, not twelve. Taste weighs each line by 1/sqrt(lines in its basket), so one
        // 300-line wholesale order does not outweigh 20 visits.
        if counted.insert(basket_key(l)) {
            t.evidence += d;
        }
        let w = d / n.sqrt();
        for node in c.ancestors(c.leaf_of(l.pid)) {
            *t.nodes.entry(node).or_default() += w;
            let depth = c.node(node).map_or(0, |n| n.depth as usize);
            if t.depth_totals.len() <= depth {
                t.depth_totals.resize(depth + 1, 0.0);
            }
            if let Some(d) = t.depth_totals.get_mut(depth) {
                *d += w;
            }
        }
        let b = c.brand_of(l.pid);
        if b != NONE {
            *t.brands.entry(b).or_default() += w;
            t.brand_total += w;
        }
        let line = c.line_of(l.pid);
        if line != NONE {
            *t.lines.entry(line).or_default() += w;
            t.owned_lines.insert(line);
        }
        let stat = t.products.entry(l.pid).or_insert_with(|| ProductStat { first: l.at, ..ProductStat::default() });
        stat.weight += w;
        stat.last = stat.last.max(l.at);
        stat.first = stat.first.min(l.at);
        product_baskets.entry(l.pid).or_default().insert(basket_key(l));
        let day = l.at.div_euclid(MS_PER_DAY);
        product_days.entry(l.pid).or_default().push(day);
        let leaf = c.leaf_of(l.pid);
        if leaf != NONE {
            leaf_days.entry(leaf).or_default().push(day);
        }
        t.last_purchase = Some(t.last_purchase.map_or(l.at, |p: i64| p.max(l.at)));
        if c.lifecycle_of(l.pid) == LifecycleKind::Durable {
            let days = c.cycle_days_of(l.pid).map_or(DEFAULT_DURABLE_DAYS, f64::from);
            t.owned.push(Owned { pid: l.pid, since: l.at, until: l.at + (days * MS_PER_DAY as f64) as i64 });
        }
    }
    for (pid, baskets) in product_baskets {
        if let Some(stat) = t.products.get_mut(&pid) {
            stat.baskets = baskets.len() as u32;
        }
    }
    // Cadence: gaps between distinct purchase days, the median shrunk toward the catalog's interval.
    for (pid, days) in &mut product_days {
        let prior = match c.lifecycle_of(*pid) {
            LifecycleKind::Consumable => c.cycle_days_of(*pid).map(f64::from),
            _ => None,
        };
        let interval = cadence(days, prior);
        if let Some(stat) = t.products.get_mut(pid) {
            stat.interval = interval;
        }
    }
    for (leaf, days) in &mut leaf_days {
        if let Some(iv) = cadence(days, None) {
            t.leaf_interval.insert(*leaf, iv);
        }
    }
    // Only the newest purchase of a durable counts as the one owned.
    let mut newest: FxHashMap<Pid, Owned> = FxHashMap::default();
    for o in std::mem::take(&mut t.owned) {
        if newest.get(&o.pid).is_none_or(|n| o.since > n.since) {
            newest.insert(o.pid, o);
        }
    }
    let owned: Vec<Owned> =
        newest.into_values().filter(|o| o.until > now && !cleaned.returned.contains_key(&o.pid)).collect();
    let mut keys: Vec<Key> = owned.iter().enumerate().map(|(i, o)| (-o.since, u64::from(o.pid), i as u32)).collect();
    sort_keys(&mut keys);
    t.owned = permute(owned, &keys);
    // Recent intent: leaf categories bought in the last few days, newest first.
    let mut recent: Vec<Key> = cleaned
        .lines
        .iter()
        .filter(|l| (now - l.at) as f64 <= RECENT_INTENT_DAYS * MS_PER_DAY as f64)
        .map(|l| (-l.at, 0, c.leaf_of(l.pid)))
        .filter(|k| k.2 != NONE)
        .collect();
    sort_keys(&mut recent);
    for (_, _, n) in recent {
        if !t.recent_nodes.contains(&n) {
            t.recent_nodes.push(n);
        }
    }
    shared_use(c, cleaned, &mut t);
    t
}

/// The repurchase interval (days) and its confidence from purchase days, shrunk toward `prior` days.
fn cadence(days: &mut Vec<i64>, prior: Option<f64>) -> Option<(f64, f64)> {
    let mut keys: Vec<Key> = days.iter().map(|&d| (d, 0, 0)).collect();
    sort_keys(&mut keys);
    keys.dedup();
    *days = keys.into_iter().map(|k| k.0).collect();
    let mut gaps: Vec<f64> = days.windows(2).filter_map(|w| Some((w.get(1)? - w.first()?) as f64)).collect();
    let n = gaps.len() as f64;
    let own = median(&mut gaps);
    match (gaps.is_empty(), prior) {
        (true, None) => None,
        (true, Some(p)) => Some((p, 0.0)),
        (false, None) => Some((own, n / (n + CADENCE_PRIOR_GAPS))),
        (false, Some(p)) => {
            Some(((n * own + CADENCE_PRIOR_GAPS * p) / (n + CADENCE_PRIOR_GAPS), n / (n + CADENCE_PRIOR_GAPS)))
        }
    }
}

/// Several named members, or several ship-to clusters whose top-level categories barely overlap → shared use.
fn shared_use(c: &Catalog, cleaned: &Cleaned, t: &mut Taste) {
    if cleaned.members >= 2 {
        t.shared_likely = true;
        t.shared_evidence.push(format!("{} household members are named in the orders.", cleaned.members));
    }
    let clusters: Vec<u32> = cleaned.ship_to_orders.iter().filter(|(_, n)| *n >= 2).map(|(k, _)| *k).collect();
    t.ship_to_clusters = clusters.len() as u32;
    if clusters.len() >= 2 {
        let tops = |ship: u32| -> FxHashSet<u32> {
            cleaned
                .lines
                .iter()
                .filter(|l| l.ship_to == ship)
                .filter_map(|l| c.ancestors(c.leaf_of(l.pid)).last())
                .collect()
        };
        let sets: Vec<FxHashSet<u32>> = clusters.iter().map(|&k| tops(k)).collect();
        for (i, a) in sets.iter().enumerate() {
            for b in sets.iter().skip(i + 1) {
                let inter = a.intersection(b).count() as f64;
                let union = a.union(b).count() as f64;
                if union > 0.0 && inter / union < 0.3 {
                    t.shared_likely = true;
                    t.shared_evidence
                        .push("Orders go to several addresses, each with different kinds of products.".to_string());
                    return;
                }
            }
        }
    }
}
