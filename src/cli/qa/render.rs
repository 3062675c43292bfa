//! The QA report as terminal text: safety first, then guardrails, modes, exposure, messaging, and the diff.

use crate::cli::qa::{Diff, PolicyReport, QaReport};
use std::fmt::Write;

fn pct(x: u64, of: u64) -> String {
    if of == 0 {
        return "–".into();
    }
    format!("{:.1} %", 100.0 * x as f64 / of as f64)
}

pub fn policy(r: &PolicyReport) -> String {
    let mut o = String::new();
    let n = r.shoppers;
    let _ = writeln!(
        o,
        "# tactful qa: policy {} — {n} shoppers as of {}, home k = {}, email k = {}",
        r.policy, r.at, r.k, r.email_k
    );
    let s = &r.safety;
    let verdict = if s.failed() { "FAIL" } else { "ok" };
    let _ = writeln!(o, "\n## Safety ({verdict})");
    let _ = writeln!(o, "| check | items | shoppers |\n|---|---:|---:|");
    let _ = writeln!(
        o,
        "| sensitive class shown without an opt-in | {} | {} |",
        s.sensitive_exposures, s.sensitive_shoppers
    );
    let _ = writeln!(
        o,
        "| compliance breaches (regulated, unverified or in email) | {} | {} |",
        s.compliance_breaches, s.compliance_shoppers
    );
    let _ = writeln!(
        o,
        "reference: {} products of a sensitive class, {} regulated (the shop's mapping, independent of the policy)",
        s.reference_sensitive_products, s.reference_regulated_products
    );
    for b in &s.examples {
        let _ =
            writeln!(o, "  breach: shopper {} saw a {} product at rank {} ({})", b.shopper, b.class, b.rank, b.surface);
    }

    let _ = writeln!(o, "\n## Guardrails (home page and email)");
    let _ =
        writeln!(o, "| code | kind | count | shoppers | example (what the shopper reads) |\n|---|---|---:|---:|---|");
    for g in &r.guardrails {
        let ex = match g.examples.first() {
            Some(e) => format!("{}: {} “{}” — {}", e.shopper, e.product_id, e.title, e.text),
            None if !g.named && g.kind != "mode" => "counted only: never named".into(),
            None => String::new(),
        };
        let _ =
            writeln!(o, "| {} | {} | {} | {} ({}) | {} |", g.code, g.kind, g.count, g.shoppers, pct(g.shoppers, n), ex);
    }

    let m = &r.modes;
    let _ = writeln!(o, "\n## Modes");
    let _ = writeln!(
        o,
        "default {} ({}), blended {} ({}), personal {} ({})",
        m.default,
        pct(m.default, n),
        m.blended,
        pct(m.blended, n),
        m.personal,
        pct(m.personal, n)
    );
    for (why, c) in &m.why {
        let _ = writeln!(o, "  {why}: {c}");
    }

    let e = &r.exposure;
    let _ = writeln!(o, "\n## Exposure (home page)");
    let _ = writeln!(o, "coverage: {} of {} products ({:.1} %)", e.shown, e.catalog, 100.0 * e.coverage);
    if e.has_categories {
        let _ = writeln!(
            o,
            "categories per list: {:.2} distinct leaf categories, {:.2} departments",
            e.mean_leaf_categories, e.mean_top_categories
        );
    } else {
        let _ = writeln!(o, "categories per list: the catalog has no categories");
    }
    let total: u64 = e.slots.values().sum();
    let slots: Vec<String> = e.slots.iter().map(|(k, v)| format!("{k} {}", pct(*v, total))).collect();
    let _ = writeln!(o, "slot mix: {}", slots.join(", "));
    let _ = writeln!(
        o,
        "new arrivals: {} items to {} shoppers ({} products launched within newArrivalDays)",
        e.new_arrival_items, e.new_arrival_shoppers, e.new_arrival_products
    );
    let _ = writeln!(
        o,
        "long tail: Gini {:.3}; the most shown 1 % of products take {:.1} % of exposure",
        e.gini,
        100.0 * e.top1pct_share
    );
    for x in e.top.iter().take(5) {
        let _ = writeln!(o, "  {} {} “{}”", x.count, x.product_id, x.title);
    }

    let g = &r.messaging;
    let _ = writeln!(o, "\n## Messaging ({} days of campaigns)", g.days);
    let _ = writeln!(
        o,
        "attempts {}, sends {} ({:.1} per day), per day: {:?}; {} planned after the last day",
        g.attempts,
        g.sends,
        g.sends as f64 / f64::from(g.days.max(1)),
        g.sends_per_day,
        g.after_window
    );
    let sup: Vec<String> = g.suppressed.iter().map(|(k, v)| format!("{k} {v}")).collect();
    let _ = writeln!(o, "suppressed: {}", if sup.is_empty() { "none".into() } else { sup.join(", ") });
    let _ = writeln!(
        o,
        "segments (first email item's department): {}, {} below {} shoppers ({} shoppers in them)",
        g.segments, g.segments_too_small, g.min_segment, g.shoppers_in_small_segments
    );
    for i in &g.segment_issues {
        let _ = writeln!(o, "  {i}");
    }
    o
}

pub fn diff(d: &Diff) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "\n# Diff: {} against {}", d.policy, d.against);
    if d.is_empty() {
        let _ = writeln!(o, "no change: every shopper's list, every exposure and every guardrail count is the same");
        return o;
    }
    let _ = writeln!(
        o,
        "shoppers whose top k changed: {} of {} ({}); mean rank-biased overlap (p = 0.9) {:.3}",
        d.changed,
        d.shoppers,
        pct(d.changed, d.shoppers),
        d.mean_rbo
    );
    let _ = writeln!(o, "RBO deciles (0–0.1 … 0.9–1): {:?}", d.rbo_histogram);
    let _ = writeln!(
        o,
        "modes default/blended/personal: {:?} → {:?}; sends {} → {}",
        d.modes_before, d.modes_after, d.sends_before, d.sends_after
    );
    let _ = writeln!(o, "| guardrail | count before → after | shoppers before → after |\n|---|---:|---:|");
    for g in &d.guardrails {
        let _ =
            writeln!(o, "| {} | {} → {} | {} → {} |", g.code, g.before, g.after, g.shoppers_before, g.shoppers_after);
    }
    let _ = writeln!(o, "gained exposure:");
    for c in d.gainers.iter().take(5) {
        let _ = writeln!(o, "  +{} {} “{}” ({} → {})", c.after - c.before, c.product_id, c.title, c.before, c.after);
    }
    let _ = writeln!(o, "lost exposure:");
    for c in d.losers.iter().take(5) {
        let _ = writeln!(o, "  −{} {} “{}” ({} → {})", c.before - c.after, c.product_id, c.title, c.before, c.after);
    }
    o
}

pub fn text(r: &QaReport) -> String {
    let mut o = policy(&r.policy);
    if let Some(d) = &r.diff {
        o.push_str(&diff(d));
    }
    o
}
