//! `tactful evaluate`: tactful and the published baselines on the same split, in one run, with the protocol's
//! metrics and paired 95 % intervals of tactful minus each baseline (EVALUATION.md).

use crate::cli::baselines::{g_topfreq, p_topfreq, Tifu, TifuIndex};
use crate::cli::metrics::{coverage, mean, paired, score_case, CaseScore, Paired};
use crate::cli::model_build::{self, BuildOptions};
use crate::cli::read::Row;
use crate::cli::shop::Shop;
use crate::cli::split::{baskets, Case};
use crate::contract::input::Product;
use crate::engine::policy::{Policy, PolicySpec, Settings};
use std::collections::BTreeMap;

pub const METHODS: [&str; 4] = ["tactful", "G-TopFreq", "P-TopFreq", "TIFU-KNN"];

/// How far past `k` the baselines' lists are drawn, to refill the places of the sensitive products left out.
pub const GUARDED_DEPTH: usize = 40;

#[derive(Debug, Clone)]
pub struct EvalOptions {
    pub ks: Vec<usize>,
    pub build: BuildOptions,
    pub policy: Option<PolicySpec>,
    pub tifu: Tifu,
    /// Draw progress bars on stderr.
    pub progress: bool,
    /// The shop's product file (`None`: the catalog is derived from the orders).
    pub products: Option<Vec<Product>>,
    /// Also rank with each re-ranking stage turned off, to price each one (`STAGES`).
    pub stage_costs: bool,
}

/// One policy change (a knob set).
pub type Change = fn(&mut Policy);

/// The re-ranking stages whose price `evaluate` measures: the label, and the policy change that turns the stage off.
pub const STAGES: [(&str, Change); 4] = [
    ("diversity (MMR)", |p| p.diversity = Some(0.0)),
    ("discovery slots", |p| p.discovery = Some(0.0)),
    ("thin data (default list below minEvidence or minOccasions)", |p| {
        p.min_evidence = Some(0.0);
        p.min_occasions = Some(1);
    }),
    ("category cap", |p| p.max_per_category = Some(100)),
];

/// `spec` with one change.
pub fn with_change(spec: &PolicySpec, change: Change) -> PolicySpec {
    let mut p = match spec {
        PolicySpec::Preset(preset) => Policy { preset: Some(*preset), ..Policy::default() },
        PolicySpec::Custom(p) => (**p).clone(),
    };
    change(&mut p);
    PolicySpec::Custom(Box::new(p))
}

impl Default for EvalOptions {
    fn default() -> Self {
        EvalOptions {
            ks: vec![10, 20],
            build: BuildOptions::default(),
            policy: None,
            tifu: Tifu::default(),
            progress: false,
            products: None,
            stage_costs: false,
        }
    }
}

/// Every method's lists and per-customer scores.
#[derive(Debug, Default)]
pub struct Report {
    pub ks: Vec<usize>,
    pub customers: usize,
    pub catalog_size: usize,
    /// method → k → one score per case.
    pub scores: BTreeMap<String, BTreeMap<usize, Vec<CaseScore>>>,
    pub coverage: BTreeMap<String, BTreeMap<usize, f64>>,
    pub violations: BTreeMap<String, BTreeMap<usize, u32>>,
    /// Which cases have ≤ 2 prior baskets.
    pub few_baskets: Vec<bool>,
    /// The engine's guardrail removals over all lists at the largest k, per reason code.
    pub removed_counts: BTreeMap<String, u64>,
    /// Per re-ranking stage (`STAGES`), tactful's scores at the smallest k with that stage turned off.
    pub stages: Vec<(String, Vec<CaseScore>)>,
    /// P-TopFreq and TIFU-KNN at the smallest k with products of a sensitive class left out (and the list filled from
    /// further down): the baselines held to the rule tactful keeps, so scoring and the guardrails' price separate.
    pub guarded: Vec<(String, Vec<CaseScore>)>,
}

