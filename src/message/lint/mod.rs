//! `lintCopy`: checks a message's subject, preheader and body before it goes out. Each rule is one file with a
//! stable code; every issue carries the field and its span in UTF-16 code units (see [`text`]).
//!
//! | code | rule |
//! |---|---|
//! | `PERSONAL_NEAR_PRICE` | a personal token within `nearWords` words of a price-shaming phrase ([`near_price`]) |
//! | `ZERO_VALUE` | a zero or negative amount shown ("balance: $0", "0 points", "no points left", "your balance is zero"), or a token whose fact is ≤ 0 ([`zero_value`]) |
//! | `UNCONFIRMED_FACT` | a token for a fact the shopper never confirmed ([`unconfirmed`]) |
//! | `SENSITIVE_SUBJECT` | a sensitive-class word (or one of the shop's `sensitiveWords`) in the subject or preheader ([`sensitive`]) |
//! | `GENDERED` | gendered salutations or words, or a gender token, without a stated preference ([`gendered`]) |
//!
//! [`text`]: crate::message::text

pub mod gendered;
pub mod near_price;
pub mod sensitive;
pub mod unconfirmed;
pub mod zero_value;

use crate::contract::error::Error;
use crate::message::lint_policy::{LintPolicy, LintSettings};
use crate::message::text::{self, field_name, Item, Kind};
use crate::util::order;
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};

/// Longest subject or preheader, in UTF-16 code units.
pub const MAX_LINE: usize = 1_024;
/// Longest body (text or HTML), in UTF-16 code units.
pub const MAX_BODY: usize = 200_000;
/// Most facts in one request.
pub const MAX_FACTS: usize = 1_000;

/// Where a fact comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum FactSource {
    /// The shopper typed it in themselves (the first name they gave when subscribing): confirmed, unless the shop
    /// says `confirmed: false`.
    Shopper,
    /// The shop derived it (a gender guessed from a name, a life event or an age read off purchases, a name taken from
    /// an email address): never confirmed, whatever `confirmed` says. A shopper who confirms an inference states it:
    /// record that as `source: "shopper"`.
    Inferred,
}

/// What the shop knows about one fact of the shopper, and whether the shopper confirmed it (typed it in, or said
/// "yes, that's right" on the preference center). A fact the shop inferred is not confirmed.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Fact {
    /// Default: true for a fact of `source: "shopper"`, false otherwise; never true for `source: "inferred"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmed: Option<bool>,
    /// Where the fact comes from; without one, only `confirmed: true` confirms it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<FactSource>,
    /// What the token renders: a number ≤ 0 (or text like "$0.00") is `ZERO_VALUE`. For `gender`/`pronouns`,
    /// the stated gender; for `salutation`, the stated salutation (`"Ms"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<FactValue>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(untagged)]
pub enum FactValue {
    Number(f64),
    Text(String),
}

/// The copy to check. Facts are keyed by field name, compared as merge fields are (`firstName` is `{FNAME}`).
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct LintRequest {
    pub subject: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preheader: Option<String>,
    /// Plain text or HTML (tags and entities are skipped).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Facts by name: `{ "firstName": { "confirmed": true } }`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(type = "{ [name: string]: Fact }"))]
    pub facts: Option<FactMap>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<LintPolicy>,
}

/// Facts by name, in the order given. A list rather than a map type: one more map type would add its whole
/// B-tree code to the wasm build for a handful of entries.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FactMap(pub Vec<(String, Fact)>);

impl Serialize for FactMap {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum LintField {
    Subject,
    Preheader,
    Body,
}

/// One finding. `start`/`end` are UTF-16 code units into the field: `field.slice(start, end)` in JS is the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct LintIssue {
    pub code: String,
    pub message: String,
    pub field: LintField,
    pub start: u32,
    pub end: u32,
}

/// The facts, by normalised field name.
pub struct Facts {
    list: Vec<(String, Fact)>,
}

impl Facts {
    /// The fact of a field name; of two that normalise alike (`firstName`, `first_name`), the last.
    pub fn get(&self, name: &str) -> Option<&Fact> {
        self.list.iter().rev().find(|(k, _)| k == name).map(|(_, f)| f)
    }

