//! tactful — personalization with tact.
//!
//! Ranks products for one shopper from that shopper's purchase history, which never leaves the browser, and refuses
//! the known failures of purchase-history personalization: every one a named guardrail with a stable reason code, a
//! test, an explanation the shopper can read, and a line in the audit.
//!
//! The pure core is [`engine`] (no I/O, no JS); [`wasm`] is the thin JS-facing edge (wasm32 only), and
//! [`wasm_message`] exports the messaging helpers of [`engine::message`] as free functions.
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

#[cfg(feature = "cli")]
pub mod cli;
pub mod engine;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod typegen;
#[cfg(target_arch = "wasm32")]
pub mod wasm;
#[cfg(all(target_arch = "wasm32", feature = "message-api"))]
pub mod wasm_message;

pub use engine::error::{Error, ErrorCode};
pub use engine::input::*;
pub use engine::layout::{FittedTitle, LayoutKind, MessageLayout};
pub use engine::model::Model;
pub use engine::output::*;
pub use engine::policy::{BrandRule, Policy, PolicyPreset, PolicySpec, Settings};
pub use engine::time::Timestamp;
pub use engine::{Engine, EngineOptions};