fn bar(n: usize, on: bool, msg: &'static str) -> indicatif::ProgressBar {
    if !on {
        return indicatif::ProgressBar::hidden();
    }
    let b = indicatif::ProgressBar::new(n as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{msg:>12} {bar:40} {pos}/{len} {elapsed}") {
        b.set_style(style);
    }
    b.set_message(msg);
    b
}

pub fn run(history: &[Row], cases: &[Case], opts: &EvalOptions) -> Result<Report, String> {
    let settings = Settings::resolve(&opts.policy.clone().unwrap_or_default(), "policy").map_err(|e| e.to_string())?;
    let kmax = opts.ks.iter().copied().max().unwrap_or(10);
    let b = baskets(history, &settings);
    let model = model_build::build(&b, &model_build::titles(&b, history), &opts.build);
    let products = opts.products.as_deref();
    let stage_model = opts.stage_costs.then(|| model.clone());
    let mut shop = Shop::with_products(history, Some(model), opts.policy.clone(), products)?;
    let catalog: rustc_hash::FxHashSet<String> = shop.products.iter().map(|p| p.id.clone()).collect();
    // Products of a sensitive class: no list may hold one without the shopper's opt-in (none opts in here).
    let sensitive: rustc_hash::FxHashSet<String> = {
        let c = shop.engine.catalog();
        shop.products
            .iter()
            .filter(|p| c.pid(&p.id).is_some_and(|q| c.sensitivity_of(q) != 0))
            .map(|p| p.id.clone())
            .collect()
    };

    // Lists: method → k → one list per case.
    let mut lists: BTreeMap<&str, BTreeMap<usize, Vec<Vec<String>>>> = BTreeMap::new();
    let mut removed: Vec<Vec<String>> = Vec::new();
    let mut report =
        Report { ks: opts.ks.clone(), customers: cases.len(), catalog_size: catalog.len(), ..Report::default() };
    // Analysis: `TACTFUL_DUMP_TERMS=file` writes, for every case, the best-scored candidates with their score terms and
    // whether the case's target holds them (customer,product,label,term=value;…), to fit the terms' weights offline.
    let mut dump = std::env::var_os("TACTFUL_DUMP_TERMS").map(|_| String::from("customer,product,label,terms\n"));
    if dump.is_some() {
        shop.capture = Some(Vec::new());
    }
    let pb = bar(cases.len() * opts.ks.len(), opts.progress, "tactful");
    for &k in &opts.ks {
        let mut out = Vec::with_capacity(cases.len());
        for case in cases {
            let (list, gone) = shop.rank(&case.customer, case.at, k)?;
            if let (Some(d), Some(cap), true) = (dump.as_mut(), shop.capture.as_ref(), k == kmax) {
                for (id, terms) in cap {
                    let label = u8::from(case.target.contains(id));
                    let t: Vec<String> = terms.iter().map(|(n, v)| format!("{n}={v:.6}")).collect();
                    d.push_str(&format!("{},{id},{label},{}\n", case.customer, t.join(";")));
                }
            }
            if k == kmax {
                removed.push(gone.0);
                for (code, n) in gone.1 {
                    *report.removed_counts.entry(code).or_default() += u64::from(n);
                }
            }
            out.push(list);
            pb.inc(1);
        }
        lists.entry("tactful").or_default().insert(k, out);
    }
    pb.finish_and_clear();
    if let (Some(d), Some(path)) = (dump, std::env::var_os("TACTFUL_DUMP_TERMS")) {
        std::fs::write(&path, d).map_err(|e| format!("TACTFUL_DUMP_TERMS: {e}"))?;
    }

    let kmin = opts.ks.iter().copied().min().unwrap_or(10);
    if let Some(model) = stage_model {
        let base = opts.policy.clone().unwrap_or_default();
        let pb = bar(cases.len() * STAGES.len(), opts.progress, "stages");
        for (label, change) in STAGES {
            let mut off =
                Shop::with_products(history, Some(model.clone()), Some(with_change(&base, change)), products)?;
            let mut scores = Vec::with_capacity(cases.len());
            for case in cases {
                let (list, _) = off.rank(&case.customer, case.at, kmin)?;
                let own = b.of(&case.customer);
                let before =
                    |p: &str| b.products.get(p).is_some_and(|q| own.iter().any(|x| x.items.binary_search(&q).is_ok()));
                let ranked: Vec<&str> = list.iter().map(String::as_str).collect();
                let target: Vec<&str> = case.target.iter().map(String::as_str).collect();
                scores.push(score_case(&ranked, &target, kmin, &before));
                pb.inc(1);
            }
            report.stages.push((label.to_string(), scores));
        }
        pb.finish_and_clear();
    }

    let global = g_topfreq(&b, kmax);
    let ids = |l: Vec<u32>| -> Vec<String> { l.into_iter().map(|p| b.products.id(p).to_string()).collect() };
    let tifu = TifuIndex::build(&b, opts.tifu);
    let pb = bar(cases.len(), opts.progress, "baselines");
    let mut base: BTreeMap<&str, Vec<Vec<String>>> = BTreeMap::new();
    // The baselines without sensitive products: each list drawn deep enough to refill what is left out.
    let deep = kmin + GUARDED_DEPTH;
    let global_deep = g_topfreq(&b, deep);
    let kept = |l: Vec<u32>| -> Vec<String> {
        ids(l).into_iter().filter(|p| !sensitive.contains(p)).take(kmin).collect::<Vec<String>>()
    };
    let mut guarded: BTreeMap<&str, Vec<CaseScore>> = BTreeMap::new();
    for case in cases {
        let own = b.of(&case.customer);
        base.entry("G-TopFreq").or_default().push(ids(global.clone()));
        base.entry("P-TopFreq").or_default().push(ids(p_topfreq(own, &global, kmax)));
        let t = match b.customer_index.get(&case.customer) {
            Some(&u) => tifu.recommend(u, &global, kmax),
            None => global.clone(),
        };
        base.entry("TIFU-KNN").or_default().push(ids(t));
        let t_deep = match b.customer_index.get(&case.customer) {
            Some(&u) => tifu.recommend(u, &global_deep, deep),
            None => global_deep.clone(),
        };
        let before = |p: &str| b.products.get(p).is_some_and(|q| own.iter().any(|x| x.items.binary_search(&q).is_ok()));
        let target: Vec<&str> = case.target.iter().map(String::as_str).collect();
        for (name, list) in [("P-TopFreq", kept(p_topfreq(own, &global_deep, deep))), ("TIFU-KNN", kept(t_deep))] {
            let ranked: Vec<&str> = list.iter().map(String::as_str).collect();
            guarded.entry(name).or_default().push(score_case(&ranked, &target, kmin, &before));
        }
        pb.inc(1);
    }
    report.guarded = guarded.into_iter().map(|(n, v)| (n.to_string(), v)).collect();
    pb.finish_and_clear();
    for (name, l) in base {
        for &k in &opts.ks {
            lists.entry(name).or_default().insert(k, l.iter().map(|x| x.iter().take(k).cloned().collect()).collect());
        }
    }

    report.few_baskets = cases.iter().map(|c| b.of(&c.customer).len() <= 2).collect();
    for (name, by_k) in &lists {
        for (&k, per_case) in by_k {
            let mut scores = Vec::with_capacity(cases.len());
            let mut bad = 0u32;
            for (i, (case, list)) in cases.iter().zip(per_case).enumerate() {
                let own = b.of(&case.customer);
                let before =
                    |p: &str| b.products.get(p).is_some_and(|q| own.iter().any(|x| x.items.binary_search(&q).is_ok()));
                let ranked: Vec<&str> = list.iter().map(String::as_str).collect();
                let target: Vec<&str> = case.target.iter().map(String::as_str).collect();
                scores.push(score_case(&ranked, &target, k, &before));
                let audit = if *name == "tactful" && k == kmax { removed.get(i) } else { None };
                bad += violations(list, k, &settings, &catalog, audit.map(Vec::as_slice));
                bad += list.iter().take(k).filter(|p| sensitive.contains(*p)).count() as u32;
            }
            report.scores.entry(name.to_string()).or_default().insert(k, scores);
            report
                .coverage
                .entry(name.to_string())
                .or_default()
                .insert(k, coverage(per_case.iter().map(Vec::as_slice), k, catalog.len()));
            report.violations.entry(name.to_string()).or_default().insert(k, bad);
        }
    }
    Ok(report)
}

