//! Stage 1, clean: from a messy order history to the purchases that may shape taste.
//!
//! Rules, each counted (`Cleaned::counts`) and listed per line (`Cleaned::ignored`) for the profile:
//! - `NO_CONSENT`: without personalization consent nothing is used.
//! - `FUTURE`: lines after `now` have not happened yet.
//! - `NON_PRODUCT`: shipping, fees, discounts, vouchers (policy `nonProductIds`).
//! - `UNKNOWN_PRODUCT`: ids the catalog does not know: counted, never fatal.
//! - `FORGOTTEN`: lines under a topic the shopper asked to forget.
//! - `SENSITIVE`: a sensitive class the shopper did not opt into: only counted, never used or shown.
//! - `DUPLICATE`: the same line twice (product, time, type, quantity, order, price).
//! - `CANCELLED` / `RETURNED`: cancellations and returns net out the purchase they refer to (same `orderId` and
//!   product when given, else the same product's most recent purchase at or before them). A full return marks the
//!   product returned until the shopper buys it again; a partial one reduces the quantity.
//! - `OUTLIER_QUANTITY`: a quantity over `outlierQuantityFactor` × the shopper's typical quantity of that product (and
//!   over 10) is kept at the typical quantity.
//! - `GIFT`: flagged, or inferred — shipped to a ship-to unlike the shopper's usual one, in an order with gift wrap
//!   (a product tagged `gift-wrap`), a gift card itself (tagged `gift-card`), or a one-off far from the shopper's
//!   taste in a gifting season. Gifts are kept out of taste and
//!   listed; `preferences.notGifts` (a product or order id) overrules.

use crate::contract::error::Error;
use crate::contract::input::{Event, EventType};
use crate::contract::time::{civil_from_days, MS_PER_DAY};
use crate::engine::catalog::{Catalog, Pid};
use crate::engine::policy::Settings;
use crate::engine::prefs::Prefs;
use crate::read::limits;
use crate::util::order::{by_weight_desc, f64_asc, from_f64_asc, sort_keys, Key};
use rustc_hash::{FxHashMap, FxHashSet};

pub use crate::contract::codes::LineRule;

impl LineRule {
    pub fn text(self) -> &'static str {
        match self {
            LineRule::NoConsent => "Not used: you have not agreed to personalization.",
            LineRule::Future => "Not used yet: dated after now.",
            LineRule::NonProduct => "Not a product (shipping, a fee, a discount or a voucher).",
            LineRule::UnknownProduct => "A product this shop no longer lists.",
            LineRule::Forgotten => "You asked us to forget this topic.",
            LineRule::Sensitive => "A sensitive category you have not opted into: ignored.",
            LineRule::Duplicate => "The same line twice: counted once.",
            LineRule::Cancelled => "Cancelled: it does not count as a purchase.",
            LineRule::Returned => {
                "You returned it: it does not count, and we will not suggest it until you buy it again."
            }
            LineRule::OutlierQuantity => "An unusual quantity: counted as your usual amount.",
            LineRule::Gift => "Treated as a gift: it does not shape your recommendations.",
            LineRule::BadQuantity => "A quantity that is not a positive number: ignored.",
            LineRule::UnmatchedCancel => "A cancellation with no purchase before it: ignored.",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GiftReason {
    Flagged,
    OtherShipTo,
    GiftWrapOrder,
    GiftCard,
    SeasonalOneOff,
}

impl GiftReason {
    pub fn text(self) -> &'static str {
        match self {
            GiftReason::Flagged => "Marked as a gift, so it does not shape your recommendations.",
            GiftReason::OtherShipTo => "Sent to an address you rarely use, so we treat it as a gift.",
            GiftReason::GiftWrapOrder => "Ordered with gift wrap, so we treat it as a gift.",
            GiftReason::GiftCard => "A gift card: it says nothing about your taste.",
            GiftReason::SeasonalOneOff => {
                "A one-off in a gifting season, unlike what you usually buy: treated as a gift."
            }
        }
    }
}

/// A purchase line that survived cleaning.
#[derive(Debug, Clone)]
pub struct Line {
    /// Index in the history given.
    pub index: u32,
    pub pid: Pid,
    pub at: i64,
    pub qty: f64,
    /// Interned order id (`u32::MAX` when none).
    pub order: u32,
    pub ship_to: u32,
    pub gift: Option<GiftReason>,
}

#[derive(Debug, Clone)]
pub struct Ignored {
    pub index: u32,
    pub rule: LineRule,
}

#[derive(Debug, Default)]
pub struct Cleaned {
    /// Clean, non-gift purchases, oldest first: what shapes taste.
    pub lines: Vec<Line>,
    /// Gift purchases (kept out of taste).
    pub gifts: Vec<Line>,
    /// Products fully returned, with the return's time.
    pub returned: FxHashMap<Pid, i64>,
    pub ignored: Vec<Ignored>,
    pub counts: crate::util::dict::Dict<u32>,
    /// Lines in a sensitive class the shopper did not opt into: only counted.
    pub sensitive_ignored: u32,
    pub unknown_products: u32,
    pub members: u32,
    /// Ship-to token → the orders (or days) it was used for.
    pub ship_to_orders: Vec<(u32, u32)>,
}

impl Cleaned {
    /// Keeps line `index` out of taste under `rule`: a sensitive line only counted (the shopper can see that such
    /// lines were ignored, never which), an unknown product counted as well as listed.
    fn drop_line(&mut self, index: usize, rule: LineRule) {
        match rule {
            LineRule::Sensitive => {
                self.sensitive_ignored += 1;
                self.count(LineRule::Sensitive);
            }
            LineRule::UnknownProduct => {
                self.unknown_products += 1;
                self.ignore(index, rule);
            }
            _ => self.ignore(index, rule),
        }
    }

