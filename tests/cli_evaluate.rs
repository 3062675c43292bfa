//! The whole `evaluate` on a small slice of the dev split: every method scored, no guardrail violation, and the
//! practice split reproduces the protocol's counts on the sample. Runs with `cargo test --features cli`.
#![cfg(all(feature = "cli", not(target_arch = "wasm32")))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::path::Path;
use tactful::cli::evaluate::{self, EvalOptions, METHODS};
use tactful::cli::read::{read_orders, read_requests, read_targets, Row};
use tactful::cli::split::{self, Case};
use tactful::cli::sweep;
use tactful::{PolicyPreset, Settings};

fn dev() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/data/online-retail/dev-split"))
}

/// The first 60 dev cases, and a history of their customers' rows plus every 3rd other row (so the model still has
/// something to learn from).
fn slice() -> (Vec<Row>, Vec<Case>) {
    let rows = read_orders(&dev().join("history.csv")).unwrap().rows;
    let (reqs, _) = read_requests(&dev().join("requests.csv")).unwrap();
    let targets = read_targets(&dev().join("targets.csv")).unwrap();
    let cases: Vec<Case> = reqs
        .into_iter()
        .take(60)
        .map(|(customer, at)| {
            let target = targets.iter().filter(|t| t.0 == customer).map(|t| t.1.clone()).collect();
            Case { customer, at, target }
        })
        .collect();
    let keep: std::collections::HashSet<&str> = cases.iter().map(|c| c.customer.as_str()).collect();
    let history: Vec<Row> = rows
        .iter()
        .enumerate()
        .filter(|(i, r)| keep.contains(r.customer.as_str()) || i % 3 == 0)
        .map(|x| x.1.clone())
        .collect();
    (history, cases)
}

#[test]
fn evaluate_runs_every_method_on_a_slice_of_the_dev_split() {
    let (history, cases) = slice();
    let report = evaluate::run(&history, &cases, &EvalOptions::default()).unwrap();
    assert_eq!(report.customers, 60);
    for m in METHODS {
        for k in [10, 20] {
            assert_eq!(report.scores[m][&k].len(), 60, "{m}@{k}");
            assert_eq!(report.violations[m][&k], 0, "{m}@{k}");
            let recall: f64 = report.scores[m][&k].iter().map(|s| s.recall).sum::<f64>() / 60.0;
            assert!((0.0..=1.0).contains(&recall));
        }
    }
    let tactful: f64 = report.scores["tactful"][&10].iter().map(|s| s.recall).sum();
    assert!(tactful > 0.0, "tactful finds something");
    let table = evaluate::render(&report);
    assert!(table.contains("| recall@10 |") && table.contains("tactful − TIFU-KNN") && table.contains("≤ 2 prior"));
    // Held to the sensitive-class rule: this shop has no sensitive product, so each baseline's refilled list scores
    // exactly as its own top 10, case by case.
    let names: Vec<&str> = report.guarded.iter().map(|g| g.0.as_str()).collect();
    assert_eq!(names, ["P-TopFreq", "TIFU-KNN"]);
    for (name, scores) in &report.guarded {
        let plain: Vec<(f64, f64)> = report.scores[name][&10].iter().map(|s| (s.recall, s.ndcg)).collect();
        let held: Vec<(f64, f64)> = scores.iter().map(|s| (s.recall, s.ndcg)).collect();
        assert_eq!(held, plain, "{name}");
    }
    assert!(evaluate::render_guarded(&report).contains("| TIFU-KNN |"));
}

#[test]
fn the_protocol_split_of_the_sample_reproduces_the_dev_split() {
    let sample = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/data/online-retail/sample.csv"));
    let rows = read_orders(sample).unwrap().rows;
    let (history, cases) = split::split(&rows, &Settings::preset(PolicyPreset::Balanced));
    assert_eq!(cases.len(), 725);
    assert_eq!(cases.iter().map(|c| c.target.len()).sum::<usize>(), 14_883);
    let dev_history = read_orders(&dev().join("history.csv")).unwrap().rows;
    assert_eq!(history.len(), dev_history.len());
}

#[test]
fn a_sweep_runs_the_knob_at_each_value_beside_the_baselines() {
    let (history, cases) = slice();
    let spec = sweep::parse_spec("discovery=0,0.5").unwrap();
    let points: Vec<sweep::Point> = spec
        .values
        .iter()
        .map(|&v| {
            let opts = EvalOptions {
                ks: vec![10],
                policy: Some(sweep::policy_with("balanced", &spec.knob, v).unwrap()),
                ..EvalOptions::default()
            };
            sweep::Point { value: v, report: evaluate::run(&history, &cases, &opts).unwrap() }
        })
        .collect();
    let explore = |p: &sweep::Point| sweep::metric(&p.report, "tactful", 10, |s| s.explore, false);
    let recall = |p: &sweep::Point| sweep::metric(&p.report, "tactful", 10, |s| Some(s.recall), false);
    // Half the slots for never-bought products: more of them found, fewer repeats.
    assert!(explore(&points[1]) >= explore(&points[0]));
    assert!(recall(&points[1]) < recall(&points[0]), "{} vs {}", recall(&points[1]), recall(&points[0]));
    // The baselines do not depend on the knob.
    assert_eq!(points[0].report.scores["TIFU-KNN"], points[1].report.scores["TIFU-KNN"]);
    let table = sweep::render("discovery", &points, 10);
    assert!(table.contains("\n| 0 | ") && table.contains("\n| 0.5 | ") && table.contains("\n| TIFU-KNN | "), "{table}");
    let svg = sweep::chart("discovery", &points, 10, "slice");
    assert_eq!(svg.matches("class=\"tactful\"").count(), 4);
}

