//! The packed form: a catalog and its model as one versioned binary (`tactful pack` writes it; `new Engine(bytes)`
//! reads it), so a page hands the engine one `Uint8Array` instead of a hundred thousand objects. The layout is in
//! `docs/packed-format.md`: a 32-byte header (magic, version, section count, total length, checksum) and sections
//! `STRS` (every string once), `PROD` (the products) and `MODL` (the model but its embeddings) as compact value trees
//! whose strings are references, and `EMBD` (the embeddings in catalog order, contiguous, `f32` or `int8`). The value
//! trees are read by the same readers as JS objects and JSON (`parse.rs`), so a packed catalog is checked exactly as
//! objects are, with the same paths, and the reader adds little to the wasm.
//!
//! Reading never trusts the bytes: a wrong magic, a damaged checksum, a truncated section or a reference out of range
//! is `INVALID_INPUT`, another format version `UNSUPPORTED_VERSION`, each with a path (`catalog`, `catalog[12]`,
//! `catalog.model`). The products then go through the same indexing as objects do, so their values are checked the
//! same way.

use crate::contract::error::Error;
use crate::contract::input::Product;
use crate::engine::model::Model;
use crate::engine::policy::PolicySpec;
use crate::engine::{Engine, EngineOptions};
use crate::read::value::{read, Value};
use rustc_hash::FxHashMap;

pub const MAGIC: [u8; 8] = *b"TACTPACK";
/// The version of the packed format this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;
pub const HEADER_LEN: usize = 32;
/// At most this many embedding dimensions (as for a model given as an object).
pub const MAX_DIM: usize = 256;

const STRS: [u8; 4] = *b"STRS";
const PROD: [u8; 4] = *b"PROD";
const MODL: [u8; 4] = *b"MODL";
const EMBD: [u8; 4] = *b"EMBD";

/// How embeddings are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Quant {
    /// 32-bit floats, exact.
    #[default]
    F32,
    /// One `f32` scale per product and `dim` signed bytes: a quarter of the size, approximate.
    Int8,
}

/// Value trees deeper than this are refused (no input of the contract nests more than 5 levels).
const MAX_DEPTH: usize = 16;

// Value tags.
const T_NULL: u8 = 0;
const T_FALSE: u8 = 1;
const T_TRUE: u8 = 2;
const T_NUM: u8 = 3;
const T_STR: u8 = 4;
const T_ARR: u8 = 5;
const T_OBJ: u8 = 6;

/// A 64-bit hash of `bytes`, eight bytes at a time. Every step is a bijection of the running state, so any change
/// confined to one 8-byte word (every single flipped bit) always changes the result.
pub fn checksum(bytes: &[u8]) -> u64 {
    const P: u64 = 0x0000_0100_0000_01b3;
    let step = |h: u64, w: u64| (h ^ w).wrapping_mul(P).rotate_left(29);
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ bytes.len() as u64;
    let words = bytes.chunks_exact(8);
    let tail = words.remainder();
    for w in words {
        h = step(h, u64::from_le_bytes(<[u8; 8]>::try_from(w).unwrap_or_default()));
    }
    let mut last = [0u8; 8];
    for (d, s) in last.iter_mut().zip(tail) {
        *d = *s;
    }
    step(h, u64::from_le_bytes(last))
}

// ---------------------------------------------------------------------------------------------------------------
// Writing

#[derive(Default)]
struct Strings {
    index: FxHashMap<String, u32>,
    list: Vec<String>,
}

impl Strings {
    fn get(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.list.len() as u32;
        self.list.push(s.to_string());
        self.index.insert(s.to_string(), i);
        i
    }
}

fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// A value tree in the packed encoding: a tag byte, then the number (`f64`), the string (a ref), or a count and the
/// items (an object's items are a key ref and a value).
fn put_value(out: &mut Vec<u8>, strings: &mut Strings, v: &Value) {
    match v {
        Value::Null => out.push(T_NULL),
        Value::Bool(b) => out.push(if *b { T_TRUE } else { T_FALSE }),
        Value::Num(n) => {
            out.push(T_NUM);
            out.extend_from_slice(&n.to_le_bytes());
        }
        Value::Str(s) => {
            out.push(T_STR);
            put_u32(out, strings.get(s));
        }
        Value::Arr(items) => {
            out.push(T_ARR);
            put_u32(out, items.len() as u32);
            items.iter().for_each(|x| put_value(out, strings, x));
        }
        Value::Obj(items) => {
            out.push(T_OBJ);
            put_u32(out, items.len() as u32);
            for (k, x) in items {
                put_u32(out, strings.get(k));
                put_value(out, strings, x);
            }
        }
    }
}

fn section(out: &mut Vec<u8>, tag: [u8; 4], payload: &[u8]) {
    out.extend_from_slice(&tag);
    put_u32(out, payload.len() as u32);
    out.extend_from_slice(payload);
}

/// Rounds each of a row's numbers to a signed byte times one scale (largest magnitude ↦ 127).
pub fn quantize_row(row: &[f32]) -> (f32, Vec<i8>) {
    let max = row.iter().fold(0.0f32, |m, v| m.max(v.abs()));
    let scale = if max > 0.0 && max.is_finite() { max / 127.0 } else { 1.0 };
    (scale, row.iter().map(|v| (v / scale).round().max(-127.0).min(127.0) as i8).collect())
}

#[cfg(not(target_arch = "wasm32"))]
fn tree<T: serde::Serialize>(x: &T) -> Value {
    serde_json::to_value(x).map(Value::from).unwrap_or(Value::Null)
}

/// Writes `products` and `model` in the packed form (native only). The caller should have built an engine from them
/// first (as `tactful pack` does), so that what is packed is known to index. Embeddings are laid out in catalog order
/// (the last one given for a product wins, as when indexing); those of products not in the catalog are left out.
#[cfg(not(target_arch = "wasm32"))]
pub fn pack(products: &[Product], model: Option<&Model>, quant: Quant) -> Vec<u8> {
    let mut rows: Vec<Option<&[f32]>> = vec![None; products.len()];
    let mut dim = 0;
    if let Some(m) = model.filter(|m| m.dim > 0) {
        dim = m.dim;
        let index: FxHashMap<&str, usize> = products.iter().enumerate().map(|(i, p)| (p.id.as_str(), i)).collect();
        for (id, v) in &m.embeddings {
            if let (Some(&i), true) = (index.get(id.as_str()), v.len() == dim as usize) {
                if let Some(slot) = rows.get_mut(i) {
                    *slot = Some(v);
                }
            }
        }
    }
    let bare = model.map(|m| tree(&Model { dim: 0, embeddings: Vec::new(), ..m.clone() }));
    pack_values(&tree(&products), bare.as_ref(), dim, &rows, quant)
}

