//! `tactful model build`: the aggregate model from all orders — popularity, co-purchase neighbours with weights,
//! trending, and item embeddings learned from co-purchases (truncated SVD of a PPMI matrix).
//!
//! Privacy: a pair of products is kept only when at least `min_customers` distinct customers bought both
//! (k-anonymity), and embeddings are learned from the kept pairs only, so they say nothing the pairs do not.

use crate::cli::split::Baskets;
use crate::cli::svd;
use crate::engine::model::{Model, MODEL_VERSION};
use crate::util::order::by_weight_desc;
use rustc_hash::FxHashMap;

/// The default `--min-customers`: a pair must be supported by at least 5 distinct customers. 50 (Protected
/// Audience's threshold) suits a marketplace, but in a shop with ~1,000 customers almost no pair reaches it; 5 is the
/// smallest group size commonly used for released aggregates and keeps most of a small shop's catalog connected.
pub const DEFAULT_MIN_CUSTOMERS: u32 = 5;

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub min_customers: u32,
    /// Neighbours kept per product.
    pub max_neighbours: usize,
    /// Embedding dimensions (0 = none; at most 64).
    pub dim: usize,
    /// A customer contributes pairs among at most this many of their products (the most recently bought), so one
    /// wholesaler with 2,000 products cannot dominate the pairs (or the memory).
    pub per_customer: usize,
    /// Trending compares the last this-many days of the data with the whole.
    pub trend_days: i64,
    /// Weight of a description token's edge (× its inverse document frequency) against the co-purchase PPMI.
    pub text_weight: f64,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            min_customers: DEFAULT_MIN_CUSTOMERS,
            max_neighbours: 50,
            dim: 32,
            per_customer: 300,
            trend_days: 28,
            text_weight: 0.5,
        }
    }
}

fn round4(v: f64) -> f64 {
    (v * 1e4).round() / 1e4
}

/// Words of a product title worth comparing: letters only, at least 3 of them, upper-cased.
pub fn tokens(title: &str) -> impl Iterator<Item = String> + '_ {
    title.split(|c: char| !c.is_alphabetic()).filter(|w| w.chars().count() >= 3).map(str::to_uppercase)
}

/// Builds the model from baskets; `titles[p]` is product `p`'s description (may be empty).
pub fn build(b: &Baskets, titles: &[String], opts: &BuildOptions) -> Model {
    let (popularity, trending) = popularity_and_trending(b, opts);
    let (neighbours, ppmi) = co_purchases(b, opts);
    let dim = opts.dim.min(64);
    let embeddings = embeddings(b, titles, &ppmi, dim, opts);
    let repeat = repeat_rates(b, opts.min_customers);
    Model {
        version: MODEL_VERSION,
        min_customers: opts.min_customers,
        popularity,
        trending,
        repeat,
        neighbours,
        dim: if embeddings.is_empty() { 0 } else { dim as u32 },
        embeddings,
    }
}

/// Popularity (share of baskets, strongest first) and trending (recent share over long-run share, for products in at
/// least 3 recent baskets).
#[allow(clippy::type_complexity)] // the two lists exactly as the model stores them
fn popularity_and_trending(b: &Baskets, opts: &BuildOptions) -> (Vec<(String, f64)>, Vec<(String, f64)>) {
    let n_products = b.products.len();
    let mut in_baskets = vec![0u32; n_products];
    let mut recent = vec![0u32; n_products];
    let last_at = b.by_customer.iter().flatten().map(|x| x.at).max().unwrap_or(0);
    let since = last_at - opts.trend_days * 86_400_000;
    let (mut total, mut total_recent) = (0u32, 0u32);
    for basket in b.by_customer.iter().flatten() {
        total += 1;
        let is_recent = basket.at > since;
        total_recent += u32::from(is_recent);
        for &p in &basket.items {
            if let Some(c) = in_baskets.get_mut(p as usize) {
                *c += 1;
            }
            if is_recent {
                if let Some(c) = recent.get_mut(p as usize) {
                    *c += 1;
                }
            }
        }
    }
    let pop: Vec<(u32, f64)> = in_baskets
        .iter()
        .enumerate()
        .filter(|(_, &c)| c > 0)
        .map(|(p, &c)| (p as u32, f64::from(c) / f64::from(total.max(1))))
        .collect();
    let popularity = by_weight_desc(&pop)
        .into_iter()
        .filter_map(|p| pop.iter().find(|x| x.0 == p).map(|x| (b.products.id(p).to_string(), round4(x.1).max(1e-4))))
        .collect();
    let mut trending: Vec<(String, f64)> = Vec::new();
    if total_recent > 0 && total_recent < total {
        for (p, (&r, &all)) in recent.iter().zip(&in_baskets).enumerate() {
            if r >= 3 && all > 0 {
                let ratio = (f64::from(r) / f64::from(total_recent)) / (f64::from(all) / f64::from(total));
                trending.push((b.products.id(p as u32).to_string(), round4(ratio)));
            }
        }
    }
    (popularity, trending)
}

