//! The retailer's settings for `lintCopy`. Every knob documents its meaning, range, default and clamp, and
//! [`LintSettings::resolve`] clamps to match. Unknown keys are refused (see `parse.rs`).

use crate::engine::error::{join_path, Error};
use crate::engine::input::SensitivityClass;
use crate::engine::message::text::{field_name, Phrase};
use crate::engine::message::words::{DEFAULT_SENSITIVE_CLASSES, PRICE_WORDS, SYSTEM_TOKENS};
use serde::Serialize;

/// At most this many entries in a word or token list of the lint policy.
pub const MAX_WORDS: usize = 500;

/// The lint policy as written by the retailer; see [`LintSettings`] for each knob.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct LintPolicy {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub near_words: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_words: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitive_classes: Option<Vec<SensitivityClass>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_tokens: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LintSettings {
    /// `nearWords`: `PERSONAL_NEAR_PRICE` fires when at most this many words stand between a personal token and a
    /// price-shaming phrase, in the same field. Range 0..=50 (clamped). Default 5.
    pub near_words: u32,
    /// `priceWords`: the price-shaming phrases (a trailing `*` matches a prefix; case is ignored). Replaces the
    /// default list [`PRICE_WORDS`]. At most 500.
    pub price_words: Vec<Phrase>,
    /// `sensitiveClasses`: the classes whose words `SENSITIVE_SUBJECT` looks for in the subject and preheader.
    /// Default [`DEFAULT_SENSITIVE_CLASSES`] (all but alcohol and tobacco).
    pub sensitive_classes: Vec<SensitivityClass>,
    /// `systemTokens`: merge fields that are not facts about the shopper (links, the shop, the date), so neither
    /// personal nor in need of confirmation. Replaces the default list [`SYSTEM_TOKENS`]. At most 500.
    pub system_tokens: Vec<String>,
}

/// Parses a word list (empty entries dropped).
pub fn phrases<S: AsRef<str>>(words: &[S]) -> Vec<Phrase> {
    let mut out = Vec::with_capacity(words.len());
    for w in words {
        let p = Phrase::parse(w.as_ref());
        if !p.words.is_empty() {
            out.push(p);
        }
    }
    out
}

fn names<S: AsRef<str>>(tokens: &[S]) -> Vec<String> {
    let mut out = Vec::with_capacity(tokens.len());
    for t in tokens {
        out.push(field_name(t.as_ref()));
    }
    out
}

impl Default for LintSettings {
    fn default() -> Self {
        LintSettings {
            near_words: 5,
            price_words: phrases(PRICE_WORDS),
            sensitive_classes: DEFAULT_SENSITIVE_CLASSES.to_vec(),
            system_tokens: names(SYSTEM_TOKENS),
        }
    }
}

impl LintSettings {
    pub fn resolve(policy: Option<&LintPolicy>, root: &str) -> Result<LintSettings, Error> {
        let mut s = LintSettings::default();
        let Some(p) = policy else { return Ok(s) };
        let check = |len: usize, key: &str| -> Result<(), Error> {
            if len > MAX_WORDS {
                return Err(Error::limit(join_path(root, key), "at most 500 entries"));
            }
            Ok(())
        };
        if let Some(n) = p.near_words {
            s.near_words = n.min(50);
        }
        if let Some(words) = &p.price_words {
            check(words.len(), "priceWords")?;
            s.price_words = phrases(words);
        }
        if let Some(classes) = &p.sensitive_classes {
            s.sensitive_classes = classes.clone();
        }
        if let Some(tokens) = &p.system_tokens {
            check(tokens.len(), "systemTokens")?;
            s.system_tokens = names(tokens);
        }
        Ok(s)
    }
}
