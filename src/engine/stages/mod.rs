//! The ranking pipeline, one module per stage, in the order [`crate::Engine::rank`] runs them. Each stage takes what
//! the one before gave and never calls a later one:
//!
//! | # | stage | takes | gives |
//! |---|---|---|---|
//! | 1 | [`clean`] | the order history, the resolved preferences, the policy | `Cleaned`: the lines that may shape taste, each dropped line counted and listed with its rule |
//! | 2 | [`profile`] | `Cleaned` | `Taste`: decayed affinities, owned durables, repurchase cadence, evidence, household signals |
//! | 3 | [`candidates`] | `Taste`, the context (seed, cart), the model's neighbours | `CandidateSet`: the products worth scoring, with where each came from |
//! | 4 | [`score`] | the candidates, `Taste`, the preferences, the model | `Scored`: each candidate's score as named terms with the purchases behind them |
//! | 5 | [`guard`] | `Scored`, `Taste`, the context, the policy | the candidates that may be shown, and `Removal`s with stable reason codes |
//! | 6 | [`rerank`] | the guarded candidates | the final order: near-tie shuffle, diversity, slot mix, brand rule |
//! | 7 | [`explain`] | the final items, their terms, the disclosure gate | the reasons a shopper reads |

pub mod candidates;
pub mod clean;
pub mod explain;
pub mod guard;
pub mod profile;
pub mod rerank;
pub mod score;