    fn ignore(&mut self, index: usize, rule: LineRule) {
        self.ignored.push(Ignored { index: index as u32, rule });
        self.counts.add(rule.as_str(), 1);
    }

    fn count(&mut self, rule: LineRule) {
        self.counts.add(rule.as_str(), 1);
    }
}

const NO_ID: u32 = u32::MAX;

/// What makes two lines exact duplicates: product, time, type, quantity bits, order, price bits.
type LineKey<'a> = (&'a str, i64, u8, u64, Option<&'a str>, u64);

struct Interner<'a> {
    map: FxHashMap<&'a str, u32>,
    names: Vec<&'a str>,
}

impl<'a> Interner<'a> {
    fn new() -> Self {
        Interner { map: FxHashMap::default(), names: Vec::new() }
    }
    fn get(&mut self, s: Option<&'a String>) -> u32 {
        let Some(s) = s else { return NO_ID };
        let next = self.names.len() as u32;
        *self.map.entry(s.as_str()).or_insert_with(|| {
            self.names.push(s.as_str());
            next
        })
    }
}

/// Validates the history's values (paths `history[i].field`) without cleaning it.
pub fn validate(history: &[Event], root: &str) -> Result<(), Error> {
    limits::check_list(history.len(), limits::MAX_HISTORY_EVENTS, root)?;
    for (i, e) in history.iter().enumerate() {
        let at = |f: &str| format!("{root}[{i}].{f}");
        limits::id(&e.product_id).map_err(|e| e.at(at("productId")))?;
        if let Some(q) = e.quantity {
            if !q.is_finite() {
                return Err(Error::invalid(at("quantity"), "must be a finite number"));
            }
        }
        if let Some(p) = e.price {
            if !p.is_finite() {
                return Err(Error::invalid(at("price"), "must be a finite number"));
            }
        }
        for (field, v) in [("orderId", &e.order_id), ("shipTo", &e.ship_to), ("member", &e.member)] {
            if let Some(v) = v {
                limits::id(v).map_err(|e| e.at(at(field)))?;
            }
        }
    }
    Ok(())
}

/// What the history is read with: the shopper's preferences, with the consent and the opted-in sensitive classes this
/// reading allows (`Engine::shopper` narrows them for a missing consent, a shared screen or a message). A reading
/// borrows the preferences rather than copying them: a copy compiled a deep clone of `Prefs` into the module.
#[derive(Clone, Copy)]
pub struct Reading<'a> {
    pub prefs: &'a Prefs,
    pub personalization: bool,
    /// The sensitivity classes read as evidence (bits, as `Prefs::opt_in`).
    pub opt_in: u16,
}

