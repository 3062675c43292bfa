//! From order rows to what the engine reads: the catalog a shop without a product feed can derive from its orders
//! (product id, title, median price), each customer's history as `Event`s, and the model. Ranking goes through the
//! same `Engine::rank` the browser runs.

use crate::cli::read::Row;
use crate::cli::split::by_customer;
use crate::contract::input::{Context, Event, EventType, Product, RankRequest};
use crate::contract::time::Timestamp;
use crate::engine::model::Model;
use crate::engine::policy::{PolicySpec, Settings};
use crate::engine::stages::clean::median;
use crate::engine::{Engine, EngineOptions};
use rustc_hash::FxHashMap;

/// Products seen in `rows` (non-product codes left out: a shop does not list postage): id, the first description
/// seen as the title, the median unit price of its purchase lines. No categories: the export has none.
pub fn catalog(rows: &[Row], s: &Settings) -> Vec<Product> {
    let mut index: FxHashMap<&str, usize> = FxHashMap::default();
    let mut out: Vec<(Product, Vec<f64>)> = Vec::new();
    for r in rows {
        if s.is_non_product(&r.product) {
            continue;
        }
        let i = *index.entry(r.product.as_str()).or_insert_with(|| {
            out.push((Product { id: r.product.clone(), ..Product::default() }, Vec::new()));
            out.len() - 1
        });
        if let Some((p, prices)) = out.get_mut(i) {
            if p.title.is_none() {
                p.title.clone_from(&r.title);
            }
            if let Some(price) = r.price.filter(|&v| !r.cancel && v > 0.0) {
                prices.push(price);
            }
        }
    }
    out.into_iter()
        .map(|(mut p, mut prices)| {
            if !prices.is_empty() {
                p.price = Some((median(&mut prices) * 100.0).round() / 100.0);
            }
            p
        })
        .collect()
}

/// One customer's rows as history events: cancellations as `type: "cancel"`.
pub fn events(rows: &[&Row]) -> Vec<Event> {
    rows.iter()
        .map(|r| Event {
            product_id: r.product.clone(),
            at: Timestamp(r.at),
            kind: r.cancel.then_some(EventType::Cancel),
            quantity: Some(r.quantity),
            price: r.price,
            order_id: r.order.clone(),
            gift: None,
            ship_to: None,
            member: None,
        })
        .collect()
}

/// What the guardrails removed from the ranking (ids; not `GIFT_EXCLUDED`, which keeps lines out of taste, not
/// products out of the list), and the full counts per reason code.
pub type Audit = (Vec<String>, std::collections::BTreeMap<String, u32>);

/// An engine over the derived catalog, plus every customer's events.
pub struct Shop {
    pub engine: Engine,
    pub products: Vec<Product>,
    pub histories: FxHashMap<String, Vec<Event>>,
    /// For the analysis (`TACTFUL_DUMP_TERMS`): when set, each `rank` keeps here the best-scored candidates of the
    /// call with their score terms, before re-ranking.
    pub capture: Option<Vec<crate::engine::CapturedCandidate>>,
}

/// The shop's product file, with each product's missing price filled by the median unit price of its purchase lines
/// (a product file need not carry prices; the engine's price term reads them).
pub fn with_prices(mut products: Vec<Product>, rows: &[Row], s: &Settings) -> Vec<Product> {
    let derived: FxHashMap<String, f64> = catalog(rows, s).into_iter().filter_map(|p| Some((p.id, p.price?))).collect();
    for p in products.iter_mut().filter(|p| p.price.is_none()) {
        p.price = derived.get(&p.id).copied();
    }
    products
}

impl Shop {
    pub fn new(rows: &[Row], model: Option<Model>, policy: Option<PolicySpec>) -> Result<Shop, String> {
        Shop::with_products(rows, model, policy, None)
    }

    /// As [`Shop::new`], over the shop's own product file when it has one (`None`: the catalog derived from the
    /// orders).
    pub fn with_products(
        rows: &[Row],
        model: Option<Model>,
        policy: Option<PolicySpec>,
        products: Option<&[Product]>,
    ) -> Result<Shop, String> {
        let settings = Settings::resolve(&policy.clone().unwrap_or_default(), "policy").map_err(|e| e.to_string())?;
        let products = match products {
            Some(list) => with_prices(list.to_vec(), rows, &settings),
            None => catalog(rows, &settings),
        };
        let engine = Engine::new(&products, &EngineOptions { policy, model }).map_err(|e| e.to_string())?;
        let (names, groups) = by_customer(rows);
        let histories = names.into_iter().zip(groups).map(|(n, g)| (n, events(&g))).collect();
        Ok(Shop { engine, products, histories, capture: None })
    }

    /// The customer's top `k` as of `at`: product ids, and the audit (ids the guardrails removed, counts per code).
    pub fn rank(&mut self, customer: &str, at: i64, k: usize) -> Result<(Vec<String>, Audit), String> {
        let history = self.histories.get(customer).cloned().unwrap_or_default();
        let mut context = Context::at(Timestamp(at));
        context.k = Some(k as u32);
        let req = RankRequest { history, preferences: None, impressions: None, context };
        let r = match self.capture.as_mut() {
            Some(kept) => {
                let (r, terms) = self.engine.rank_with_terms(&req).map_err(|e| format!("customer {customer}: {e}"))?;
                *kept = terms;
                r
            }
            None => self.engine.rank(&req).map_err(|e| format!("customer {customer}: {e}"))?,
        };
        Ok((
            r.items.into_iter().map(|i| i.product_id).collect(),
            (
                r.removed.into_iter().filter(|x| x.code != "GIFT_EXCLUDED").map(|x| x.product_id).collect(),
                r.removed_counts.iter().map(|(k, v)| (k.clone(), *v)).collect(),
            ),
        ))
    }
}
