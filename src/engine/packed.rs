//! The packed form: a catalog and its model as one versioned binary (`tactful pack` writes it; `new Engine(bytes)`
//! reads it), so a page hands the engine one `Uint8Array` instead of a hundred thousand objects. The layout is in
//! `docs/packed-format.md`: a 32-byte header (magic, version, section count, total length, checksum) and sections
//! `CATL` (the catalog's indexed columns), `MODL` (the model's indexed columns) and `EMBD` (the embeddings in catalog
//! order, contiguous, `f32` or `int8`). Version 2 stores what the engine keeps, column by column (strings end to end
//! with their offsets, numbers as little-endian arrays), so reading is a check and a copy per column: no object, no
//! string and no hash lookup per product but the id index.
//!
//! Reading never trusts the bytes: a wrong magic, a damaged checksum, a truncated section or a reference out of range
//! is `INVALID_INPUT`, another format version `UNSUPPORTED_VERSION`, each with a path (`catalog`, `catalog[12].price`,
//! `catalog.model`). Every id, text and number is checked against the same rules and limits as objects.

use crate::contract::error::Error;
use crate::contract::input::{LifecycleKind, Product};
use crate::engine::catalog::{BitSet, Catalog, CategoryNode, Parts, StrCol};
use crate::engine::model::{Model, ModelIndex, MODEL_VERSION};
use crate::engine::policy::{PolicySpec, Settings};
use crate::engine::Engine;

pub const MAGIC: [u8; 8] = *b"TACTPACK";
/// The version of the packed format this build writes and reads (1 stored value trees; 2 stores columns).
pub const FORMAT_VERSION: u32 = 2;
pub const HEADER_LEN: usize = 32;
/// At most this many embedding dimensions (as for a model given as an object).
pub const MAX_DIM: usize = 256;

const CATL: [u8; 4] = *b"CATL";
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
/// A 64-bit hash of `bytes`: four lanes, each taking every fourth 8-byte word (so the four multiplications run side
/// by side), folded together at the end. Every step is a bijection of its lane's state and the fold is a bijection of
/// each lane, so any change confined to one 8-byte word (every single flipped bit) always changes the result.
pub fn checksum(bytes: &[u8]) -> u64 {
    let mut sum = Checksum::new(bytes.len());
    sum.feed(bytes);
    sum.finish()
}

/// [`checksum`] fed in pieces (the bytes of a `Uint8Array` copied in chunks): the same result for any split.
pub struct Checksum {
    lanes: [u64; 4],
    pending: [u8; 32],
    held: usize,
}

const P: u64 = 0x0000_0100_0000_01b3;

fn step(h: u64, w: u64) -> u64 {
    (h ^ w).wrapping_mul(P).rotate_left(29)
}

fn word(b: &[u8], i: usize) -> u64 {
    b.get(i * 8..i * 8 + 8).map_or(0, |w| u64::from_le_bytes(<[u8; 8]>::try_from(w).unwrap_or_default()))
}

impl Checksum {
    /// A checksum of `len` bytes in all (the length is part of the seed).
    pub fn new(len: usize) -> Checksum {
        let seed = 0xcbf2_9ce4_8422_2325 ^ len as u64;
        Checksum { lanes: [seed, seed ^ 1, seed ^ 2, seed ^ 3], pending: [0; 32], held: 0 }
    }

    fn block(&mut self, block: &[u8]) {
        let [a, b, c, d] = &mut self.lanes;
        *a = step(*a, word(block, 0));
        *b = step(*b, word(block, 1));
        *c = step(*c, word(block, 2));
        *d = step(*d, word(block, 3));
    }

    pub fn feed(&mut self, mut bytes: &[u8]) {
        if self.held > 0 {
            let take = (32 - self.held).min(bytes.len());
            let (head, rest) = bytes.split_at(take);
            if let Some(dst) = self.pending.get_mut(self.held..self.held + take) {
                dst.copy_from_slice(head);
            }
            self.held += take;
            bytes = rest;
            if self.held < 32 {
                return;
            }
            let full = self.pending;
            self.block(&full);
            self.held = 0;
        }
        let blocks = bytes.chunks_exact(32);
        let tail = blocks.remainder();
        for block in blocks {
            self.block(block);
        }
        if let Some(dst) = self.pending.get_mut(..tail.len()) {
            dst.copy_from_slice(tail);
        }
        self.held = tail.len();
    }