impl<'a> Reading<'a> {
    /// The preferences as the shopper set them.
    pub fn of(prefs: &'a Prefs) -> Reading<'a> {
        Reading { prefs, personalization: prefs.personalization, opt_in: prefs.opt_in }
    }

    /// Whether this reading takes every sensitivity class in `mask` as evidence.
    fn opted_into(self, mask: u16) -> bool {
        mask & !self.opt_in == 0
    }
}

/// Cleans `history` as of `now`. Never fails: bad lines are counted, not fatal (values were validated before).
pub fn clean(c: &Catalog, s: &Settings, r: Reading<'_>, history: &[Event], now: i64) -> Cleaned {
    let mut out = Cleaned::default();
    if !r.personalization {
        for i in 0..history.len() {
            out.ignore(i, LineRule::NoConsent);
        }
        return out;
    }
    let read = read_lines(c, s, r, history, now, &mut out);
    out.members = read.members;
    let mut kept = net_out(read.purchases, read.negations, &mut out);
    unban_rebought(&kept, &mut out);
    clamp_outliers(&mut kept, s, &mut out);
    if s.infer_gifts {
        infer_gifts(c, &mut kept);
    }
    overrule_gifts(c, r.prefs, history, &mut kept);
    for l in kept {
        if l.gift.is_some() {
            out.ignore(l.index as usize, LineRule::Gift);
            out.gifts.push(l);
        } else {
            out.lines.push(l);
        }
    }
    out.ship_to_orders = ship_to_orders(&out);
    out
}

/// A return or cancellation, applied once every purchase is known.
struct Negation {
    index: usize,
    pid: Pid,
    at: i64,
    qty: f64,
    order: u32,
    kind: EventType,
}

/// What the per-line rules let through, in time order.
struct ReadLines {
    purchases: Vec<Line>,
    negations: Vec<Negation>,
    /// Distinct household members named (a shared account); no rule reads a line's member.
    members: u32,
}

/// The per-line rules, in time order: each line is forgotten, future, not a product, unknown, an unchosen sensitive
/// class, a duplicate, a bad quantity — or a purchase, return or cancellation to keep.
fn read_lines(c: &Catalog, s: &Settings, r: Reading<'_>, history: &[Event], now: i64, out: &mut Cleaned) -> ReadLines {
    let mut orders = Interner::new();
    let mut ships = Interner::new();
    let mut members = Interner::new();
    let mut keys: Vec<Key> = history.iter().enumerate().map(|(i, e)| (e.at.millis(), 0, i as u32)).collect();
    sort_keys(&mut keys);
    let mut seen: FxHashSet<LineKey<'_>> = FxHashSet::default();
    let mut read = ReadLines { purchases: Vec::new(), negations: Vec::new(), members: 0 };
    for i in keys.into_iter().map(|k| k.2 as usize) {
        let Some(e) = history.get(i) else { continue };
        let pid = match line_rule(c, s, r, e, now) {
            Ok(pid) => pid,
            Err(rule) => {
                out.drop_line(i, rule);
                continue;
            }
        };
        let at = e.at.millis();
        let kind = e.kind();
        let qty = e.quantity.unwrap_or(1.0);
        let key = (
            e.product_id.as_str(),
            at,
            kind as u8,
            qty.to_bits(),
            e.order_id.as_deref(),
            e.price.unwrap_or(f64::NAN).to_bits(),
        );
        if !seen.insert(key) {
            out.ignore(i, LineRule::Duplicate);
            continue;
        }
        let order = orders.get(e.order_id.as_ref());
        if kind != EventType::Purchase {
            read.negations.push(Negation { index: i, pid, at, qty: qty.abs().max(f64::MIN_POSITIVE), order, kind });
            continue;
        }
        if qty <= 0.0 {
            out.ignore(i, LineRule::BadQuantity);
            continue;
        }
        members.get(e.member.as_ref());
        let gift = if e.gift == Some(true) { Some(GiftReason::Flagged) } else { None };
        let ship_to = ships.get(e.ship_to.as_ref());
        read.purchases.push(Line { index: i as u32, pid, at, qty, order, ship_to, gift });
    }
    read.members = members.names.len() as u32;
    read
}

/// The rule that keeps one line out of taste, in order of precedence, or its product. Forgotten comes first: a
/// forgotten line is only that, whatever else could be said of it (even "dated after now").
fn line_rule(c: &Catalog, s: &Settings, r: Reading<'_>, e: &Event, now: i64) -> Result<Pid, LineRule> {
    let known = c.pid(&e.product_id);
    let forgotten = &r.prefs.forgotten;
    if forgotten.raw_ids.contains(&e.product_id) || known.is_some_and(|p| forgotten.covers(c, p)) {
        return Err(LineRule::Forgotten);
    }
    if e.at.millis() > now {
        return Err(LineRule::Future);
    }
    if s.is_non_product(&e.product_id) {
        return Err(LineRule::NonProduct);
    }
    let pid = known.ok_or(LineRule::UnknownProduct)?;
    if !r.opted_into(c.sensitivity_of(pid)) {
        return Err(LineRule::Sensitive);
    }
    Ok(pid)
}

/// Nets returns and cancellations out of the purchases they refer to (same order and product when given, else the
/// product's most recent purchase at or before them); what is fully negated leaves with its rule.
fn net_out(purchases: Vec<Line>, negations: Vec<Negation>, out: &mut Cleaned) -> Vec<Line> {
    let mut remaining: Vec<f64> = purchases.iter().map(|l| l.qty).collect();
    let mut by_pid: FxHashMap<Pid, Vec<usize>> = FxHashMap::default();
    for (j, l) in purchases.iter().enumerate() {
        by_pid.entry(l.pid).or_default().push(j);
    }
    let mut gone: Vec<Option<LineRule>> = vec![None; purchases.len()];
    for n in negations {
        let list = by_pid.get(&n.pid).map_or(&[][..], Vec::as_slice);
        let live = |j: &&usize| remaining.get(**j).is_some_and(|&r| r > 0.0);
        let line = |j: usize| purchases.get(j);
        let same_order = (n.order != NO_ID)
            .then(|| list.iter().rev().filter(live).find(|&&j| line(j).is_some_and(|l| l.order == n.order)))
            .flatten();
        let target =
            same_order.or_else(|| list.iter().rev().filter(live).find(|&&j| line(j).is_some_and(|l| l.at <= n.at)));
        let rule = if n.kind == EventType::Return { LineRule::Returned } else { LineRule::Cancelled };
        let Some(&j) = target else {
            // A return whose purchase predates this history still says the shopper did not want the product.
            if n.kind == EventType::Return {
                out.returned.insert(n.pid, n.at);
                out.ignore(n.index, rule);
            } else {
                out.ignore(n.index, LineRule::UnmatchedCancel);
            }
            continue;
        };
        if negate(&mut remaining, j, n.qty) {
            if let Some(g) = gone.get_mut(j) {
                *g = Some(rule);
            }
            if n.kind == EventType::Return {
                out.returned.insert(n.pid, n.at);
            }
        }
        out.ignore(n.index, rule);
    }
    let mut kept: Vec<Line> = Vec::with_capacity(purchases.len());
    for (j, mut l) in purchases.into_iter().enumerate() {
        if let Some(rule) = gone.get(j).copied().flatten() {
            out.ignore(l.index as usize, rule);
        } else {
            l.qty = remaining.get(j).copied().unwrap_or(l.qty);
            kept.push(l);
        }
    }
    kept
}

/// Takes `qty` off purchase `j`; true when nothing of it remains.
fn negate(remaining: &mut [f64], j: usize, qty: f64) -> bool {
    let Some(r) = remaining.get_mut(j) else { return false };
    *r -= qty;
    if *r > 1e-9 {
        return false;
    }
    *r = 0.0;
    true
}

/// A return bans the product only until the shopper buys it again: one return long ago must not ban a staple bought
/// six times since.
fn unban_rebought(kept: &[Line], out: &mut Cleaned) {
    let mut last_bought: FxHashMap<Pid, i64> = FxHashMap::default();
    for l in kept {
        let e = last_bought.entry(l.pid).or_insert(l.at);
        *e = (*e).max(l.at);
    }
    out.returned.retain(|pid, returned_at| last_bought.get(pid).is_none_or(|&b| b <= *returned_at));
}

/// The shopper's "not a gift" (`notGifts`, by product or order id) overrules every gift flag and inference.
fn overrule_gifts(c: &Catalog, prefs: &Prefs, history: &[Event], kept: &mut [Line]) {
    for l in kept.iter_mut() {
        let order = history.get(l.index as usize).and_then(|e| e.order_id.as_ref());
        if prefs.not_gifts.contains(c.id(l.pid)) || order.is_some_and(|o| prefs.not_gifts.contains(o)) {
            l.gift = None;
        }
    }
}

/// Orders per ship-to token, for the household detector.
fn ship_to_orders(out: &Cleaned) -> Vec<(u32, u32)> {
    let mut ship_orders: FxHashMap<u32, FxHashSet<(u32, i64)>> = FxHashMap::default();
    for l in out.lines.iter().chain(out.gifts.iter()) {
        if l.ship_to != NO_ID {
            ship_orders.entry(l.ship_to).or_default().insert(basket_key(l));
        }
    }
    let mut keys: Vec<Key> = ship_orders.into_iter().map(|(k, v)| (i64::from(k), v.len() as u64, k)).collect();
    sort_keys(&mut keys);
    keys.into_iter().map(|k| (k.2, k.1 as u32)).collect()
}

/// A basket: the order when given, else the day.
pub fn basket_key(l: &Line) -> (u32, i64) {
    if l.order == NO_ID {
        (NO_ID, l.at.div_euclid(MS_PER_DAY))
    } else {
        (l.order, 0)
    }
}

fn clamp_outliers(lines: &mut [Line], s: &Settings, out: &mut Cleaned) {
    // Each product's quantities are sorted once (as order keys); a line's "others" are that list less one copy of its
    // own quantity, whose median is read by index: linear in the history after the sort, where re-sorting the
    // product's lines for each of its lines was quadratic.
    // Sorted as `order::Key`s `(quantity, 0, 0)`, through the engine's one sort (`sort_keys`): an `i64` sort of its own
    // compiled a second copy of the standard sort into the module (1.7 KB gzip). Equal keys are identical, so the
    // order is the same as sorting the quantities alone.
    let mut by_pid: FxHashMap<Pid, Vec<Key>> = FxHashMap::default();
    for l in lines.iter() {
        by_pid.entry(l.pid).or_default().push((f64_asc(l.qty), 0, 0));
    }
    for v in by_pid.values_mut() {
        sort_keys(v);
    }
    for l in lines.iter_mut() {
        let Some(all) = by_pid.get(&l.pid) else {
            continue;
        };
        if all.len() < 2 {
            continue;
        }
        // The typical quantity is the median of the product's other lines.
        let typical = median_without(all, l.qty);
        if l.qty > 10.0 && l.qty > s.outlier_quantity_factor * typical.max(1.0) {
            l.qty = typical.max(1.0);
            out.ignored.push(Ignored { index: l.index, rule: LineRule::OutlierQuantity });
            out.count(LineRule::OutlierQuantity);
        }
    }
}

/// The median of `sorted` (keys `(f64_asc(quantity), 0, 0)`, ascending) with one value equal to `own` left out (none when none is).
#[allow(clippy::float_cmp)] // the very value `own` is looked for, not a near one
fn median_without(sorted: &[Key], own: f64) -> f64 {
    let at = sorted.partition_point(|k| from_f64_asc(k.0) < own);
    let skip = sorted.get(at).is_some_and(|k| from_f64_asc(k.0) == own);
    let n = sorted.len() - usize::from(skip);
    if n == 0 {
        return 0.0;
    }
    let get = |i: usize| {
        let i = if skip && i >= at { i + 1 } else { i };
        sorted.get(i).map_or(0.0, |k| from_f64_asc(k.0))
    };
    let mid = get(n / 2);
    if n % 2 == 1 {
        mid
    } else {
        (get(n / 2 - 1) + mid) / 2.0
    }
}

pub fn median(v: &mut [f64]) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    let mut keys: Vec<Key> = v.iter().map(|&x| (f64_asc(x), 0, 0)).collect();
    sort_keys(&mut keys);
    for (slot, k) in v.iter_mut().zip(keys) {
        *slot = from_f64_asc(k.0);
    }
    let n = v.len();
    let mid = v.get(n / 2).copied().unwrap_or(0.0);
    if n % 2 == 1 {
        mid
    } else {
        (v.get(n / 2 - 1).copied().unwrap_or(mid) + mid) / 2.0
    }
}