/// The writer itself: the products and the model (without embeddings) as value trees, and `dim` > 0 with one row per
/// product (`None` for none) for an `EMBD` section.
pub fn pack_values(
    products: &Value,
    model: Option<&Value>,
    dim: u32,
    rows: &[Option<&[f32]>],
    quant: Quant,
) -> Vec<u8> {
    let mut strings = Strings::default();
    let mut prod = Vec::new();
    put_value(&mut prod, &mut strings, products);
    let mut sections: Vec<([u8; 4], Vec<u8>)> = Vec::new();
    let mut modl = Vec::new();
    let mut embd = Vec::new();
    if let Some(m) = model {
        put_value(&mut modl, &mut strings, m);
        if dim > 0 {
            put_u32(&mut embd, dim);
            embd.push(match quant {
                Quant::F32 => 0,
                Quant::Int8 => 1,
            });
            embd.extend_from_slice(&[0, 0, 0]);
            put_u32(&mut embd, rows.len() as u32);
            let mut bits = vec![0u8; rows.len().div_ceil(8)];
            for (i, r) in rows.iter().enumerate() {
                if let (Some(b), true) = (bits.get_mut(i / 8), r.is_some()) {
                    *b |= 1 << (i % 8);
                }
            }
            embd.extend_from_slice(&bits);
            for row in rows.iter().flatten() {
                match quant {
                    Quant::F32 => row.iter().for_each(|v| embd.extend_from_slice(&v.to_le_bytes())),
                    Quant::Int8 => {
                        let (scale, q) = quantize_row(row);
                        embd.extend_from_slice(&scale.to_le_bytes());
                        embd.extend(q.iter().map(|&b| b as u8));
                    }
                }
            }
        }
    }
    let mut strs = Vec::new();
    put_u32(&mut strs, strings.list.len() as u32);
    for s in &strings.list {
        put_u32(&mut strs, s.len() as u32);
        strs.extend_from_slice(s.as_bytes());
    }
    sections.push((STRS, strs));
    sections.push((PROD, prod));
    if model.is_some() {
        sections.push((MODL, modl));
    }
    if !embd.is_empty() {
        sections.push((EMBD, embd));
    }
    let mut body = Vec::new();
    for (tag, payload) in &sections {
        section(&mut body, *tag, payload);
    }
    let mut out = Vec::with_capacity(HEADER_LEN + body.len());
    out.extend_from_slice(&MAGIC);
    put_u32(&mut out, FORMAT_VERSION);
    put_u32(&mut out, sections.len() as u32);
    out.extend_from_slice(&((HEADER_LEN + body.len()) as u64).to_le_bytes());
    out.extend_from_slice(&checksum(&body).to_le_bytes());
    out.extend_from_slice(&body);
    out
}

// ---------------------------------------------------------------------------------------------------------------
// Reading

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(n)?;
        let s = self.b.get(self.at..end)?;
        self.at = end;
        Some(s)
    }
    fn u8(&mut self) -> Option<u8> {
        self.take(1)?.first().copied()
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(<[u8; 4]>::try_from(self.take(4)?).ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(<[u8; 8]>::try_from(self.take(8)?).ok()?))
    }
    /// A count of items of at least `min_size` bytes each, refused when the rest of the input could not hold them
    /// (so damaged counts never allocate).
    fn count(&mut self, min_size: usize) -> Option<usize> {
        let n = self.u32()? as usize;
        (n.saturating_mul(min_size) <= self.b.len().saturating_sub(self.at)).then_some(n)
    }
    fn done(&self) -> bool {
        self.at == self.b.len()
    }
}

/// The string table.
struct Table<'a>(Vec<&'a str>);

/// One value tree; `None` when it is cut short, refers past the string table, has an unknown tag or nests too deep.
fn value(r: &mut Reader<'_>, t: &Table<'_>, depth: usize) -> Option<Value> {
    if depth > MAX_DEPTH {
        return None;
    }
    let s = |r: &mut Reader<'_>| t.0.get(r.u32()? as usize).map(|s| s.to_string());
    Some(match r.u8()? {
        T_NULL => Value::Null,
        T_FALSE => Value::Bool(false),
        T_TRUE => Value::Bool(true),
        T_NUM => Value::Num(f64::from_bits(r.u64()?)),
        T_STR => Value::Str(s(r)?),
        T_ARR => {
            let n = r.count(1)?;
            Value::Arr((0..n).map(|_| value(r, t, depth + 1)).collect::<Option<_>>()?)
        }
        T_OBJ => {
            let n = r.count(5)?;
            Value::Obj((0..n).map(|_| Some((s(r)?, value(r, t, depth + 1)?))).collect::<Option<_>>()?)
        }
        _ => return None,
    })
}

/// A whole section as one value tree.
fn section_value(b: &[u8], t: &Table<'_>, path: &str) -> Result<Value, Error> {
    let mut r = Reader { b, at: 0 };
    match value(&mut r, t, 0) {
        Some(v) if r.done() => Ok(v),
        _ => Err(damaged(path, "packed catalog: damaged")),
    }
}

/// The embeddings of a packed model: `dim` floats per product in catalog order, zeros where `has` is false.
#[derive(Debug, Default, PartialEq)]
pub struct Embeddings {
    pub dim: usize,
    pub rows: Vec<f32>,
    pub has: Vec<bool>,
}