    /// The last words (fewer than four; the last one zero-padded) lane by lane, then the lanes folded.
    pub fn finish(self) -> u64 {
        let mut lanes = self.lanes;
        for (lane, w) in lanes.iter_mut().zip(self.pending.get(..self.held).unwrap_or(&[]).chunks(8)) {
            let mut last = [0u8; 8];
            last.iter_mut().zip(w).for_each(|(d, s)| *d = *s);
            *lane = step(*lane, u64::from_le_bytes(last));
        }
        lanes.iter().fold(0, |h, &l| step(h, l))
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Writing

fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// An array: its count (`u32`), then each item's little-endian bytes.
fn put_arr<T: Copy, const W: usize>(out: &mut Vec<u8>, items: &[T], bytes: fn(T) -> [u8; W]) {
    put_u32(out, items.len() as u32);
    for &x in items {
        out.extend_from_slice(&bytes(x));
    }
}

/// A string column: the end offsets (an array of `u32`), then the bytes (an array of `u8`).
fn put_strs<'a>(out: &mut Vec<u8>, strs: impl Iterator<Item = &'a str>) {
    let mut blob = Vec::new();
    let mut ends = Vec::new();
    for s in strs {
        blob.extend_from_slice(s.as_bytes());
        ends.push(blob.len() as u32);
    }
    put_arr(out, &ends, u32::to_le_bytes);
    put_arr(out, &blob, |b| [b]);
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

fn lifecycle_code(k: LifecycleKind) -> u8 {
    match k {
        LifecycleKind::Durable => 0,
        LifecycleKind::Consumable => 1,
        LifecycleKind::Seasonal => 2,
        LifecycleKind::Regular => 3,
    }
}

fn ranges_to_ends(ranges: &[(u32, u32)]) -> Vec<u32> {
    ranges.iter().map(|r| r.1).collect()
}

/// Writes `products` and `model` in the packed form: both are indexed first exactly as `new Engine(objects)` indexes
/// them (so a catalog that would be refused as objects is refused here, with the same paths), then the indexes are
/// written column by column. The policy's category mapping is not baked in (each product's own sensitivity is
/// stored), so the bytes serve any policy. The model's version is stored as given, for the reader to check.
pub fn pack(products: &[Product], model: Option<&Model>, quant: Quant) -> Result<Vec<u8>, Error> {
    let settings = Settings::resolve(&PolicySpec::default(), "options.policy")?;
    let c = Catalog::build(products, &settings)?;
    let n = c.len();
    let mut catl = Vec::new();
    put_u32(&mut catl, n as u32);
    put_strs(&mut catl, (0..n as u32).map(|p| c.id(p)));
    put_strs(&mut catl, (0..n as u32).map(|p| c.title(p)));
    put_strs(&mut catl, c.nodes.iter().map(|x| &*x.name));
    put_arr(&mut catl, &c.nodes.iter().map(|x| x.parent).collect::<Vec<_>>(), u32::to_le_bytes);
    put_arr(&mut catl, &c.nodes.iter().map(|x| x.depth).collect::<Vec<_>>(), |b| [b]);
    put_strs(&mut catl, c.brands.iter().map(|x| &**x));
    put_strs(&mut catl, c.lines.iter().map(|x| &**x));
    put_strs(&mut catl, c.tag_names.iter().map(|x| &**x));
    put_arr(&mut catl, &c.leaf, u32::to_le_bytes);
    put_arr(&mut catl, &c.brand, u32::to_le_bytes);
    put_arr(&mut catl, &c.line, u32::to_le_bytes);
    put_arr(&mut catl, &c.price, f32::to_le_bytes);
    put_arr(&mut catl, &c.launched, i64::to_le_bytes);
    put_arr(&mut catl, &c.cycle_days, f32::to_le_bytes);
    put_arr(&mut catl, &c.lifecycle.iter().map(|k| lifecycle_code(*k)).collect::<Vec<_>>(), |b| [b]);
    let own: Vec<u16> =
        products.iter().map(|p| p.sensitivity.map_or(0, crate::contract::input::SensitivityClass::bit)).collect();
    put_arr(&mut catl, &own, u16::to_le_bytes);
    put_arr(&mut catl, &c.in_stock.to_bytes(n), |b| [b]);
    put_arr(&mut catl, &ranges_to_ends(&c.compat), u32::to_le_bytes);
    put_arr(&mut catl, &c.compat_lines, u32::to_le_bytes);
    put_arr(&mut catl, &ranges_to_ends(&c.tag_ranges), u32::to_le_bytes);
    put_arr(&mut catl, &c.tag_ids, u32::to_le_bytes);
    let mut sections = vec![(CATL, catl)];

    if let Some(m) = model {
        let ix = ModelIndex::build_any_version(m, &c, "model")?;
        let mut modl = Vec::new();
        put_u32(&mut modl, m.version);
        modl.extend_from_slice(&ix.repeat_mean.to_le_bytes());
        put_arr(&mut modl, &ix.popularity, f32::to_le_bytes);
        put_arr(&mut modl, &ix.trending, f32::to_le_bytes);
        put_arr(&mut modl, &ix.repeat, f32::to_le_bytes);
        put_arr(&mut modl, &ix.popular, u32::to_le_bytes);
        put_arr(&mut modl, &ix.neighbour_ends, u32::to_le_bytes);
        put_arr(&mut modl, &ix.neighbours.iter().map(|x| x.0).collect::<Vec<_>>(), u32::to_le_bytes);
        put_arr(&mut modl, &ix.neighbours.iter().map(|x| x.1).collect::<Vec<_>>(), f32::to_le_bytes);
        sections.push((MODL, modl));
        if ix.dim > 0 {
            let rows: Vec<Option<&[f32]>> = (0..n as u32).map(|p| ix.embedding(p)).collect();
            sections.push((EMBD, embeddings_section(ix.dim, &rows, quant)));
        }
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
    Ok(out)
}

/// The `EMBD` payload: `dim`, the quantization, the row count, a presence bitmap, then the present rows.
fn embeddings_section(dim: usize, rows: &[Option<&[f32]>], quant: Quant) -> Vec<u8> {
    let mut embd = Vec::new();
    put_u32(&mut embd, dim as u32);
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
    embd
}

// ---------------------------------------------------------------------------------------------------------------
// Reading

/// The number types a packed column holds: plain little-endian values, every bit pattern one of them (so a block
/// copy of the file's bytes is a valid column).
///
/// # Safety
/// Implemented only for types with no invalid bit patterns and no padding.
unsafe trait Plain: Copy + Default {
    #[cfg(target_endian = "big")]
    fn from_le(b: &[u8]) -> Self;
}
macro_rules! plain {
    ($($t:ty),*) => {$(
        // SAFETY: a primitive number type: no padding, every bit pattern a value.
        unsafe impl Plain for $t {
            #[cfg(target_endian = "big")]
            fn from_le(b: &[u8]) -> Self {
                <$t>::from_le_bytes(b.try_into().unwrap_or_default())
            }
        }
    )*};
}
plain!(u8, u16, u32, i64, f32);

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
    fn f32(&mut self) -> Option<f32> {
        self.u32().map(f32::from_bits)
    }
    /// An array: a count, refused when the rest of the input could not hold that many items (so a damaged count never
    /// allocates), then the items, copied in one block: the file is little-endian, as every target tactful builds for,
    /// and a column of a million numbers read one `from_le_bytes` at a time was a million calls in a size-optimised
    /// build before the browser's optimising compiler took over (the first load of a fresh page).
    fn arr<T: Plain>(&mut self) -> Option<Vec<T>> {
        let n = self.u32()? as usize;
        let bytes = self.take(n.checked_mul(size_of::<T>())?)?;
        let mut out = vec![T::default(); n];
        debug_assert_eq!(bytes.len(), n * size_of::<T>(), "packed: a column's bytes and its count");
        #[cfg(target_endian = "little")]
        // SAFETY: `out` is a fresh allocation of `n` values, `n * size_of::<T>()` writable bytes, and `bytes` that many
        // readable bytes elsewhere; `T` is one of the number types `Plain` is implemented for, for which every bit
        // pattern is a value, laid out little-endian as the file is.
        unsafe {
            std::ptr::copy_nonoverlapping(bytes.as_ptr(), out.as_mut_ptr().cast::<u8>(), bytes.len());
        }
        #[cfg(target_endian = "big")]
        for (o, c) in out.iter_mut().zip(bytes.chunks_exact(size_of::<T>())) {
            *o = T::from_le(c);
        }
        Some(out)
    }
    fn u32s(&mut self) -> Option<Vec<u32>> {
        self.arr()
    }
    fn f32s(&mut self) -> Option<Vec<f32>> {
        self.arr()
    }
    fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = self.u32()? as usize;
        self.take(n)
    }
    /// A string column: end offsets rising within the bytes, the bytes UTF-8, every offset on a character boundary.
    fn strs(&mut self) -> Option<StrCol> {
        let ends = self.u32s()?;
        let blob = std::str::from_utf8(self.bytes()?).ok()?;
        let mut prev = 0;
        for &e in &ends {
            if e < prev || !blob.is_char_boundary(e as usize) {
                return None;
            }
            prev = e;
        }
        (prev as usize == blob.len()).then(|| StrCol::from_raw(blob.to_string(), ends))
    }
    fn names(&mut self) -> Option<Vec<Box<str>>> {
        let col = self.strs()?;
        Some((0..col.len()).map(|i| col.get(i).unwrap_or("").into()).collect())
    }
    fn done(&self) -> bool {
        self.at == self.b.len()
    }
}

fn damaged(path: &str, what: &str) -> Error {
    Error::invalid(path, what)
}

/// End offsets as ranges (start = the previous end).
fn ends_to_ranges(ends: &[u32]) -> Vec<(u32, u32)> {
    let mut prev = 0;
    ends.iter()
        .map(|&e| {
            let r = (prev, e);
            prev = e;
            r
        })
        .collect()
}

fn lifecycle_kind(code: u8) -> Option<LifecycleKind> {
    Some(match code {
        0 => LifecycleKind::Durable,
        1 => LifecycleKind::Consumable,
        2 => LifecycleKind::Seasonal,
        3 => LifecycleKind::Regular,
        _ => return None,
    })
}

/// The `CATL` section: the catalog's columns, in the order `pack` writes them.
fn read_catalog(b: &[u8]) -> Option<Parts> {
    let mut r = Reader { b, at: 0 };
    let n = r.u32()? as usize;
    let ids = r.strs()?;
    let titles = r.strs()?;
    let node_names = r.names()?;
    let parents = r.u32s()?;
    let depths = r.arr::<u8>()?;
    if parents.len() != node_names.len() || depths.len() != node_names.len() {
        return None;
    }
    let nodes = node_names
        .into_iter()
        .zip(parents.into_iter().zip(depths))
        .map(|(name, (parent, depth))| CategoryNode { name, parent, depth })
        .collect();
    let (brands, lines, tag_names) = (r.names()?, r.names()?, r.names()?);
    let (leaf, brand, line) = (r.u32s()?, r.u32s()?, r.u32s()?);
    let price = r.f32s()?;
    let launched = r.arr::<i64>()?;
    let cycle_days = r.f32s()?;
    let lifecycle = r.arr::<u8>()?.into_iter().map(lifecycle_kind).collect::<Option<Vec<_>>>()?;
    let own_sensitivity = r.arr::<u16>()?;
    let in_stock = BitSet::from_bytes(r.bytes()?, n)?;
    let compat = ends_to_ranges(&r.u32s()?);
    let compat_lines = r.u32s()?;
    let tag_ranges = ends_to_ranges(&r.u32s()?);
    let tag_ids = r.u32s()?;
    (r.done() && ids.len() == n).then_some(Parts {
        ids,
        titles,
        leaf,
        nodes,
        brand,
        brands,
        price,
        in_stock,
        launched,
        lifecycle,
        cycle_days,
        line,
        lines,
        compat,
        compat_lines,
        own_sensitivity,
        tag_ranges,
        tag_ids,
        tag_names,
    })
}

/// The `MODL` section: the model's version, then its indexed columns (no embeddings).
fn read_model(b: &[u8]) -> Result<ModelIndex, Error> {
    let path = "catalog.model";
    let mut r = Reader { b, at: 0 };
    let version = r.u32().ok_or_else(|| damaged(path, "packed catalog: truncated"))?;
    if version != MODEL_VERSION {
        return Err(Error::unsupported_version(
            "catalog.model.version",
            format!("model version {version} is not supported (this build reads {MODEL_VERSION})"),
        ));
    }
    let read = |r: &mut Reader<'_>| -> Option<ModelIndex> {
        let repeat_mean = r.f32()?;
        let (popularity, trending, repeat) = (r.f32s()?, r.f32s()?, r.f32s()?);
        let (popular, neighbour_ends) = (r.u32s()?, r.u32s()?);
        let (pids, weights) = (r.u32s()?, r.f32s()?);
        if pids.len() != weights.len() || !r.done() {
            return None;
        }
        Some(ModelIndex {
            popularity,
            popular,
            trending,
            repeat,
            repeat_mean,
            neighbour_ends,
            neighbours: pids.into_iter().zip(weights).collect(),
            ..ModelIndex::default()
        })
    };
    read(&mut r).ok_or_else(|| damaged(path, "packed catalog: damaged"))
}

