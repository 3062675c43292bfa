//! The published baselines the protocol runs beside tactful (EVALUATION.md): G-TopFreq, P-TopFreq and TIFU-KNN
//! (Hu et al., SIGIR 2020). They see the same history as tactful, as baskets (`split::Baskets`).

use crate::cli::split::{Basket, Baskets};
use crate::util::order::by_weight_desc;
use rustc_hash::{FxHashMap, FxHashSet};

/// Products by the number of baskets they are in, most first (ties: lower index, i.e. first seen).
pub fn g_topfreq(b: &Baskets, k: usize) -> Vec<u32> {
    let mut count = vec![0.0f64; b.products.len()];
    for baskets in &b.by_customer {
        for basket in baskets {
            for &p in &basket.items {
                if let Some(c) = count.get_mut(p as usize) {
                    *c += 1.0;
                }
            }
        }
    }
    let weights: Vec<(u32, f64)> =
        count.iter().enumerate().map(|(p, &c)| (p as u32, c)).filter(|x| x.1 > 0.0).collect();
    by_weight_desc(&weights).into_iter().take(k).collect()
}

/// Appends `fill` items not yet in `list` until it holds `k`.
pub fn pad(mut list: Vec<u32>, fill: &[u32], k: usize) -> Vec<u32> {
    let mut seen: FxHashSet<u32> = list.iter().copied().collect();
    for &p in fill {
        if list.len() >= k {
            break;
        }
        if seen.insert(p) {
            list.push(p);
        }
    }
    list.truncate(k);
    list
}

/// The customer's own products by number of baskets, ties by recency, padded with G-TopFreq.
pub fn p_topfreq(history: &[Basket], global: &[u32], k: usize) -> Vec<u32> {
    let mut stat: FxHashMap<u32, (u32, usize)> = FxHashMap::default();
    for (i, basket) in history.iter().enumerate() {
        for &p in &basket.items {
            let e = stat.entry(p).or_insert((0, i));
            e.0 += 1;
            e.1 = i;
        }
    }
    // Count first, then the most recent basket index (a fraction below 1 never outweighs one basket).
    let n = history.len().max(1) as f64;
    let weights: Vec<(u32, f64)> =
        stat.iter().map(|(&p, &(c, last))| (p, f64::from(c) + (last as f64 + 1.0) / (n + 1.0))).collect();
    pad(by_weight_desc(&weights), global, k)
}

/// TIFU-KNN's settings; the defaults are the paper's.
#[derive(Debug, Clone, Copy)]
pub struct Tifu {
    pub neighbours: usize,
    pub groups: usize,
    pub within_decay: f64,
    pub across_decay: f64,
    pub alpha: f64,
}

impl Default for Tifu {
    fn default() -> Self {
        Tifu { neighbours: 300, groups: 7, within_decay: 0.9, across_decay: 0.7, alpha: 0.7 }
    }
}

/// A sparse vector: (product, value), sorted by product.
pub type Sparse = Vec<(u32, f64)>;

impl Tifu {
    /// The customer's time-decayed, group-decayed average of basket vectors. Baskets are split, oldest first, into
    /// `groups` runs of consecutive baskets (sizes differ by at most one; the older runs are the shorter).
    pub fn user_vector(&self, history: &[Basket]) -> Sparse {
        let n = history.len();
        if n == 0 {
            return Vec::new();
        }
        let g = self.groups.min(n).max(1);
        let mut acc: FxHashMap<u32, f64> = FxHashMap::default();
        let mut start = 0;
        for j in 0..g {
            // Sizes: the last (n mod g) groups get one extra.
            let size = n / g + usize::from(j >= g - n % g);
            let group = history.get(start..start + size).unwrap_or(&[]);
            start += size;
            let group_weight = self.across_decay.powi((g - 1 - j) as i32) / g as f64;
            for (i, basket) in group.iter().enumerate() {
                let w = group_weight * self.within_decay.powi((size - 1 - i) as i32) / size as f64;
                for &p in &basket.items {
                    *acc.entry(p).or_default() += w;
                }
            }
        }
        let mut v: Sparse = acc.into_iter().collect();
        v.sort_unstable_by_key(|x| x.0);
        v
    }
}

/// TIFU-KNN for many customers at once: every customer of `b` is a possible neighbour.
pub struct TifuIndex {
    pub cfg: Tifu,
    pub vectors: Vec<Sparse>,
    norms: Vec<f64>,
    by_product: FxHashMap<u32, Vec<(u32, f64)>>,
}

impl TifuIndex {
    pub fn build(b: &Baskets, cfg: Tifu) -> TifuIndex {
        let vectors: Vec<Sparse> = b.by_customer.iter().map(|h| cfg.user_vector(h)).collect();
        let norms = vectors.iter().map(|v| v.iter().map(|x| x.1 * x.1).sum()).collect();
        let mut by_product: FxHashMap<u32, Vec<(u32, f64)>> = FxHashMap::default();
        for (u, v) in vectors.iter().enumerate() {
            for &(p, x) in v {
                by_product.entry(p).or_default().push((u as u32, x));
            }
        }
        TifuIndex { cfg, vectors, norms, by_product }
    }

