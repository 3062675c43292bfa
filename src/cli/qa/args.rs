//! `tactful qa`'s arguments and the command itself (files in, report out), so `src/bin` only dispatches.

use crate::cli::products::read_products;
use crate::cli::qa::{self, html, render, Population, QaOptions};
use crate::cli::read::{parse_time, read_orders};
use crate::cli::sweep::policy_spec;
use crate::engine::policy::PolicySpec;
use crate::message::SendPolicy;
use crate::read::value::{read, Value};
use crate::util::dict::Dict;
use std::path::{Path, PathBuf};

#[derive(clap::Args, Debug, Clone)]
pub struct QaArgs {
    /// The policy to review: a preset (conservative, balanced, bold), a policy object as JSON, or a JSON file.
    #[arg(long, default_value = "balanced")]
    pub policy: String,
    /// The policy it would replace (same forms): adds a diff.
    #[arg(long)]
    pub against: Option<String>,
    /// The shop's products: a JSON array of Product objects or The Complete Journey's products.csv. Without it, the
    /// catalog is derived from the orders.
    #[arg(long)]
    pub products: Option<PathBuf>,
    /// Order rows (Online Retail, Complete Journey, or `customer_id,product_id,at`[,`quantity,order_id,price`]): every
    /// customer in them is one shopper.
    #[arg(long)]
    pub orders: PathBuf,
    /// A model file (`tactful model build`); without it one is built from the orders.
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Items on the home page.
    #[arg(long, default_value_t = 10)]
    pub k: u32,
    /// Items in an email (0: rank the home page only, in half the time).
    #[arg(long, default_value_t = 4)]
    pub email_k: u32,
    /// When the shoppers come back (ISO-8601); default: the day after the last order, 10:00 UTC.
    #[arg(long)]
    pub at: Option<String>,
    /// Only the first N shoppers (by id).
    #[arg(long)]
    pub limit: Option<usize>,
    /// The send policy for the messaging projection (`planSend`'s policy: JSON or a JSON file).
    #[arg(long)]
    pub send: Option<String>,
    /// Campaign times, local HH:MM, comma-separated: one marketing email attempt each, every day.
    #[arg(long, value_delimiter = ',', default_value = "09:00,18:00")]
    pub campaigns: Vec<String>,
    /// Days of campaigns projected.
    #[arg(long, default_value_t = 7)]
    pub days: u32,
    /// The smallest message segment allowed.
    #[arg(long, default_value_t = 50)]
    pub min_segment: u32,
    /// Worker threads (default: the machine's cores, at most 8); the report is the same for any number.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Write the report as JSON here (`-`: stdout instead of the table).
    #[arg(long)]
    pub json: Option<PathBuf>,
    /// Write the report as one self-contained HTML file here.
    #[arg(long)]
    pub html: Option<PathBuf>,
}

/// A policy argument: its label and spec. A file is read when the text names one.
fn policy(text: &str) -> Result<(String, PolicySpec), String> {
    let t = text.trim();
    let path = Path::new(t);
    if !t.starts_with('{') && path.is_file() {
        let body = std::fs::read_to_string(path).map_err(|e| format!("{t}: {e}"))?;
        let label = path.file_name().map_or(t.to_string(), |n| n.to_string_lossy().to_string());
        return Ok((label, policy_spec(&body).map_err(|e| format!("{t}: {e}"))?));
    }
    let label = if t.starts_with('{') { "custom".to_string() } else { t.to_string() };
    Ok((label, policy_spec(t)?))
}

fn send_policy(text: &str) -> Result<SendPolicy, String> {
    let t = text.trim();
    let body =
        if t.starts_with('{') { t.to_string() } else { std::fs::read_to_string(t).map_err(|e| format!("{t}: {e}"))? };
    let v = Value::from_json(&body).map_err(|e| format!("--send: {e}"))?;
    read::<SendPolicy>(&v, "send").map_err(|e| format!("--send: {e}"))
}

