//! `tactful recommend --model FILE`: ranking with a model file gives the same lists as building that model from the
//! history in the same run, and a file the engine cannot read is refused with the path of what is wrong. (The Spark
//! build in spark/ is checked against the Rust one through this option.) Runs with `cargo test --features cli`.
#![cfg(all(feature = "cli", not(target_arch = "wasm32")))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn exe() -> &'static str {
    env!("CARGO_BIN_EXE_tactful")
}

/// The first 4,000 lines of the Online Retail sample, and requests for its first 15 customers a day after its end.
fn fixture(dir: &Path) -> (PathBuf, PathBuf) {
    let sample =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/data/online-retail/sample.csv")).unwrap();
    let lines: Vec<&str> = sample.lines().take(4_000).collect();
    let history = dir.join("history.csv");
    std::fs::write(&history, lines.join("\n") + "\n").unwrap();
    let mut customers: Vec<&str> = Vec::new();
    for l in &lines[1..] {
        let c = l.rsplit(',').nth(1).unwrap();
        if !c.is_empty() && !customers.contains(&c) {
            customers.push(c);
        }
    }
    let requests = dir.join("requests.csv");
    let body: String = customers.iter().take(15).map(|c| format!("{c},2011-12-31T00:00:00Z\n")).collect();
    std::fs::write(&requests, format!("customer_id,at\n{body}")).unwrap();
    (history, requests)
}

fn run(args: &[&str], paths: &[(&str, &Path)]) -> std::process::Output {
    let mut cmd = Command::new(exe());
    cmd.args(args);
    for (flag, p) in paths {
        cmd.arg(flag).arg(p);
    }
    cmd.output().unwrap()
}

#[test]
fn recommend_with_a_model_file_ranks_as_the_model_built_in_the_run() {
    let dir = std::env::temp_dir().join(format!("tactful-model-file-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (history, requests) = fixture(&dir);
    let (model, a, b) = (dir.join("model.json"), dir.join("built.csv"), dir.join("from-file.csv"));
    let out =
        run(&["model", "build", "--min-customers", "2", "--dim", "8"], &[("--orders", &history), ("--out", &model)]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = run(
        &["recommend", "--min-customers", "2", "--dim", "8"],
        &[("--history", &history), ("--requests", &requests), ("--out", &a)],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out =
        run(&["recommend"], &[("--history", &history), ("--requests", &requests), ("--model", &model), ("--out", &b)]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (built, from_file) = (std::fs::read_to_string(&a).unwrap(), std::fs::read_to_string(&b).unwrap());
    assert!(built.lines().count() > 15 * 5, "{built}");
    assert_eq!(built, from_file);

    // Without the file's neighbours the lists change: the option really reads the file.
    let text = std::fs::read_to_string(&model).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["neighbours"] = serde_json::json!([]);
    v["embeddings"] = serde_json::json!([]);
    v["dim"] = serde_json::json!(0);
    let thin = dir.join("thin.json");
    std::fs::write(&thin, v.to_string()).unwrap();
    let c = dir.join("thin.csv");
    let out =
        run(&["recommend"], &[("--history", &history), ("--requests", &requests), ("--model", &thin), ("--out", &c)]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_ne!(std::fs::read_to_string(&c).unwrap(), built);

    v["version"] = serde_json::json!(99);
    std::fs::write(&thin, v.to_string()).unwrap();
    let out = run(&["recommend"], &[("--history", &history), ("--requests", &requests), ("--model", &thin)]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("model.version") && err.contains("99"), "{err}");
    std::fs::write(&thin, &text[..text.len() / 2]).unwrap();
    let out = run(&["recommend"], &[("--history", &history), ("--requests", &requests), ("--model", &thin)]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("thin.json") && err.contains("not valid JSON"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}