    /// The top `k` for customer `u` (an index of `b.customers`): α·own + (1 − α)·mean of the nearest customers
    /// (Euclidean distance, as the authors' code), the number of neighbours capped at the other customers.
    pub fn recommend(&self, u: usize, global: &[u32], k: usize) -> Vec<u32> {
        let Some(own) = self.vectors.get(u) else { return pad(Vec::new(), global, k) };
        let own_norm = self.norms.get(u).copied().unwrap_or(0.0);
        let mut dot: FxHashMap<u32, f64> = FxHashMap::default();
        for &(p, x) in own {
            for &(v, y) in self.by_product.get(&p).map_or(&[][..], Vec::as_slice) {
                *dot.entry(v).or_default() += x * y;
            }
        }
        let dist: Vec<(u32, f64)> = (0..self.vectors.len())
            .filter(|&v| v != u)
            .map(|v| {
                let d = own_norm + self.norms.get(v).copied().unwrap_or(0.0)
                    - 2.0 * dot.get(&(v as u32)).copied().unwrap_or(0.0);
                // by_weight_desc sorts high first: negate the distance.
                (v as u32, -d)
            })
            .collect();
        let nn: Vec<u32> = by_weight_desc(&dist).into_iter().take(self.cfg.neighbours).collect();
        let mut score: FxHashMap<u32, f64> = FxHashMap::default();
        for &(p, x) in own {
            *score.entry(p).or_default() += self.cfg.alpha * x;
        }
        if !nn.is_empty() {
            let share = (1.0 - self.cfg.alpha) / nn.len() as f64;
            for &v in &nn {
                for &(p, y) in self.vectors.get(v as usize).map_or(&[][..], Vec::as_slice) {
                    *score.entry(p).or_default() += share * y;
                }
            }
        }
        let weights: Vec<(u32, f64)> = score.into_iter().collect();
        pad(by_weight_desc(&weights).into_iter().take(k).collect(), global, k)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::cli::split::{baskets, tests::row};
    use crate::engine::policy::{PolicyPreset, Settings};

    fn fixture() -> Baskets {
        let r = |l, c, p, d: &str| row(l, c, p, &format!("2011-01-{d} 10:00:00"), 1.0);
        let rows = vec![
            r(2, "u1", "a", "01"),
            r(3, "u1", "b", "01"),
            r(4, "u1", "a", "02"),
            r(5, "u1", "c", "03"),
            r(6, "u2", "c", "01"),
            r(7, "u2", "x", "02"),
            r(8, "u2", "c", "03"),
            r(9, "u3", "c", "01"),
            r(10, "u3", "e", "01"),
        ];
        baskets(&rows, &Settings::preset(PolicyPreset::Balanced))
    }

    fn ids(b: &Baskets, list: &[u32]) -> Vec<String> {
        list.iter().map(|&p| b.products.id(p).to_string()).collect()
    }

    #[test]
    fn g_topfreq_counts_baskets() {
        let b = fixture();
        // c is in 4 baskets, a in 2, then b, x, e (not "d": that is the discount code) (1 each, first seen first).
        assert_eq!(ids(&b, &g_topfreq(&b, 10)), ["c", "a", "b", "x", "e"]);
    }

    #[test]
    fn p_topfreq_breaks_ties_by_recency_and_pads() {
        let b = fixture();
        let g = g_topfreq(&b, 10);
        // u1: a twice; b (basket 0) and c (basket 2) once each: c is more recent. Padded with x, e.
        assert_eq!(ids(&b, &p_topfreq(b.of("u1"), &g, 5)), ["a", "c", "b", "x", "e"]);
        assert_eq!(ids(&b, &p_topfreq(&[], &g, 2)), ["c", "a"]);
    }

    #[test]
    fn tifu_vector_decays_within_and_across_groups() {
        let b = fixture();
        let cfg = Tifu { groups: 2, ..Tifu::default() };
        // u1 has 3 baskets → groups [ {a,b} ], [ {a}, {c} ]; group weights 0.7/2 and 1/2.
        let v: FxHashMap<u32, f64> = cfg.user_vector(b.of("u1")).into_iter().collect();
        let p = |id: &str| b.products.get(id).unwrap();
        let close = |x: f64, y: f64| (x - y).abs() < 1e-12;
        assert!(close(v[&p("b")], 0.35));
        assert!(close(v[&p("a")], 0.35 + 0.5 * 0.9 / 2.0));
        assert!(close(v[&p("c")], 0.5 / 2.0));
    }

    #[test]
    fn tifu_blends_the_nearest_customers() {
        let b = fixture();
        let g = g_topfreq(&b, 10);
        let ix = TifuIndex::build(&b, Tifu { neighbours: 1, ..Tifu::default() });
        // u3 {c, e}: its nearest customer is u2 ({c, x}), so x is suggested after its own products; a never is.
        let list = ids(&b, &ix.recommend(2, &g, 3));
        assert_eq!(&list[..2], ["c", "e"]);
        assert_eq!(list[2], "x");
    }
}
