//! The disclosure oracle, shared by the native property (`tests/disclosure_property.rs`) and the same property
//! through the JS API in wasm (`tests/wasm_disclosure.rs`): the rules of who may read what, restated from the product
//! decisions independently of the engine's gate, and a check over a whole serialized output.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use tactful::*;

/// Ids and titles that cannot be found inside one another or inside any other text the engine writes.
pub fn pid(i: usize) -> String {
    format!("Q{i:03}X")
}

pub fn title(i: usize) -> String {
    format!("Zeta{i:03}W")
}

/// Whether product `p` may be named to a reader, given the shopper's preferences.
pub struct Oracle<'a> {
    pub prefs: &'a Preferences,
    /// Someone other than the shopper may read this: a shared device, a household not denied, an email or a push.
    pub public: bool,
}

impl Oracle<'_> {
    pub fn forgotten(&self, p: &Product) -> bool {
        self.prefs.forgotten.iter().flatten().any(|t| {
            t == &p.id
                || p.category.iter().flatten().any(|c| c.eq_ignore_ascii_case(t))
                || p.brand.as_deref().is_some_and(|b| b.eq_ignore_ascii_case(t))
                || p.sensitivity.is_some_and(|c| SensitivityClass::parse(t) == Some(c))
        })
    }

    pub fn muted(&self, p: &Product) -> bool {
        let Some(m) = self.prefs.muted.as_ref() else { return false };
        m.products.iter().flatten().any(|x| x == &p.id)
            || m.categories.iter().flatten().any(|c| p.category.iter().flatten().any(|x| x.eq_ignore_ascii_case(c)))
            || m.brands.iter().flatten().any(|b| p.brand.as_deref().is_some_and(|x| x.eq_ignore_ascii_case(b)))
    }

    pub fn may_name(&self, p: &Product) -> bool {
        let sensitive_ok = match p.sensitivity {
            None => true,
            Some(c) => !self.public && self.prefs.sensitive_opt_in.iter().flatten().any(|x| *x == c),
        };
        sensitive_ok && !self.forgotten(p) && !self.muted(p)
    }

    /// Every id and title the output must not carry, plus forgotten ids the catalog does not know.
    pub fn forbidden(&self, products: &[Product]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for p in products.iter().filter(|p| !self.may_name(p)) {
            out.push(p.id.clone());
            out.extend(p.title.clone());
        }
        out.extend(
            self.prefs
                .forgotten
                .iter()
                .flatten()
                .filter(|t| t.starts_with('Q') && !products.iter().any(|p| &p.id == *t))
                .cloned(),
        );
        out
    }
}

/// Whether the shopper's screen is shared: they said so, or the engine detected a household and they did not deny it.
pub fn shared(prefs: &Preferences, household_likely: bool) -> bool {
    prefs.shared_device == Some(true) || (household_likely && prefs.shared_device != Some(false))
}

/// The first forbidden token found in `text`, if any.
pub fn leak<'a>(text: &str, forbidden: &'a [String]) -> Option<&'a str> {
    forbidden.iter().find(|f| text.contains(f.as_str())).map(String::as_str)
}