/// Co-purchases: each customer's most recent `per_customer` products paired, a pair kept when at least
/// `min_customers` distinct customers bought both (k-anonymity). Gives each product's neighbours (cosine, strongest
/// first) and the positive PMI matrix the embeddings factor.
#[allow(clippy::type_complexity)] // the neighbour lists exactly as the model stores them
fn co_purchases(b: &Baskets, opts: &BuildOptions) -> (Vec<(String, Vec<(String, f64)>)>, svd::SparseSym) {
    let n_products = b.products.len();
    let mut customers_of = vec![0u32; n_products];
    let mut pairs: FxHashMap<u64, u32> = FxHashMap::default();
    for baskets in &b.by_customer {
        let mut last: FxHashMap<u32, i64> = FxHashMap::default();
        for basket in baskets {
            for &p in &basket.items {
                last.insert(p, basket.at);
            }
        }
        let recency: Vec<(u32, f64)> = last.iter().map(|(&p, &at)| (p, at as f64)).collect();
        let mut own: Vec<u32> = by_weight_desc(&recency).into_iter().take(opts.per_customer).collect();
        own.sort_unstable();
        for (i, &p) in own.iter().enumerate() {
            if let Some(c) = customers_of.get_mut(p as usize) {
                *c += 1;
            }
            for &q in own.iter().skip(i + 1) {
                *pairs.entry((u64::from(p) << 32) | u64::from(q)).or_default() += 1;
            }
        }
    }
    let n_customers = b.by_customer.iter().filter(|x| !x.is_empty()).count().max(1) as f64;
    let mut neigh: Vec<Vec<(u32, f64)>> = vec![Vec::new(); n_products];
    let mut ppmi: svd::SparseSym = vec![Vec::new(); n_products];
    let mut kept_pairs: Vec<(u64, u32)> = pairs.into_iter().filter(|&(_, c)| c >= opts.min_customers.max(1)).collect();
    kept_pairs.sort_unstable();
    for (key, c) in kept_pairs {
        let (p, q) = ((key >> 32) as u32, (key & 0xffff_ffff) as u32);
        let np = f64::from(customers_of.get(p as usize).copied().unwrap_or(1).max(1));
        let nq = f64::from(customers_of.get(q as usize).copied().unwrap_or(1).max(1));
        let c = f64::from(c);
        let cosine = c / (np * nq).sqrt();
        if let Some(l) = neigh.get_mut(p as usize) {
            l.push((q, cosine));
        }
        if let Some(l) = neigh.get_mut(q as usize) {
            l.push((p, cosine));
        }
        let pmi = (c * n_customers / (np * nq)).ln();
        if pmi > 0.0 {
            if let Some(l) = ppmi.get_mut(p as usize) {
                l.push((q, pmi));
            }
            if let Some(l) = ppmi.get_mut(q as usize) {
                l.push((p, pmi));
            }
        }
    }
    let mut neighbours: Vec<(String, Vec<(String, f64)>)> = Vec::new();
    for (p, list) in neigh.iter().enumerate() {
        if list.is_empty() {
            continue;
        }
        let kept: Vec<(String, f64)> = by_weight_desc(list.as_slice())
            .into_iter()
            .take(opts.max_neighbours)
            .filter_map(|q| list.iter().find(|x| x.0 == q).map(|x| (b.products.id(q).to_string(), round4(x.1))))
            .filter(|x| x.1 > 0.0)
            .collect();
        neighbours.push((b.products.id(p as u32).to_string(), kept));
    }
    (neighbours, ppmi)
}

