//! The QA report as one self-contained HTML file: inline CSS and SVG plots, no script, no network (its
//! Content-Security-Policy forbids both), so it can be mailed around and opened anywhere.

use crate::cli::qa::{Diff, PolicyReport, QaReport};
use std::fmt::Write;

pub fn esc(t: &str) -> String {
    let mut o = String::with_capacity(t.len());
    for ch in t.chars() {
        match ch {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

const COLORS: [&str; 6] = ["#2f6f9f", "#d98e04", "#3a9a5b", "#8e5ea2", "#c0504d", "#7f7f7f"];

fn color(i: usize) -> &'static str {
    COLORS.get(i % COLORS.len()).copied().unwrap_or("#444")
}

/// A horizontal stacked bar of shares with a legend.
fn stacked(parts: &[(String, u64)], title: &str) -> String {
    let total: u64 = parts.iter().map(|p| p.1).sum::<u64>().max(1);
    let (w, h) = (640.0, 28.0);
    let mut o = format!(
        "<svg role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {w} {}\" width=\"{w}\" height=\"{}\">",
        esc(title),
        h + 24.0 * parts.len().div_ceil(3) as f64 + 8.0,
        h + 24.0 * parts.len().div_ceil(3) as f64 + 8.0
    );
    let mut x = 0.0;
    for (i, (name, v)) in parts.iter().enumerate() {
        let pw = w * *v as f64 / total as f64;
        let _ = write!(
            o,
            "<rect x=\"{x:.1}\" y=\"0\" width=\"{pw:.1}\" height=\"{h}\" fill=\"{}\"><title>{}: {v}</title></rect>",
            color(i),
            esc(name)
        );
        x += pw;
        let (lx, ly) = (8.0 + 210.0 * (i % 3) as f64, h + 18.0 + 24.0 * (i / 3) as f64);
        let _ = write!(
            o,
            "<rect x=\"{lx}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{}\" y=\"{ly}\">{} {:.1} %</text>",
            ly - 11.0,
            color(i),
            lx + 16.0,
            esc(name),
            100.0 * *v as f64 / total as f64
        );
    }
    o.push_str("</svg>");
    o
}

/// Horizontal bars, one per row (label, value), scaled to the largest.
fn bars(rows: &[(String, f64, String)], title: &str) -> String {
    let max = rows.iter().map(|r| r.1.abs()).fold(0.0f64, f64::max).max(1e-9);
    let (w, lh) = (640.0, 22.0);
    let h = lh * rows.len() as f64 + 6.0;
    let mut o = format!(
        "<svg role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\">",
        esc(title)
    );
    for (i, (label, v, note)) in rows.iter().enumerate() {
        let y = i as f64 * lh + 2.0;
        let bw = 330.0 * v.abs() / max;
        let fill = if *v < 0.0 { "#c0504d" } else { "#2f6f9f" };
        let _ = write!(
            o,
            "<text x=\"170\" y=\"{}\" text-anchor=\"end\" font-size=\"11\">{}</text><rect x=\"176\" y=\"{y}\" width=\"{bw:.1}\" height=\"{}\" fill=\"{fill}\"/><text x=\"{:.1}\" y=\"{}\">{}</text>",
            y + 14.0,
            esc(&label.chars().take(24).collect::<String>()),
            lh - 6.0,
            180.0 + bw,
            y + 14.0,
            esc(note)
        );
    }
    o.push_str("</svg>");
    o
}

/// How often each product is shown, most shown first, on log-log axes; the catalog's end marked (every product past
/// the last point is never shown).
fn rank_frequency(points: &[(u64, u64)], catalog: u64) -> String {
    let (w, h, m) = (420.0, 300.0, 44.0);
    let xmax = (catalog.max(2) as f64).log10();
    let ymax = (points.iter().map(|p| p.1).max().unwrap_or(1).max(2) as f64).log10();
    let px = |r: u64| m + (r.max(1) as f64).log10() / xmax * (w - 2.0 * m);
    let py = |c: u64| h - m - (c.max(1) as f64).log10() / ymax * (h - 2.0 * m);
    let mut o = format!(
        "<svg role=\"img\" aria-label=\"exposure per product\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\">"
    );
    let _ = write!(
        o,
        "<rect x=\"{m}\" y=\"{m}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#888\"/>",
        w - 2.0 * m,
        h - 2.0 * m
    );
    let path: Vec<String> = points.iter().map(|&(r, c)| format!("{:.1},{:.1}", px(r), py(c))).collect();
    let _ = write!(o, "<polyline fill=\"none\" stroke=\"#d98e04\" stroke-width=\"2\" points=\"{}\"/>", path.join(" "));
    let mut tick = 1u64;
    while tick <= catalog.max(1) {
        let _ = write!(o, "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{tick}</text>", px(tick), h - m + 16.0);
        tick = tick.saturating_mul(10);
    }
    let _ = write!(o, "<text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">1</text>", m - 4.0, py(1) + 4.0);
    let top = points.first().map_or(1, |p| p.1);
    let _ = write!(o, "<text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{top}</text>", m - 4.0, py(top) + 4.0);
    let _ = write!(
        o,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">product rank, most shown first (log)</text>",
        w / 2.0,
        h - 6.0
    );
    let _ = write!(
        o,
        "<text x=\"12\" y=\"{}\" transform=\"rotate(-90 12 {})\" text-anchor=\"middle\">shoppers shown it (log)</text>",
        h / 2.0,
        h / 2.0
    );
    o.push_str("</svg>");
    o
}

/// The long-tail (concentration) curve: share of products, most shown first, against cumulative share of exposure.
fn curve(points: &[(f64, f64)]) -> String {
    let (w, h, m) = (420.0, 300.0, 40.0);
    let px = |x: f64| m + x * (w - 2.0 * m);
    let py = |y: f64| h - m - y * (h - 2.0 * m);
    let mut o = format!(
        "<svg role=\"img\" aria-label=\"long-tail curve\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\">"
    );
    let _ = write!(
        o,
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#aaa\" stroke-dasharray=\"4 4\"/>",
        px(0.0),
        py(0.0),
        px(1.0),
        py(1.0)
    );
    let _ = write!(
        o,
        "<rect x=\"{m}\" y=\"{m}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#888\"/>",
        w - 2.0 * m,
        h - 2.0 * m
    );
    let path: Vec<String> = points.iter().map(|(x, y)| format!("{:.1},{:.1}", px(*x), py(*y))).collect();
    let _ = write!(o, "<polyline fill=\"none\" stroke=\"#2f6f9f\" stroke-width=\"2\" points=\"{}\"/>", path.join(" "));
    for t in [0.0, 0.5, 1.0] {
        let _ = write!(
            o,
            "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{:.0} %</text>",
            px(t),
            h - m + 16.0,
            t * 100.0
        );
        let _ =
            write!(o, "<text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{:.0} %</text>", m - 4.0, py(t) + 4.0, t * 100.0);
    }
    let _ = write!(
        o,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">share of the catalog, most shown first</text>",
        w / 2.0,
        h - 6.0
    );
    let _ = write!(
        o,
        "<text x=\"12\" y=\"{}\" transform=\"rotate(-90 12 {})\" text-anchor=\"middle\">share of exposure</text>",
        h / 2.0,
        h / 2.0
    );
    o.push_str("</svg>");
    o
}

fn pct(x: u64, of: u64) -> String {
    if of == 0 {
        return "–".into();
    }
    format!("{:.1} %", 100.0 * x as f64 / of as f64)
}

fn section_policy(o: &mut String, r: &PolicyReport) {
    let n = r.shoppers;
    let s = &r.safety;
    let (cls, verdict) = if s.failed() {
        ("fail", "FAIL: sensitive exposure or compliance breaches")
    } else {
        ("ok", "Safe: 0 sensitive exposures, 0 compliance breaches")
    };
    let _ = write!(o, "<section><h2>Policy <code>{}</code></h2>", esc(&r.policy));
    let _ = write!(
        o,
        "<p class=\"meta\">{n} shoppers as of {}; home page k = {}, email k = {}</p>",
        esc(&r.at),
        r.k,
        r.email_k
    );
    let _ = write!(
        o,
        "<div class=\"banner {cls}\"><strong>{verdict}</strong><br>sensitive class shown without an opt-in: {} items to {} shoppers · compliance breaches: {} items to {} shoppers · reference: {} sensitive, {} regulated products</div>",
        s.sensitive_exposures, s.sensitive_shoppers, s.compliance_breaches, s.compliance_shoppers, s.reference_sensitive_products, s.reference_regulated_products
    );
    if !s.examples.is_empty() {
        o.push_str("<table><tr><th>shopper</th><th>surface</th><th>class</th><th>rank</th></tr>");
        for b in &s.examples {
            let _ = write!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&b.shopper),
                esc(&b.surface),
                esc(&b.class),
                b.rank
            );
        }
        o.push_str("</table><p class=\"note\">The products are not named: they are what must not be shown.</p>");
    }

    let m = &r.modes;
    o.push_str("<h3>Modes</h3>");
    o.push_str(&stacked(
        &[("default".into(), m.default), ("blended".into(), m.blended), ("personal".into(), m.personal)],
        "modes",
    ));
    o.push_str("<table><tr><th>mode: why</th><th>shoppers</th></tr>");
    for (why, c) in &m.why {
        let _ = write!(o, "<tr><td>{}</td><td>{c} ({})</td></tr>", esc(why), pct(*c, n));
    }
    o.push_str("</table>");

    o.push_str("<h3>Guardrails: shoppers affected</h3>");
    let rows: Vec<(String, f64, String)> = r
        .guardrails
        .iter()
        .map(|g| (g.code.clone(), g.shoppers as f64, format!("{} shoppers · {} {}", g.shoppers, g.count, g.kind)))
        .collect();
    o.push_str(&bars(&rows, "guardrails"));
    o.push_str("<table><tr><th>code</th><th>kind</th><th>count</th><th>shoppers</th><th>examples: what the shopper reads</th></tr>");
    for g in &r.guardrails {
        let mut ex = String::new();
        for e in &g.examples {
            let _ = write!(
                ex,
                "<div><b>{}</b>: {} “{}” — <i>{}</i></div>",
                esc(&e.shopper),
                esc(&e.product_id),
                esc(&e.title),
                esc(&e.text)
            );
        }
        if g.examples.is_empty() && !g.named && g.kind != "mode" {
            ex.push_str("<span class=\"note\">counted only: the engine never names these</span>");
        }
        let _ = write!(
            o,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{} ({})</td><td>{ex}</td></tr>",
            esc(&g.code),
            esc(&g.kind),
            g.count,
            g.shoppers,
            pct(g.shoppers, n)
        );
    }
    o.push_str("</table>");

    let e = &r.exposure;
    o.push_str("<h3>Exposure on the home page</h3>");
    let _ = write!(
        o,
        "<p>Coverage: <b>{}</b> of {} products ({:.1} %). {} New arrivals: {} items to {} shoppers ({} products launched within <code>newArrivalDays</code>). Gini {:.3}; the most shown 1 % of products take {:.1} % of exposure.</p>",
        e.shown,
        e.catalog,
        100.0 * e.coverage,
        if e.has_categories {
            format!("Per list: {:.2} distinct leaf categories, {:.2} departments.", e.mean_leaf_categories, e.mean_top_categories)
        } else {
            "The catalog has no categories.".to_string()
        },
        e.new_arrival_items,
        e.new_arrival_shoppers,
        e.new_arrival_products,
        e.gini,
        100.0 * e.top1pct_share
    );
    let slots: Vec<(String, u64)> = e.slots.iter().map(|(k, v)| (k.clone(), *v)).collect();
    o.push_str("<h4>Slot mix served</h4>");
    o.push_str(&stacked(&slots, "slot mix"));
    o.push_str("<div class=\"row\"><div>");
    o.push_str(&curve(&e.curve));
    o.push_str("</div><div>");
    o.push_str(&rank_frequency(&e.ranked, e.catalog));
    o.push_str("</div><div><table><tr><th>most shown</th><th>shoppers</th></tr>");
    for x in &e.top {
        let _ = write!(o, "<tr><td>{} “{}”</td><td>{}</td></tr>", esc(&x.product_id), esc(&x.title), x.count);
    }
    o.push_str("</table></div></div>");

    let g = &r.messaging;
    let _ = write!(o, "<h3>Messaging: {} days of campaigns</h3>", g.days);
    let rows: Vec<(String, f64, String)> =
        g.sends_per_day.iter().enumerate().map(|(i, v)| (format!("day {}", i + 1), *v as f64, v.to_string())).collect();
    o.push_str(&bars(&rows, "sends per day"));
    let sup: Vec<String> = g.suppressed.iter().map(|(k, v)| format!("<code>{}</code> {v}", esc(k))).collect();
    let _ = write!(
        o,
        "<p>{} attempts, {} sends ({:.1} per day), {} held past the last day; suppressed: {}.</p><p>Segments (first email item's department): {}, <b>{}</b> below {} shoppers ({} shoppers in them).</p>",
        g.attempts,
        g.sends,
        g.sends as f64 / f64::from(g.days.max(1)),
        g.after_window,
        if sup.is_empty() { "none".into() } else { sup.join(", ") },
        g.segments,
        g.segments_too_small,
        g.min_segment,
        g.shoppers_in_small_segments
    );
    for i in &g.segment_issues {
        let _ = write!(o, "<p class=\"note\">{}</p>", esc(i));
    }
    o.push_str("</section>");
}

fn section_diff(o: &mut String, d: &Diff) {
    let _ =
        write!(o, "<section><h2>Diff: <code>{}</code> against <code>{}</code></h2>", esc(&d.policy), esc(&d.against));
    if d.is_empty() {
        o.push_str("<p class=\"banner ok\">No change: every shopper's list, every exposure and every guardrail count is the same.</p></section>");
        return;
    }
    let _ = write!(
        o,
        "<p><b>{}</b> of {} shoppers ({}) see a different top k; mean rank-biased overlap (p = 0.9) <b>{:.3}</b>. Modes default/blended/personal {:?} → {:?}; email sends {} → {}.</p>",
        d.changed,
        d.shoppers,
        pct(d.changed, d.shoppers),
        d.mean_rbo,
        d.modes_before,
        d.modes_after,
        d.sends_before,
        d.sends_after
    );
    o.push_str("<h4>Shoppers per rank-biased overlap</h4>");
    let rows: Vec<(String, f64, String)> = d
        .rbo_histogram
        .iter()
        .enumerate()
        .map(|(i, v)| (format!("RBO {:.1}–{:.1}", i as f64 / 10.0, (i + 1) as f64 / 10.0), *v as f64, v.to_string()))
        .collect();
    o.push_str(&bars(&rows, "RBO histogram"));
    o.push_str("<h4>Exposure gained and lost</h4>");
    let rows: Vec<(String, f64, String)> = d
        .gainers
        .iter()
        .chain(d.losers.iter())
        .map(|c| {
            let delta = c.after as f64 - c.before as f64;
            (format!("{} {}", c.product_id, c.title), delta, format!("{:+} ({} → {})", delta, c.before, c.after))
        })
        .collect();
    o.push_str(&bars(&rows, "exposure changes"));
    o.push_str("<h4>Guardrails firing more or less</h4><table><tr><th>code</th><th>count</th><th>shoppers</th></tr>");
    for g in &d.guardrails {
        let _ = write!(
            o,
            "<tr><td><code>{}</code></td><td>{} → {}</td><td>{} → {}</td></tr>",
            esc(&g.code),
            g.before,
            g.after,
            g.shoppers_before,
            g.shoppers_after
        );
    }
    o.push_str("</table></section>");
}

pub fn page(r: &QaReport, title: &str) -> String {
    let mut o = String::from("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">");
    o.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
    );
    let _ = write!(o, "<title>tactful qa: {}</title><style>{CSS}</style></head><body>", esc(title));
    let _ = write!(o, "<h1>tactful qa: {}</h1>", esc(title));
    section_policy(&mut o, &r.policy);
    if let Some(d) = &r.diff {
        section_diff(&mut o, d);
    }
    if let Some(a) = &r.against {
        section_policy(&mut o, a);
    }
    let _ =
        write!(o, "<footer>Computed locally in {:.1} s; nothing left the machine.</footer></body></html>", r.seconds);
    o
}

const CSS: &str = "body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:980px;color:#222;padding:0 1em}\
h1{font-size:1.5em}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:2em}\
table{border-collapse:collapse;margin:.6em 0;width:100%}td,th{border-bottom:1px solid #eee;padding:3px 6px;text-align:left;vertical-align:top}\
.banner{padding:.8em 1em;border-radius:6px;margin:.8em 0}.ok{background:#e6f4ea;border:1px solid #3a9a5b}\
.fail{background:#fde8e7;border:1px solid #c0504d}.meta,.note{color:#666}svg{display:block;margin:.4em 0;font-size:12px}\
.row{display:flex;gap:1.5em;flex-wrap:wrap}footer{margin-top:3em;color:#888}";