fn minutes(text: &str) -> Result<u16, String> {
    crate::message::window::LocalTime::parse(text.trim())
        .map(|t| t.0)
        .map_err(|e| format!("--campaigns: '{text}': {e}"))
}

/// Runs the command; `Ok(true)` when the policy under review failed its safety checks (exit non-zero).
pub fn execute(a: &QaArgs) -> Result<bool, String> {
    let orders = read_orders(&a.orders)?;
    if let Some(msg) = orders.bad_summary(&a.orders.display().to_string()) {
        eprintln!("{msg}");
    }
    let file = match &a.products {
        Some(p) => {
            let f = read_products(p)?;
            if let Some(b) = f.bad.first() {
                eprintln!("{}: {} bad rows skipped (line {}: {})", p.display(), f.bad.len(), b.line, b.why);
            }
            Some(f)
        }
        None => None,
    };
    let (label, spec) = policy(&a.policy)?;
    let against = a.against.as_deref().map(policy).transpose()?;
    let with_file = |s: &PolicySpec| file.as_ref().map_or(s.clone(), |f| f.policy(s));
    let spec = with_file(&spec);
    let against = against.map(|(l, s)| (l, with_file(&s)));
    let model = if let Some(path) = &a.model {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let v = Value::from_json(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        Some(read::<crate::engine::model::Model>(&v, "model").map_err(|e| format!("{}: {e}", path.display()))?)
    } else {
        let settings = crate::engine::policy::Settings::resolve(&spec, "policy").map_err(|e| e.to_string())?;
        let b = crate::cli::split::baskets(&orders.rows, &settings);
        let titles = crate::cli::model_build::titles(&b, &orders.rows);
        Some(crate::cli::model_build::build(&b, &titles, &crate::cli::model_build::BuildOptions::default()))
    };
    let opts = QaOptions {
        k: a.k as usize,
        email_k: a.email_k as usize,
        at: a.at.as_deref().map(parse_time).transpose().map_err(|e| format!("--at: {e}"))?,
        limit: a.limit,
        campaigns: a.campaigns.iter().map(|c| minutes(c)).collect::<Result<_, _>>()?,
        days: a.days.min(366),
        send: a.send.as_deref().map(send_policy).transpose()?,
        min_segment: a.min_segment,
        progress: true,
        threads: a.threads,
        ..QaOptions::default()
    };
    let pop = Population {
        rows: &orders.rows,
        products: file.as_ref().map(|f| f.products.as_slice()),
        model,
        sensitive: file.as_ref().map_or_else(Dict::new, |f| f.sensitive.clone()),
    };
    let report = qa::report(&pop, (&label, &spec), against.as_ref().map(|(l, s)| (l.as_str(), s)), &opts)?;
    let json = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
    match a.json.as_deref() {
        Some(p) if p == Path::new("-") => println!("{json}"),
        Some(p) => {
            std::fs::write(p, &json).map_err(|e| format!("{}: {e}", p.display()))?;
            print!("{}", render::text(&report));
        }
        None => print!("{}", render::text(&report)),
    }
    if let Some(p) = &a.html {
        let title = match &report.diff {
            Some(d) => format!("{} against {} on {}", d.policy, d.against, a.orders.display()),
            None => format!("{} on {}", report.policy.policy, a.orders.display()),
        };
        std::fs::write(p, html::page(&report, &title)).map_err(|e| format!("{}: {e}", p.display()))?;
        eprintln!("html: {}", p.display());
    }
    eprintln!("qa: {} shoppers, {:.1} s ranking", report.policy.shoppers, report.seconds);
    if report.failed() {
        eprintln!(
            "qa: FAILED: {} sensitive exposures without an opt-in, {} compliance breaches",
            report.policy.safety.sensitive_exposures, report.policy.safety.compliance_breaches
        );
    }
    Ok(report.failed())
}