/// What the packed bytes hold.
#[derive(Debug, Default)]
pub struct Unpacked {
    pub products: Vec<Product>,
    pub model: Option<Model>,
    pub embeddings: Option<Embeddings>,
}

fn damaged(path: &str, what: &str) -> Error {
    Error::invalid(path, what)
}

/// Reads the header and sections of packed bytes (see the module docs for the errors).
pub fn unpack(bytes: &[u8]) -> Result<Unpacked, Error> {
    let root = "catalog";
    let mut r = Reader { b: bytes, at: 0 };
    if r.take(8) != Some(&MAGIC[..]) {
        return Err(damaged(root, "not a packed catalog"));
    }
    let version = r.u32().ok_or_else(|| damaged(root, "packed catalog: truncated"))?;
    if version != FORMAT_VERSION {
        return Err(Error::unsupported_version(
            "catalog.version",
            "a packed format version this build does not read (it reads 1)",
        ));
    }
    let (Some(count), Some(total), Some(sum)) = (r.u32(), r.u64(), r.u64()) else {
        return Err(damaged(root, "packed catalog: truncated"));
    };
    if total != bytes.len() as u64 {
        return Err(damaged(root, "packed catalog: truncated"));
    }
    let body = bytes.get(HEADER_LEN..).unwrap_or(&[]);
    if checksum(body) != sum {
        return Err(damaged(root, "packed catalog: damaged (checksum)"));
    }
    let mut parts: Vec<([u8; 4], &[u8])> = Vec::new();
    for _ in 0..count {
        let tag = r.take(4).and_then(|t| <[u8; 4]>::try_from(t).ok());
        let len = r.u32();
        let payload = len.and_then(|n| r.take(n as usize));
        match (tag, payload) {
            (Some(t), Some(p)) => parts.push((t, p)),
            _ => return Err(damaged(root, "packed catalog: truncated")),
        }
    }
    if !r.done() {
        return Err(damaged(root, "packed catalog: damaged"));
    }
    let part = |tag: [u8; 4]| parts.iter().find(|(t, _)| *t == tag).map(|(_, p)| *p);
    let strs = part(STRS).ok_or_else(|| damaged(root, "packed catalog: damaged"))?;
    let table = read_strings(strs).ok_or_else(|| damaged("catalog.strings", "packed catalog: damaged"))?;
    let prod = part(PROD).ok_or_else(|| damaged(root, "packed catalog: damaged"))?;
    let products: Vec<Product> = read(&section_value(prod, &table, root)?, root)?;
    let model: Option<Model> = match part(MODL) {
        Some(b) => Some(read(&section_value(b, &table, "catalog.model")?, "catalog.model")?),
        None => None,
    };
    let embeddings = match part(EMBD) {
        Some(b) => Some(read_embeddings(b, products.len())?),
        None => None,
    };
    if embeddings.is_some() && model.is_none() {
        return Err(damaged("catalog.embeddings", "packed catalog: damaged"));
    }
    Ok(Unpacked { products, model, embeddings })
}

fn read_strings(b: &[u8]) -> Option<Table<'_>> {
    let mut r = Reader { b, at: 0 };
    let n = r.count(4)?;
    let mut list = Vec::with_capacity(n);
    for _ in 0..n {
        let len = r.u32()? as usize;
        list.push(std::str::from_utf8(r.take(len)?).ok()?);
    }
    r.done().then_some(Table(list))
}

