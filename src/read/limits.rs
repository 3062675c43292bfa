//! Documented size limits, enforced before heavy work (at the JS boundary, before a value is even parsed).
//! Exceeding one is `LIMIT_EXCEEDED` with the path of the value.

use crate::contract::error::Error;

/// Products in one catalog.
pub const MAX_CATALOG_PRODUCTS: usize = 200_000;
/// Events in one history.
pub const MAX_HISTORY_EVENTS: usize = 50_000;
/// Impressions in one request.
pub const MAX_IMPRESSIONS: usize = 50_000;
/// Entries of any list inside preferences or context (muted, forgotten, interests, cart, opt-ins).
pub const MAX_LIST: usize = 1_000;
/// Items one call may ask for (`context.k`).
pub const MAX_K: u32 = 200;
/// Characters in an id (product, order, ship-to, member).
pub const MAX_ID_CHARS: usize = 256;
/// Characters in a title, category name, brand, tag or line.
pub const MAX_TEXT_CHARS: usize = 1_024;
/// Levels of a category path.
pub const MAX_CATEGORY_DEPTH: usize = 8;

/// Whether `s` has more than `max` characters (Unicode scalar values, as documented), counted only when its byte
/// length could exceed it.
fn exceeds(s: &str, max: usize) -> bool {
    s.len() > max && s.chars().count() > max
}

/// An id's own checks, with no path: in a loop the caller adds one only on failure (`.map_err(|e| e.at(…))`), so
/// no path text is built for the values that pass.
pub fn id(id: &str) -> Result<(), Error> {
    if id.is_empty() {
        return Err(Error::invalid("", "must not be empty"));
    }
    if exceeds(id, MAX_ID_CHARS) {
        return Err(Error::limit("", format!("at most {MAX_ID_CHARS} characters")));
    }
    Ok(())
}

/// A text's own checks, with no path (see [`id`]).
pub fn text(text: &str) -> Result<(), Error> {
    if exceeds(text, MAX_TEXT_CHARS) {
        return Err(Error::limit("", format!("at most {MAX_TEXT_CHARS} characters")));
    }
    Ok(())
}

pub fn check_id(value: &str, path: &str) -> Result<(), Error> {
    id(value).map_err(|e| e.at(path))
}

pub fn check_text(value: &str, path: &str) -> Result<(), Error> {
    text(value).map_err(|e| e.at(path))
}

pub fn check_list(len: usize, max: usize, path: &str) -> Result<(), Error> {
    if len > max {
        return Err(Error::limit(path, format!("at most {max} entries, got {len}")));
    }
    Ok(())
}
