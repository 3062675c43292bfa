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

/// Four `f32` lanes and the three operations the scan needs, for each kind of build: WebAssembly SIMD (`v128`), SSE
/// (part of every `x86_64`), and plain arrays elsewhere. Each gives the same bits: lane-wise IEEE multiply, then add
/// (never fused), and the lanes summed as `(l0 + l1) + (l2 + l3)`.
#[cfg(target_arch = "wasm32")]
mod lanes {
    use core::arch::wasm32::{f32x4_add, f32x4_extract_lane, f32x4_mul, f32x4_splat, v128, v128_load};
    pub type F4 = v128;
    #[target_feature(enable = "simd128")]
    #[inline]
    pub fn zero() -> F4 {
        f32x4_splat(0.0)
    }
    /// # Safety
    /// `p` points to four readable `f32`s (any alignment).
    #[target_feature(enable = "simd128")]
    #[inline]
    pub unsafe fn load(p: *const f32) -> F4 {
        // SAFETY: the caller's promise; `v128.load` needs no alignment.
        #[allow(clippy::cast_ptr_alignment)] // `v128.load` reads unaligned memory
        unsafe {
            v128_load(p.cast::<v128>())
        }
    }
    #[target_feature(enable = "simd128")]
    #[inline]
    pub fn mul_add(acc: F4, x: F4, y: F4) -> F4 {
        f32x4_add(acc, f32x4_mul(x, y))
    }
    #[target_feature(enable = "simd128")]
    #[inline]
    pub fn sum(a: F4) -> f32 {
        (f32x4_extract_lane::<0>(a) + f32x4_extract_lane::<1>(a))
            + (f32x4_extract_lane::<2>(a) + f32x4_extract_lane::<3>(a))
    }
}

#[cfg(target_arch = "x86_64")]
mod lanes {
    use core::arch::x86_64::{__m128, _mm_add_ps, _mm_loadu_ps, _mm_mul_ps, _mm_setzero_ps, _mm_storeu_ps};
    pub type F4 = __m128;
    #[inline(always)]
    #[allow(clippy::inline_always)] // the scan's inner loop, in a size-optimised build
    pub fn zero() -> F4 {
        // SAFETY: SSE is part of every x86_64.
        unsafe { _mm_setzero_ps() }
    }
    /// # Safety
    /// `p` points to four readable `f32`s (any alignment).
    #[inline(always)]
    #[allow(clippy::inline_always)]
    pub unsafe fn load(p: *const f32) -> F4 {
        // SAFETY: the caller's promise; `_mm_loadu_ps` needs no alignment.
        unsafe { _mm_loadu_ps(p) }
    }
    #[inline(always)]
    #[allow(clippy::inline_always)]
    pub fn mul_add(acc: F4, x: F4, y: F4) -> F4 {
        // SAFETY: SSE is part of every x86_64.
        unsafe { _mm_add_ps(acc, _mm_mul_ps(x, y)) }
    }
    #[inline(always)]
    #[allow(clippy::inline_always)]
    pub fn sum(a: F4) -> f32 {
        let mut l = [0.0f32; 4];
        // SAFETY: `l` is four writable `f32`s; `_mm_storeu_ps` needs no alignment.
        unsafe { _mm_storeu_ps(l.as_mut_ptr(), a) };
        let [l0, l1, l2, l3] = l;
        (l0 + l1) + (l2 + l3)
    }
}

#[cfg(not(any(target_arch = "wasm32", target_arch = "x86_64")))]
mod lanes {
    pub type F4 = [f32; 4];
    #[inline(always)]
    #[allow(clippy::inline_always)]
    pub fn zero() -> F4 {
        [0.0; 4]
    }
    /// # Safety
    /// `p` points to four readable `f32`s.
    #[inline(always)]
    #[allow(clippy::inline_always)]
    pub unsafe fn load(p: *const f32) -> F4 {
        // SAFETY: the caller's promise.
        unsafe { p.cast::<[f32; 4]>().read_unaligned() }
    }
    #[inline(always)]
    #[allow(clippy::inline_always)]
    pub fn mul_add(acc: F4, x: F4, y: F4) -> F4 {
        let [a0, a1, a2, a3] = acc;
        let [x0, x1, x2, x3] = x;
        let [y0, y1, y2, y3] = y;
        [a0 + x0 * y0, a1 + x1 * y1, a2 + x2 * y2, a3 + x3 * y3]
    }
    #[inline(always)]
    #[allow(clippy::inline_always)]
    pub fn sum(a: F4) -> f32 {
        let [l0, l1, l2, l3] = a;
        (l0 + l1) + (l2 + l3)
    }
}

