//! `PERSONAL_NEAR_PRICE`: a personal token (`{FNAME}`, `{{first_name}}`, any merge field about the shopper) within
//! `nearWords` words of a price-shaming phrase ("cheap", "below market", "reduced", … policy `priceWords`), in the
//! same field. "{FNAME}, cheap finds just for you" reads as "you, the cheap one". Signs (`$`) are not words.

use crate::message::lint::{quoted, Ctx, Field, LintIssue};
use crate::message::text::Kind;

pub const CODE: &str = "PERSONAL_NEAR_PRICE";

pub fn check(ctx: &Ctx<'_>, f: &Field<'_>, out: &mut Vec<LintIssue>) {
    let items = &f.items;
    // Word positions: every item but signs counts as a word.
    let mut word = Vec::with_capacity(items.len());
    let mut n = 0i64;
    for it in items {
        word.push(n);
        if it.kind != Kind::Sign {
            n += 1;
        }
    }
    let pos = |i: usize| word.get(i).copied().unwrap_or(0);
    let mut tokens = Vec::new();
    for (i, it) in items.iter().enumerate() {
        if ctx.is_personal(it) {
            tokens.push(i);
        }
    }
    if tokens.is_empty() {
        return;
    }
    let near = i64::from(ctx.s.near_words);
    let mut i = 0;
    while i < items.len() {
        let Some(j) = ctx.s.price_words.iter().find_map(|p| p.matches_at(items, i)) else {
            i += 1;
            continue;
        };
        // The nearest personal token before or after the phrase.
        let nearest = tokens
            .iter()
            .filter_map(|&t| match t {
                t if t < i => Some((pos(i) - pos(t) - 1, t)),
                t if t > j => Some((pos(t) - pos(j) - 1, t)),
                _ => None,
            })
            .min();
        if let Some((gap, t)) = nearest.filter(|(gap, _)| *gap <= near) {
            let mut m = quoted(f.quote(i, j));
            m.push_str(if gap == 0 { " is right beside " } else { " is a few words from " });
            m.push_str(f.quote(t, t));
            m.push_str(": personal next to price-shaming reads as “you, the cheap one”.");
            out.push(f.issue(CODE, m, t.min(i), t.max(j)));
        }
        i = j + 1;
    }
}
