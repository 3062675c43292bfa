//! `tactful evaluate --sweep knob=v1,v2,…`: one policy knob at several values, each a full run beside the baselines,
//! so a shop sees what a knob costs and buys on its own data — as a table and as a chart (`--chart file.svg`).
//!
//! The chart has two panels, recall@k against explore recall@k and against coverage@k: tactful's points joined in
//! knob order, each baseline a labelled square, and dashed lines at the best baseline's value on each axis. A point up
//! and to the right of both lines beats every baseline on both metrics.

use crate::cli::evaluate::{column, interval, Pick, Report, METHODS};
use crate::cli::metrics::{mean, paired, Paired};
use crate::engine::policy::PolicySpec;
use serde_json::{Map, Value};

/// What to sweep: a policy knob (its name in the policy object, e.g. `discovery`) and its values.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepSpec {
    pub knob: String,
    pub values: Vec<f64>,
}

/// Reads `knob=v1,v2,…` (at least one value, each a finite number, at most 12).
pub fn parse_spec(text: &str) -> Result<SweepSpec, String> {
    let (knob, values) = text
        .split_once('=')
        .ok_or_else(|| format!("--sweep '{text}': expected knob=v1,v2,… (e.g. discovery=0,0.1,0.3)"))?;
    let knob = knob.trim();
    if knob.is_empty() || !knob.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(format!("--sweep '{text}': '{knob}' is not a policy knob name"));
    }
    let mut out = Vec::new();
    for (i, v) in values.split(',').enumerate() {
        let x: f64 = v
            .trim()
            .parse()
            .ok()
            .filter(|x: &f64| x.is_finite())
            .ok_or_else(|| format!("--sweep '{text}': value {} ('{}') is not a number", i + 1, v.trim()))?;
        out.push(x);
    }
    if out.len() > 12 {
        return Err(format!("--sweep '{text}': at most 12 values ({} given)", out.len()));
    }
    Ok(SweepSpec { knob: knob.to_string(), values: out })
}

/// A policy argument (a preset name or a policy object as JSON) as a policy spec.
pub fn policy_spec(text: &str) -> Result<PolicySpec, String> {
    let t = text.trim_start();
    let json = if t.starts_with('{') { t.to_string() } else { format!("{{\"preset\":{}}}", Value::from(t)) };
    let v = crate::read::value::Value::from_json(&json).map_err(|e| e.to_string())?;
    crate::read::value::read::<PolicySpec>(&v, "policy").map_err(|e| e.to_string())
}

/// The policy argument with `knob` set to `value`, as a policy spec; an unknown knob or a bad value is refused by the
/// engine's own policy reader, with the knob's path.
pub fn policy_with(base: &str, knob: &str, value: f64) -> Result<PolicySpec, String> {
    let t = base.trim_start();
    let mut obj: Map<String, Value> = if t.starts_with('{') {
        match serde_json::from_str::<Value>(t) {
            Ok(Value::Object(m)) => m,
            Ok(_) => return Err("--policy: expected a policy object".into()),
            Err(e) => return Err(format!("--policy: {e}")),
        }
    } else {
        let mut m = Map::new();
        m.insert("preset".into(), Value::from(t));
        m
    };
    let number = serde_json::Number::from_f64(value).ok_or_else(|| format!("--sweep: {value} is not a number"))?;
    obj.insert(knob.to_string(), Value::Number(number));
    policy_spec(&Value::Object(obj).to_string())
}

/// One point of a sweep: the knob's value and that run's report (tactful and the baselines, same cases).
pub struct Point {
    pub value: f64,
    pub report: Report,
}

/// Mean of a metric for a method.
pub fn metric(r: &Report, method: &str, k: usize, pick: Pick, only_few: bool) -> f64 {
    let v: Vec<f64> = column(r, method, k, pick, only_few).into_iter().flatten().collect();
    mean(&v)
}

pub fn coverage(r: &Report, method: &str, k: usize) -> f64 {
    r.coverage.get(method).and_then(|x| x.get(&k)).copied().unwrap_or(0.0)
}