/// The best dot product of `row` with any of `queries` and the index of the first query reaching it;
/// `(0.0, u32::MAX)` when none is above zero. Every sum is [`dot`]'s, lane for lane, so the result has the same bits;
/// the queries go four at a time, so each four-float chunk of the row is read once per four queries and the four sums
/// are independent chains.
///
/// Written with pointers, not iterators: the release build optimises for size (`opt-level = "z"`) and then keeps
/// iterator adapters as calls inside this loop, which measured several times slower.
///
/// # Safety
/// `row.len() == dim` and `queries.len()` is a multiple of `dim` (what `top_k` passes).
#[cfg_attr(target_arch = "wasm32", target_feature(enable = "simd128"))]
#[inline]
unsafe fn best_query(row: &[f32], queries: &[f32], dim: usize) -> (f32, u32) {
    use lanes::{load, mul_add, sum, zero};
    // The promise, checked wherever debug assertions are on (the tests and the fuzz builds, which may run without
    // AddressSanitizer): every pointer below stays inside `row` and `queries` exactly when it holds.
    debug_assert!(dim > 0 && row.len() == dim && queries.len() % dim == 0, "best_query: rows and queries of {dim}");
    let nq = queries.len() / dim;
    let whole = dim - dim % 4;
    let r = row.as_ptr();
    let q = queries.as_ptr();
    let (mut best, mut which) = (0.0f32, u32::MAX);
    let mut j = 0usize;
    // SAFETY (every pointer below): `r + c` for `c < dim` is inside `row`; query `j < nq` starts at `q + j * dim`
    // and has `dim` floats inside `queries`; four-float loads start at `c <= whole - 4`, so end at most at `dim`.
    unsafe {
        while j + 4 <= nq {
            let (q0, q1, q2, q3) = (q.add(j * dim), q.add((j + 1) * dim), q.add((j + 2) * dim), q.add((j + 3) * dim));
            let (mut a0, mut a1, mut a2, mut a3) = (zero(), zero(), zero(), zero());
            let mut c = 0;
            while c < whole {
                let x = load(r.add(c));
                a0 = mul_add(a0, x, load(q0.add(c)));
                a1 = mul_add(a1, x, load(q1.add(c)));
                a2 = mul_add(a2, x, load(q2.add(c)));
                a3 = mul_add(a3, x, load(q3.add(c)));
                c += 4;
            }
            let (mut d0, mut d1, mut d2, mut d3) = (sum(a0), sum(a1), sum(a2), sum(a3));
            while c < dim {
                let x = *r.add(c);
                d0 += x * *q0.add(c);
                d1 += x * *q1.add(c);
                d2 += x * *q2.add(c);
                d3 += x * *q3.add(c);
                c += 1;
            }
            for (k, d) in [d0, d1, d2, d3].into_iter().enumerate() {
                if d > best {
                    best = d;
                    which = (j + k) as u32;
                }
            }
            j += 4;
        }
        while j < nq {
            let qj = q.add(j * dim);
            let mut a = zero();
            let mut c = 0;
            while c < whole {
                a = mul_add(a, load(r.add(c)), load(qj.add(c)));
                c += 4;
            }
            let mut d = sum(a);
            while c < dim {
                d += *r.add(c) * *qj.add(c);
                c += 1;
            }
            if d > best {
                best = d;
                which = j as u32;
            }
            j += 1;
        }
    }
    (best, which)
}

/// The at most `k` products whose best dot product with any of `queries` (`dim` floats each, contiguous) is at least
/// `min`, best first (ties: lower product first). `rows` is `dim` floats per product; products without an embedding
/// (`has[p]` false) or in `skip` are passed over. A dot product must also be above zero to count.
#[cfg_attr(target_arch = "wasm32", target_feature(enable = "simd128"))]
pub fn top_k(rows: &[f32], dim: usize, has: &[bool], skip: &BitSet, queries: &[f32], min: f64, k: usize) -> Vec<Hit> {
    if dim == 0 || k == 0 || queries.len() < dim {
        return Vec::new();
    }
    // Whole queries only: `best_query` relies on it.
    let queries = queries.get(..queries.len() - queries.len() % dim).unwrap_or_default();
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
        // SAFETY: `row` is one `dim`-float chunk, and `queries` was cut to whole queries above.
        let (best, which) = unsafe { best_query(row, queries, dim) };
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
