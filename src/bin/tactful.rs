//! The native tool: `tactful model build`, `tactful recommend`, `tactful evaluate`. The logic lives in `tactful::cli`.

use clap::{Args, Parser, Subcommand};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;
use tactful::cli::evaluate::{self, EvalOptions};
use tactful::cli::model_build::{self, BuildOptions, DEFAULT_MIN_CUSTOMERS};
use tactful::cli::pack;
use tactful::cli::products::{read_products, ProductFile};
use tactful::cli::read::{read_orders, read_requests, read_targets, Orders};
use tactful::cli::shop::Shop;
use tactful::cli::split::{self, Case};
use tactful::cli::sweep;
use tactful::cli::synth;
use tactful::engine::packed::Quant;
use tactful::{PolicyPreset, PolicySpec, Settings};

#[derive(Parser)]
#[command(name = "tactful", version, about = "Personalization with tact: models, recommendations and evaluation")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build and write models.
    Model {
        #[command(subcommand)]
        command: ModelCommand,
    },
    /// Rank each requested customer from their own history and the model built from all history rows.
    Recommend {
        /// Order rows (Online Retail, Complete Journey, or customer_id,product_id,at[,quantity,order_id,price]).
        #[arg(long)]
        history: PathBuf,
        /// customer_id,at: whom to rank, as of when.
        #[arg(long)]
        requests: PathBuf,
        #[arg(long, default_value_t = 20)]
        k: u32,
        /// The shop's products: a JSON array of Product objects (as `new Engine` takes them) or The Complete
        /// Journey's products.csv. Without it, the catalog is derived from the orders.
        #[arg(long)]
        products: Option<PathBuf>,
        /// Where to write customer_id,rank,product_id (default: stdout).
        #[arg(long)]
        out: Option<PathBuf>,
        #[command(flatten)]
        model: ModelArgs,
        /// Rank with this model file (the JSON `tactful model build` or `spark/model_build.py` writes) instead of
        /// building one from the history; --min-customers and --dim are then ignored.
        #[arg(long = "model", value_name = "FILE")]
        model_file: Option<PathBuf>,
        /// Policy: a preset (conservative, balanced, bold) or a policy object as JSON.
        #[arg(long, default_value = "balanced")]
        policy: String,
    },
    /// Score tactful and the baselines (G-TopFreq, P-TopFreq, TIFU-KNN) on a split, with paired 95 % intervals.
    Evaluate {
        /// A directory with history.csv, requests.csv and targets.csv.
        #[arg(long)]
        split: PathBuf,
        /// The shop's products: a JSON array of Product objects (as `new Engine` takes them) or The Complete
        /// Journey's products.csv. Without it, the catalog is derived from the orders.
        #[arg(long)]
        products: Option<PathBuf>,
        /// Cut-offs, comma-separated.
        #[arg(long, value_delimiter = ',', default_value = "10,20")]
        k: Vec<usize>,
        /// Practice cases from history alone: predict each customer's last history basket from the earlier ones
        /// (that basket left out of the model too). Never reads the targets.
        #[arg(long)]
        practice: bool,
        /// Only the first N cases (for quick checks).
        #[arg(long)]
        limit: Option<usize>,
        #[command(flatten)]
        model: ModelArgs,
        /// Policy: a preset (conservative, balanced, bold) or a policy object as JSON.
        #[arg(long, default_value = "balanced")]
        policy: String,
        /// One policy knob at several values, each a full run beside the baselines: `knob=v1,v2,…`
        /// (e.g. `discovery=0,0.1,0.2,0.3`). Prints one row per value at the smallest cut-off.
        #[arg(long)]
        sweep: Option<String>,
        /// Skip the re-ranking stage costs (each is one more full tactful pass).
        #[arg(long)]
        no_stage_costs: bool,
        /// With --sweep: also write the trade-off as an SVG chart (recall against explore recall and coverage).
        #[arg(long, requires = "sweep")]
        chart: Option<PathBuf>,
    },
    /// Write a catalog and its model as one packed binary for `new Engine(bytes)` (docs/packed-format.md).
    Pack {
        /// A JSON array of Product objects.
        #[arg(long)]
        catalog: PathBuf,
        /// The model as JSON (`tactful model build` writes it); optional.
        #[arg(long)]
        model: Option<PathBuf>,
        /// Store embeddings as int8 with one scale per product (a quarter of the bytes); prints the recall@20 of the
        /// quantized neighbours against the exact ones.
        #[arg(long)]
        int8: bool,
        #[arg(long)]
        out: PathBuf,
    },
    /// A policy QA report over every shopper of an order export: safety first (exit code 2 when a sensitive class
    /// is shown without an opt-in or compliance breaks), guardrails with examples, modes, exposure, messaging; with
    /// --against, the diff (docs/qa.md).
    Qa(tactful::cli::qa::args::QaArgs),
    /// Write issue 11's seeded benchmark case (catalog.json, model.json, request.json, catalog.pack,
    /// catalog-int8.pack) into a directory, for the browser benchmark.
    BenchCase {
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 100_000)]
        products: usize,
        #[arg(long, default_value_t = 32)]
        dim: usize,
        #[arg(long, default_value_t = 1_000)]
        history: usize,
        #[arg(long, default_value_t = 20)]
        k: u32,
    },
}

