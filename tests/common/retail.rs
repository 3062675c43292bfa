//! Reads the Online Retail sample (UCI, CC BY 4.0; see data/online-retail/PROVENANCE.md) into catalog and histories.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::collections::BTreeMap;
use tactful::*;

pub struct Retail {
    pub products: Vec<Product>,
    /// Customer id → events, in file order.
    pub customers: BTreeMap<String, Vec<Event>>,
}

pub fn load(path: &str) -> Retail {
    let full = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
    let mut reader = csv::Reader::from_path(&full).unwrap_or_else(|e| panic!("{full}: {e}"));
    let mut prices: BTreeMap<String, (String, f64)> = BTreeMap::new();
    let mut customers: BTreeMap<String, Vec<Event>> = BTreeMap::new();
    for row in reader.records() {
        let row = row.unwrap();
        let (invoice, code, desc, qty, date, price, customer) =
            (&row[0], &row[1], &row[2], &row[3], &row[4], &row[5], &row[6]);
        let customer = customer.trim_end_matches(".0").to_string();
        let qty: f64 = qty.parse().unwrap();
        let price: f64 = price.parse().unwrap();
        prices.entry(code.to_string()).or_insert_with(|| (desc.trim().to_string(), price));
        let cancel = invoice.starts_with('C');
        customers.entry(customer).or_default().push(Event {
            product_id: code.to_string(),
            at: Timestamp::parse_iso(date).unwrap(),
            kind: Some(if cancel { EventType::Cancel } else { EventType::Purchase }),
            quantity: Some(qty.abs()),
            price: Some(price),
            // A cancellation invoice is its own order: it refers to an earlier one by product and time only.
            order_id: Some(invoice.to_string()),
            gift: None,
            ship_to: None,
            member: None,
        });
    }
    let products = prices
        .into_iter()
        .map(|(id, (title, price))| Product {
            id,
            title: Some(title),
            price: Some(price.max(0.0)),
            ..Product::default()
        })
        .collect();
    Retail { products, customers }
}