    /// The fact of a field name, when it counts as confirmed: typed by the shopper (unless the shop says
    /// `confirmed: false`), or confirmed by the shop; an inferred fact never.
    pub fn confirmed(&self, name: &str) -> Option<&Fact> {
        self.get(name).filter(|f| match f.source {
            Some(FactSource::Inferred) => false,
            Some(FactSource::Shopper) => f.confirmed != Some(false),
            None => f.confirmed == Some(true),
        })
    }
}

/// One field, split into items.
pub struct Field<'a> {
    pub field: LintField,
    pub text: &'a str,
    pub items: Vec<Item>,
}

impl Field<'_> {
    /// The copy from item `a` to item `b`, as written.
    pub fn quote(&self, a: usize, b: usize) -> &str {
        match (self.items.get(a), self.items.get(b)) {
            (Some(x), Some(y)) => self.text.get(x.byte_start..y.byte_end).unwrap_or(""),
            _ => "",
        }
    }

    pub fn issue(&self, code: &str, message: String, a: usize, b: usize) -> LintIssue {
        let start = self.items.get(a).map_or(0, |i| i.start);
        let end = self.items.get(b).map_or(start, |i| i.end);
        LintIssue { code: code.to_string(), message, field: self.field, start, end }
    }
}

pub struct Ctx<'a> {
    pub s: &'a LintSettings,
    pub facts: &'a Facts,
}

impl Ctx<'_> {
    /// A merge token about the shopper: any token but the shop's system fields.
    pub fn is_personal(&self, item: &Item) -> bool {
        item.kind == Kind::Token && !self.s.system_tokens.contains(&item.text)
    }
}

/// `“text”`, for messages.
pub fn quoted(text: &str) -> String {
    let mut s = String::from("“");
    s.push_str(text);
    s.push('”');
    s
}

fn check_len(text: &str, max: usize, path: &str, message: &str) -> Result<(), Error> {
    // Bytes are at least UTF-16 units: only long texts need counting.
    if text.len() > max && text.encode_utf16().count() > max {
        return Err(Error::limit(path, message));
    }
    Ok(())
}

pub fn lint(req: &LintRequest) -> Result<Vec<LintIssue>, Error> {
    const LINE: &str = "at most 1024 UTF-16 code units";
    check_len(&req.subject, MAX_LINE, "subject", LINE)?;
    check_len(req.preheader.as_deref().unwrap_or(""), MAX_LINE, "preheader", LINE)?;
    check_len(req.body.as_deref().unwrap_or(""), MAX_BODY, "body", "at most 200000 UTF-16 code units")?;
    let raw_facts = req.facts.as_ref().map_or(&[][..], |f| &f.0[..]);
    if raw_facts.len() > MAX_FACTS {
        return Err(Error::limit("facts", "at most 1000 facts"));
    }
    let s = LintSettings::resolve(req.policy.as_ref(), "policy")?;
    let mut list = Vec::with_capacity(raw_facts.len());
    for (k, v) in raw_facts {
        list.push((field_name(k), v.clone()));
    }
    let facts = Facts { list };
    let ctx = Ctx { s: &s, facts: &facts };
    let mut out = Vec::new();
    let fields = [
        (LintField::Subject, Some(req.subject.as_str())),
        (LintField::Preheader, req.preheader.as_deref()),
        (LintField::Body, req.body.as_deref()),
    ];
    for (field, text) in fields {
        let Some(text) = text else { continue };
        let f = Field { field, text, items: text::items(text, field == LintField::Body) };
        near_price::check(&ctx, &f, &mut out);
        zero_value::check(&ctx, &f, &mut out);
        unconfirmed::check(&ctx, &f, &mut out);
        if field != LintField::Body {
            sensitive::check(&ctx, &f, &mut out);
        }
        gendered::check(&ctx, &f, &mut out);
    }
    // By field, then position; the same finding twice is reported once.
    let mut keys: Vec<order::Key> = Vec::with_capacity(out.len());
    for (i, x) in out.iter().enumerate() {
        keys.push((((x.field as i64) << 32) | i64::from(x.start), u64::from(x.end), i as u32));
    }
    order::sort_keys(&mut keys);
    let mut sorted = order::permute(out, &keys);
    sorted.dedup_by(|a, b| a.code == b.code && a.field == b.field && a.start == b.start && a.end == b.end);
    Ok(sorted)
}