#[derive(Subcommand)]
enum ModelCommand {
    /// Popularity, co-purchase neighbours, trending and embeddings from order rows, as the JSON of `tactful::Model`.
    Build {
        #[arg(long)]
        orders: PathBuf,
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        model: ModelArgs,
    },
}

#[derive(Args, Clone)]
struct ModelArgs {
    /// Keep a co-purchase pair only when at least this many distinct customers bought both (k-anonymity).
    #[arg(long, default_value_t = DEFAULT_MIN_CUSTOMERS)]
    min_customers: u32,
    /// Embedding dimensions (0 = none, at most 64).
    #[arg(long, default_value_t = 32)]
    dim: usize,
    /// Co-purchase neighbours kept per product (fewer makes a smaller model file).
    #[arg(long, default_value_t = BuildOptions::default().max_neighbours)]
    max_neighbours: usize,
}

impl ModelArgs {
    fn options(&self) -> BuildOptions {
        BuildOptions {
            min_customers: self.min_customers,
            dim: self.dim.min(64),
            max_neighbours: self.max_neighbours,
            ..BuildOptions::default()
        }
    }
}

fn orders(path: &Path) -> Result<Orders, String> {
    let o = read_orders(path)?;
    if let Some(msg) = o.bad_summary(&path.display().to_string()) {
        eprintln!("{msg}");
    }
    Ok(o)
}

fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Qa(args) => {
            if tactful::cli::qa::args::execute(&args)? {
                std::process::exit(2);
            }
            Ok(())
        }
        Command::Pack { catalog, model, int8, out } => {
            let quant = if int8 { Quant::Int8 } else { Quant::F32 };
            eprintln!("{}", pack::run(&catalog, model.as_deref(), quant, &out)?);
            Ok(())
        }
        Command::BenchCase { out, products, dim, history, k } => {
            std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
            let catalog = synth::catalog(products, 7);
            let model = synth::model(products, dim, 7);
            let request = synth::request(products, history, k);
            let write = |name: &str, bytes: &[u8]| {
                let path = out.join(name);
                std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))
            };
            let json = |v: &dyn erased::Json| v.json();
            write("catalog.json", json(&catalog).as_bytes())?;
            write("model.json", json(&model).as_bytes())?;
            write("request.json", json(&request).as_bytes())?;
            for (name, quant) in [("catalog.pack", Quant::F32), ("catalog-int8.pack", Quant::Int8)] {
                let p = pack::pack(&catalog, Some(&model), quant)?;
                write(name, &p.bytes)?;
                if let Some((r, k)) = p.recall {
                    eprintln!("{name}: recall@{k} of int8 against exact: {r:.4}");
                }
            }
            eprintln!("{}: {products} products, {dim} dims, {history} events, k = {k}", out.display());
            Ok(())
        }
        Command::Model { command: ModelCommand::Build { orders: path, out, model } } => {
            let o = orders(&path)?;
            let settings = Settings::preset(PolicyPreset::Balanced);
            let b = split::baskets(&o.rows, &settings);
            let m = model_build::build(&b, &model_build::titles(&b, &o.rows), &model.options());
            let json = model_build::to_json(&m)?;
            std::fs::write(&out, json).map_err(|e| format!("{}: {e}", out.display()))?;
            eprintln!(
                "{}: {} products with popularity, {} with neighbours, {} embeddings ({} dims), {} trending",
                out.display(),
                m.popularity.len(),
                m.neighbours.len(),
                m.embeddings.len(),
                m.dim,
                m.trending.len()
            );
            Ok(())
        }
        Command::Recommend { history, requests, k, out, model, model_file, policy: p, products } => {
            let o = orders(&history)?;
            let (reqs, bad) = read_requests(&requests)?;
            for b in bad.iter().take(5) {
                eprintln!("{}: line {}: {}", requests.display(), b.line, b.why);
            }
            let file = product_file(products.as_deref())?;
            let spec = sweep::policy_spec(&p)?;
            let spec = file.as_ref().map_or(spec.clone(), |f| f.policy(&spec));
            let settings = Settings::resolve(&spec, "policy").map_err(|e| e.to_string())?;
            let m = match model_file {
                Some(path) => read_model(&path)?,
                None => {
                    let b = split::baskets(&o.rows, &settings);
                    model_build::build(&b, &model_build::titles(&b, &o.rows), &model.options())
                }
            };
            let mut shop =
                Shop::with_products(&o.rows, Some(m), Some(spec), file.as_ref().map(|f| f.products.as_slice()))?;
            let mut text = String::from("customer_id,rank,product_id\n");
            let pb = indicatif::ProgressBar::new(reqs.len() as u64);
            for (customer, at) in &reqs {
                let (list, _) = shop.rank(customer, *at, k as usize)?;
                for (i, p) in list.iter().enumerate() {
                    text.push_str(&format!("{customer},{},{p}\n", i + 1));
                }
                pb.inc(1);
            }
            pb.finish_and_clear();
            match out {
                Some(path) => std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display())),
                None => std::io::stdout().write_all(text.as_bytes()).map_err(|e| e.to_string()),
            }
        }
        Command::Evaluate {
            split: dir,
            k,
            practice,
            limit,
            model,
            policy: p,
            sweep: Some(sw),
            chart,
            products,
            ..
        } => {
            let started = Instant::now();
            let spec = sweep::parse_spec(&sw)?;
            let file = product_file(products.as_deref())?;
            let with_file = |s: PolicySpec| file.as_ref().map_or(s.clone(), |f| f.policy(&s));
            // Every value is checked before the first run, so a typo costs nothing.
            let specs: Vec<PolicySpec> = spec
                .values
                .iter()
                .map(|&v| sweep::policy_with(&p, &spec.knob, v).map(with_file))
                .collect::<Result<_, _>>()?;
            let (history, cases) = eval_cases(&dir, practice, limit, &with_file(sweep::policy_spec(&p)?))?;
            let mut points = Vec::new();
            for (i, (value, s)) in spec.values.iter().zip(specs).enumerate() {
                eprintln!("sweep {}/{}: {}={value}", i + 1, spec.values.len(), spec.knob);
                let opts = EvalOptions {
                    ks: k.clone(),
                    build: model.options(),
                    policy: Some(s),
                    progress: true,
                    products: file.as_ref().map(|f| f.products.clone()),
                    ..EvalOptions::default()
                };
                points.push(sweep::Point { value: *value, report: evaluate::run(&history, &cases, &opts)? });
            }
            let k0 = k.iter().copied().min().unwrap_or(10);
            let what = if practice { "practice cases (history only)" } else { "dev targets" };
            let customers = points.first().map_or(0, |x| x.report.customers);
            println!("{customers} customers, {what}; policy {p}; sweep {sw}\n");
            println!("{}", sweep::render(&spec.knob, &points, k0));
            if let Some(path) = chart {
                let title = format!("{}: {customers} customers, {what}, {} swept", dir.display(), spec.knob);
                std::fs::write(&path, sweep::chart(&spec.knob, &points, k0, &title))
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                eprintln!("chart: {}", path.display());
            }
            eprintln!("evaluate: {:.1} s", started.elapsed().as_secs_f64());
            Ok(())
        }
        Command::Evaluate { split: dir, k, practice, limit, model, policy: p, products, no_stage_costs, .. } => {
            let started = Instant::now();
            let file = product_file(products.as_deref())?;
            let spec = sweep::policy_spec(&p)?;
            let spec = file.as_ref().map_or(spec.clone(), |f| f.policy(&spec));
            let (history, cases) = eval_cases(&dir, practice, limit, &spec)?;
            let opts = EvalOptions {
                ks: k,
                build: model.options(),
                policy: Some(spec),
                progress: true,
                products: file.map(|f| f.products),
                stage_costs: !no_stage_costs,
                ..EvalOptions::default()
            };
            let report = evaluate::run(&history, &cases, &opts)?;
            let what = if practice { "practice cases (history only)" } else { "dev targets" };
            println!(
                "{} customers, {} products, {what}; model min-customers {}, {} dims; policy {p}\n",
                report.customers, report.catalog_size, model.min_customers, model.dim
            );
            println!("{}", evaluate::render(&report));
            println!("{}", evaluate::render_stages(&report));
            println!("{}", evaluate::render_guarded(&report));
            let removed: Vec<String> = report.removed_counts.iter().map(|(c, n)| format!("{c} {n}")).collect();
            println!(
                "guardrail removals in tactful's lists (k = {}): {}",
                report.ks.iter().max().unwrap_or(&0),
                if removed.is_empty() { "none".to_string() } else { removed.join(", ") }
            );
            eprintln!("evaluate: {:.1} s", started.elapsed().as_secs_f64());
            Ok(())
        }
    }
}

