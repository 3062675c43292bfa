//! Stage 3, candidates: where to look, from indexes — the shopper's own products, products of the shopper's top
//! categories, co-purchase neighbours of the history (model), the product page's seed and the cart, stated interests,
//! new arrivals and popular items. A small catalog (≤ `SMALL_CATALOG` products) is scored whole; a large one never is.

use crate::engine::catalog::{BitSet, Catalog, Pid, NONE};
use crate::engine::model::ModelIndex;
use crate::engine::prefs::Prefs;
use crate::engine::stages::profile::Taste;
use crate::util::order::by_weight_desc;
use rustc_hash::FxHashMap;

/// Catalogs up to this size are scored whole: cheaper than being clever.
pub const SMALL_CATALOG: usize = 3_000;
/// How many popular products join the candidates of a large catalog.
pub const POPULAR_CANDIDATES: usize = 500;
/// How many new arrivals join the candidates.
pub const NEW_CANDIDATES: usize = 200;
/// How many of the shopper's leaf categories contribute their products.
pub const TOP_LEAVES: usize = 12;
/// Products taken from one leaf category.
pub const PER_LEAF: usize = 200;

/// Reused between calls.
#[derive(Debug, Default)]
pub struct CandidateSet {
    pub list: Vec<Pid>,
    seen: BitSet,
}

impl CandidateSet {
    pub fn reset(&mut self, n: usize) {
        self.list.clear();
        self.seen.resize(n);
        self.seen.clear_all();
    }

    pub fn add(&mut self, p: Pid) {
        if !self.seen.get(p) {
            self.seen.set(p);
            self.list.push(p);
        }
    }
}

pub struct Sources<'a> {
    pub seed: Option<Pid>,
    pub cart: &'a [Pid],
    pub personal: bool,
    /// Never-bought products like the shopper's own (embedding neighbours; `score::alike`).
    pub alike: &'a FxHashMap<Pid, (f64, Pid)>,
}

pub fn gather(
    out: &mut CandidateSet,
    c: &Catalog,
    model: Option<&ModelIndex>,
    taste: &Taste,
    prefs: &Prefs,
    src: &Sources<'_>,
) {
    out.reset(c.len());
    if c.len() <= SMALL_CATALOG {
        for p in 0..c.len() as Pid {
            out.add(p);
        }
        return;
    }
    let mut leaves: Vec<u32> = Vec::new();
    if src.personal {
        let own = taste.products_by_weight();
        for &(p, _) in &own {
            out.add(p);
        }
        if let Some(m) = model {
            for &(p, _) in own.iter().take(50) {
                for &(q, _) in m.neighbours_of(p).iter().take(50) {
                    out.add(q);
                }
            }
        }
        let alike: Vec<(Pid, f64)> = src.alike.iter().map(|(&p, &(sim, _))| (p, sim)).collect();
        for p in by_weight_desc(&alike) {
            out.add(p);
        }
        let nodes: Vec<(u32, f64)> = taste
            .nodes
            .iter()
            .filter(|(n, _)| !c.by_leaf.get(**n as usize).is_none_or(Vec::is_empty))
            .map(|(n, w)| (*n, *w))
            .collect();
        leaves.extend(by_weight_desc(&nodes).into_iter().take(TOP_LEAVES));
        let interests: Vec<(u32, f64)> = prefs.interest_nodes.iter().map(|&n| (n, 0.0)).collect();
        for node in by_weight_desc(&interests) {
            leaves.extend(c.leaves_under(node));
        }
    }
    for &p in src.seed.iter().chain(src.cart) {
        let leaf = c.leaf_of(p);
        if leaf != NONE {
            leaves.push(leaf);
        }
        if let Some(m) = model {
            for &(q, _) in m.neighbours_of(p).iter().take(100) {
                out.add(q);
            }
        }
    }
    for leaf in leaves {
        for &p in c.by_leaf.get(leaf as usize).map_or(&[][..], Vec::as_slice).iter().take(PER_LEAF) {
            out.add(p);
        }
    }
    for &p in c.by_launch.iter().take(NEW_CANDIDATES) {
        out.add(p);
    }
    match model {
        Some(m) if !m.popular.is_empty() => {
            for &p in m.popular.iter().take(POPULAR_CANDIDATES) {
                out.add(p);
            }
        }
        // Without a model, the catalog's own order stands in for popularity.
        _ => {
            for p in 0..POPULAR_CANDIDATES.min(c.len()) as Pid {
                out.add(p);
            }
        }
    }
}
