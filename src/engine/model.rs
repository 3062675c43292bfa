//! The optional aggregate model, built offline from all orders (`tactful model build`): popularity, co-purchase
//! neighbours with weights, and item embeddings. Here it is indexed against the catalog once: product ids become
//! dense `Pid`s; entries for products the catalog does not hold are dropped.

use crate::contract::error::Error;
use crate::engine::catalog::{Catalog, Pid};
use serde::Serialize;

/// The version of the model format this build reads.
pub const MODEL_VERSION: u32 = 1;

/// A model as it crosses the boundary (plain object, or the packed bytes decoded into this).
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Model {
    pub version: u32,
    /// Pairs supported by fewer distinct customers than this were dropped when the model was built (k-anonymity).
    #[serde(default)]
    pub min_customers: u32,
    /// Product id → share of baskets (or any non-negative popularity; normalised to 0..1 on load).
    #[serde(default)]
    pub popularity: Vec<(String, f64)>,
    /// Product id → recent trend (ratio of recent to long-run popularity, ≥ 0); optional.
    #[serde(default)]
    pub trending: Vec<(String, f64)>,
    /// Product id → repeat propensity: the share of its buyers who bought it again when they came back (0..1);
    /// optional.
    #[serde(default)]
    pub repeat: Vec<(String, f64)>,
    /// Product id → neighbours `[id, weight]`, strongest first.
    #[serde(default)]
    pub neighbours: Vec<(String, Vec<(String, f64)>)>,
    /// Embedding dimension (0 when there are none).
    #[serde(default)]
    pub dim: u32,
    /// Product id → embedding of `dim` numbers.
    #[serde(default)]
    pub embeddings: Vec<(String, Vec<f32>)>,
}

/// The model indexed against one catalog.
#[derive(Debug, Default)]
pub struct ModelIndex {
    /// Popularity per product, 0..1 (the most popular is 1).
    pub popularity: Vec<f32>,
    /// Products by popularity, most popular first (only those with popularity > 0).
    pub popular: Vec<Pid>,
    pub trending: Vec<f32>,
    /// Repeat propensity per product; the model's mean where it has none (0 when the model has no rates at all).
    pub repeat: Vec<f32>,
    pub repeat_mean: f32,
    /// Neighbours of product `p`: `neighbours[neighbour_ends[p - 1]..neighbour_ends[p]]` (from 0 for the first), one
    /// array for the whole catalog.
    pub neighbour_ends: Vec<u32>,
    pub neighbours: Vec<(Pid, f32)>,
    pub dim: usize,
    /// `dim` floats per product, contiguous; zeros where a product has none.
    pub embeddings: Vec<f32>,
    pub has_embedding: Vec<bool>,
}

impl ModelIndex {
    pub fn build(m: &Model, c: &Catalog, root: &str) -> Result<ModelIndex, Error> {
        if m.version != MODEL_VERSION {
            return Err(Error::unsupported_version(
                format!("{root}.version"),
                format!("model version {} is not supported (this build reads {MODEL_VERSION})", m.version),
            ));
        }
        Self::build_any_version(m, c, root)
    }

    /// [`ModelIndex::build`] without the version check (the packed writer stores the version as given, for the
    /// reader to check).
    pub fn build_any_version(m: &Model, c: &Catalog, root: &str) -> Result<ModelIndex, Error> {
        let n = c.len();
        let mut ix = ModelIndex { popularity: vec![0.0; n], trending: vec![0.0; n], ..ModelIndex::default() };
        let max = m.popularity.iter().map(|(_, v)| *v).filter(|v| v.is_finite()).fold(0.0, f64::max);
        for (i, (id, v)) in m.popularity.iter().enumerate() {
            if !v.is_finite() || *v < 0.0 {
                return Err(Error::invalid(format!("{root}.popularity[{i}][1]"), "must be a finite number ≥ 0"));
            }
            if let (Some(p), true) = (c.pid(id), max > 0.0) {
                if let Some(slot) = ix.popularity.get_mut(p as usize) {
                    *slot = (*v / max) as f32;
                }
            }
        }
        for (id, v) in &m.trending {
            if let (Some(p), true) = (c.pid(id), v.is_finite()) {
                if let Some(slot) = ix.trending.get_mut(p as usize) {
                    *slot = v.max(0.0) as f32;
                }
            }
        }
        let rates: Vec<f64> = m.repeat.iter().map(|(_, v)| *v).filter(|v| v.is_finite() && *v >= 0.0).collect();
        ix.repeat_mean = if rates.is_empty() { 0.0 } else { (rates.iter().sum::<f64>() / rates.len() as f64) as f32 };
        ix.repeat = vec![ix.repeat_mean; n];
        for (id, v) in &m.repeat {
            if let (Some(p), true) = (c.pid(id), v.is_finite()) {
                if let Some(slot) = ix.repeat.get_mut(p as usize) {
                    // max/min, not clamp: clamp's assertion pulls float formatting into the wasm.
                    *slot = v.max(0.0).min(1.0) as f32;
                }
            }
        }
        // The last list given for a product counts.
        let mut list_of = vec![u32::MAX; n];
        for (i, (id, _)) in m.neighbours.iter().enumerate() {
            if let Some(slot) = c.pid(id).and_then(|p| list_of.get_mut(p as usize)) {
                *slot = i as u32;
            }
        }
        ix.neighbour_ends = Vec::with_capacity(n);
        for (p, &i) in list_of.iter().enumerate() {
            if let Some((_, list)) = m.neighbours.get(i as usize) {
                let mapped = list
                    .iter()
                    .filter(|(_, w)| w.is_finite() && *w > 0.0)
                    .filter_map(|(nid, w)| Some((c.pid(nid)?, *w as f32)))
                    .filter(|(q, _)| *q as usize != p);
                ix.neighbours.extend(mapped);
            }
            ix.neighbour_ends.push(ix.neighbours.len() as u32);
        }
        ix.dim = m.dim as usize;
        if ix.dim > 256 {
            return Err(Error::limit(format!("{root}.dim"), "at most 256 dimensions"));
        }
        if ix.dim > 0 {
            ix.embeddings = vec![0.0; n * ix.dim];
            ix.has_embedding = vec![false; n];
            for (i, (id, v)) in m.embeddings.iter().enumerate() {
                if v.len() != ix.dim {
                    return Err(Error::invalid(
                        format!("{root}.embeddings[{i}][1]"),
                        format!("expected {} numbers, got {}", ix.dim, v.len()),
                    ));
                }
                let Some(p) = c.pid(id) else { continue };
                let start = p as usize * ix.dim;
                if let Some(dst) = ix.embeddings.get_mut(start..start + ix.dim) {
                    dst.copy_from_slice(v);
                }
                if let Some(h) = ix.has_embedding.get_mut(p as usize) {
                    *h = true;
                }
            }
        }
        let popular: Vec<(Pid, f64)> =
            (0..n as Pid).map(|p| (p, f64::from(ix.pop(p)))).filter(|&(_, v)| v > 0.0).collect();
        ix.popular = crate::util::order::by_weight_desc(&popular);
        Ok(ix)
    }