/// The product file, if one was given; its skipped rows reported on stderr.
fn product_file(path: Option<&Path>) -> Result<Option<ProductFile>, String> {
    let Some(path) = path else { return Ok(None) };
    let f = read_products(path)?;
    if !f.bad.is_empty() {
        let shown: Vec<String> = f.bad.iter().take(5).map(|b| format!("line {}: {}", b.line, b.why)).collect();
        eprintln!("{}: {} bad rows skipped ({})", path.display(), f.bad.len(), shown.join("; "));
    }
    eprintln!(
        "{}: {} products, {} non-product ids, {} sensitive category names",
        path.display(),
        f.products.len(),
        f.non_products.len(),
        f.sensitive.len()
    );
    Ok(Some(f))
}

/// A model file as the engine reads it (`new Engine(products, { model })`), checked by the engine's own reader.
fn read_model(path: &Path) -> Result<tactful::Model, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let v = tactful::read::value::Value::from_json(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    tactful::read::value::read::<tactful::Model>(&v, "model").map_err(|e| format!("{}: {e}", path.display()))
}

/// The history rows and the cases to score: the dev split's, or practice cases cut from its history; the first
/// `limit` of them.
fn eval_cases(
    dir: &Path,
    practice: bool,
    limit: Option<usize>,
    spec: &PolicySpec,
) -> Result<(Vec<tactful::cli::read::Row>, Vec<Case>), String> {
    let o = orders(&dir.join("history.csv"))?;
    let settings = Settings::resolve(spec, "policy").map_err(|e| e.to_string())?;
    let (history, mut cases) = if practice { split::split(&o.rows, &settings) } else { (o.rows, dev_cases(dir)?) };
    if let Some(n) = limit {
        cases.truncate(n);
    }
    Ok((history, cases))
}

/// The dev split's cases: requests joined with targets.
fn dev_cases(dir: &Path) -> Result<Vec<Case>, String> {
    let (reqs, bad) = read_requests(&dir.join("requests.csv"))?;
    if !bad.is_empty() {
        eprintln!("requests.csv: {} bad rows skipped (first at line {})", bad.len(), bad.first().map_or(0, |b| b.line));
    }
    let targets = read_targets(&dir.join("targets.csv"))?;
    let mut by: std::collections::HashMap<String, Vec<String>> = std::collections::HashMap::new();
    for (c, p) in targets {
        by.entry(c).or_default().push(p);
    }
    Ok(reqs
        .into_iter()
        .map(|(customer, at)| {
            let target = by.get(&customer).cloned().unwrap_or_default();
            Case { customer, at, target }
        })
        .collect())
}

fn main() {
    if let Err(e) = run(Cli::parse()) {
        eprintln!("tactful: {e}");
        std::process::exit(1);
    }
}

mod erased {
    /// Anything serializable, as JSON text.
    pub trait Json {
        fn json(&self) -> String;
    }
    impl<T: serde::Serialize> Json for T {
        fn json(&self) -> String {
            serde_json::to_string(self).unwrap_or_default()
        }
    }
}
