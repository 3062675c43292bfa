//! The retailer's settings for `lintCopy`. Every knob documents its meaning, range, default and clamp, and
//! [`LintSettings::resolve`] clamps to match. Unknown keys are refused (see `parse.rs`).

use crate::contract::error::{join_path, Error};
use crate::message::text::{field_name, Phrase};
use crate::message::words::{sensitive_words, LintClass, DEFAULT_SENSITIVE_CLASSES, PRICE_WORDS, SYSTEM_TOKENS};
use serde::Serialize;

/// At most this many entries in a word or token list of the lint policy.
pub const MAX_WORDS: usize = 500;
/// At most this many UTF-16 code units in one entry of a word or token list.
pub const MAX_WORD_LEN: usize = 100;

/// The lint policy as written by the retailer; see [`LintSettings`] for each knob.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct LintPolicy {
    /// `PERSONAL_NEAR_PRICE` fires when at most this many words stand between a personal token and a
    /// price-shaming phrase, in the same field. 0–50 (clamped); default 5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub near_words: Option<u32>,
    /// The price-shaming phrases (a trailing `*` matches a prefix; case ignored); replaces the default list.
    /// At most 500 entries of at most 100 UTF-16 units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_words: Option<Vec<String>>,
    /// The classes `SENSITIVE_SUBJECT` checks: product sensitivity classes, and `"life_events"` (bereavement,
    /// divorce, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(type = "Array<SensitivityClass | \"life_events\"> | null"))]
    pub sensitive_classes: Option<Vec<LintClass>>,
    /// The shop's own sensitive words and phrases (`["hair loss", "rehab"]`), checked in the subject and
    /// preheader besides the classes' lists. At most 500 entries. Default none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitive_words: Option<Vec<String>>,
    /// Merge fields that are not facts about the shopper (unsubscribe link, shop name, date, …); replaces the
    /// default list. At most 500 entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_tokens: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LintSettings {
    /// `nearWords`: `PERSONAL_NEAR_PRICE` fires when at most this many words stand between a personal token and a
    /// price-shaming phrase, in the same field. Range 0..=50 (clamped). Default 5.
    pub near_words: u32,
    /// `priceWords`: the price-shaming phrases (a trailing `*` matches a prefix; case is ignored). Replaces the
    /// default list [`PRICE_WORDS`]. At most 500 entries of at most 100 UTF-16 code units each.
    pub price_words: Vec<Phrase>,
    /// `sensitiveClasses`: the classes whose words `SENSITIVE_SUBJECT` looks for in the subject and preheader: the
    /// product sensitivity classes and `life_events`. Default [`DEFAULT_SENSITIVE_CLASSES`] (all but alcohol and
    /// tobacco); `[]` turns the built-in lists off (the shop's own `sensitiveWords` still apply).
    pub sensitive_classes: Vec<LintClass>,
    /// `sensitiveWords`: the shop's own sensitive words and phrases (`["hair loss", "rehab"]`), looked for in the
    /// subject and preheader in addition to the classes' lists, matched as those are (whole words, case ignored,
    /// regular inflections, a trailing `*` for a prefix). At most 500 entries of at most 100 UTF-16 code units
    /// each. Default none.
    pub sensitive_words: Vec<Phrase>,
    /// `systemTokens`: merge fields that are not facts about the shopper (links, the shop, the date), so neither
    /// personal nor in need of confirmation. Replaces the default list [`SYSTEM_TOKENS`]. At most 500 entries of at
    /// most 100 UTF-16 code units each.
    pub system_tokens: Vec<String>,
}

/// Parses a word list (entries without a word dropped).
pub fn phrases<S: AsRef<str>>(words: &[S]) -> Vec<Phrase> {
    phrases_with(words, Phrase::parse)
}

fn phrases_with<S: AsRef<str>>(words: &[S], parse: fn(&str) -> Phrase) -> Vec<Phrase> {
    let mut out = Vec::with_capacity(words.len());
    for w in words {
        let p = parse(w.as_ref());
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
            sensitive_words: Vec::new(),
            system_tokens: names(SYSTEM_TOKENS),
        }
    }
}