/// Items in a top-k that a guardrail or the cleaning should have kept out: non-product codes, products the catalog
/// does not hold, the same product twice, and anything the engine's own audit says it removed. (`run` also counts
/// products of a sensitive class, which no list may hold without an opt-in.)
#[allow(clippy::implicit_hasher)] // one hasher (FxHash) throughout the crate
pub fn violations(
    list: &[String],
    k: usize,
    s: &Settings,
    catalog: &rustc_hash::FxHashSet<String>,
    audit: Option<&[String]>,
) -> u32 {
    let mut seen: rustc_hash::FxHashSet<&str> = rustc_hash::FxHashSet::default();
    let mut n = 0;
    for p in list.iter().take(k) {
        let removed = audit.is_some_and(|a| a.contains(p));
        if s.is_non_product(p) || !catalog.contains(p) || !seen.insert(p.as_str()) || removed {
            n += 1;
        }
    }
    n
}

fn f4(v: f64) -> String {
    format!("{v:.4}")
}

/// A paired difference as `+0.0123 [+0.0010, +0.0236] ▲` (▲ / ▼: the interval is above / below zero).
pub fn interval(p: &Paired) -> String {
    let mark = if p.low > 0.0 {
        " ▲"
    } else if p.high < 0.0 {
        " ▼"
    } else {
        ""
    };
    format!("{:+.4} [{:+.4}, {:+.4}]{mark}", p.mean, p.low, p.high)
}