fn read_embeddings(b: &[u8], n: usize) -> Result<Embeddings, Error> {
    let path = "catalog.embeddings";
    let mut r = Reader { b, at: 0 };
    let (Some(dim), Some(quant), Some(_), Some(rows)) = (r.u32(), r.u8(), r.take(3), r.u32()) else {
        return Err(damaged(path, "packed catalog: truncated"));
    };
    let dim = dim as usize;
    if dim == 0 || dim > MAX_DIM {
        return Err(Error::limit("catalog.embeddings.dim", "from 1 to 256 dimensions"));
    }
    if rows as usize != n {
        return Err(damaged(path, "packed catalog: damaged"));
    }
    let bits = r.take(n.div_ceil(8)).ok_or_else(|| damaged(path, "packed catalog: truncated"))?;
    let has: Vec<bool> = (0..n).map(|i| bits.get(i / 8).is_some_and(|b| b & (1 << (i % 8)) != 0)).collect();
    let present = has.iter().filter(|&&h| h).count();
    let row_bytes = match quant {
        0 => dim * 4,
        1 => 4 + dim,
        _ => return Err(damaged("catalog.embeddings.quantization", "packed catalog: damaged")),
    };
    let data = r.take(present * row_bytes).ok_or_else(|| damaged(path, "packed catalog: truncated"))?;
    if !r.done() {
        return Err(damaged(path, "packed catalog: damaged"));
    }
    let mut out = vec![0.0f32; n * dim];
    let targets = out.chunks_exact_mut(dim).zip(&has).filter(|(_, h)| **h).map(|(row, _)| row);
    for (row, src) in targets.zip(data.chunks_exact(row_bytes)) {
        if quant == 0 {
            for (d, s) in row.iter_mut().zip(src.chunks_exact(4)) {
                *d = f32::from_le_bytes(<[u8; 4]>::try_from(s).unwrap_or_default());
            }
        } else {
            let scale = f32::from_le_bytes(<[u8; 4]>::try_from(src.get(..4).unwrap_or(&[])).unwrap_or_default());
            for (d, s) in row.iter_mut().zip(src.get(4..).unwrap_or(&[])) {
                *d = f32::from(*s as i8) * scale;
            }
        }
    }
    Ok(Embeddings { dim, rows: out, has })
}

/// An engine from packed bytes: the products indexed as if given as objects, the model's embeddings installed as
/// read. `policy` is the engine's policy (it is not part of the packed form).
pub fn engine(bytes: &[u8], policy: Option<PolicySpec>) -> Result<Engine, Error> {
    let u = unpack(bytes)?;
    let options = EngineOptions { policy, model: u.model };
    // The model's version is checked here, for its path; its other values are checked on indexing (their paths then
    // start `options.model`, as pack-time checks make them unreachable but for damage the checksum cannot see).
    if options.model.as_ref().is_some_and(|m| m.version != crate::engine::model::MODEL_VERSION) {
        return Err(Error::unsupported_version("catalog.model.version", "a model version this build does not read"));
    }
    let mut engine = Engine::new(&u.products, &options)?;
    if let (Some(e), Some(ix)) = (u.embeddings, engine.model.as_mut()) {
        ix.dim = e.dim;
        ix.embeddings = e.rows;
        ix.has_embedding = e.has;
    }
    Ok(engine)
}

/// The share of each query's exact top `k` (by dot product, itself left out) that `approx` also puts in its top `k`,
/// averaged over `queries`: how much int8 quantization changes the discovery scan's neighbours.
pub fn recall_at_k(exact: &Embeddings, approx: &Embeddings, queries: &[usize], k: usize) -> f64 {
    use crate::engine::catalog::BitSet;
    use crate::engine::scan::top_k;
    let dim = exact.dim;
    let mut total = 0.0;
    let mut n = 0usize;
    for &q in queries {
        let (Some(qe), Some(qa)) = (exact.rows.get(q * dim..(q + 1) * dim), approx.rows.get(q * dim..(q + 1) * dim))
        else {
            continue;
        };
        let mut skip = BitSet::with_len(exact.has.len());
        skip.set(q as u32);
        let a = top_k(&exact.rows, dim, &exact.has, &skip, qe, f64::MIN, k);
        let b = top_k(&approx.rows, dim, &approx.has, &skip, qa, f64::MIN, k);
        if a.is_empty() {
            continue;
        }
        let hit = a.iter().filter(|h| b.iter().any(|x| x.p == h.p)).count();
        total += hit as f64 / a.len() as f64;
        n += 1;
    }
    if n == 0 {
        1.0
    } else {
        total / n as f64
    }
}
