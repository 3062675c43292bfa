//! Every ordering in the engine goes through one sort of one key type. Sorting is generic code: each call site with
//! its own closure and element type would be compiled again (measured: ~100 KB of the wasm before this), so orders are
//! expressed as keys `(i64, u64, u32)` and sorted by [`sort_keys`] alone. Keys are unique where order matters, so an
//! unstable sort is deterministic.

/// A sort key: primary, secondary, and usually the index or id of the thing sorted.
pub type Key = (i64, u64, u32);

pub fn sort_keys(keys: &mut [Key]) {
    keys.sort_unstable();
}

/// Maps an `f64` to an `i64` with the same order as `f64::total_cmp` (ascending).
pub fn f64_asc(v: f64) -> i64 {
    let bits = v.to_bits() as i64;
    bits ^ (((bits >> 63) as u64) >> 1) as i64
}

/// The inverse of [`f64_asc`].
pub fn from_f64_asc(k: i64) -> f64 {
    f64::from_bits((k ^ (((k >> 63) as u64) >> 1) as i64) as u64)
}

/// Descending order of an `f64`.
pub fn f64_desc(v: f64) -> i64 {
    !f64_asc(v)
}

/// `(id, weight)` pairs, heaviest first, ties by id.
pub fn by_weight_desc(items: &[(u32, f64)]) -> Vec<u32> {
    let mut keys: Vec<Key> = items.iter().map(|&(id, w)| (f64_desc(w), u64::from(id), id)).collect();
    sort_keys(&mut keys);
    keys.into_iter().map(|k| k.2).collect()
}

/// Reorders `items` by `keys` (whose third field indexes into `items`).
pub fn permute<T>(items: Vec<T>, keys: &[Key]) -> Vec<T> {
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    keys.iter().filter_map(|k| slots.get_mut(k.2 as usize).and_then(Option::take)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_keys_keep_total_order() {
        let vals = [f64::NEG_INFINITY, -2.5, -0.0, 0.0, 1e-300, 1.0, 3.5, f64::INFINITY];
        for w in vals.windows(2) {
            assert!(f64_asc(w[0]) < f64_asc(w[1]), "{} < {}", w[0], w[1]);
            assert!(f64_desc(w[0]) > f64_desc(w[1]));
            assert_eq!(from_f64_asc(f64_asc(w[0])).to_bits(), w[0].to_bits());
        }
    }

    #[test]
    fn weight_desc_breaks_ties_by_id_and_permute_reorders() {
        assert_eq!(by_weight_desc(&[(3, 1.0), (1, 2.0), (2, 1.0)]), vec![1, 2, 3]);
        let keys = vec![(0, 0, 2), (1, 0, 0), (2, 0, 1)];
        assert_eq!(permute(vec!["a", "b", "c"], &keys), vec!["c", "a", "b"]);
    }
}