    /// A model index from stored columns (the packed form), checked: lengths match the catalog's `n`, every number
    /// in its range, every reference a product, `popular` exactly the products with popularity in order. Errors carry
    /// the path `catalog.model`.
    pub fn from_parts(ix: ModelIndex, n: usize) -> Result<ModelIndex, Error> {
        let damaged = || Error::invalid("catalog.model", "packed catalog: damaged");
        let unit = |v: &f32| (0.0..=1.0).contains(v);
        let rate = |v: &f32| v.is_finite() && *v >= 0.0;
        let lengths = [ix.popularity.len(), ix.trending.len(), ix.repeat.len(), ix.neighbour_ends.len()];
        if lengths.iter().any(|&l| l != n)
            || !ix.popularity.iter().all(unit)
            || !ix.repeat.iter().all(rate)
            || !rate(&ix.repeat_mean)
            || !ix.trending.iter().all(rate)
        {
            return Err(damaged());
        }
        let mut start = 0u32;
        for (p, &end) in ix.neighbour_ends.iter().enumerate() {
            let list = ix.neighbours.get(start as usize..end as usize).ok_or_else(damaged)?;
            if list.iter().any(|&(q, w)| q as usize >= n || q as usize == p || !(w.is_finite() && w > 0.0)) {
                return Err(damaged());
            }
            start = end;
        }
        if start as usize != ix.neighbours.len() {
            return Err(damaged());
        }
        // `popular`: strictly in (popularity descending, pid) order, each with popularity > 0, as many as there are.
        let key = |p: Pid| (crate::util::order::f64_desc(f64::from(ix.pop(p))), p);
        let ordered = ix.popular.windows(2).all(|w| matches!(w, [a, b] if key(*a) < key(*b)));
        let with = ix.popularity.iter().filter(|v| **v > 0.0).count();
        if !ordered || ix.popular.len() != with || ix.popular.iter().any(|&p| ix.pop(p) <= 0.0) {
            return Err(damaged());
        }
        let dim = ix.dim;
        if dim > 256 || ix.embeddings.len() != if dim > 0 { n * dim } else { 0 } {
            return Err(damaged());
        }
        if (dim > 0 && ix.has_embedding.len() != n) || (dim == 0 && !ix.has_embedding.is_empty()) {
            return Err(damaged());
        }
        Ok(ix)
    }

    pub fn pop(&self, p: Pid) -> f32 {
        self.popularity.get(p as usize).copied().unwrap_or(0.0)
    }

    pub fn trend(&self, p: Pid) -> f32 {
        self.trending.get(p as usize).copied().unwrap_or(0.0)
    }

    /// How much more (or less) likely than the average product `p` is bought again: its repeat propensity over the
    /// model's mean, within 0.25..4; 1 without rates.
    pub fn repeat_lift(&self, p: Pid) -> f64 {
        let mean = f64::from(self.repeat_mean);
        if mean <= 0.0 {
            return 1.0;
        }
        let r = f64::from(self.repeat.get(p as usize).copied().unwrap_or(self.repeat_mean));
        (r / mean).max(0.25).min(4.0)
    }

    pub fn neighbours_of(&self, p: Pid) -> &[(Pid, f32)] {
        let p = p as usize;
        let start = if p == 0 { Some(0) } else { self.neighbour_ends.get(p - 1).copied() };
        match (start, self.neighbour_ends.get(p)) {
            (Some(a), Some(&b)) => self.neighbours.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    pub fn embedding(&self, p: Pid) -> Option<&[f32]> {
        if !self.has_embedding.get(p as usize).copied().unwrap_or(false) {
            return None;
        }
        let start = p as usize * self.dim;
        self.embeddings.get(start..start + self.dim)
    }
}
