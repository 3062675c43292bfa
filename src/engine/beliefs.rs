//! What the preference center shows (`Engine::profile`): the beliefs behind the ranking, each list built from the
//! profile stage's `Taste` and the cleaning stage's lines, and each entry asking the disclosure gate; what the gate
//! may not name is counted in `withheld` instead.

use crate::contract::codes::{GuardCode, LineRule};
use crate::contract::input::{Event, LifecycleKind};
use crate::contract::output::{BrandBelief, CategoryBelief, DueItem, IgnoredLine, OwnedItem, PurchaseRef};
use crate::contract::time::{Timestamp, MS_PER_DAY};
use crate::engine::catalog::{Catalog, NONE};
use crate::engine::disclose::Gate;
use crate::engine::stages::clean::{Cleaned, Line};
use crate::engine::stages::profile::Taste;
use crate::util::dict::Dict;
use crate::util::num::round6;
use crate::util::order;

/// Categories listed at most, strongest first.
const MAX_CATEGORIES: usize = 20;
/// Purchases named under one category at most, latest first.
const PURCHASES_PER_CATEGORY: usize = 5;
/// Brands listed at most.
const MAX_BRANDS: usize = 10;
/// "Due soon": due within this many days ...
const DUE_SOON_DAYS: i64 = 14;
/// ... or overdue by less than this many intervals.
const OVERDUE_INTERVALS: f64 = 2.0;

/// Counts one entry `code` left unnamed in a profile list; always false, so it reads as a filter's `|| withhold(…)`.
fn withhold(withheld: &mut Dict<u32>, code: &str) -> bool {
    withheld.add(code, 1);
    false
}

fn purchase_ref(c: &Catalog, l: &Line) -> PurchaseRef {
    PurchaseRef { product_id: c.id(l.pid).to_string(), title: c.title(l.pid).to_string(), at: Timestamp(l.at) }
}

/// Every category node with weight, strongest first, with the latest purchases behind it that may be named.
pub fn categories(c: &Catalog, t: &Taste, cleaned: &Cleaned, gate: &Gate<'_>) -> Vec<CategoryBelief> {
    let nodes: Vec<(u32, f64)> = t.nodes.iter().map(|(n, w)| (*n, *w)).collect();
    order::by_weight_desc(&nodes)
        .into_iter()
        .take(MAX_CATEGORIES)
        .map(|node| {
            let under: Vec<&Line> = cleaned.lines.iter().filter(|l| c.is_under(l.pid, node)).collect();
            let mut keys: Vec<order::Key> =
                under.iter().enumerate().map(|(i, l)| (l.at.saturating_neg(), 0, i as u32)).collect();
            order::sort_keys(&mut keys);
            let lines = order::permute(under, &keys);
            let named = lines.iter().filter(|l| gate.may_name(l.pid)).take(PURCHASES_PER_CATEGORY);
            CategoryBelief {
                path: c.node_path(node),
                affinity: round6(t.node_share(c, node)),
                count: lines.len() as u32,
                purchases: named.map(|l| purchase_ref(c, l)).collect(),
            }
        })
        .collect()
}

/// The brands with weight, strongest first.
pub fn brands(c: &Catalog, t: &Taste, cleaned: &Cleaned) -> Vec<BrandBelief> {
    let brands: Vec<(u32, f64)> = t.brands.iter().map(|(b, w)| (*b, *w)).collect();
    order::by_weight_desc(&brands)
        .into_iter()
        .take(MAX_BRANDS)
        .map(|b| BrandBelief {
            brand: c.brand_name(b).to_string(),
            affinity: round6(t.brand_share(b)),
            count: cleaned.lines.iter().filter(|l| c.brand_of(l.pid) == b).count() as u32,
        })
        .collect()
}

/// The durables the shopper owns and until when ownership is expected to last.
pub fn owned(c: &Catalog, t: &Taste, gate: &Gate<'_>, withheld: &mut Dict<u32>) -> Vec<OwnedItem> {
    t.owned
        .iter()
        .filter(|o| gate.may_name(o.pid) || withhold(withheld, GuardCode::Muted.as_str()))
        .map(|o| OwnedItem {
            product_id: c.id(o.pid).to_string(),
            title: c.title(o.pid).to_string(),
            since: Timestamp(o.since),
            until: Some(Timestamp(o.until)),
            product_line: Some(c.line_of(o.pid)).filter(|&l| l != NONE).map(|l| c.line_name(l).to_string()),
        })
        .collect()
}

/// Regular purchases due within `DUE_SOON_DAYS`, or overdue by less than `OVERDUE_INTERVALS`, soonest first.
pub fn due_soon(c: &Catalog, t: &Taste, gate: &Gate<'_>, now: i64) -> Vec<DueItem> {
    let due: Vec<DueItem> = t
        .products
        .iter()
        .filter_map(|(&p, stat)| {
            let (interval, confidence) = stat.interval?;
            let consumable = c.lifecycle_of(p) == LifecycleKind::Consumable;
            if !gate.may_name(p) || !(consumable || stat.baskets >= 2) || interval <= 0.0 {
                return None;
            }
            let due_at = stat.last + (interval * MS_PER_DAY as f64) as i64;
            let soon = due_at <= now + DUE_SOON_DAYS * MS_PER_DAY
                && now - due_at < (OVERDUE_INTERVALS * interval * MS_PER_DAY as f64) as i64;
            soon.then(|| DueItem {
                product_id: c.id(p).to_string(),
                title: c.title(p).to_string(),
                interval_days: round6(interval),
                confidence: round6(confidence),
                last_bought: Timestamp(stat.last),
                due_at: Timestamp(due_at),
            })
        })
        .collect();
    let mut keys: Vec<order::Key> = due.iter().enumerate().map(|(i, d)| (d.due_at.millis(), 0, i as u32)).collect();
    order::sort_keys(&mut keys);
    order::permute(due, &keys)
}

/// Purchases kept out of taste as gifts, where the gate lets them be listed.
pub fn gifts(c: &Catalog, cleaned: &Cleaned, gate: &Gate<'_>, withheld: &mut Dict<u32>) -> Vec<IgnoredLine> {
    let gift = LineRule::Gift.as_str();
    cleaned
        .gifts
        .iter()
        .filter(|g| gate.may_list_line(Some(g.pid), gift) || withhold(withheld, gift))
        .map(|g| IgnoredLine {
            index: g.index,
            product_id: c.id(g.pid).to_string(),
            reason: LineRule::Gift,
            text: g.gift.map_or(LineRule::Gift.text(), |r| r.text()).to_string(),
        })
        .collect()
}

/// Every other line kept out of taste, with its rule, where the gate lets it be listed.
pub fn ignored(
    c: &Catalog,
    cleaned: &Cleaned,
    history: &[Event],
    gate: &Gate<'_>,
    withheld: &mut Dict<u32>,
) -> Vec<IgnoredLine> {
    cleaned
        .ignored
        .iter()
        .filter(|i| i.rule != LineRule::Gift)
        .filter(|i| {
            let pid = history.get(i.index as usize).and_then(|e| c.pid(&e.product_id));
            gate.may_list_line(pid, i.rule.as_str()) || withhold(withheld, i.rule.as_str())
        })
        .map(|i| IgnoredLine {
            index: i.index,
            product_id: history.get(i.index as usize).map_or(String::new(), |e| e.product_id.clone()),
            reason: i.rule,
            text: i.rule.text().to_string(),
        })
        .collect()
}