/// The baseline with the highest mean of a metric, and tactful minus it, paired.
pub fn against_best(r: &Report, k: usize, pick: Pick, only_few: bool) -> (&'static str, Paired) {
    let best = METHODS
        .iter()
        .skip(1)
        .copied()
        .map(|m| (m, metric(r, m, k, pick, only_few)))
        .fold(("", f64::MIN), |a, b| if b.1 > a.1 { b } else { a })
        .0;
    let d = paired(&column(r, "tactful", k, pick, only_few), &column(r, best, k, pick, only_few));
    (best, d)
}

const RECALL: Pick = |s| Some(s.recall);
const NDCG: Pick = |s| Some(s.ndcg);
const EXPLORE: Pick = |s| s.explore;

fn diff(p: &(&str, Paired)) -> String {
    format!("{} vs {}", interval(&p.1), p.0)
}

/// The sweep as a Markdown table at cut-off `k`: one row per value, then the baselines (from the first run).
pub fn render(knob: &str, points: &[Point], k: usize) -> String {
    let mut out = format!(
        "| {knob} | recall@{k} | NDCG@{k} | explore recall@{k} | coverage@{k} | recall@{k}, ≤ 2 prior baskets | \
         recall@{k} − best baseline | NDCG@{k} − best baseline | explore@{k} − best baseline |\n|---:|---:|---:|---:|---:|---:|---|---|---|\n"
    );
    for p in points {
        let r = &p.report;
        out.push_str(&format!(
            "| {} | {:.4} | {:.4} | {:.4} | {:.4} | {:.4} | {} | {} | {} |\n",
            p.value,
            metric(r, "tactful", k, RECALL, false),
            metric(r, "tactful", k, NDCG, false),
            metric(r, "tactful", k, EXPLORE, false),
            coverage(r, "tactful", k),
            metric(r, "tactful", k, RECALL, true),
            diff(&against_best(r, k, RECALL, false)),
            diff(&against_best(r, k, NDCG, false)),
            diff(&against_best(r, k, EXPLORE, false)),
        ));
    }
    if let Some(first) = points.first() {
        let r = &first.report;
        for m in METHODS.iter().skip(1) {
            out.push_str(&format!(
                "| {m} | {:.4} | {:.4} | {:.4} | {:.4} | {:.4} | | | |\n",
                metric(r, m, k, RECALL, false),
                metric(r, m, k, NDCG, false),
                metric(r, m, k, EXPLORE, false),
                coverage(r, m, k),
                metric(r, m, k, RECALL, true),
            ));
        }
    }
    out
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A "nice" tick step for a range: 1, 2 or 5 × a power of ten, about five ticks.
fn step(span: f64) -> f64 {
    if span <= 0.0 || !span.is_finite() {
        return 1.0;
    }
    let raw = span / 5.0;
    let p = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * p).find(|s| *s >= raw).unwrap_or(10.0 * p)
}

struct Panel<'a> {
    x_label: String,
    /// (label, x, y) of tactful's points in knob order.
    tactful: Vec<(String, f64, f64)>,
    /// (name, x, y) of each baseline.
    baselines: Vec<(&'a str, f64, f64)>,
}

const W: f64 = 420.0;
const H: f64 = 330.0;
const LEFT: f64 = 58.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 46.0;
const LEGEND_Y: f64 = 32.0;

