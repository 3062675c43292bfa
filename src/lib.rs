//! tactful — personalization with tact.
//!
//! Ranks products for one shopper from that shopper's purchase history, which never leaves the browser, and refuses
//! the known failures of purchase-history personalization: every one a named guardrail with a stable reason code, a
//! test, an explanation the shopper can read, and a line in the audit.
//!
//! The pure core is [`engine`] (no I/O, no JS); [`wasm`] is the thin JS-facing edge (wasm32 only), and
//! [`wasm_message`] exports the messaging helpers of [`message`] as free functions.
//!
//! ```
//! use tactful::{Engine, EngineOptions, Product, RankRequest, Context, Event, Timestamp};
//! let products: Vec<Product> = (0..20)
//!     .map(|i| Product { id: format!("p{i}"), category: Some(vec![format!("c{}", i % 4)]), ..Product::default() })
//!     .collect();
//! let mut engine = Engine::new(&products, &EngineOptions::default()).unwrap();
//! let now = Timestamp::parse_iso("2024-05-01T12:00:00Z").unwrap();
//! let history = vec![Event::purchase("p1", Timestamp::parse_iso("2024-04-01").unwrap())];
//! let ranking = engine.rank(&RankRequest { history, preferences: None, impressions: None, context: Context::at(now) }).unwrap();
//! assert_eq!(ranking.items.len(), 10);
//! ```

//! The tree follows the design, lowest layer first; an arrow only ever points down this list:
//! - [`util`]: a sort and a small map, knowing nothing of shops;
//! - [`contract`]: the types that cross the boundary (requests, results, the coded error, time);
//! - [`read`]: reading JS values and JSON text with paths and limits;
//! - [`engine`]: the ranking engine — the seven [`engine::stages`] in pipeline order and their support types;
//! - [`message`]: the messaging helpers (send planning, copy lint, segments, lift), independent of ranking;
//! - the edges: `wasm` and `wasm_message` (JS, wasm32 only) and [`cli`] (the native tool, feature `cli`).

// Clippy's pedantic group is on for the library, and each lint it allows here says why (reviewed in #13).
#![warn(clippy::pedantic)]
#![allow(
    // Numeric casts are representation choices, bounded at the edge: product and line ids are u32 (a catalog holds
    // at most 200,000 products, a list 50,000 entries), times are i64 milliseconds, scores f64; counts and
    // milliseconds stay far below 2^52, where f64 is exact.
    clippy::cast_possible_truncation,
    clippy::cast_precision_loss,
    clippy::cast_sign_loss,
    clippy::cast_possible_wrap,
    // Pure functions return what they compute; a #[must_use] on each adds noise, not safety.
    clippy::must_use_candidate,
    // Every error is the one coded `Error`; its codes are documented on `ErrorCode`, its paths in the README.
    clippy::missing_errors_doc,
    // The pipeline's long functions are split into named phases; what stays long is a table (word lists, the native
    // tool's argument dispatch, the QA report's sections), clearer whole.
    clippy::too_many_lines,
    // Scoring reads as its formulas: c (catalog), s (settings), p (product), x (a scored candidate), w (the personal
    // weight), and pairs such as `pid`/`pids`.
    clippy::many_single_char_names,
    clippy::similar_names,
    // `(a + b) / 2.0` is the formula the Spark model builder reproduces byte for byte.
    clippy::manual_midpoint,
    // The native tool builds its reports with `format!` into a String: clarity over one allocation.
    clippy::format_push_string
)]
// Unit tests assert exact values (known floats, published hash constants): pedantic's style checks stay out of them.
#![cfg_attr(test, allow(clippy::pedantic))]

#[cfg(feature = "cli")]
pub mod cli;
pub mod contract;
pub mod engine;
pub mod message;
pub mod read;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod typegen;
pub mod util;

/// Internals that the criterion benchmarks and the wasm tests time or check directly. Not part of the API: they
/// may change in any release.
#[doc(hidden)]
pub mod internals {
    pub use crate::engine::catalog::BitSet;
    pub use crate::engine::stages::score::{ALIKE_CANDIDATES, ALIKE_FROM, ALIKE_MIN};
    pub mod scan {
        #[cfg(target_arch = "wasm32")]
        pub use crate::engine::scan::dot_scalar;
        pub use crate::engine::scan::{dot, top_k};
    }
}
#[cfg(target_arch = "wasm32")]
pub mod wasm;
#[cfg(all(target_arch = "wasm32", feature = "message-api"))]
pub mod wasm_message;

pub use contract::codes::{GuardCode, LineRule, ReasonCode, SendCode, SummaryCode, Suppression};
pub use contract::error::{Error, ErrorCode};
pub use contract::input::*;
pub use contract::output::*;
pub use contract::time::Timestamp;
pub use engine::model::Model;
pub use engine::policy::{BrandRule, Policy, PolicyPreset, PolicySpec, Settings};
pub use engine::{Engine, EngineOptions};