/// Where packed bytes are read from: a slice, or (in the browser) a `Uint8Array` copied into wasm memory one section
/// at a time, so reading never holds the whole file and the engine at once.
pub trait Source {
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Copies `out.len()` bytes from offset `at` into `out`; false when they are not all there.
    fn read(&self, at: usize, out: &mut [u8]) -> bool;
}

impl Source for [u8] {
    fn len(&self) -> usize {
        <[u8]>::len(self)
    }
    fn read(&self, at: usize, out: &mut [u8]) -> bool {
        match at.checked_add(out.len()).and_then(|end| self.get(at..end)) {
            Some(src) => {
                out.copy_from_slice(src);
                true
            }
            None => false,
        }
    }
}

fn fetch(src: &(impl Source + ?Sized), at: usize, len: usize) -> Option<Vec<u8>> {
    let mut out = vec![0u8; len];
    src.read(at, &mut out).then_some(out)
}

/// Bytes hashed per copy when checking the checksum of a [`Source`].
const CHUNK: usize = 1 << 20;

/// The sections of packed bytes (tag, offset, length), after the header and the checksum are checked.
fn sections(src: &(impl Source + ?Sized)) -> Result<Vec<([u8; 4], usize, usize)>, Error> {
    let root = "catalog";
    let header = fetch(src, 0, HEADER_LEN).unwrap_or_default();
    if header.get(..8) != Some(&MAGIC[..]) {
        return Err(damaged(root, "not a packed catalog"));
    }
    let mut r = Reader { b: &header, at: 8 };
    let version = r.u32().ok_or_else(|| damaged(root, "packed catalog: truncated"))?;
    if version != FORMAT_VERSION {
        return Err(Error::unsupported_version(
            "catalog.version",
            "a packed format version this build does not read (it reads 2: pack the catalog again)",
        ));
    }
    let (Some(count), Some(total), Some(sum)) = (r.u32(), r.u64(), r.u64()) else {
        return Err(damaged(root, "packed catalog: truncated"));
    };
    let len = src.len();
    if total != len as u64 {
        return Err(damaged(root, "packed catalog: truncated"));
    }
    let mut hash = Checksum::new(len - HEADER_LEN);
    let mut buf = vec![0u8; CHUNK.min(len - HEADER_LEN)];
    let mut at = HEADER_LEN;
    while at < len {
        let n = CHUNK.min(len - at);
        let chunk = buf.get_mut(..n).unwrap_or(&mut []);
        if !src.read(at, chunk) {
            return Err(damaged(root, "packed catalog: truncated"));
        }
        hash.feed(chunk);
        at += n;
    }
    drop(buf);
    if hash.finish() != sum {
        return Err(damaged(root, "packed catalog: damaged (checksum)"));
    }
    let mut parts = Vec::new();
    let mut at = HEADER_LEN;
    for _ in 0..count {
        let mut head = [0u8; 8];
        if !src.read(at, &mut head) {
            return Err(damaged(root, "packed catalog: truncated"));
        }
        let [t0, t1, t2, t3, l0, l1, l2, l3] = head;
        let size = u32::from_le_bytes([l0, l1, l2, l3]) as usize;
        let start = at + 8;
        if size > len - start.min(len) {
            return Err(damaged(root, "packed catalog: truncated"));
        }
        parts.push(([t0, t1, t2, t3], start, size));
        at = start + size;
    }
    if at != len {
        return Err(damaged(root, "packed catalog: damaged"));
    }
    Ok(parts)
}