fn panel(out: &mut String, p: &Panel<'_>, y_label: &str, dx: f64) {
    let xs: Vec<f64> = p.tactful.iter().map(|t| t.1).chain(p.baselines.iter().map(|b| b.1)).collect();
    let ys: Vec<f64> = p.tactful.iter().map(|t| t.2).chain(p.baselines.iter().map(|b| b.2)).collect();
    // Both axes start at 0, so distances on the chart are honest.
    let x_max = xs.iter().copied().fold(0.0, f64::max);
    let y_max = ys.iter().copied().fold(0.0, f64::max);
    let (sx, sy) = (step(x_max * 1.1), step(y_max * 1.1));
    let x_hi = (x_max * 1.1 / sx).ceil().max(1.0) * sx;
    let y_hi = (y_max * 1.1 / sy).ceil().max(1.0) * sy;
    let pw = W - LEFT - RIGHT;
    let ph = H - TOP - BOTTOM;
    let px = |x: f64| dx + LEFT + x / x_hi * pw;
    let py = |y: f64| TOP + ph - y / y_hi * ph;
    let digits = |s: f64| {
        if s >= 0.1 {
            1
        } else if s >= 0.01 {
            2
        } else {
            3
        }
    };
    out.push_str(&format!(
        "<rect x=\"{:.1}\" y=\"{TOP}\" width=\"{pw:.1}\" height=\"{ph:.1}\" fill=\"#fff\" stroke=\"#999\"/>\n",
        dx + LEFT
    ));
    // The region that beats the best baseline on both axes.
    let best_x = p.baselines.iter().map(|b| b.1).fold(0.0, f64::max);
    let best_y = p.baselines.iter().map(|b| b.2).fold(0.0, f64::max);
    out.push_str(&format!(
        "<rect x=\"{:.1}\" y=\"{TOP}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#e8f5e9\"/>\n",
        px(best_x),
        (px(x_hi) - px(best_x)).max(0.0),
        (py(best_y) - TOP).max(0.0)
    ));
    let mut t = 0.0;
    while t <= x_hi + sx / 2.0 {
        let x = px(t);
        out.push_str(&format!(
            "<line x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"#ddd\"/>\
             <text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{:.*}</text>\n",
            TOP,
            TOP + ph,
            TOP + ph + 14.0,
            digits(sx),
            t
        ));
        t += sx;
    }
    let mut t = 0.0;
    while t <= y_hi + sy / 2.0 {
        let y = py(t);
        out.push_str(&format!(
            "<line x1=\"{:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"#ddd\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{:.*}</text>\n",
            dx + LEFT,
            dx + LEFT + pw,
            dx + LEFT - 5.0,
            y + 4.0,
            digits(sy),
            t
        ));
        t += sy;
    }
    for (x1, y1, x2, y2) in
        [(px(best_x), TOP, px(best_x), TOP + ph), (dx + LEFT, py(best_y), dx + LEFT + pw, py(best_y))]
    {
        out.push_str(&format!(
            "<line x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\" stroke=\"#2e7d32\" stroke-dasharray=\"4 3\"/>\n"
        ));
    }
    out.push_str(&format!(
        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>\n\
         <text transform=\"translate({:.1} {:.1}) rotate(-90)\" text-anchor=\"middle\">{}</text>\n",
        dx + LEFT + pw / 2.0,
        H - 10.0,
        esc(&p.x_label),
        dx + 14.0,
        TOP + ph / 2.0,
        esc(y_label)
    ));
    for (i, (name, x, y)) in p.baselines.iter().enumerate() {
        out.push_str(&format!(
            "<rect class=\"baseline\" x=\"{:.1}\" y=\"{:.1}\" width=\"8\" height=\"8\" fill=\"{}\"><title>{}</title></rect>\n",
            px(*x) - 4.0,
            py(*y) - 4.0,
            COLOURS.get(i).copied().unwrap_or("#555"),
            esc(name)
        ));
    }
    let path: Vec<String> = p.tactful.iter().map(|(_, x, y)| format!("{:.1},{:.1}", px(*x), py(*y))).collect();
    out.push_str(&format!("<polyline points=\"{}\" fill=\"none\" stroke=\"#1565c0\"/>\n", path.join(" ")));
    for (i, (label, x, y)) in p.tactful.iter().enumerate() {
        out.push_str(&format!(
            "<circle class=\"tactful\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"4\" fill=\"#1565c0\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" fill=\"#1565c0\" font-size=\"10\">{}</text>\n",
            px(*x),
            py(*y),
            px(*x) + 5.0,
            py(*y) + if i % 2 == 0 { -6.0 } else { 13.0 },
            esc(label)
        ));
    }
}