/// Which value of a customer's scores a metric reads (`None`: the customer has no such value).
pub type Pick = fn(&CaseScore) -> Option<f64>;

/// One value per case of a metric for a method at `k`; with `only_few`, `None` for customers with more than 2 prior
/// baskets.
pub fn column(r: &Report, method: &str, k: usize, pick: Pick, only_few: bool) -> Vec<Option<f64>> {
    let scores = r.scores.get(method).and_then(|x| x.get(&k)).map_or(&[][..], Vec::as_slice);
    scores
        .iter()
        .enumerate()
        .map(|(i, s)| if only_few && !r.few_baskets.get(i).copied().unwrap_or(false) { None } else { pick(s) })
        .collect()
}

/// The results as a Markdown table: each method's mean, then tactful minus each baseline with its paired 95 % interval
/// (▲ / ▼: the interval is above / below zero).
pub fn render(r: &Report) -> String {
    let metrics: [(&str, Pick); 5] = [
        ("recall", |s| Some(s.recall)),
        ("NDCG", |s| Some(s.ndcg)),
        ("PHR", |s| Some(s.hit)),
        ("repeat recall", |s| s.repeat),
        ("explore recall", |s| s.explore),
    ];
    let baselines = &METHODS[1..];
    let mut out = String::new();
    out.push_str("| metric | ");
    out.push_str(&METHODS.join(" | "));
    for b in baselines {
        out.push_str(&format!(" | tactful − {b}"));
    }
    out.push_str(" |\n|---|");
    out.push_str(&"---:|".repeat(METHODS.len() + baselines.len()));
    out.push('\n');
    for &k in &r.ks {
        let mut rows: Vec<(String, Pick, bool)> =
            metrics.iter().map(|(name, pick)| (format!("{name}@{k}"), *pick, false)).collect();
        rows.push((
            format!("recall@{k}, ≤ 2 prior baskets (n = {})", r.few_baskets.iter().filter(|x| **x).count()),
            |s| Some(s.recall),
            true,
        ));
        for (label, pick, only_few) in rows {
            let col = |m: &str| column(r, m, k, pick, only_few);
            out.push_str(&format!("| {label} |"));
            for m in METHODS {
                let v: Vec<f64> = col(m).into_iter().flatten().collect();
                out.push_str(&format!(" {} |", f4(mean(&v))));
            }
            let t = col("tactful");
            for b in baselines {
                out.push_str(&format!(" {} |", interval(&paired(&t, &col(b)))));
            }
            out.push('\n');
        }
        out.push_str(&format!("| coverage@{k} |"));
        for m in METHODS {
            out.push_str(&format!(" {} |", f4(r.coverage.get(m).and_then(|x| x.get(&k)).copied().unwrap_or(0.0))));
        }
        out.push_str(&" |".repeat(baselines.len()));
        out.push_str(&format!("\n| guardrail violations@{k} |"));
        for m in METHODS {
            out.push_str(&format!(" {} |", r.violations.get(m).and_then(|x| x.get(&k)).copied().unwrap_or(0)));
        }
        out.push_str(&" |".repeat(baselines.len()));
        out.push('\n');
    }
    out
}

