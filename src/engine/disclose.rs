//! The disclosure gate: one place decides, for every product and fact the engine writes for a person to read, two
//! separate things — may it be **used as evidence** here, and may it be **named** here. "Here" is the reader: the
//! surface (the shopper's own site pages, or an email or push that others in the household may see), whether the
//! screen is shared (the shopper said so, or the orders look like a household's and the shopper has not said the
//! device is theirs alone), and the shopper's consent, opt-ins, muted and forgotten topics.
//!
//! Every text that can carry a product's id or title, or a fact about the shopper, asks the gate: the sources behind
//! `items[].reasons` (`score`, `explain`), the capped `removed` list, and every list of `profile()`. What may not be
//! named is counted instead (`removedCounts`, `summary`, `profile().withheld`, `profile().cleaning`).
//!
//! The rules (README "Disclosure", `docs/design.md`):
//! - **Forgotten** topics are neither evidence nor named, anywhere; a forgotten line is only counted.
//! - **Sensitive classes** (the catalog's `sensitivity` or the policy's mapping, romance included) are evidence and
//!   may be named only on the shopper's own screen: opted into, not in email or push, not on a shared device or a
//!   detected household. A sensitive cart item or seed is then not a source of anything either.
//! - **Muted** products are never named (not as a reason's source, not in `removed`) and never a source of pull.
//! - **Without consent** nothing from the history is used or listed: `profile()` counts only.
//! - **Shared screens and messages** (a shared device, a household not denied, email, push): nothing from the
//!   shopper's own history is named in `removed` — not a return, not a gift, not what they own; gifts and returns are
//!   not listed in `profile()` there either.
//! - A product is in `items` or in `removed`, never both (the caller passes what it picked).

use crate::contract::codes::GuardCode as Code;
use crate::contract::input::Surface;
use crate::engine::catalog::{Catalog, Pid};
use crate::engine::prefs::Prefs;
use rustc_hash::FxHashSet;

/// Who reads what the engine writes, and what the shopper allowed there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reader {
    pub surface: Surface,
    /// A shared device, or a household account the shopper has not said is theirs alone.
    pub shared: bool,
    /// Personal signals may be used on this surface (consent for the purpose, and the policy allows it).
    pub consent: bool,
}

impl Reader {
    /// Whether the reader may be someone other than the shopper: a shared screen, or a message others may see.
    pub fn public(self) -> bool {
        self.shared || self.surface.is_message()
    }

    /// Whether sensitive classes the shopper opted into may be read here at all (own screen only).
    pub fn sensitive_allowed(self) -> bool {
        !self.public()
    }
}

/// Whether the shopper's screen counts as shared: they said so, or the history looks like a household's and they
/// have not said the device is theirs alone (`sharedDevice: false`, distinct from absent).
pub fn shared(prefs: &Prefs, household_likely: bool) -> bool {
    prefs.shared_device || (household_likely && !prefs.device_mine)
}

/// The gate for one call.
pub struct Gate<'a> {
    c: &'a Catalog,
    prefs: &'a Prefs,
    pub reader: Reader,
    /// Products anywhere in the shopper's history (any line, used or not): what "own history" means for naming.
    own: FxHashSet<Pid>,
}

impl<'a> Gate<'a> {
    pub fn new(c: &'a Catalog, prefs: &'a Prefs, reader: Reader, own: FxHashSet<Pid>) -> Gate<'a> {
        Gate { c, prefs, reader, own }
    }

    fn sensitive_ok(&self, p: Pid) -> bool {
        let class = self.c.sensitivity_of(p);
        class == 0 || (self.reader.sensitive_allowed() && self.prefs.opted_into(class))
    }

    fn forgotten(&self, p: Pid) -> bool {
        self.prefs.forgotten.covers(self.c, p)
    }

    /// May `p` be used as evidence here (a history line's taste, a cart item's or seed's pull)?
    pub fn may_use(&self, p: Pid) -> bool {
        !self.forgotten(p) && self.sensitive_ok(p)
    }

    /// May `p` be named here (its id or title in any text)? Never what may not be used, nor what the shopper muted.
    pub fn may_name(&self, p: Pid) -> bool {
        self.may_use(p) && !self.prefs.muted.covers(self.c, p)
    }

    /// May `p` be the named source of another product's reason ("Often bought with …", "Pairs with …")? Only what may
    /// be named; a muted product pulls nothing.
    pub fn may_source(&self, p: Pid) -> bool {
        self.may_name(p)
    }

    /// Whether `p` is in the shopper's own history (any line).
    pub fn own(&self, p: Pid) -> bool {
        self.own.contains(&p)
    }

    /// May a removal of `p` under `code` be listed by name in `removed`? Codes that exist to hide something are only
    /// counted; on a shared screen or in a message nothing from the shopper's own history is named.
    pub fn may_list_removal(&self, p: Pid, code: Code) -> bool {
        if !code.listed() || !self.may_name(p) {
            return false;
        }
        !(self.reader.public() && (code.tier() == 0 || self.own(p)))
    }

    /// May a history line of `p` (`None`: a product the catalog does not know) be listed in `profile()`, under a
    /// cleaning rule? Without consent nothing is listed; forgotten and sensitive lines never are; gifts and returns
    /// are not listed on a shared screen.
    pub fn may_list_line(&self, p: Option<Pid>, rule_code: &str) -> bool {
        if !self.reader.consent {
            return false;
        }
        if matches!(rule_code, "FORGOTTEN" | "SENSITIVE" | "NO_CONSENT") {
            return false;
        }
        if self.reader.public() && matches!(rule_code, "GIFT" | "RETURNED") {
            return false;
        }
        match p {
            Some(p) => self.may_name(p),
            // An id the catalog does not know: it cannot be judged, so it is not named where others may read, and
            // never when the shopper asked to forget it by id.
            None => !self.reader.public(),
        }
    }
}
