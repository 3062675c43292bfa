//! What goes out: the ranking with its reasons and audit, and the profile a preference center can show a person.
//! Counts are `u32`, times `f64` epoch milliseconds, scores finite `f64`; absent values are `null` in JS.

use crate::contract::codes::{GuardCode, LineRule, ReasonCode, SummaryCode};
use crate::contract::input::Device;
use crate::contract::time::Timestamp;
use crate::util::dict::Dict;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Enough evidence and consent: mostly personal.
    Personal,
    /// Some evidence: personal and popular signals blended by evidence.
    Blended,
    /// No consent, no evidence, or a surface the policy keeps impersonal: a good non-personal list.
    Default,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Slot {
    Personal,
    Discovery,
    New,
    Popular,
    Business,
}

/// A reason a shopper can read: why an item is in the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Reason {
    pub code: ReasonCode,
    pub text: String,
}

/// One sentence of the "why not?" panel: a guardrail that acted, with its count in words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SummaryLine {
    pub code: SummaryCode,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct RankedItem {
    pub product_id: String,
    /// Finite.
    pub score: f64,
    pub slot: Slot,
    /// The terms that produced the score, largest first.
    pub reasons: Vec<Reason>,
}

/// A product a guardrail took out, for "why not?".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Removal {
    pub product_id: String,
    pub code: GuardCode,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Ranking {
    pub items: Vec<RankedItem>,
    /// Capped list (policy `maxRemoved`), for "why not?".
    pub removed: Vec<Removal>,
    /// Full counts per guardrail code (and `POLICY_SURFACE`: the history lines not used because the shop keeps this
    /// surface impersonal).
    #[cfg_attr(test, ts(type = "Partial<Record<SummaryCode, number>>"))]
    pub removed_counts: Dict<u32>,
    /// One sentence per guardrail that acted, with its count, for a "why not?" panel: the only trace of what is
    /// never listed by name (sensitive, regulated, shared-device, muted and forgotten products).
    pub summary: Vec<SummaryLine>,
    pub mode: Mode,
    /// Effective number of clean purchases behind the personal part.
    pub evidence: f64,
    /// On `email` and `push` with `context.device`: how the message lays out `items` on that device (how many, which
    /// layout, the image box, titles cut to fit). `null` elsewhere. It never changes `removed`, `removedCounts` or
    /// `summary`.
    #[serde(default)]
    pub layout: Option<MessageLayout>,
}

/// A purchase behind a belief, as the shopper can recognise it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct PurchaseRef {
    pub product_id: String,
    pub title: String,
    #[cfg_attr(test, ts(type = "number"))]
    pub at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct CategoryBelief {
    /// The category path, top level first.
    pub path: Vec<String>,
    /// Time-decayed share of taste, 0..1 (all categories of one level sum to 1).
    pub affinity: f64,
    /// The purchases behind it, newest first (at most 5).
    pub purchases: Vec<PurchaseRef>,
    /// How many clean purchases in all.
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct BrandBelief {
    pub brand: String,
    pub affinity: f64,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct OwnedItem {
    pub product_id: String,
    pub title: String,
    #[cfg_attr(test, ts(type = "number"))]
    pub since: Timestamp,
    /// When ownership is expected to end (purchase + lifetime); `null` when the catalog states no lifetime.
    #[cfg_attr(test, ts(type = "number | null"))]
    pub until: Option<Timestamp>,
    /// The product line owned, if the catalog names one.
    pub product_line: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct DueItem {
    pub product_id: String,
    pub title: String,
    /// The interval used, in days: the shopper's own median gap shrunk toward the category default.
    pub interval_days: f64,
    /// 0..1: how much of the interval comes from the shopper's own gaps.
    pub confidence: f64,
    #[cfg_attr(test, ts(type = "number"))]
    pub last_bought: Timestamp,
    #[cfg_attr(test, ts(type = "number"))]
    pub due_at: Timestamp,
}

/// A history line that does not shape taste, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct IgnoredLine {
    /// Index of the event in the history given.
    pub index: u32,
    pub product_id: String,
    /// The cleaning rule; `OUTLIER_QUANTITY` lines are kept, at a typical quantity.
    pub reason: LineRule,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct SharedUse {
    /// True when the history looks like several people's.
    pub likely: bool,
    /// Distinct household members named in the history.
    pub members: u32,
    /// Distinct ship-to tokens used for more than one order.
    pub ship_to_clusters: u32,
    /// What the belief rests on, in words.
    pub evidence: Vec<String>,
}

/// What the engine believes about this shopper, and why: for the preference center.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    /// Effective number of clean purchases (time-decayed).
    pub evidence: f64,
    /// The mode a home-page ranking would have now.
    pub mode: Mode,
    pub categories: Vec<CategoryBelief>,
    pub brands: Vec<BrandBelief>,
    pub owned: Vec<OwnedItem>,
    pub due_soon: Vec<DueItem>,
    /// Categories of the last few days' purchases (recent intent), top level first.
    pub recent_intent: Vec<Vec<String>>,
    pub gifts: Vec<IgnoredLine>,
    pub ignored: Vec<IgnoredLine>,
    /// Entries the disclosure gate left out of the lists above, counted by reason (`FORGOTTEN`, `SENSITIVE`,
    /// `NO_CONSENT`, `MUTED`, `GIFT` and `RETURNED` on a shared screen, …): where a name may not be shown, the page
    /// shows the count ("3 purchases you asked us to forget are not used").
    #[cfg_attr(test, ts(type = "Partial<Record<LineRule | GuardCode, number>>"))]
    pub withheld: Dict<u32>,
    /// Purchases in a sensitive class the shopper did not opt into: counted, never used or shown.
    pub sensitive_ignored: u32,
    pub unknown_products: u32,
    pub shared_use: SharedUse,
    /// Lines each cleaning rule touched, and `USED`: the lines that shape taste.
    #[cfg_attr(test, ts(type = "Partial<Record<LineRule | \"USED\", number>>"))]
    pub cleaning: Dict<u32>,
}

/// How a message arranges its products.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum LayoutKind {
    /// One product per row, a thumbnail beside the text (an email on a phone).
    List,
    /// Cards side by side, `columns` across (an email on a tablet or desktop).
    Grid,
    /// One product, as a notification shows it (push).
    Notification,
}

/// One shown product's title as it fits the device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct FittedTitle {
    pub product_id: String,
    /// At most `titleChars` characters: cut at a word boundary, with "…", when the catalog's title is longer.
    pub title: String,
    /// Whether the title was cut.
    pub truncated: bool,
}

/// How an email or push lays out its products on the reader's device: only with `context.device` on the `email`
/// and `push` surfaces (`null` elsewhere). `items` holds the first `maxItems` of the ranking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct MessageLayout {
    pub device: Device,
    pub layout: LayoutKind,
    /// Products side by side.
    pub columns: u32,
    /// How many products the message shows.
    pub max_items: u32,
    /// Longest title, in characters (Unicode scalar values, "…" included).
    pub title_chars: u32,
    /// The image box, in CSS pixels.
    pub image_width: u32,
    pub image_height: u32,
    /// The titles of `items`, in order, fitted to `titleChars`.
    pub titles: Vec<FittedTitle>,
}
