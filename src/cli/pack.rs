//! `tactful pack`: a catalog (JSON array of `Product`) and its model (JSON of `Model`) as one packed binary for
//! `new Engine(bytes)` (format: docs/packed-format.md). An engine is built from the objects first, so whatever is
//! packed is known to index; with `--int8` the recall of the quantized embeddings against the exact ones is measured.

use crate::engine::model::Model;
use crate::engine::packed::{self, Quant};
use crate::engine::{Engine, EngineOptions};
use crate::read::value::{read, Value};
use crate::Product;
use std::path::Path;

/// What `pack` wrote.
#[derive(Debug)]
pub struct Packed {
    pub bytes: Vec<u8>,
    pub products: usize,
    pub embeddings: usize,
    pub dim: usize,
    /// With int8: the mean recall@k of the quantized embeddings' top k against the exact top k, and k.
    pub recall: Option<(f64, usize)>,
}

fn read_json<T: crate::read::value::FromValue>(path: &Path, root: &str) -> Result<T, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let v = Value::from_json(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    read(&v, root).map_err(|e| format!("{}: {e}", path.display()))
}

/// Top k checked for recall (the discovery scan keeps up to 200; 20 is a shelf).
pub const RECALL_K: usize = 20;
/// Query products for the recall figure, spread evenly over those with an embedding.
pub const RECALL_QUERIES: usize = 300;

/// Packs objects already read; checks them by building an engine first.
pub fn pack(products: &[Product], model: Option<&Model>, quant: Quant) -> Result<Packed, String> {
    let options = EngineOptions { policy: None, model: model.cloned() };
    Engine::new(products, &options).map_err(|e| e.to_string())?;
    let bytes = packed::pack(products, model, quant).map_err(|e| e.to_string())?;
    let mut recall = None;
    let (mut embeddings, mut dim) = (0, 0);
    if let Some(model) = model.filter(|m| m.dim > 0) {
        dim = model.dim as usize;
        let exact_bytes = packed::pack(products, Some(model), Quant::F32).map_err(|e| e.to_string())?;
        let exact = packed::embeddings(&exact_bytes).map_err(|e| e.to_string())?;
        let got = packed::embeddings(&bytes).map_err(|e| e.to_string())?;
        if let (Some(exact), Some(got)) = (exact, got) {
            let with: Vec<usize> = exact.has.iter().enumerate().filter(|(_, h)| **h).map(|(i, _)| i).collect();
            embeddings = with.len();
            if quant == Quant::Int8 {
                let step = (with.len() / RECALL_QUERIES).max(1);
                let queries: Vec<usize> = with.iter().step_by(step).take(RECALL_QUERIES).copied().collect();
                recall = Some((packed::recall_at_k(&exact, &got, &queries, RECALL_K), RECALL_K));
            }
        }
    }
    Ok(Packed { bytes, products: products.len(), embeddings, dim, recall })
}

/// `tactful pack --catalog FILE [--model FILE] [--int8] --out FILE`: writes the packed bytes, returns a summary.
pub fn run(catalog: &Path, model: Option<&Path>, quant: Quant, out: &Path) -> Result<String, String> {
    let products: Vec<Product> = read_json(catalog, "catalog")?;
    let model: Option<Model> = model.map(|m| read_json(m, "model")).transpose()?;
    let p = pack(&products, model.as_ref(), quant)?;
    std::fs::write(out, &p.bytes).map_err(|e| format!("{}: {e}", out.display()))?;
    let mut summary = format!(
        "{}: {} bytes; {} products, {} embeddings of {} dimensions ({})",
        out.display(),
        p.bytes.len(),
        p.products,
        p.embeddings,
        p.dim,
        if quant == Quant::Int8 { "int8" } else { "f32" }
    );
    if let Some((r, k)) = p.recall {
        summary.push_str(&format!("; recall@{k} of int8 against exact: {r:.4}"));
    }
    Ok(summary)
}