/// The catalog and the model of packed bytes, checked and indexed; `settings` supplies the category mapping. Each
/// section is copied out of `src`, read, and dropped before the next.
pub fn unpack(src: &(impl Source + ?Sized), settings: &Settings) -> Result<(Catalog, Option<ModelIndex>), Error> {
    let root = "catalog";
    let parts = sections(src)?;
    let part = |tag: [u8; 4]| -> Result<Option<Vec<u8>>, Error> {
        match parts.iter().find(|(t, _, _)| *t == tag) {
            Some(&(_, at, len)) => {
                fetch(src, at, len).map(Some).ok_or_else(|| damaged(root, "packed catalog: truncated"))
            }
            None => Ok(None),
        }
    };
    let catl = part(CATL)?.ok_or_else(|| damaged(root, "packed catalog: damaged"))?;
    let columns = read_catalog(&catl).ok_or_else(|| damaged(root, "packed catalog: damaged"))?;
    drop(catl);
    let catalog = Catalog::from_parts(columns, settings)?;
    let n = catalog.len();
    let mut model = match part(MODL)? {
        Some(b) => Some(read_model(&b)?),
        None => None,
    };
    match (part(EMBD)?, model.as_mut()) {
        (Some(b), Some(ix)) => {
            let e = read_embeddings(&b, n)?;
            ix.dim = e.dim;
            ix.embeddings = e.rows;
            ix.has_embedding = e.has;
        }
        (Some(_), None) => return Err(damaged("catalog.embeddings", "packed catalog: damaged")),
        _ => {}
    }
    let model = model.map(|ix| ModelIndex::from_parts(ix, n)).transpose()?;
    Ok((catalog, model))
}