/// Gift services are what the catalog says they are: products tagged `gift-wrap` or `gift-card`. Titles are not read:
/// a gift shop sells wrapping paper as merchandise (the Online Retail sample has thousands of such lines), and
/// guessing from words would turn whole wholesale orders into "gifts".
fn is_gift_service(c: &Catalog, p: Pid) -> Option<GiftReason> {
    let tagged = |t: &str| c.tags_of(p).iter().any(|&tag| c.tag_name(tag).eq_ignore_ascii_case(t));
    if tagged("gift-card") {
        Some(GiftReason::GiftCard)
    } else if tagged("gift-wrap") {
        Some(GiftReason::GiftWrapOrder)
    } else {
        None
    }
}

/// Purchases outside the gifting seasons a shopper needs before a seasonal one-off counts as a gift.
pub const SEASONAL_GIFT_MIN_HISTORY: usize = 12;

/// Gifting seasons (UTC dates): 15 November – 24 December, and 1 – 14 February.
fn in_gifting_season(at: i64) -> bool {
    let (_, m, d) = civil_from_days(at.div_euclid(MS_PER_DAY));
    (m == 11 && d >= 15) || (m == 12 && d <= 24) || (m == 2 && d <= 14)
}

fn infer_gifts(c: &Catalog, lines: &mut [Line]) {
    // 1. Gift wrap or a gift card in an order makes that order's lines gifts.
    let mut wrapped: FxHashSet<(u32, i64)> = FxHashSet::default();
    for l in lines.iter_mut() {
        if let Some(reason) = is_gift_service(c, l.pid) {
            if l.gift.is_none() {
                l.gift = Some(reason);
            }
            if reason == GiftReason::GiftWrapOrder {
                wrapped.insert(basket_key(l));
            }
        }
    }
    // 2. A ship-to unlike the usual one: the usual one is used for the most baskets, at least two, and more than
    //    the other.
    let mut baskets_per_ship: FxHashMap<u32, FxHashSet<(u32, i64)>> = FxHashMap::default();
    for l in lines.iter() {
        if l.ship_to != NO_ID {
            baskets_per_ship.entry(l.ship_to).or_default().insert(basket_key(l));
        }
    }
    let weights: Vec<(u32, f64)> = baskets_per_ship.iter().map(|(k, v)| (*k, v.len() as f64)).collect();
    let counts: Vec<(u32, usize)> =
        by_weight_desc(&weights).into_iter().map(|k| (k, baskets_per_ship.get(&k).map_or(0, FxHashSet::len))).collect();
    let usual = match counts.as_slice() {
        [(top, n), rest @ ..] if *n >= 2 && rest.first().is_none_or(|(_, m)| m < n) => Some(*top),
        _ => None,
    };
    // 3. A one-off far from taste in a gifting season: bought once, in a top-level category the shopper never buys
    //    outside gifting seasons, by a shopper with at least `SEASONAL_GIFT_MIN_HISTORY` purchases outside them.
    let top = |p: Pid| c.ancestors(c.leaf_of(p)).last();
    let mut top_off_season: FxHashSet<u32> = FxHashSet::default();
    let mut pid_count: FxHashMap<Pid, u32> = FxHashMap::default();
    for l in lines.iter() {
        *pid_count.entry(l.pid).or_default() += 1;
        if !in_gifting_season(l.at) {
            if let Some(t) = top(l.pid) {
                top_off_season.insert(t);
            }
        }
    }
    // "Far from taste" needs a taste: enough purchases outside the gifting seasons. On sparse histories (the Complete
    // Journey sample keeps 5 % of lines) a smaller bar called ordinary groceries gifts.
    let off_season = lines.iter().filter(|l| !in_gifting_season(l.at)).count();
    for l in lines.iter_mut() {
        if l.gift.is_some() {
            continue;
        }
        if wrapped.contains(&basket_key(l)) {
            l.gift = Some(GiftReason::GiftWrapOrder);
        } else if usual.is_some_and(|u| l.ship_to != NO_ID && l.ship_to != u) {
            l.gift = Some(GiftReason::OtherShipTo);
        } else if off_season >= SEASONAL_GIFT_MIN_HISTORY
            && in_gifting_season(l.at)
            && pid_count.get(&l.pid) == Some(&1)
            && top(l.pid).is_some_and(|t| !top_off_season.contains(&t))
            && !top_off_season.is_empty()
        {
            l.gift = Some(GiftReason::SeasonalOneOff);
        }
    }
}

#[cfg(test)]
mod clamp_tests {
    use super::*;

    /// The index-read median equals re-sorting the other lines, for every line of many small multisets.
    #[test]
    fn median_without_equals_the_median_of_the_others() {
        let mut seed = 7u64;
        for round in 0..400 {
            let n = 1 + round % 13;
            let qs: Vec<f64> = (0..n)
                .map(|_| {
                    seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                    f64::from(((seed >> 33) % 7 + 1) as u32) * 1.5
                })
                .collect();
            let mut sorted: Vec<Key> = qs.iter().map(|&q| (f64_asc(q), 0, 0)).collect();
            sorted.sort_unstable();
            for &q in &qs {
                let mut others = qs.clone();
                let pos = others.iter().position(|&x| x == q).unwrap();
                others.swap_remove(pos);
                assert_eq!(median_without(&sorted, q).to_bits(), median(&mut others).to_bits(), "{qs:?} less {q}");
            }
            assert_eq!(median_without(&sorted, 1000.0), median(&mut qs.clone()), "nothing to leave out");
        }
    }
}
