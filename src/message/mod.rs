//! Messaging guardrails (email and push), all local and pure: the same engine that ranks decides when a message may
//! go out, checks its copy, assigns holdouts and checks segment sizes. Nothing here reads a clock or does I/O.
//!
//! - [`send`]: `planSend`: the next send time from the shopper's own opens and clicks ([`engagement`]), inside quiet
//!   hours ([`window`]), a minimum gap and daily/weekly caps shared by email, push and the page ([`ledger`]), the
//!   retailer's capacity window, and a floor for welcome messages; knobs in [`send_policy`].
//! - [`lint`]: `lintCopy`: personal tokens near price-shaming words, zero-value facts, unconfirmed facts, sensitive
//!   words in the subject or preheader, gendered wording; spans in UTF-16 code units ([`text`]); knobs and word
//!   lists in [`lint_policy`] and [`words`].
//! - [`holdout`]: `inHoldout`, deterministic from a salted FNV-1a 64 hash; [`lift`]: `liftReport`, lift with a
//!   Newcombe interval.
//! - [`segments`]: `checkSegments`: too-small segments, more segments than customers.
//!
//! Requests are read from a plain `Value` tree by the readers in [`parse`], like every other input.

pub mod channel;
pub mod engagement;
pub mod holdout;
pub mod ledger;
pub mod lift;
pub mod lint;
pub mod lint_policy;
pub mod parse;
pub mod segments;
pub mod send;
pub mod send_policy;
pub mod text;
pub mod window;
pub mod words;

pub use channel::{Channel, LedgerChannel, Purpose};
pub use engagement::{EngagementEvent, EngagementType};
pub use holdout::HoldoutRequest;
pub use ledger::{LedgerEntry, MessageCaps};
pub use lift::{Arm, LiftReport, LiftRequest};
pub use lint::{Fact, FactMap, FactSource, FactValue, LintField, LintIssue, LintRequest};
pub use lint_policy::LintPolicy;
pub use segments::MAX_SEGMENTS;
pub use segments::{SegmentIssue, SegmentReport, SegmentRequest};
pub use send::{SendPlan, SendReason, SendRequest};
pub use send_policy::{CapacityWindow, SendPolicy};
pub use window::{DailyWindow, LocalTime};
pub use words::LintClass;

pub(crate) use crate::util::num::round6;

/// Appends `n` in decimal: integer formatting only (float formatting would add ~20 KB to the wasm build).
pub(crate) fn push_int(out: &mut String, n: i64) {
    out.push_str(&n.to_string());
}

pub(crate) use crate::contract::schedule::push_hhmm;
