//! Issue 11's figures, natively, in one run: `cargo bench --features cli --bench issue11` (add `-- --quick` for
//! fewer calls). The case: 100k products, a 32-dim embedding model, a 1,000-event history, k = 20, every guardrail
//! stage acting (out of stock, sensitive, durable owned, consumable cycle, fatigue, a muted brand, a gift, an outlier
//! quantity). Prints medians and p95 of repeated calls (the machine is shared and noisy: compare medians), the
//! discovery scan alone, building the engine from objects and from packed bytes, and the scaling table (catalog ×
//! history, rank p50 with the 32-dim model). Nothing is asserted.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
use std::hint::black_box;
use std::time::Instant;
use tactful::cli::synth;
use tactful::engine::packed::{self, Quant};
use tactful::*;

fn ms(f: impl FnOnce()) -> f64 {
    let t = Instant::now();
    f();
    t.elapsed().as_secs_f64() * 1e3
}

fn quantile(v: &mut [f64], q: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    v[((v.len() - 1) as f64 * q).round() as usize]
}

fn timed(reps: usize, mut f: impl FnMut()) -> (f64, f64) {
    f(); // warm
    let mut v: Vec<f64> = (0..reps).map(|_| ms(&mut f)).collect();
    (quantile(&mut v, 0.5), quantile(&mut v, 0.95))
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let reps = std::env::var("REPS").ok().and_then(|r| r.parse().ok()).unwrap_or(if quick { 10 } else { 60 });
    let n = 100_000;
    let products = synth::catalog(n, 7);
    let model = synth::model(n, 32, 7);
    let req = synth::request(n, 1_000, 20);
    println!("issue 11 case: {n} products, 32-dim model, 1,000-event history, k = 20 ({reps} calls each)\n");

    if std::env::args().any(|a| a == "--load") {
        // Only reading packed bytes, for a profiler: `cargo bench --features cli --bench issue11 -- --load`.
        let bytes = packed::pack(&products, Some(&model), Quant::F32).unwrap();
        let (p50, p95) = timed(reps, || {
            black_box(packed::engine(&bytes, None).unwrap());
        });
        println!("new Engine, packed f32 , 32-dim: p50 {p50:7.1} ms  p95 {p95:7.1} ms   ({} bytes)", bytes.len());
        return;
    }
    let opts_model = EngineOptions { policy: None, model: Some(model.clone()) };
    if std::env::args().any(|a| a == "--rank") {
        // Only `rank` (with the 32-dim model), for a profiler: `cargo bench --features cli --bench issue11 -- --rank`.
        // Add `--no-model` for the case without one.
        let none = std::env::args().any(|a| a == "--no-model");
        let opts = if none { EngineOptions::default() } else { opts_model };
        let mut e = Engine::new(&products, &opts).unwrap();
        let (p50, p95) = timed(if none { 20 * reps } else { reps }, || {
            black_box(e.rank(black_box(&req)).unwrap());
        });
        let what = if none { "no model" } else { "32-dim model" };
        println!("rank, {what}: p50 {p50:7.2} ms  p95 {p95:7.2} ms");
        return;
    }
    let mut no_model = Engine::new(&products, &EngineOptions::default()).unwrap();
    let mut with_model = Engine::new(&products, &opts_model).unwrap();
    let r = with_model.rank(&req).unwrap();
    println!("guardrails acting (removedCounts): {:?}", r.removed_counts);
    let (no_model_p50, p95) = timed(reps, || {
        black_box(no_model.rank(black_box(&req)).unwrap());
    });
    let p50 = no_model_p50;
    println!("rank, no model:            p50 {p50:7.2} ms  p95 {p95:7.2} ms   (goal ≤ 3 / ≤ 6 ms in Chromium)");
    let (p50, p95) = timed(reps, || {
        black_box(with_model.rank(black_box(&req)).unwrap());
    });
    println!("rank, 32-dim model:        p50 {p50:7.2} ms  p95 {p95:7.2} ms   (goal ≤ 3 ms p50 in Chromium)");
    // For scripts/bench-browser.mjs, which prints the Chromium / native ratio.
    let json = format!("{{\"rankNoModelP50Ms\": {no_model_p50}, \"rankModelP50Ms\": {p50}}}\n");
    let _ = std::fs::write(concat!(env!("CARGO_MANIFEST_DIR"), "/target/issue11-native.json"), json);

    // The discovery scan alone: as many query vectors as `rank` uses (`ALIKE_FROM`) against every product.
    use tactful::internals::{ALIKE_CANDIDATES, ALIKE_FROM, ALIKE_MIN};
    let ix = packed::embeddings(&packed::pack(&products, Some(&model), Quant::F32).unwrap()).unwrap().unwrap();
    let queries: Vec<f32> = ix.rows[..ALIKE_FROM * 32].to_vec();
    let skip = tactful::internals::BitSet::with_len(n);
    let (p50, p95) = timed(reps, || {
        black_box(tactful::internals::scan::top_k(&ix.rows, 32, &ix.has, &skip, &queries, ALIKE_MIN, ALIKE_CANDIDATES));
    });
    println!(
        "discovery scan alone:      p50 {p50:7.2} ms  p95 {p95:7.2} ms   (100k × 32 dims × {ALIKE_FROM} queries, top {ALIKE_CANDIDATES})"
    );

    let build_reps = if quick { 2 } else { 5 };
    let (p50, _) = timed(build_reps, || {
        black_box(Engine::new(&products, &EngineOptions::default()).unwrap());
    });
    println!(
        "new Engine, objects, no model:   p50 {p50:7.1} ms   (from Rust structs; the browser also converts JS objects)"
    );
    let (p50, _) = timed(build_reps, || {
        black_box(Engine::new(&products, &opts_model).unwrap());
    });
    println!("new Engine, objects, 32-dim:     p50 {p50:7.1} ms");
    for (name, quant) in [("f32", Quant::F32), ("int8", Quant::Int8)] {
        let bytes = packed::pack(&products, Some(&model), quant).unwrap();
        let (p50, _) = timed(build_reps, || {
            black_box(packed::engine(&bytes, None).unwrap());
        });
        println!(
            "new Engine, packed {name:4}, 32-dim: p50 {p50:7.1} ms   ({} bytes; goal ≤ 50 ms in Chromium)",
            bytes.len()
        );
    }

    // The list length: re-ranking (MMR) once grew with k³ (k = 200 took about a second); it should now grow about
    // linearly with k.
    print!("\nlist length: rank p50 ms with the 32-dim model, 100k products, 1,000-event history:");
    for k in [20u32, 50, 100, 200] {
        let req = synth::request(n, 1_000, k);
        let (p50, _) = timed(if quick { 3 } else { 15 }, || {
            black_box(with_model.rank(black_box(&req)).unwrap());
        });
        print!("  k={k} {p50:.2}");
    }
    println!();

    println!("\nscaling: rank p50 ms with the 32-dim model, k = 20 (catalog down, history across)");
    let histories = [10usize, 100, 1_000, 10_000];
    print!("{:>9}", "catalog");
    for h in histories {
        print!("{:>10}", format!("h={h}"));
    }
    println!();
    for size in [1_000usize, 10_000, 100_000, 200_000] {
        let products = synth::catalog(size, 7);
        let model = synth::model(size, 32, 7);
        let mut e = Engine::new(&products, &EngineOptions { policy: None, model: Some(model) }).unwrap();
        print!("{size:>9}");
        for h in histories {
            let req = synth::request(size, h, 20);
            let reps = if quick {
                3
            } else if h >= 10_000 {
                7
            } else {
                15
            };
            let (p50, _) = timed(reps, || {
                black_box(e.rank(black_box(&req)).unwrap());
            });
            print!("{p50:>10.2}");
        }
        println!();
    }
}