/// The embeddings of a packed model: `dim` floats per product in catalog order, zeros where `has` is false.
#[derive(Debug, Default, PartialEq)]
pub struct Embeddings {
    pub dim: usize,
    pub rows: Vec<f32>,
    pub has: Vec<bool>,
}

/// Only the embeddings of packed bytes (for tools: the recall of int8 against f32).
pub fn embeddings(bytes: &[u8]) -> Result<Option<Embeddings>, Error> {
    let settings = Settings::resolve(&PolicySpec::default(), "options.policy")?;
    let (_, model) = unpack(bytes, &settings)?;
    Ok(model.filter(|m| m.dim > 0).map(|m| Embeddings { dim: m.dim, rows: m.embeddings, has: m.has_embedding }))
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

/// An engine from packed bytes: the catalog and the model read column by column and checked. `policy` is the
/// engine's policy (it is not part of the packed form).
pub fn engine(bytes: &[u8], policy: Option<PolicySpec>) -> Result<Engine, Error> {
    engine_from(bytes, policy)
}

/// [`engine`] from any [`Source`] (in the browser, the `Uint8Array` itself).
pub fn engine_from(src: &(impl Source + ?Sized), policy: Option<PolicySpec>) -> Result<Engine, Error> {
    let settings = Settings::resolve(&policy.unwrap_or_default(), "options.policy")?;
    let (catalog, model) = unpack(src, &settings)?;
    Ok(Engine::assemble(catalog, settings, model))
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
