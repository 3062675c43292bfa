//! The native tool's logic (`tactful model build`, `recommend`, `evaluate`), kept out of `src/bin` so it is testable
//! and out of the wasm build (`cli` feature). The core (`engine`) stays free of I/O; files are read and written here.

pub mod baselines;
pub mod evaluate;
pub mod metrics;
pub mod model_build;
pub mod pack;
pub mod products;
pub mod qa;
pub mod read;
pub mod shop;
pub mod split;
pub mod svd;
pub mod sweep;
pub mod synth;