/// A list of at most [`MAX_WORDS`] entries of at most [`MAX_WORD_LEN`] UTF-16 code units, or `LIMIT_EXCEEDED` at
/// `root.key` or `root.key[i]`.
fn check_list(list: &[String], root: &str, key: &str) -> Result<(), Error> {
    if list.len() > MAX_WORDS {
        return Err(Error::limit(join_path(root, key), "at most 500 entries"));
    }
    for (i, w) in list.iter().enumerate() {
        // Bytes are at least UTF-16 units: only long entries need counting.
        if w.len() > MAX_WORD_LEN && w.encode_utf16().count() > MAX_WORD_LEN {
            let mut path = join_path(root, key);
            path.push('[');
            path.push_str(&i.to_string());
            path.push(']');
            return Err(Error::limit(path, "at most 100 UTF-16 code units"));
        }
    }
    Ok(())
}

impl LintSettings {
    pub fn resolve(policy: Option<&LintPolicy>, root: &str) -> Result<LintSettings, Error> {
        let mut s = LintSettings::default();
        let Some(p) = policy else { return Ok(s) };
        if let Some(n) = p.near_words {
            s.near_words = n.min(50);
        }
        if let Some(words) = &p.price_words {
            check_list(words, root, "priceWords")?;
            s.price_words = phrases(words);
        }
        if let Some(classes) = &p.sensitive_classes {
            s.sensitive_classes.clone_from(classes);
        }
        if let Some(words) = &p.sensitive_words {
            check_list(words, root, "sensitiveWords")?;
            s.sensitive_words = phrases_with(words, Phrase::inflected);
        }
        if let Some(tokens) = &p.system_tokens {
            check_list(tokens, root, "systemTokens")?;
            s.system_tokens = names(tokens);
        }
        Ok(s)
    }

    /// What `SENSITIVE_SUBJECT` looks for, in order: each chosen class's words with the class, then the shop's own
    /// words (no class).
    pub fn sensitive_phrases(&self) -> Vec<(Option<LintClass>, Phrase)> {
        let mut out = Vec::with_capacity(200 + self.sensitive_words.len());
        for &class in &self.sensitive_classes {
            for w in sensitive_words(class) {
                out.push((Some(class), Phrase::inflected(w)));
            }
        }
        for p in &self.sensitive_words {
            out.push((None, p.clone()));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_limited_in_count_and_entry_length_with_their_path() {
        let long = "x".repeat(MAX_WORD_LEN + 1);
        let p = LintPolicy { sensitive_words: Some(vec!["rehab".into(), long.clone()]), ..LintPolicy::default() };
        let e = LintSettings::resolve(Some(&p), "policy").unwrap_err();
        assert_eq!(e.path, "policy.sensitiveWords[1]");
        let p = LintPolicy { price_words: Some(vec!["a".into(); MAX_WORDS + 1]), ..LintPolicy::default() };
        assert_eq!(LintSettings::resolve(Some(&p), "policy").unwrap_err().path, "policy.priceWords");
        let p = LintPolicy { system_tokens: Some(vec![long]), ..LintPolicy::default() };
        assert_eq!(LintSettings::resolve(Some(&p), "policy").unwrap_err().path, "policy.systemTokens[0]");
        // At the limits: fine, and counted in UTF-16 units, not bytes.
        let p =
            LintPolicy { sensitive_words: Some(vec!["é".repeat(MAX_WORD_LEN); MAX_WORDS]), ..LintPolicy::default() };
        assert_eq!(LintSettings::resolve(Some(&p), "policy").unwrap().sensitive_words.len(), MAX_WORDS);
    }

    #[test]
    fn every_default_list_entry_parses_to_words() {
        let s = LintSettings::default();
        for (class, p) in s.sensitive_phrases() {
            assert!(!p.words.is_empty(), "{class:?}");
            assert!(p.inflect);
        }
    }
}
