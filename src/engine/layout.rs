//! Device-aware messages: on an email or push (`context.surface`), `context.device` (phone, tablet, desktop) shapes
//! how the ranked products are laid out — how many fit, which layout, the image box and how long a title may be
//! (cut at a word boundary). The device shapes the presentation only: the ranking, `removed`, `removedCounts` and
//! `summary` are decided before it and are the same on every device (tested), so a device never changes which
//! guardrails apply; the items it shows are the first ones of the same list.
//!
//! | surface | device | layout | columns | items | title (characters) | image (CSS px) |
//! |---|---|---|---|---|---|---|
//! | email | phone | `list` | 1 | 3 | 36 | 96 × 96 |
//! | email | tablet | `grid` | 2 | 4 | 48 | 240 × 240 |
//! | email | desktop | `grid` | 3 | 6 | 60 | 176 × 176 |
//! | push | phone | `notification` | 1 | 1 | 40 | 64 × 64 |
//! | push | tablet | `notification` | 1 | 1 | 50 | 64 × 64 |
//! | push | desktop | `notification` | 1 | 1 | 60 | 48 × 48 |
//!
//! Why: a phone shows a 320–430 px column, where three rows of thumbnail-and-text read without scrolling past the
//! fold; a tablet holds two 240 px cards side by side; a desktop mail client gives the classic 600 px body, three
//! 176 px cards across (with gutters). Titles get about two lines of their column at the body size. A push shows one
//! product on every device; only its title length and thumbnail change with the screen.

use crate::contract::input::{Device, Surface};
use crate::contract::output::{FittedTitle, LayoutKind, MessageLayout};

/// The fixed part of a layout: everything but the titles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    pub layout: LayoutKind,
    pub columns: u32,
    pub max_items: u32,
    pub title_chars: u32,
    pub image: (u32, u32),
}

/// The layout of `surface` on `device`; `None` on the site's surfaces (the page lays itself out).
pub fn spec(surface: Surface, device: Device) -> Option<Spec> {
    let s = |layout, columns, max_items, title_chars, side| Spec {
        layout,
        columns,
        max_items,
        title_chars,
        image: (side, side),
    };
    match (surface, device) {
        (Surface::Email, Device::Phone) => Some(s(LayoutKind::List, 1, 3, 36, 96)),
        (Surface::Email, Device::Tablet) => Some(s(LayoutKind::Grid, 2, 4, 48, 240)),
        (Surface::Email, Device::Desktop) => Some(s(LayoutKind::Grid, 3, 6, 60, 176)),
        (Surface::Push, Device::Phone) => Some(s(LayoutKind::Notification, 1, 1, 40, 64)),
        (Surface::Push, Device::Tablet) => Some(s(LayoutKind::Notification, 1, 1, 50, 64)),
        (Surface::Push, Device::Desktop) => Some(s(LayoutKind::Notification, 1, 1, 60, 48)),
        (Surface::Home | Surface::Product | Surface::Cart, _) => None,
    }
}

/// Whether `c` ends a word: whitespace or a dash between words.
fn is_break(c: char) -> bool {
    c.is_whitespace() || matches!(c, '-' | '–' | '—' | '/')
}

/// `title` in at most `max` characters (Unicode scalar values). A longer title is cut at the last word boundary
/// that keeps at least half of the room, trailing spaces and punctuation dropped, and ends in "…"; a first word
/// longer than half the room is cut inside the word. Returns the text and whether it was cut.
pub fn fit_title(title: &str, max: usize) -> (String, bool) {
    let title = title.trim();
    if title.chars().count() <= max {
        return (title.to_string(), false);
    }
    if max == 0 {
        return (String::new(), true);
    }
    // Room for the words, one character being "…"; then the first `room` characters, and whether the next
    // character starts a new word.
    let room = max - 1;
    let end = title.char_indices().nth(room).map_or(title.len(), |(i, _)| i);
    let head = title.get(..end).unwrap_or(title);
    let next_breaks = title.get(end..).and_then(|t| t.chars().next()).is_some_and(is_break);
    let cut = if next_breaks {
        head
    } else {
        // The last break inside the head, if it keeps at least half of the room.
        match head.char_indices().rfind(|&(_, c)| is_break(c)) {
            Some((i, _)) if head.get(..i).is_some_and(|h| h.chars().count() * 2 >= room) => {
                head.get(..i).unwrap_or(head)
            }
            _ => head,
        }
    };
    let mut out =
        cut.trim_end_matches(|c: char| is_break(c) || matches!(c, ',' | ';' | ':' | '.' | '&' | '(')).to_string();
    if out.is_empty() {
        out = head.to_string();
    }
    out.push('…');
    (out, true)
}

/// The layout for the shown items (`(product id, catalog title)`, already cut to the spec's `max_items`).
pub fn fit(device: Device, spec: Spec, items: &[(&str, &str)]) -> MessageLayout {
    let titles = items
        .iter()
        .map(|&(id, title)| {
            let (title, truncated) = fit_title(title, spec.title_chars as usize);
            FittedTitle { product_id: id.to_string(), title, truncated }
        })
        .collect();
    MessageLayout {
        device,
        layout: spec.layout,
        columns: spec.columns,
        max_items: spec.max_items,
        title_chars: spec.title_chars,
        image_width: spec.image.0,
        image_height: spec.image.1,
        titles,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> usize {
        s.chars().count()
    }

    #[test]
    fn a_title_that_fits_is_kept_whole() {
        assert_eq!(fit_title("Whole milk", 36), ("Whole milk".to_string(), false));
        // Exactly at the limit: kept.
        let exact = "x".repeat(36);
        assert_eq!(fit_title(&exact, 36), (exact.clone(), false));
        // Counted in characters, not bytes: 36 accented letters fit in 36.
        let accents = "é".repeat(36);
        assert_eq!(fit_title(&accents, 36), (accents.clone(), false));
    }

    #[test]
    fn a_long_title_is_cut_at_a_word_boundary() {
        let (t, cut) = fit_title("Organic whole milk from grass-fed cows, family size", 24);
        assert!(cut);
        assert_eq!(t, "Organic whole milk from…");
        assert!(chars(&t) <= 24);
        // Punctuation before the cut is dropped.
        let (t, _) = fit_title("Cheddar cheese, extra mature, sliced", 18);
        assert_eq!(t, "Cheddar cheese…");
        // The cut falls right before a space: the whole word is kept.
        let (t, _) = fit_title("abc defg hij", 9);
        assert_eq!(t, "abc defg…");
    }

    #[test]
    fn a_first_word_longer_than_half_the_room_is_cut_inside() {
        let (t, cut) = fit_title("A Supercalifragilisticexpialidocious umbrella", 20);
        assert!(cut);
        assert_eq!(chars(&t), 20);
        assert_eq!(t, "A Supercalifragilis…");
        let (t, _) = fit_title("Ünïcödéwörds without spaces at all", 6);
        assert_eq!(t, "Ünïcö…");
    }

    #[test]
    fn every_cut_is_within_the_limit_for_every_device() {
        let title = "Kitchen-aid stand mixer — 5 quart, tilt head, with dough hook & whisk (empire red)";
        for d in [Device::Phone, Device::Tablet, Device::Desktop] {
            for surface in [Surface::Email, Surface::Push] {
                let s = spec(surface, d).unwrap();
                let (t, cut) = fit_title(title, s.title_chars as usize);
                assert!(cut && chars(&t) <= s.title_chars as usize && t.ends_with('…'), "{d:?} {t}");
            }
        }
        assert!(spec(Surface::Home, Device::Phone).is_none());
    }
}
