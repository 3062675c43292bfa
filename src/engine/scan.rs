//! The discovery scan: one contiguous pass over the model's embeddings for all of the shopper's query vectors at
//! once, keeping a bounded top-k. No hash lookup per product: which products to skip is a bitset, which have an
//! embedding a flat array.
//!
//! The dot product is summed in four lanes (lane `l` takes elements `4i + l`), the lanes added as
//! `(l0 + l1) + (l2 + l3)`, then any tail elements in order. In the wasm build the scan's two functions enable
//! `simd128` themselves (every current browser engine has WebAssembly SIMD; scripts/build.sh passes `--enable-simd`
//! to wasm-opt) and do this with `f32x4` vectors; the rest of the module is compiled without SIMD, which measured
//! smaller. Every other build does the same sums one float at a time, so both give the same bits (no fused
//! multiply-add on either side).

use crate::engine::catalog::{BitSet, Pid};
use crate::util::order::{f64_desc, sort_keys, Key};

/// One hit of the scan: the product, its best dot product over the queries, and the index of that query (the first
/// query reaching it, on ties).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub p: Pid,
    pub sim: f32,
    pub query: u32,
}

/// The dot product of `a` and `b` (same length), four lanes at a time.
#[cfg(not(target_arch = "wasm32"))]
#[inline(always)] // the scan's inner loop: measured slower when the size-optimised build declines to inline it
#[allow(clippy::inline_always)]
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    dot_scalar(a, b)
}

/// The dot product of `a` and `b` (same length), four lanes at a time.
#[cfg(target_arch = "wasm32")]
#[target_feature(enable = "simd128")]
#[inline]
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    use core::arch::wasm32::{f32x4, f32x4_add, f32x4_extract_lane, f32x4_mul, v128, v128_load};
    let mut acc = f32x4(0.0, 0.0, 0.0, 0.0);
    let (ca, cb) = (a.chunks_exact(4), b.chunks_exact(4));
    let (ta, tb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        // SAFETY: `x` and `y` are chunks of exactly four `f32`s, 16 readable bytes each; `v128.load` needs no
        // alignment. (Building the vectors lane by lane compiles to four loads each.)
        #[allow(clippy::cast_ptr_alignment)] // `v128.load` reads unaligned memory, as the SAFETY note says
        let (vx, vy) = unsafe { (v128_load(x.as_ptr().cast::<v128>()), v128_load(y.as_ptr().cast::<v128>())) };
        acc = f32x4_add(acc, f32x4_mul(vx, vy));
    }
    let lanes = (f32x4_extract_lane::<0>(acc) + f32x4_extract_lane::<1>(acc))
        + (f32x4_extract_lane::<2>(acc) + f32x4_extract_lane::<3>(acc));
    ta.iter().zip(tb).fold(lanes, |s, (x, y)| s + x * y)
}

/// The portable form of [`dot`], with the same order of sums; the SIMD form is tested against it. Written with
/// four named accumulators and slice patterns so that it is fast even in the size-optimised (`opt-level = "z"`)
/// release build.
#[inline(always)] // inside the scan's inner loop, as `dot`
#[allow(clippy::inline_always)]
pub fn dot_scalar(a: &[f32], b: &[f32]) -> f32 {
    let (mut l0, mut l1, mut l2, mut l3) = (0.0f32, 0.0f32, 0.0f32, 0.0f32);
    let (ca, cb) = (a.chunks_exact(4), b.chunks_exact(4));
    let (ta, tb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        if let (&[x0, x1, x2, x3], &[y0, y1, y2, y3]) = (x, y) {
            l0 += x0 * y0;
            l1 += x1 * y1;
            l2 += x2 * y2;
            l3 += x3 * y3;
        }
    }
    let lanes = (l0 + l1) + (l2 + l3);
    ta.iter().zip(tb).fold(lanes, |s, (x, y)| s + x * y)
}

/// The at most `k` products whose best dot product with any of `queries` (`dim` floats each, contiguous) is at least
/// `min`, best first (ties: lower product first). `rows` is `dim` floats per product; products without an embedding
/// (`has[p]` false) or in `skip` are passed over. A dot product must also be above zero to count.
#[cfg_attr(target_arch = "wasm32", target_feature(enable = "simd128"))]
pub fn top_k(rows: &[f32], dim: usize, has: &[bool], skip: &BitSet, queries: &[f32], min: f64, k: usize) -> Vec<Hit> {
    if dim == 0 || k == 0 || queries.len() < dim {
        return Vec::new();
    }
    // Bounded top k without a heap (one sort routine serves the whole engine, see `order.rs`): hits gather in a
    // buffer of at most 4k; when it fills, it is cut to the best k and the k-th best becomes the bar to pass.
    let mut keys: Vec<Key> = Vec::with_capacity(4 * k);
    let mut hits: Vec<Hit> = Vec::with_capacity(4 * k);
    let mut bar = min;
    for (p, (row, &present)) in rows.chunks_exact(dim).zip(has).enumerate() {
        let p = p as Pid;
        if !present || skip.get(p) {
            continue;
        }
        let mut best = 0.0f32;
        let mut which = u32::MAX;
        for (j, q) in queries.chunks_exact(dim).enumerate() {
            let d = dot(row, q);
            if d > best {
                best = d;
                which = j as u32;
            }
        }
        // Equal to the bar still enters: a tie is broken by product id at the end.
        if which == u32::MAX || f64::from(best) < bar {
            continue;
        }
        if keys.len() == 4 * k {
            cut(&mut keys, &mut hits, k);
            bar = hits.last().map_or(min, |h| f64::from(h.sim));
        }
        keys.push((f64_desc(f64::from(best)), u64::from(p), keys.len() as u32));
        hits.push(Hit { p, sim: best, query: which });
    }
    cut(&mut keys, &mut hits, k);
    hits
}

