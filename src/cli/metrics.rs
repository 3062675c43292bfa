//! The protocol's metrics (EVALUATION.md), per customer so differences can be paired.

/// One customer's scores for one list at one k. `repeat` / `explore` are `None` when the target has no such item.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CaseScore {
    pub recall: f64,
    pub ndcg: f64,
    pub hit: f64,
    pub repeat: Option<f64>,
    pub explore: Option<f64>,
}

/// Scores the first `k` of `ranked` against `target` (distinct products); `bought_before` says which products the
/// customer bought in their history.
pub fn score_case(ranked: &[&str], target: &[&str], k: usize, bought_before: &dyn Fn(&str) -> bool) -> CaseScore {
    let top: Vec<&str> = ranked.iter().take(k).copied().collect();
    let is_target = |p: &str| target.contains(&p);
    let hits = top.iter().filter(|p| is_target(p)).count() as f64;
    let n = target.len() as f64;
    let dcg: f64 =
        top.iter().enumerate().filter(|(_, p)| is_target(p)).map(|(i, _)| 1.0 / ((i as f64) + 2.0).log2()).sum();
    let ideal: f64 = (0..target.len().min(k)).map(|i| 1.0 / ((i as f64) + 2.0).log2()).sum();
    let part = |want_repeat: bool| -> Option<f64> {
        let sub: Vec<&str> = target.iter().copied().filter(|p| bought_before(p) == want_repeat).collect();
        if sub.is_empty() {
            return None;
        }
        let h = top.iter().filter(|p| sub.contains(p)).count() as f64;
        Some(h / sub.len() as f64)
    };
    CaseScore {
        recall: if n > 0.0 { hits / n } else { 0.0 },
        ndcg: if ideal > 0.0 { dcg / ideal } else { 0.0 },
        hit: if hits > 0.0 { 1.0 } else { 0.0 },
        repeat: part(true),
        explore: part(false),
    }
}

/// Mean of the values present.
pub fn mean(v: &[f64]) -> f64 {
    if v.is_empty() {
        0.0
    } else {
        v.iter().sum::<f64>() / v.len() as f64
    }
}

/// A paired difference: mean of per-customer differences with a normal 95 % interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Paired {
    pub mean: f64,
    pub low: f64,
    pub high: f64,
    pub n: usize,
}

/// Paired difference of `a − b` over the customers where both are present.
pub fn paired(a: &[Option<f64>], b: &[Option<f64>]) -> Paired {
    let d: Vec<f64> = a.iter().zip(b).filter_map(|(x, y)| Some((*x)? - (*y)?)).collect();
    let n = d.len();
    let m = mean(&d);
    if n < 2 {
        return Paired { mean: m, low: m, high: m, n };
    }
    let var = d.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n as f64 - 1.0);
    let half = 1.96 * (var / n as f64).sqrt();
    Paired { mean: m, low: m - half, high: m + half, n }
}

/// Share of `catalog_size` products that appear in anyone's top-k.
pub fn coverage<'a>(lists: impl Iterator<Item = &'a [String]>, k: usize, catalog_size: usize) -> f64 {
    let mut seen: rustc_hash::FxHashSet<&str> = rustc_hash::FxHashSet::default();
    for l in lists {
        for p in l.iter().take(k) {
            seen.insert(p.as_str());
        }
    }
    if catalog_size == 0 {
        0.0
    } else {
        seen.len() as f64 / catalog_size as f64
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn recall_ndcg_hit_and_repeat_explore_by_hand() {
        // Target {a, b, c}; a bought before. List: x, a, y, c. At k = 4: hits at ranks 2 and 4.
        let before = |p: &str| p == "a";
        let s = score_case(&["x", "a", "y", "c"], &["a", "b", "c"], 4, &before);
        assert!(close(s.recall, 2.0 / 3.0));
        let dcg = 1.0 / 3f64.log2() + 1.0 / 5f64.log2();
        let idcg = 1.0 + 1.0 / 3f64.log2() + 0.5;
        assert!(close(s.ndcg, dcg / idcg));
        assert_eq!(s.hit, 1.0);
        assert_eq!(s.repeat, Some(1.0));
        assert!(close(s.explore.unwrap(), 0.5));
        // At k = 1 nothing is hit; ideal DCG uses min(|target|, k) = 1.
        let s = score_case(&["x", "a"], &["a", "b", "c"], 1, &before);
        assert_eq!((s.recall, s.ndcg, s.hit), (0.0, 0.0, 0.0));
        // A perfect list has NDCG 1 even when the target is larger than k.
        let s = score_case(&["a", "b"], &["a", "b", "c"], 2, &|_| false);
        assert!(close(s.ndcg, 1.0));
        assert_eq!(s.repeat, None);
    }

    #[test]
    fn paired_interval_and_coverage() {
        let a = [Some(1.0), Some(0.5), Some(0.0), None];
        let b = [Some(0.0), Some(0.5), Some(0.0), Some(1.0)];
        let p = paired(&a, &b);
        assert_eq!(p.n, 3);
        assert!(close(p.mean, 1.0 / 3.0));
        let sd = (((2.0f64 / 3.0).powi(2) + 2.0 * (1.0f64 / 3.0).powi(2)) / 2.0).sqrt();
        assert!(close(p.high - p.mean, 1.96 * sd / 3f64.sqrt()));
        let lists = [vec!["a".to_string(), "b".to_string()], vec!["a".to_string(), "c".to_string()]];
        assert!(close(coverage(lists.iter().map(Vec::as_slice), 1, 4), 0.25));
        assert!(close(coverage(lists.iter().map(Vec::as_slice), 2, 4), 0.75));
    }
}
