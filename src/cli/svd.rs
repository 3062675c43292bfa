//! A small truncated eigen-decomposition of a symmetric sparse matrix by randomized subspace iteration (Halko,
//! Martinsson & Tropp 2011): multiply a random block by the matrix a few times, orthonormalise, and solve the small
//! projected problem with Jacobi rotations. For a PPMI matrix (symmetric) this is its truncated SVD up to signs.
//! Deterministic: the random block comes from a fixed seed.

use crate::util::mix::mix;

/// Symmetric sparse matrix: row → (column, value), both halves stored.
pub type SparseSym = Vec<Vec<(u32, f64)>>;

/// Dense column-major block: `cols` columns of length `n`.
struct Block {
    n: usize,
    cols: Vec<Vec<f64>>,
}

fn multiply(m: &SparseSym, b: &Block) -> Block {
    let cols = b
        .cols
        .iter()
        .map(|col| {
            m.iter()
                .map(|row| row.iter().map(|&(j, v)| v * col.get(j as usize).copied().unwrap_or(0.0)).sum())
                .collect()
        })
        .collect();
    Block { n: b.n, cols }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Modified Gram–Schmidt, twice for stability; columns that vanish are dropped.
fn orthonormalise(b: &mut Block) {
    for _ in 0..2 {
        let mut done: Vec<Vec<f64>> = Vec::with_capacity(b.cols.len());
        for mut col in std::mem::take(&mut b.cols) {
            for q in &done {
                let d = dot(&col, q);
                for (x, y) in col.iter_mut().zip(q) {
                    *x -= d * y;
                }
            }
            let norm = dot(&col, &col).sqrt();
            if norm > 1e-10 {
                for x in &mut col {
                    *x /= norm;
                }
                done.push(col);
            }
        }
        b.cols = done;
    }
}

/// Eigen-decomposition of a small dense symmetric matrix (row-major `l × l`) by cyclic Jacobi rotations:
/// (eigenvalues, eigenvectors as columns of a row-major matrix).
fn jacobi(mut a: Vec<f64>, l: usize) -> (Vec<f64>, Vec<f64>) {
    let mut v = vec![0.0; l * l];
    for i in 0..l {
        if let Some(x) = v.get_mut(i * l + i) {
            *x = 1.0;
        }
    }
    let at = |m: &Vec<f64>, i: usize, j: usize| m.get(i * l + j).copied().unwrap_or(0.0);
    for _sweep in 0..60 {
        let off: f64 = (0..l)
            .flat_map(|i| (0..l).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| at(&a, i, j).powi(2))
            .sum();
        if off < 1e-18 {
            break;
        }
        for p in 0..l {
            for q in (p + 1)..l {
                let apq = at(&a, p, q);
                if apq.abs() < 1e-15 {
                    continue;
                }
                let theta = (at(&a, q, q) - at(&a, p, p)) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..l {
                    let (akp, akq) = (at(&a, k, p), at(&a, k, q));
                    set(&mut a, l, k, p, c * akp - s * akq);
                    set(&mut a, l, k, q, s * akp + c * akq);
                }
                for k in 0..l {
                    let (apk, aqk) = (at(&a, p, k), at(&a, q, k));
                    set(&mut a, l, p, k, c * apk - s * aqk);
                    set(&mut a, l, q, k, s * apk + c * aqk);
                }
                for k in 0..l {
                    let (vkp, vkq) = (at(&v, k, p), at(&v, k, q));
                    set(&mut v, l, k, p, c * vkp - s * vkq);
                    set(&mut v, l, k, q, s * vkp + c * vkq);
                }
            }
        }
    }
    ((0..l).map(|i| at(&a, i, i)).collect(), v)
}

fn set(m: &mut [f64], l: usize, i: usize, j: usize, x: f64) {
    if let Some(slot) = m.get_mut(i * l + j) {
        *slot = x;
    }
}

/// The `dim` largest eigenpairs of `m` (n × n, symmetric): rows of `n × dim` vectors scaled by √|λ| (the usual
/// SVD embedding U·Σ^½), row-major.
pub fn embed(m: &SparseSym, dim: usize, iterations: usize, seed: u64) -> Vec<f64> {
    let n = m.len();
    let l = (dim + 10).min(n);
    if n == 0 || dim == 0 {
        return Vec::new();
    }
    let cols = (0..l)
        .map(|c| {
            (0..n)
                .map(|i| {
                    let r = mix(seed, (c * n + i) as u64);
                    (r >> 11) as f64 / (1u64 << 53) as f64 - 0.5
                })
                .collect()
        })
        .collect();
    let mut q = Block { n, cols };
    orthonormalise(&mut q);
    for _ in 0..iterations {
        q = multiply(m, &q);
        orthonormalise(&mut q);
    }
    let mq = multiply(m, &q);
    let l = q.cols.len();
    let mut small = vec![0.0; l * l];
    for i in 0..l {
        for j in 0..l {
            let (Some(a), Some(b)) = (q.cols.get(i), mq.cols.get(j)) else { continue };
            set(&mut small, l, i, j, dot(a, b));
        }
    }
    // Symmetrise against rounding.
    for i in 0..l {
        for j in (i + 1)..l {
            let avg =
                (small.get(i * l + j).copied().unwrap_or(0.0) + small.get(j * l + i).copied().unwrap_or(0.0)) / 2.0;
            set(&mut small, l, i, j, avg);
            set(&mut small, l, j, i, avg);
        }
    }
    let (values, vectors) = jacobi(small, l);
    let mut order: Vec<(u32, f64)> = values.iter().enumerate().map(|(i, v)| (i as u32, *v)).collect();
    order = crate::util::order::by_weight_desc(&order)
        .into_iter()
        .map(|i| (i, values.get(i as usize).copied().unwrap_or(0.0)))
        .collect();
    let mut out = vec![0.0; n * dim];
    for (d, &(e, lambda)) in order.iter().take(dim).enumerate() {
        let scale = lambda.max(0.0).sqrt();
        for i in 0..n {
            // u_i = Σ_k Q[i][k] · V[k][e]
            let u: f64 = (0..l)
                .map(|k| {
                    q.cols.get(k).and_then(|c| c.get(i)).copied().unwrap_or(0.0)
                        * vectors.get(k * l + e as usize).copied().unwrap_or(0.0)
                })
                .sum();
            if let Some(slot) = out.get_mut(i * dim + d) {
                *slot = u * scale;
            }
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn recovers_the_leading_eigenpairs_of_a_block_matrix() {
        // Two blocks: {0,1,2} all 1s (eigenvalue 3), {3,4} all 1s (eigenvalue 2).
        let mut m: SparseSym = vec![Vec::new(); 5];
        for (block, _) in [(vec![0u32, 1, 2], 3.0), (vec![3u32, 4], 2.0)] {
            for &i in &block {
                for &j in &block {
                    m[i as usize].push((j, 1.0));
                }
            }
        }
        let e = embed(&m, 2, 4, 7);
        // Row i's first coordinate is ±√3·(1/√3) = ±1 for the first block, 0 for the second.
        for i in 0..3 {
            assert!((e[i * 2].abs() - 1.0).abs() < 1e-6, "{e:?}");
            assert!(e[i * 2 + 1].abs() < 1e-6);
        }
        for i in 3..5 {
            assert!(e[i * 2].abs() < 1e-6);
            assert!((e[i * 2 + 1].abs() - 1.0).abs() < 1e-6, "{e:?}");
        }
        // Same products, same embedding: dot products reproduce the matrix.
        let d = |a: usize, b: usize| e[a * 2] * e[b * 2] + e[a * 2 + 1] * e[b * 2 + 1];
        assert!((d(0, 1) - 1.0).abs() < 1e-6 && d(0, 3).abs() < 1e-6);
    }
}