/// Embeddings: a truncated SVD of one PPMI matrix over products and description tokens, so products that are
/// bought together, or described alike (variants of one design), land close. Titles are public, so the text edges
/// reveal nothing; product–product edges are the kept pairs only.
fn embeddings(
    b: &Baskets,
    titles: &[String],
    ppmi: &svd::SparseSym,
    dim: usize,
    opts: &BuildOptions,
) -> Vec<(String, Vec<f32>)> {
    let n_products = b.products.len();
    let mut embeddings: Vec<(String, Vec<f32>)> = Vec::new();
    if dim == 0 {
        return embeddings;
    }
    let mut token_ids: FxHashMap<String, u32> = FxHashMap::default();
    let mut product_tokens: Vec<Vec<u32>> = vec![Vec::new(); n_products];
    for (p, toks) in product_tokens.iter_mut().enumerate() {
        for t in tokens(titles.get(p).map_or("", String::as_str)) {
            let next = token_ids.len() as u32;
            let id = *token_ids.entry(t).or_insert(next);
            if !toks.contains(&id) {
                toks.push(id);
            }
        }
    }
    let mut df = vec![0u32; token_ids.len()];
    for toks in &product_tokens {
        for &t in toks {
            if let Some(d) = df.get_mut(t as usize) {
                *d += 1;
            }
        }
    }
    let members: Vec<u32> = (0..n_products as u32)
        .filter(|&p| {
            ppmi.get(p as usize).is_some_and(|l| !l.is_empty())
                || product_tokens.get(p as usize).is_some_and(|t| !t.is_empty())
        })
        .collect();
    let local: FxHashMap<u32, u32> = members.iter().enumerate().map(|(i, &p)| (p, i as u32)).collect();
    let n_members = members.len() as u32;
    let mut m: svd::SparseSym = members
        .iter()
        .map(|&p| {
            ppmi.get(p as usize)
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .filter_map(|&(q, v)| Some((*local.get(&q)?, v)))
                .collect()
        })
        .collect();
    m.resize(members.len() + token_ids.len(), Vec::new());
    let n_docs = n_products.max(1) as f64;
    for (i, &p) in members.iter().enumerate() {
        for &t in product_tokens.get(p as usize).map_or(&[][..], Vec::as_slice) {
            let d = f64::from(df.get(t as usize).copied().unwrap_or(1));
            // A token on one product links nothing; on every product it says nothing.
            if d < 2.0 || d > n_docs / 20.0 {
                continue;
            }
            let v = opts.text_weight * (n_docs / d).ln();
            let row = n_members + t;
            if let Some(r) = m.get_mut(i) {
                r.push((row, v));
            }
            if let Some(r) = m.get_mut(row as usize) {
                r.push((i as u32, v));
            }
        }
    }
    if m.len() > dim {
        let e = svd::embed(&m, dim, 4, 0x07ac_7f01);
        for (i, &p) in members.iter().enumerate() {
            let row = e.get(i * dim..(i + 1) * dim).unwrap_or(&[]);
            let norm = row.iter().map(|x| x * x).sum::<f64>().sqrt();
            if norm > 1e-9 {
                embeddings.push((b.products.id(p).to_string(), row.iter().map(|x| round4(x / norm) as f32).collect()));
            }
        }
    }
    embeddings
}

/// How many prior customers the overall rate counts as, when a product's own rate is smoothed toward it.
pub const REPEAT_PRIOR_CUSTOMERS: f64 = 5.0;

