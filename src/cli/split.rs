//! Baskets and the evaluation protocol's split (EVALUATION.md, protocol v1), so the same rules make the dev split,
//! the practice cases, and the baselines' view of the history:
//! - non-product codes are ignored;
//! - a basket = one customer's non-cancelled lines in one minute (split checkouts merged);
//! - a cancellation cancels that customer's most recent earlier-or-same-time purchase of the same product; when it
//!   cancels the whole quantity, the product leaves that basket;
//! - customers with at least 2 baskets are evaluated: target = the last basket, history = every earlier row.

use crate::cli::read::Row;
use crate::engine::policy::Settings;
use rustc_hash::FxHashMap;

pub const MS_PER_MINUTE: i64 = 60_000;

/// Product ids ↔ dense indexes.
#[derive(Debug, Default, Clone)]
pub struct Products {
    pub ids: Vec<String>,
    pub index: FxHashMap<String, u32>,
}

impl Products {
    pub fn intern(&mut self, id: &str) -> u32 {
        if let Some(&i) = self.index.get(id) {
            return i;
        }
        let i = self.ids.len() as u32;
        self.ids.push(id.to_string());
        self.index.insert(id.to_string(), i);
        i
    }

    pub fn get(&self, id: &str) -> Option<u32> {
        self.index.get(id).copied()
    }