/// Baseline colours, in `METHODS` order after tactful.
const COLOURS: [&str; 3] = ["#757575", "#ef6c00", "#6a1b9a"];

/// The sweep as a self-contained SVG (no scripts, no external references) at cut-off `k`.
pub fn chart(knob: &str, points: &[Point], k: usize, title: &str) -> String {
    let baselines = |x: &dyn Fn(&Report, &str) -> f64| -> Vec<(&'static str, f64, f64)> {
        points.first().map_or_else(Vec::new, |p| {
            METHODS.iter().skip(1).map(|&m| (m, x(&p.report, m), metric(&p.report, m, k, RECALL, false))).collect()
        })
    };
    let tactful = |x: &dyn Fn(&Report) -> f64| -> Vec<(String, f64, f64)> {
        points
            .iter()
            .map(|p| (format!("{}", p.value), x(&p.report), metric(&p.report, "tactful", k, RECALL, false)))
            .collect()
    };
    let explore = Panel {
        x_label: format!("explore recall@{k} (never-bought products found)"),
        tactful: tactful(&|r| metric(r, "tactful", k, EXPLORE, false)),
        baselines: baselines(&|r, m| metric(r, m, k, EXPLORE, false)),
    };
    let cover = Panel {
        x_label: format!("coverage@{k} (share of the catalog shown)"),
        tactful: tactful(&|r| coverage(r, "tactful", k)),
        baselines: baselines(&|r, m| coverage(r, m, k)),
    };
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{:.0}\" height=\"{:.0}\" viewBox=\"0 0 {:.0} {:.0}\" \
         font-family=\"sans-serif\" font-size=\"11\">\n<title>{}</title>\n\
         <rect width=\"100%\" height=\"100%\" fill=\"#fafafa\"/>\n\
         <text x=\"{:.1}\" y=\"16\" font-size=\"13\" font-weight=\"bold\">{}</text>\n",
        2.0 * W,
        H + 26.0,
        2.0 * W,
        H + 26.0,
        esc(title),
        LEFT,
        esc(title)
    );
    // The legend, one line under the title: (marker, text), the marker drawn at x = 0 and moved into place.
    let mut entries: Vec<(String, String)> =
        vec![("<circle cx=\"4\" cy=\"0\" r=\"4\" fill=\"#1565c0\"/>".into(), format!("tactful, labelled with {knob}"))];
    for (i, m) in METHODS.iter().skip(1).enumerate() {
        let colour = COLOURS.get(i).copied().unwrap_or("#555");
        entries.push((format!("<rect x=\"0\" y=\"-4\" width=\"8\" height=\"8\" fill=\"{colour}\"/>"), (*m).into()));
    }
    entries.push((
        "<line x1=\"0\" y1=\"0\" x2=\"9\" y2=\"0\" stroke=\"#2e7d32\" stroke-dasharray=\"4 3\"/>".into(),
        "best baseline".into(),
    ));
    entries.push((
        "<rect x=\"0\" y=\"-4.5\" width=\"9\" height=\"9\" fill=\"#e8f5e9\" stroke=\"#2e7d32\"/>".into(),
        "better than every baseline on both".into(),
    ));
    let mut lx = LEFT;
    for (mark, text) in entries {
        out.push_str(&format!(
            "<g transform=\"translate({lx:.1} {LEGEND_Y})\">{mark}<text x=\"13\" y=\"4\">{}</text></g>\n",
            esc(&text)
        ));
        lx += 24.0 + 6.2 * text.chars().count() as f64;
    }
    out.push_str("<g transform=\"translate(0 26)\">\n");
    let y_label = format!("recall@{k}");
    panel(&mut out, &explore, &y_label, 0.0);
    panel(&mut out, &cover, &y_label, W);
    out.push_str("</g>\n</svg>\n");
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::cli::metrics::CaseScore;
    use std::collections::BTreeMap;

    #[test]
    fn reads_a_sweep_and_refuses_bad_ones() {
        assert_eq!(
            parse_spec("discovery=0, 0.1,0.3").unwrap(),
            SweepSpec { knob: "discovery".into(), values: vec![0.0, 0.1, 0.3] }
        );
        assert!(parse_spec("discovery").unwrap_err().contains("knob=v1,v2"));
        assert!(parse_spec("=0.1").unwrap_err().contains("not a policy knob"));
        assert!(parse_spec("discovery=0,x").unwrap_err().contains("value 2 ('x')"));
        assert!(parse_spec("discovery=0,inf").unwrap_err().contains("not a number"));
        assert!(parse_spec(&format!("discovery={}", vec!["0"; 13].join(","))).unwrap_err().contains("at most 12"));
    }

    #[test]
    fn sets_the_knob_on_a_preset_or_a_policy_object() {
        use crate::engine::policy::Settings;
        let s = Settings::resolve(&policy_with("bold", "discovery", 0.3).unwrap(), "policy").unwrap();
        assert_eq!(s.discovery, 0.3);
        assert_eq!(s.min_evidence, 0.5, "the rest of the preset stays");
        let s = Settings::resolve(&policy_with("{\"minEvidence\":2}", "discovery", 0.0).unwrap(), "policy").unwrap();
        assert_eq!((s.discovery, s.min_evidence), (0.0, 2.0));
        // The engine's reader refuses a typo, with its path.
        let e = policy_with("balanced", "discovry", 0.1).unwrap_err();
        assert!(e.contains("policy.discovry"), "{e}");
        assert!(policy_with("[1]", "discovery", 0.1).is_err());
        assert!(policy_spec("brave").is_err());
    }

    fn report(recall: [f64; 4], explore: [f64; 4], cover: [f64; 4]) -> Report {
        let mut r = Report { ks: vec![10], customers: 2, catalog_size: 10, ..Report::default() };
        for (i, m) in METHODS.iter().enumerate() {
            let s = |d: f64| CaseScore { recall: recall[i] + d, explore: Some(explore[i] + d), ..CaseScore::default() };
            r.scores.insert(m.to_string(), BTreeMap::from([(10, vec![s(0.01), s(-0.01)])]));
            r.coverage.insert(m.to_string(), BTreeMap::from([(10, cover[i])]));
        }
        r.few_baskets = vec![true, false];
        r
    }

    #[test]
    fn table_and_chart_show_every_point_and_baseline() {
        let points = vec![
            Point {
                value: 0.0,
                report: report([0.19, 0.04, 0.18, 0.2], [0.003, 0.014, 0.001, 0.001], [0.3, 0.0, 0.4, 0.4]),
            },
            Point {
                value: 0.3,
                report: report([0.17, 0.04, 0.18, 0.2], [0.025, 0.014, 0.001, 0.001], [0.3, 0.0, 0.4, 0.4]),
            },
        ];
        let t = render("discovery", &points, 10);
        assert_eq!(t.lines().count(), 2 + 2 + 3, "header, rule, two points, three baselines:\n{t}");
        assert!(t.contains("| 0.3 | 0.1700 |"), "{t}");
        // Best baseline for recall is TIFU-KNN (0.2); for explore G-TopFreq.
        assert!(t.contains("-0.0100 [-0.0100, -0.0100] ▼ vs TIFU-KNN"), "{t}");
        assert!(t.contains("vs G-TopFreq"), "{t}");
        let svg = chart("discovery", &points, 10, "Dev split <725 customers>");
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        assert_eq!(svg.matches("class=\"tactful\"").count(), 4, "two points in each of two panels");
        assert_eq!(svg.matches("class=\"baseline\"").count(), 6);
        assert!(svg.contains("&lt;725 customers&gt;") && !svg.contains("<725"));
        assert!(!svg.contains("NaN") && !svg.contains("inf") && !svg.contains("<script"));
        assert!(svg.contains(">0.3</text>") && svg.contains("tactful, labelled with discovery"));
    }

    #[test]
    fn ticks_are_round() {
        assert_eq!(step(0.21), 0.05);
        assert_eq!(step(0.033), 0.01);
        assert_eq!(step(0.0), 1.0);
    }
}