/// Keeps the best `k` of `hits` (keys index them), in order, best first.
fn cut(keys: &mut Vec<Key>, hits: &mut Vec<Hit>, k: usize) {
    sort_keys(keys);
    keys.truncate(k);
    let kept: Vec<Hit> = keys.iter().filter_map(|key| hits.get(key.2 as usize).copied()).collect();
    *hits = kept;
    for (i, key) in keys.iter_mut().enumerate() {
        key.2 = i as u32;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rng(seed: &mut u64) -> f32 {
        *seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((*seed >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0
    }

    /// The plain definition the scan must match: every product, every query, sorted at the end.
    fn naive(rows: &[f32], dim: usize, has: &[bool], skip: &BitSet, queries: &[f32], min: f64, k: usize) -> Vec<Hit> {
        let mut all: Vec<Hit> = Vec::new();
        for (p, row) in rows.chunks_exact(dim).enumerate() {
            if !has[p] || skip.get(p as u32) {
                continue;
            }
            let mut best = (0.0f32, u32::MAX);
            for (j, q) in queries.chunks_exact(dim).enumerate() {
                let d = dot_scalar(row, q);
                if d > best.0 {
                    best = (d, j as u32);
                }
            }
            if best.1 != u32::MAX && f64::from(best.0) >= min {
                all.push(Hit { p: p as u32, sim: best.0, query: best.1 });
            }
        }
        all.sort_by(|a, b| b.sim.total_cmp(&a.sim).then(a.p.cmp(&b.p)));
        all.truncate(k);
        all
    }

    #[test]
    fn simd_and_scalar_dot_products_agree_bit_for_bit() {
        let mut seed = 3;
        for dim in [1usize, 3, 4, 7, 8, 32, 33, 64] {
            for _ in 0..50 {
                let a: Vec<f32> = (0..dim).map(|_| rng(&mut seed)).collect();
                let b: Vec<f32> = (0..dim).map(|_| rng(&mut seed)).collect();
                assert_eq!(dot(&a, &b).to_bits(), dot_scalar(&a, &b).to_bits(), "dim {dim}");
                let plain: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
                assert!((dot(&a, &b) - plain).abs() < 1e-4, "dim {dim}: {} vs {plain}", dot(&a, &b));
            }
        }
    }

    #[test]
    fn the_bounded_heap_keeps_the_exact_top_k() {
        let mut seed = 11;
        for (n, dim, nq, k) in
            [(500usize, 8usize, 3usize, 20usize), (2000, 32, 20, 200), (50, 5, 1, 100), (300, 4, 2, 1)]
        {
            let rows: Vec<f32> = (0..n * dim).map(|_| rng(&mut seed)).collect();
            let queries: Vec<f32> = (0..nq * dim).map(|_| rng(&mut seed)).collect();
            let has: Vec<bool> = (0..n).map(|p| p % 7 != 3).collect();
            let mut skip = BitSet::with_len(n);
            for p in (0..n as u32).step_by(11) {
                skip.set(p);
            }
            let got = top_k(&rows, dim, &has, &skip, &queries, 0.1, k);
            let want = naive(&rows, dim, &has, &skip, &queries, 0.1, k);
            assert!(!want.is_empty());
            assert_eq!(got, want, "n {n} dim {dim} queries {nq} k {k}");
        }
    }

    #[test]
    fn nothing_to_scan_is_nothing_found() {
        let skip = BitSet::with_len(2);
        assert!(top_k(&[1.0, 0.0, 0.0, 1.0], 2, &[true, true], &skip, &[], 0.0, 5).is_empty());
        assert!(top_k(&[1.0, 0.0, 0.0, 1.0], 0, &[true, true], &skip, &[1.0], 0.0, 5).is_empty());
        // Negative and zero dot products never count, whatever the threshold.
        assert!(top_k(&[-1.0, 0.0, 0.0, 0.0], 2, &[true, true], &skip, &[1.0, 0.0], -5.0, 5).is_empty());
    }
}