    pub fn id(&self, i: u32) -> &str {
        self.ids.get(i as usize).map_or("", String::as_str)
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Basket {
    /// The basket's minute, in ms.
    pub at: i64,
    /// Distinct products, sorted.
    pub items: Vec<u32>,
}

/// Every customer's baskets, oldest first, in first-seen customer order.
#[derive(Debug, Default)]
pub struct Baskets {
    pub products: Products,
    pub customers: Vec<String>,
    pub by_customer: Vec<Vec<Basket>>,
    pub customer_index: FxHashMap<String, usize>,
}

impl Baskets {
    pub fn of(&self, customer: &str) -> &[Basket] {
        self.customer_index.get(customer).and_then(|&i| self.by_customer.get(i)).map_or(&[], Vec::as_slice)
    }
}

/// Groups rows by customer, keeping file order within each.
pub fn by_customer(rows: &[Row]) -> (Vec<String>, Vec<Vec<&Row>>) {
    let mut index: FxHashMap<&str, usize> = FxHashMap::default();
    let mut names = Vec::new();
    let mut groups: Vec<Vec<&Row>> = Vec::new();
    for r in rows {
        let i = *index.entry(r.customer.as_str()).or_insert_with(|| {
            names.push(r.customer.clone());
            groups.push(Vec::new());
            groups.len() - 1
        });
        if let Some(g) = groups.get_mut(i) {
            g.push(r);
        }
    }
    (names, groups)
}

/// One customer's baskets from their rows (any order).
pub fn customer_baskets(rows: &[&Row], s: &Settings, products: &mut Products) -> Vec<Basket> {
    let mut sorted: Vec<&Row> = rows.iter().copied().filter(|r| !s.is_non_product(&r.product)).collect();
    sorted.sort_by_key(|r| (r.at, r.line));
    // An invoice is one checkout: its lines take the minute of its first line (some straddle two minutes).
    let mut order_minute: FxHashMap<&str, i64> = FxHashMap::default();
    for r in &sorted {
        if let Some(o) = r.order.as_deref().filter(|_| !r.cancel) {
            order_minute.entry(o).or_insert(r.at.div_euclid(MS_PER_MINUTE) * MS_PER_MINUTE);
        }
    }
    // Purchases: (minute, product) → remaining quantity, in time order.
    let mut lines: Vec<(i64, u32, f64)> = Vec::new();
    for r in &sorted {
        let own_minute = r.at.div_euclid(MS_PER_MINUTE) * MS_PER_MINUTE;
        let minute = if r.cancel {
            own_minute
        } else {
            r.order.as_deref().and_then(|o| order_minute.get(o).copied()).unwrap_or(own_minute)
        };
        let p = products.intern(&r.product);
        if r.cancel {
            let target = lines.iter_mut().rev().find(|l| l.1 == p && l.0 <= r.at && l.2 > 0.0);
            if let Some(l) = target {
                l.2 -= r.quantity;
            }
        } else {
            match lines.iter_mut().rev().take_while(|l| l.0 == minute).find(|l| l.1 == p) {
                Some(l) => l.2 += r.quantity,
                None => lines.push((minute, p, r.quantity)),
            }
        }
    }
    lines.sort_by_key(|l| l.0);
    let mut out: Vec<Basket> = Vec::new();
    for (minute, p, left) in lines {
        if left <= 1e-9 {
            continue;
        }
        match out.last_mut() {
            Some(b) if b.at == minute => b.items.push(p),
            _ => out.push(Basket { at: minute, items: vec![p] }),
        }
    }
    for b in &mut out {
        b.items.sort_unstable();
        b.items.dedup();
    }
    out
}

pub fn baskets(rows: &[Row], s: &Settings) -> Baskets {
    let (names, groups) = by_customer(rows);
    let mut out = Baskets::default();
    for (name, group) in names.into_iter().zip(groups) {
        let b = customer_baskets(&group, s, &mut out.products);
        out.customer_index.insert(name.clone(), out.customers.len());
        out.customers.push(name);
        out.by_customer.push(b);
    }
    out
}

/// One evaluated customer: rank as of `at`, and the products they bought then.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    pub customer: String,
    pub at: i64,
    pub target: Vec<String>,
}

/// The protocol's split of `rows`: (history rows, cases in first-seen customer order).
pub fn split(rows: &[Row], s: &Settings) -> (Vec<Row>, Vec<Case>) {
    let (names, groups) = by_customer(rows);
    let mut products = Products::default();
    let mut cut: FxHashMap<&str, i64> = FxHashMap::default();
    let mut cases = Vec::new();
    for (name, group) in names.iter().zip(&groups) {
        let b = customer_baskets(group, s, &mut products);
        if b.len() < 2 {
            continue;
        }
        if let Some(last) = b.last() {
            cut.insert(name.as_str(), last.at);
            let target = last.items.iter().map(|&p| products.id(p).to_string()).collect();
            cases.push(Case { customer: name.clone(), at: last.at, target });
        }
    }
    let history = rows.iter().filter(|r| cut.get(r.customer.as_str()).is_none_or(|&t| r.at < t)).cloned().collect();
    (history, cases)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
pub mod tests {
    use super::*;
    use crate::engine::policy::{PolicyPreset, Settings};

    pub fn row(line: u64, customer: &str, product: &str, at: &str, qty: f64) -> Row {
        Row {
            line,
            customer: customer.into(),
            product: product.into(),
            title: None,
            at: crate::cli::read::parse_time(at).unwrap(),
            quantity: qty.abs(),
            price: Some(1.0),
            order: None,
            cancel: qty < 0.0,
        }
    }

    #[test]
    fn baskets_merge_a_minute_drop_fully_cancelled_lines_and_non_products() {
        let s = Settings::preset(PolicyPreset::Balanced);
        let rows = vec![
            row(2, "c", "a", "2011-01-01 10:00:05", 2.0),
            row(3, "c", "b", "2011-01-01 10:00:40", 1.0),
            row(4, "c", "POST", "2011-01-01 10:00:40", 1.0),
            row(5, "c", "a", "2011-01-02 10:00:00", 1.0),
            row(6, "c", "a", "2011-01-03 10:00:00", -1.0),
            row(7, "c", "b", "2011-01-04 10:00:00", 3.0),
            row(8, "c", "b", "2011-01-04 11:00:00", -1.0),
        ];
        let b = baskets(&rows, &s);
        let got: Vec<Vec<&str>> =
            b.by_customer[0].iter().map(|x| x.items.iter().map(|&p| b.products.id(p)).collect()).collect();
        assert_eq!(got, vec![vec!["a", "b"], vec!["b"]], "day 2's a was cancelled in full; day 4's b partly");
        let (history, cases) = split(&rows, &s);
        assert_eq!(cases.len(), 1);
        assert_eq!(cases[0].target, vec!["b".to_string()]);
        assert_eq!(history.len(), 5, "everything before the last basket, its later cancellation excluded");
    }
}
