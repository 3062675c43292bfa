//! Stage 7, explain: the reasons a shopper reads, one per score term, largest first, built only for the items
//! returned. Each text states the fact behind its term, so an explanation never claims more than the score used.

use crate::contract::codes::ReasonCode;
use crate::contract::output::Reason;
use crate::engine::catalog::{Catalog, Pid, NONE};
use crate::engine::disclose::Gate;
use crate::engine::phrases::days_words;
use crate::engine::stages::profile::Taste;
use crate::engine::stages::score::{Scored, Term};
use crate::util::order;

/// Terms below this contribution are not worth a sentence.
const MIN_REASON: f64 = 0.005;
/// Reasons on one card at most: the strongest first.
pub const MAX_REASONS: usize = 3;

/// Whether a category or product name would only repeat the card's own product: every word of it is already in the
/// card's title ("Because you buy eggs - large" on "Eggs - Large, 1 dozen").
fn repeats_card(c: &Catalog, p: Pid, name: &str) -> bool {
    let words = |s: &str| -> Vec<String> {
        s.split(|ch: char| !ch.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
    };
    let title = words(c.title(p));
    let name = words(name);
    !name.is_empty() && name.iter().all(|w| title.contains(w))
}

/// The product behind `term`, when the gate lets it be named here and it is not the card's own product.
fn named_source(c: &Catalog, gate: &Gate<'_>, x: &Scored, term: Term) -> Option<Pid> {
    x.source(term).filter(|&o| o != x.p && gate.may_name(o) && !c.title(o).eq_ignore_ascii_case(c.title(x.p)))
}

/// The reasons for one returned item: one per score term, strongest first, at most [`MAX_REASONS`]. Every product a
/// reason names is the one that produced that term, and passed the disclosure gate.
pub fn reasons(c: &Catalog, taste: &Taste, gate: &Gate<'_>, x: &Scored, discovery: bool) -> Vec<Reason> {
    let weights: Vec<(u32, f64)> = x
        .terms
        .iter()
        .enumerate()
        .filter(|(_, (t, v))| *v >= MIN_REASON && *t != Term::Price)
        .map(|(i, (_, v))| (i as u32, *v))
        .collect();
    let mut terms: Vec<(Term, f64)> =
        order::by_weight_desc(&weights).into_iter().filter_map(|i| x.terms.get(i as usize).copied()).collect();
    if terms.is_empty() {
        // Every item says why it is there: the largest term, however small.
        let all: Vec<(u32, f64)> = x.terms.iter().enumerate().map(|(i, (_, v))| (i as u32, *v)).collect();
        terms.extend(order::by_weight_desc(&all).first().and_then(|&i| x.terms.get(i as usize).copied()));
    }
    let mut out: Vec<Reason> = Vec::with_capacity(MAX_REASONS);
    if discovery {
        out.push(Reason { code: ReasonCode::Discovery, text: "Something different for you".into() });
    }
    let p = x.p;
    let leaf = c.leaf_of(p);
    for (term, _) in terms {
        if out.len() >= MAX_REASONS {
            break;
        }
        let source = named_source(c, gate, x, term);
        let text = match term {
            Term::DueAgain => match taste.products.get(&p).and_then(|s| s.interval) {
                Some((iv, _)) => format!("You buy this about every {}", days_words(iv)),
                None => "Time to stock up again".to_string(),
            },
            Term::BoughtBefore => match taste.products.get(&p) {
                Some(s) if s.baskets >= 2 => format!("You have bought this {} times", s.baskets),
                _ => "You bought this before".to_string(),
            },
            Term::YouLike => {
                // Name the deepest category the shopper actually bought from: the leaf when they did, else the
                // level above that carries the weight ("Eggs" suggested from buying other groceries) — but never a
                // category named like the card's own product.
                let bought =
                    c.ancestors(leaf).find(|&n| taste.node_share(c, n) > 0.0 && !repeats_card(c, p, c.node_name(n)));
                match bought {
                    Some(n) if n == leaf => format!("Because you buy {}", c.node_name(n).to_lowercase()),
                    Some(n) => format!("You often buy from {}", c.node_name(n)),
                    None => "Like things you buy".to_string(),
                }
            }
            Term::GoesWith => match source {
                Some(o) => format!("Goes with your {}", c.title(o)),
                None => "Goes with what you own".to_string(),
            },
            Term::BoughtTogether => match source {
                Some(o) => format!("Often bought with {}", c.title(o)),
                None => "Often bought with what you buy".to_string(),
            },
            Term::LikeYours => match source {
                Some(o) => format!("Like your {}", c.title(o)),
                None => "Like things you buy".to_string(),
            },
            Term::Similar => match source {
                Some(o) if c.compatible_lines(p).contains(&c.line_of(o)) && c.line_of(o) != NONE => {
                    format!("Goes with {}", c.title(o))
                }
                Some(o) => format!("Pairs with {}", c.title(o)),
                None => "Goes with what you are looking at".to_string(),
            },
            Term::YourInterest => "You said you like this kind of thing".to_string(),
            Term::NewArrival => {
                let top = c.ancestors(leaf).last().filter(|&t| !repeats_card(c, p, c.node_name(t)));
                match top {
                    Some(t) => format!("New in {}", c.node_name(t)),
                    None => "New arrival".to_string(),
                }
            }
            Term::Popular => "Popular with other shoppers".to_string(),
            Term::Featured | Term::Promoted => "Featured by the shop".to_string(),
            Term::Trending => "Trending now".to_string(),
            // Only reached when price is the sole term: the item fills the list, and says so.
            Term::Price => "More from the shop".to_string(),
        };
        if !out.iter().any(|r| r.text == text) {
            out.push(Reason { code: term.reason_code(), text });
        }
    }
    out
}