/// The metrics the paired tables (guarded baselines, stage costs) report, at the smallest k.
const PAIRED_METRICS: [(&str, Pick); 3] =
    [("recall", |s| Some(s.recall)), ("NDCG", |s| Some(s.ndcg)), ("explore recall", |s| s.explore)];

/// The baselines held to tactful's sensitive-class rule (`Report::guarded`), and tactful minus each, paired, at the
/// smallest k: what is left of the gap once the baselines may not show what no guardrail lets tactful show.
pub fn render_guarded(r: &Report) -> String {
    let Some(&k) = r.ks.iter().min() else { return String::new() };
    if r.guarded.is_empty() {
        return String::new();
    }
    let metrics = PAIRED_METRICS;
    let mut out = String::from("| baseline without sensitive products |");
    for (name, _) in metrics {
        out.push_str(&format!(" {name}@{k} | tactful − it |"));
    }
    out.push_str("\n|---|");
    out.push_str(&"---:|".repeat(2 * metrics.len()));
    out.push('\n');
    for (label, scores) in &r.guarded {
        out.push_str(&format!("| {label} |"));
        for (_, pick) in metrics {
            let t = column(r, "tactful", k, pick, false);
            let it: Vec<Option<f64>> = scores.iter().map(pick).collect();
            let v: Vec<f64> = it.iter().flatten().copied().collect();
            out.push_str(&format!(" {} | {} |", f4(mean(&v)), interval(&paired(&t, &it))));
        }
        out.push('\n');
    }
    out
}

/// What each re-ranking stage costs: tactful (every stage on) minus tactful with that stage off, paired per case, at
/// the smallest k (negative: the stage costs that much).
pub fn render_stages(r: &Report) -> String {
    let Some(&k) = r.ks.iter().min() else { return String::new() };
    if r.stages.is_empty() {
        return String::new();
    }
    let metrics = PAIRED_METRICS;
    let mut out = String::from("| stage cost: tactful − tactful with it off |");
    for (name, _) in metrics {
        out.push_str(&format!(" {name}@{k} |"));
    }
    out.push_str("\n|---|");
    out.push_str(&"---:|".repeat(metrics.len()));
    out.push('\n');
    for (label, scores) in &r.stages {
        out.push_str(&format!("| {label} |"));
        for (_, pick) in metrics {
            let on = column(r, "tactful", k, pick, false);
            let off: Vec<Option<f64>> = scores.iter().map(pick).collect();
            out.push_str(&format!(" {} |", interval(&paired(&on, &off))));
        }
        out.push('\n');
    }
    out
}