/// The README's sweep command, through the binary: the table on stdout, the chart on disk, and a mistyped knob refused
/// before any work with the knob's path.
#[test]
fn the_binary_sweeps_a_knob_and_draws_the_chart() {
    let exe = env!("CARGO_BIN_EXE_tactful");
    let dir = std::env::temp_dir().join(format!("tactful-sweep-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let chart = dir.join("tradeoff.svg");
    let out = std::process::Command::new(exe)
        .args(["evaluate", "--split"])
        .arg(dev())
        .args(["--limit", "20", "--k", "10", "--sweep", "discovery=0,0.5", "--chart"])
        .arg(&chart)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("| discovery | recall@10 |") && stdout.contains("\n| 0.5 | "), "{stdout}");
    let svg = std::fs::read_to_string(&chart).unwrap();
    assert_eq!(svg.matches("class=\"tactful\"").count(), 4);
    std::fs::remove_dir_all(&dir).unwrap();

    let bad = std::process::Command::new(exe)
        .args(["evaluate", "--split", "no-such-dir", "--sweep", "discovry=0,0.1"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("policy.discovry") && !err.contains("no-such-dir"), "{err}");
}

/// The Complete Journey dev split with its product file, through the binary: a slice of the split (15 households and
/// every 40th other history row) written to a temporary directory, evaluated with `--products` and `--limit`. The
/// table, the stage-cost rows and 0 violations for tactful; the baselines, which know no guardrail, put sensitive
/// products in their lists.
#[test]
fn the_binary_evaluates_the_complete_journey_slice_with_its_product_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cj = root.join("data/complete-journey/dev-split");
    let dir = std::env::temp_dir().join(format!("tactful-cj-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let requests = std::fs::read_to_string(cj.join("requests.csv")).unwrap();
    let kept: Vec<&str> = requests.lines().take(16).collect();
    let ids: std::collections::HashSet<&str> = kept.iter().skip(1).filter_map(|l| l.split(',').next()).collect();
    let filter = |name: &str, every: usize| {
        let text = std::fs::read_to_string(cj.join(name)).unwrap();
        let mut lines = text.lines();
        let mut out = format!("{}\n", lines.next().unwrap());
        for (i, l) in lines.enumerate() {
            if ids.contains(l.split(',').next().unwrap()) || (every > 0 && i % every == 0) {
                out.push_str(l);
                out.push('\n');
            }
        }
        std::fs::write(dir.join(name), out).unwrap();
    };
    filter("history.csv", 40);
    filter("targets.csv", 0);
    std::fs::write(dir.join("requests.csv"), kept.join("\n") + "\n").unwrap();
    let exe = env!("CARGO_BIN_EXE_tactful");
    let out = std::process::Command::new(exe)
        .args(["evaluate", "--split"])
        .arg(&dir)
        .arg("--products")
        .arg(root.join("data/complete-journey/products.csv"))
        .args(["--limit", "12", "--k", "10", "--dim", "0"])
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.starts_with("12 customers, 92257 products"), "{stdout}");
    assert!(stderr.contains("74 non-product ids"), "fuel and coupons: {stderr}");
    for row in ["| recall@10 |", "| NDCG@10 |", "| explore recall@10 |", "| coverage@10 |", "≤ 2 prior baskets"] {
        assert!(stdout.contains(row), "{row}: {stdout}");
    }
    for stage in ["| diversity (MMR) |", "| discovery slots |", "| thin data", "| category cap |"] {
        assert!(stdout.contains(stage), "{stage}: {stdout}");
    }
    let violations = stdout.lines().find(|l| l.starts_with("| guardrail violations@10 |")).unwrap();
    let counts: Vec<u32> = violations.split('|').filter_map(|c| c.trim().parse().ok()).collect();
    assert_eq!(counts.len(), 4, "{violations}");
    assert_eq!(counts[0], 0, "tactful: {violations}");
    assert!(stdout.contains("SENSITIVE_CLASS"), "the engine kept sensitive products out: {stdout}");
    // The baselines held to the same rule are printed beside tactful.
    let held = stdout.split("| baseline without sensitive products |").nth(1).expect("the held baselines' table");
    assert!(held.contains("| P-TopFreq |") && held.contains("| TIFU-KNN |"), "{held}");

    let bad = std::process::Command::new(exe)
        .args(["evaluate", "--split", "no-such-dir", "--products", "no-such-products.json"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("no-such-products.json"));
}
