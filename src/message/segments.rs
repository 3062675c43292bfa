//! `checkSegments`: refuses segments too small to be anything but a handful of identifiable people, and reports a
//! segmentation with more segments than customers (the seed pitfall "more segments than customers") or sizes that
//! add up past the customer count (overlapping segments, or a counting mistake).
//!
//! Blocking (`ok: false`): any segment below `minSize` (listed by index in `tooSmall`), more segments than
//! customers, one segment larger than all customers. Not blocking: sizes summing past the customers, which is
//! what overlapping segments do; it is reported so the marketer knows.

use crate::contract::error::Error;
use crate::message::push_int;
use serde::{Deserialize, Serialize};

/// Most segments in one check.
pub const MAX_SEGMENTS: usize = 100_000;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct SegmentRequest {
    /// Customers in each segment.
    pub sizes: Vec<u32>,
    /// The smallest segment allowed (k-anonymity for messaging): e.g. 50, the size Protected Audience uses.
    pub min_size: u32,
    /// Customers in the whole list.
    pub customers: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SegmentIssue {
    /// `SEGMENT_TOO_SMALL`, `MORE_SEGMENTS_THAN_CUSTOMERS`, `SEGMENT_LARGER_THAN_CUSTOMERS`,
    /// `SIZES_EXCEED_CUSTOMERS`.
    pub code: String,
    pub message: String,
    /// Whether this issue makes `ok` false.
    pub blocking: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct SegmentReport {
    /// No blocking issue.
    pub ok: bool,
    /// Indices of the segments below `minSize`.
    pub too_small: Vec<u32>,
    /// The sum of all sizes (a number: it can pass 2^32).
    pub total: f64,
    pub issues: Vec<SegmentIssue>,
}

fn issue(code: &str, message: String, blocking: bool) -> SegmentIssue {
    SegmentIssue { code: code.to_string(), message, blocking }
}

pub fn check(req: &SegmentRequest) -> Result<SegmentReport, Error> {
    if req.sizes.len() > MAX_SEGMENTS {
        return Err(Error::limit("sizes", "at most 100000 segments"));
    }
    let mut too_small = Vec::new();
    for (i, &n) in req.sizes.iter().enumerate() {
        if n < req.min_size {
            too_small.push(i as u32);
        }
    }
    let total: u64 = req.sizes.iter().map(|&n| u64::from(n)).sum();
    let customers = u64::from(req.customers);
    let mut issues = Vec::new();
    if !too_small.is_empty() {
        let mut m = String::new();
        push_int(&mut m, too_small.len() as i64);
        m.push_str(if too_small.len() == 1 { " segment is" } else { " segments are" });
        m.push_str(" smaller than ");
        push_int(&mut m, i64::from(req.min_size));
        m.push_str(" customers: merge them or leave them out, a message to so few people singles them out.");
        issues.push(issue("SEGMENT_TOO_SMALL", m, true));
    }
    if req.sizes.len() as u64 > customers {
        let mut m = String::new();
        push_int(&mut m, req.sizes.len() as i64);
        m.push_str(" segments for ");
        push_int(&mut m, customers as i64);
        m.push_str(" customers: more segments than customers.");
        issues.push(issue("MORE_SEGMENTS_THAN_CUSTOMERS", m, true));
    }
    if req.sizes.iter().any(|&n| u64::from(n) > customers) {
        let mut m = String::from("A segment is larger than the ");
        push_int(&mut m, customers as i64);
        m.push_str(" customers of the list: its count is wrong.");
        issues.push(issue("SEGMENT_LARGER_THAN_CUSTOMERS", m, true));
    }
    if total > customers {
        let mut m = String::from("Sizes add up to ");
        push_int(&mut m, total as i64);
        m.push_str(", more than the ");
        push_int(&mut m, customers as i64);
        m.push_str(" customers: the segments overlap (or are counted twice).");
        issues.push(issue("SIZES_EXCEED_CUSTOMERS", m, false));
    }
    Ok(SegmentReport { ok: !issues.iter().any(|i| i.blocking), too_small, total: total as f64, issues })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(sizes: &[u32], min_size: u32, customers: u32) -> SegmentReport {
        check(&SegmentRequest { sizes: sizes.to_vec(), min_size, customers }).unwrap()
    }

    fn codes(r: &SegmentReport) -> Vec<&str> {
        r.issues.iter().map(|i| i.code.as_str()).collect()
    }

    #[test]
    fn small_segments_are_refused_and_listed() {
        let r = run(&[500, 12, 300, 49], 50, 1000);
        assert!(!r.ok);
        assert_eq!(r.too_small, vec![1, 3]);
        assert_eq!(codes(&r), ["SEGMENT_TOO_SMALL"]);
        assert!(r.issues[0].message.starts_with("2 segments are smaller than 50"));
    }

    #[test]
    fn more_segments_than_customers_is_reported() {
        let r = run(&[1; 12], 1, 10);
        assert!(!r.ok);
        assert_eq!(codes(&r), ["MORE_SEGMENTS_THAN_CUSTOMERS", "SIZES_EXCEED_CUSTOMERS"]);
        let r = run(&[20, 3], 1, 10);
        assert_eq!(codes(&r), ["SEGMENT_LARGER_THAN_CUSTOMERS", "SIZES_EXCEED_CUSTOMERS"]);
    }

    #[test]
    fn overlapping_segments_are_reported_but_allowed() {
        let r = run(&[600, 700], 50, 1000);
        assert!(r.ok);
        assert_eq!(codes(&r), ["SIZES_EXCEED_CUSTOMERS"]);
        assert_eq!(r.total, 1300.0);
        let r = run(&[400, 600], 50, 1000);
        assert!(r.ok && r.issues.is_empty());
        assert!(run(&[], 50, 0).ok);
    }
}
