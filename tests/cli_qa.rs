//! `tactful qa` (issue 16): a policy that leaks a sensitive class is caught and the command fails; the default policy
//! passes; the diff of a policy with itself is empty; a real change shows up as a change; examples never name what
//! the gate would not name. Runs with `cargo test --features cli`.
#![cfg(all(feature = "cli", not(target_arch = "wasm32")))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;
use tactful::cli::products::read_products;
use tactful::cli::qa::{self, Population, QaOptions, QaReport};
use tactful::cli::read::read_orders;
use tactful::cli::sweep::policy_spec;

const DIAPERS: [&str; 3] = ["d1", "d2", "d3"];
const BEER: [&str; 2] = ["b1", "b2"];

/// A small shop: 40 grocery products in 4 departments, 3 diapers and 2 beers that almost everyone buys, and a
/// sensitive mapping that only the product file carries (a CSV product file would bring the Complete Journey's).
fn shop_files(dir: &Path) -> (PathBuf, PathBuf) {
    std::fs::create_dir_all(dir).unwrap();
    let mut products = Vec::new();
    for i in 0..40 {
        let dept = ["Dairy", "Bakery", "Produce", "Pantry"][i % 4];
        products.push(format!(
            r#"{{"id":"g{i}","title":"Grocery item {i}","category":["Grocery","{dept}","{dept} {}"],"price":{}}}"#,
            i % 3,
            1.0 + (i % 7) as f64
        ));
    }
    for d in DIAPERS {
        products.push(format!(r#"{{"id":"{d}","title":"Diapers {d}","category":["Baby","Diapers"],"price":12}}"#));
    }
    for b in BEER {
        products.push(format!(r#"{{"id":"{b}","title":"Lager {b}","category":["Drinks","Beer"],"price":6}}"#));
    }
    let products_path = dir.join("products.json");
    std::fs::write(&products_path, format!("[{}]", products.join(",\n"))).unwrap();
    let mut orders = String::from("customer_id,product_id,at,quantity,order_id\n");
    let mut order = 0;
    for c in 0..60u32 {
        for o in 0..(2 + c % 5) {
            order += 1;
            let day = 1 + (o * 9 + c % 7) % 27;
            let at = format!("2024-0{}-{day:02}T10:00:00Z", 1 + (o % 5));
            for j in 0..4u32 {
                let g = (c * 7 + o * 3 + j * 11) % 40;
                orders.push_str(&format!("c{c},g{g},{at},1,o{order}\n"));
            }
            // Most customers buy diapers and beer: without the mapping, they would top every popular list.
            if c % 5 != 0 {
                orders.push_str(&format!("c{c},{},{at},1,o{order}\n", DIAPERS[(c % 3) as usize]));
                orders.push_str(&format!("c{c},{},{at},1,o{order}\n", BEER[(c % 2) as usize]));
            }
        }
    }
    let orders_path = dir.join("orders.csv");
    std::fs::write(&orders_path, orders).unwrap();
    (products_path, orders_path)
}

fn tmp(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("tactful-qa-{name}-{}", std::process::id()))
}

fn report(dir: &Path, policy: &str, against: Option<&str>) -> QaReport {
    report_with(dir, policy, against, &QaOptions::default())
}

fn report_with(dir: &Path, policy: &str, against: Option<&str>, opts: &QaOptions) -> QaReport {
    let (p, o) = shop_files(dir);
    let file = read_products(&p).unwrap();
    let mut file = file;
    file.sensitive.insert("diapers".into(), tactful::contract::input::SensitivityClass::PregnancyBaby);
    file.sensitive.insert("beer".into(), tactful::contract::input::SensitivityClass::Alcohol);
    let orders = read_orders(&o).unwrap();
    let spec = file.policy(&policy_spec(policy).unwrap());
    let base = against.map(|a| file.policy(&policy_spec(a).unwrap()));
    let pop = Population {
        rows: &orders.rows,
        products: Some(&file.products),
        model: None,
        sensitive: file.sensitive.clone(),
    };
    qa::report(&pop, ("p", &spec), base.as_ref().map(|b| ("a", b)), opts).unwrap()
}

#[test]
fn a_policy_that_drops_the_sensitive_mapping_is_caught_and_the_default_passes() {
    let leak = report(&tmp("leak"), r#"{"preset":"balanced","sensitiveCategories":{}}"#, None);
    let s = &leak.policy.safety;
    assert!(leak.failed(), "{s:?}");
    assert!(s.sensitive_exposures > 0 && s.sensitive_shoppers > 0, "{s:?}");
    assert!(s.compliance_breaches > 0, "beer without an age check: {s:?}");
    assert_eq!(s.reference_sensitive_products, 5, "the reference keeps the file's mapping");
    assert!(s.examples.iter().all(|b| b.class == "pregnancy_baby" || b.class == "alcohol"), "{:?}", s.examples);

    let ok = report(&tmp("ok"), "balanced", None);
    let s = &ok.policy.safety;
    assert!(!ok.failed(), "{s:?}");
    assert_eq!((s.sensitive_exposures, s.compliance_breaches), (0, 0));
    assert_eq!(s.reference_sensitive_products, 5);
    let sens = ok.policy.guardrails.iter().find(|g| g.code == "SENSITIVE_CLASS").expect("the guardrail fired");
    assert!(sens.shoppers > 0 && !sens.named && sens.examples.is_empty(), "{sens:?}");
}

#[test]
fn no_example_and_no_aggregate_names_a_sensitive_product() {
    let r = report(&tmp("names"), "balanced", Some(r#"{"preset":"balanced","sensitiveCategories":{}}"#));
    let json = serde_json::to_string(&r.policy).unwrap();
    for id in DIAPERS.iter().chain(BEER.iter()) {
        assert!(!json.contains(&format!("\"{id}\"")), "{id} named in the policy's report");
    }
    // The leaking baseline's aggregate lists and the diff give a class, never a title.
    let diff = serde_json::to_string(r.diff.as_ref().unwrap()).unwrap();
    let against = serde_json::to_string(r.against.as_ref().unwrap()).unwrap();
    for id in DIAPERS.iter().chain(BEER.iter()) {
        assert!(!diff.contains(&format!("\"{id}\"")) && !against.contains(&format!("\"{id}\"")), "{id} named");
    }
    assert!(!diff.contains("Diapers d") && !diff.contains("Lager b"), "{diff}");
    assert!(diff.contains("(a pregnancy_baby product)"), "the leak shows as a loss of exposure: {diff}");
    // Named examples exist for what the engine names, and carry the shopper's text.
    let named: Vec<_> = r.policy.guardrails.iter().filter(|g| !g.examples.is_empty()).collect();
    assert!(!named.is_empty());
    assert!(named.iter().all(|g| g.examples.iter().all(|e| !e.text.is_empty() && !e.shopper.is_empty())));
}

#[test]
fn the_diff_of_a_policy_with_itself_is_empty_and_a_real_change_is_not() {
    let same = report(&tmp("same"), "balanced", Some("balanced"));
    let d = same.diff.as_ref().unwrap();
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(d.changed, 0);
    assert_eq!(d.mean_rbo, 1.0);
    assert_eq!(d.rbo_histogram[9], d.shoppers);

    let change = report(&tmp("change"), "balanced", Some("conservative"));
    let d = change.diff.as_ref().unwrap();
    assert!(!d.is_empty() && d.changed > 0 && d.mean_rbo < 1.0, "{d:?}");
    assert!(d.rbo_histogram.iter().sum::<u64>() == d.shoppers);
    assert!(!d.gainers.is_empty() && !d.losers.is_empty());
    assert!(d.gainers.iter().all(|c| c.after > c.before) && d.losers.iter().all(|c| c.after < c.before));
}

#[test]
fn the_report_adds_up() {
    let r = report(&tmp("sums"), "balanced", None).policy;
    let m = &r.modes;
    assert_eq!(m.default + m.blended + m.personal, r.shoppers);
    assert_eq!(m.why.values().sum::<u64>(), r.shoppers);
    let e = &r.exposure;
    let served = e.slots.values().sum::<u64>();
    assert!(served > 0 && served <= r.shoppers * r.k as u64, "{served}");
    assert!(e.shown <= e.catalog && e.coverage > 0.0 && e.coverage <= 1.0);
    assert!(e.has_categories && e.mean_leaf_categories >= 1.0);
    assert!((e.curve.last().unwrap().1 - 1.0).abs() < 1e-9 && e.curve[0].1 == 0.0);
    let g = &r.messaging;
    assert_eq!(g.attempts, r.shoppers * 14, "two campaigns a day for 7 days");
    assert_eq!(g.sends + g.after_window + g.suppressed.values().sum::<u64>(), g.attempts);
    assert!(g.sends_per_day.iter().all(|&d| d <= r.shoppers), "the daily cap of 1 holds: {:?}", g.sends_per_day);
    assert!(g.suppressed.contains_key("FATIGUE"), "the second campaign of a day is capped: {:?}", g.suppressed);
}

#[test]
fn the_command_exits_non_zero_on_a_leak_and_writes_json_and_html() {
    let dir = tmp("cli");
    let (p, o) = shop_files(&dir);
    // The mapping comes in a policy file here (a JSON product list brings none).
    let policy = dir.join("policy.json");
    std::fs::write(&policy, r#"{"preset":"balanced","sensitiveCategories":{"diapers":"pregnancy_baby"}}"#).unwrap();
    let leak = dir.join("leak.json");
    std::fs::write(&leak, r#"{"preset":"balanced"}"#).unwrap();
    let run = |pol: &Path, against: Option<&Path>| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_tactful"));
        c.args(["qa", "--products"]).arg(&p).arg("--orders").arg(&o).arg("--policy").arg(pol);
        if let Some(a) = against {
            c.arg("--against").arg(a);
        }
        c.arg("--json").arg(dir.join("r.json")).arg("--html").arg(dir.join("r.html"));
        c.output().unwrap()
    };
    let out = run(&policy, None);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    // The leaking policy is reviewed against the safe one: the reference includes every policy's mapping.
    let out = run(&leak, Some(&policy));
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("FAILED"));
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.join("r.json")).unwrap()).unwrap();
    assert!(json["policy"]["safety"]["sensitiveExposures"].as_u64().unwrap() > 0);
    assert!(json["diff"]["changed"].as_u64().unwrap() > 0);
    let html = std::fs::read_to_string(dir.join("r.html")).unwrap();
    assert!(html.contains("<svg") && html.contains("FAIL"));
    assert!(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("# tactful qa") && text.contains("## Safety (FAIL)"), "{text}");
}

#[test]
fn threads_change_the_time_only() {
    let one = QaOptions { threads: Some(1), ..QaOptions::default() };
    let four = QaOptions { threads: Some(4), ..QaOptions::default() };
    // Four threads of 15 shoppers each (the tool itself starts one per 200 shoppers unless told).
    let a = report_with(&tmp("t1"), "balanced", Some("conservative"), &one);
    let b = report_with(&tmp("t4"), "balanced", Some("conservative"), &four);
    assert_eq!(a.policy, b.policy);
    assert_eq!(a.diff, b.diff);
}

#[test]
fn the_home_page_alone_gives_the_same_home_figures() {
    let both = report(&tmp("both"), "balanced", None).policy;
    let home = report_with(&tmp("home"), "balanced", None, &QaOptions { email_k: 0, ..QaOptions::default() }).policy;
    assert_eq!(home.exposure, both.exposure);
    assert_eq!(home.modes, both.modes);
    let count = |r: &qa::PolicyReport, code: &str| r.guardrails.iter().find(|g| g.code == code).map_or(0, |g| g.count);
    assert!(count(&home, "SENSITIVE_CLASS") > 0, "the home page has its own removals");
    assert!(count(&home, "SENSITIVE_CLASS") < count(&both, "SENSITIVE_CLASS"), "the email's are added to them");
}