/// Repeat propensity: of the customers who bought a product and shopped again afterwards, the share who bought it
/// again (smoothed toward the overall rate). Products with fewer such customers than `min_customers` are left out
/// (k-anonymity, as for pairs); the engine uses the overall mean for them.
pub fn repeat_rates(b: &Baskets, min_customers: u32) -> Vec<(String, f64)> {
    let n = b.products.len();
    let (mut again, mut chances) = (vec![0u32; n], vec![0u32; n]);
    for baskets in &b.by_customer {
        let mut first: FxHashMap<u32, usize> = FxHashMap::default();
        let mut rebought: rustc_hash::FxHashSet<u32> = rustc_hash::FxHashSet::default();
        for (i, basket) in baskets.iter().enumerate() {
            for &p in &basket.items {
                match first.get(&p) {
                    Some(&f) if i > f => {
                        rebought.insert(p);
                    }
                    Some(_) => {}
                    None => {
                        first.insert(p, i);
                    }
                }
            }
        }
        for (&p, &f) in &first {
            if f + 1 < baskets.len() {
                if let Some(c) = chances.get_mut(p as usize) {
                    *c += 1;
                }
                if rebought.contains(&p) {
                    if let Some(a) = again.get_mut(p as usize) {
                        *a += 1;
                    }
                }
            }
        }
    }
    let (sa, sc): (u32, u32) = (again.iter().sum(), chances.iter().sum());
    let overall = if sc > 0 { f64::from(sa) / f64::from(sc) } else { 0.0 };
    (0..n)
        .filter(|&p| chances.get(p).copied().unwrap_or(0) >= min_customers.max(1))
        .map(|p| {
            let (a, c) =
                (f64::from(again.get(p).copied().unwrap_or(0)), f64::from(chances.get(p).copied().unwrap_or(0)));
            (
                b.products.id(p as u32).to_string(),
                round4((a + REPEAT_PRIOR_CUSTOMERS * overall) / (c + REPEAT_PRIOR_CUSTOMERS)),
            )
        })
        .collect()
}

/// Each product's title, by the baskets' product index (the first description seen).
pub fn titles(b: &Baskets, rows: &[crate::cli::read::Row]) -> Vec<String> {
    let mut out = vec![String::new(); b.products.len()];
    for r in rows {
        if let (Some(p), Some(t)) = (b.products.get(&r.product), r.title.as_ref()) {
            if let Some(slot) = out.get_mut(p as usize).filter(|s| s.is_empty()) {
                slot.clone_from(t);
            }
        }
    }
    out
}

/// The model as JSON, the shape `new Engine(products, { model })` reads.
pub fn to_json(m: &Model) -> Result<String, String> {
    serde_json::to_string(m).map_err(|e| e.to_string())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::cli::split::{baskets, tests::row};
    use crate::engine::policy::{PolicyPreset, Settings};

    #[test]
    fn pairs_below_min_customers_are_dropped() {
        let mut rows = Vec::new();
        let mut line = 2;
        // a+b bought by 3 customers, a+c by 1.
        for (c, items) in [("u1", vec!["a", "b", "c"]), ("u2", vec!["a", "b"]), ("u3", vec!["a", "b"])] {
            for p in items {
                rows.push(row(line, c, p, "2011-01-01 10:00:00", 1.0));
                line += 1;
            }
        }
        let b = baskets(&rows, &Settings::preset(PolicyPreset::Balanced));
        let m = build(&b, &[], &BuildOptions { min_customers: 2, dim: 0, ..BuildOptions::default() });
        let of = |id: &str| m.neighbours.iter().find(|x| x.0 == id).map(|x| x.1.clone()).unwrap_or_default();
        assert_eq!(of("a"), vec![("b".to_string(), 1.0)]);
        assert!(of("c").is_empty());
        assert_eq!(m.popularity[0].0, "a");
        assert_eq!(m.min_customers, 2);
        let m = build(&b, &[], &BuildOptions { min_customers: 4, dim: 0, ..BuildOptions::default() });
        assert!(m.neighbours.is_empty());
    }
}
