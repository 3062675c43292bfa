//! The catalog, indexed once when the engine is built: product ids interned to dense integers, category paths as a
//! tree of small integers, brands and product lines interned, flags as bitsets. A rank call never re-parses, clones or
//! walks the catalog as objects.

use crate::contract::error::Error;
use crate::contract::input::{LifecycleKind, Product, SensitivityClass};
use crate::engine::policy::Settings;
use crate::read::limits;
use rustc_hash::FxHashMap;

/// A product's dense index in the catalog.
pub type Pid = u32;
/// "None" for interned references (no brand, no category, no line).
pub const NONE: u32 = u32::MAX;

/// One node of the category tree: a name under a parent.
#[derive(Debug, Clone)]
pub struct CategoryNode {
    pub name: Box<str>,
    pub parent: u32,
    pub depth: u8,
}

/// Bitset over products.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BitSet {
    words: Vec<u64>,
}

impl BitSet {
    pub fn with_len(n: usize) -> BitSet {
        BitSet { words: vec![0; n.div_ceil(64)] }
    }

    pub fn set(&mut self, i: u32) {
        if let Some(w) = self.words.get_mut((i / 64) as usize) {
            *w |= 1u64 << (i % 64);
        }
    }

    pub fn get(&self, i: u32) -> bool {
        self.words.get((i / 64) as usize).is_some_and(|w| w & (1u64 << (i % 64)) != 0)
    }

    pub fn clear_all(&mut self) {
        self.words.iter_mut().for_each(|w| *w = 0);
    }

    /// The bitset over `n` items whose bits are `bytes` (bit `i % 8` of byte `i / 8` for item `i`); `None` when
    /// `bytes` is not `⌈n/8⌉` long or sets a bit past `n`.
    pub fn from_bytes(bytes: &[u8], n: usize) -> Option<BitSet> {
        if bytes.len() != n.div_ceil(8) {
            return None;
        }
        let mut words: Vec<u64> = bytes
            .chunks(8)
            .map(|c| {
                let mut w = [0u8; 8];
                w.iter_mut().zip(c).for_each(|(d, s)| *d = *s);
                u64::from_le_bytes(w)
            })
            .collect();
        words.resize(n.div_ceil(64), 0);
        let tail = n % 64;
        let clean = tail == 0 || words.last().is_none_or(|w| w >> tail == 0);
        clean.then_some(BitSet { words })
    }

    /// The bits as bytes, the inverse of [`BitSet::from_bytes`].
    pub fn to_bytes(&self, n: usize) -> Vec<u8> {
        let mut out: Vec<u8> = self.words.iter().flat_map(|w| w.to_le_bytes()).collect();
        out.truncate(n.div_ceil(8));
        out
    }

    pub fn resize(&mut self, n: usize) {
        self.words.resize(n.div_ceil(64), 0);
    }
}

/// Strings stored end to end in one buffer, with their end offsets: a column of 100k ids is two allocations, not
/// 100k.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StrCol {
    blob: String,
    ends: Vec<u32>,
}

impl StrCol {
    pub fn with_capacity(n: usize) -> StrCol {
        StrCol { blob: String::new(), ends: Vec::with_capacity(n) }
    }

    /// A column from its bytes and end offsets (the caller has checked that every end is a character boundary of
    /// `blob`, rising).
    pub fn from_raw(blob: String, ends: Vec<u32>) -> StrCol {
        StrCol { blob, ends }
    }

    pub fn push(&mut self, s: &str) {
        self.blob.push_str(s);
        self.ends.push(self.blob.len() as u32);
    }

    pub fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)? as usize;
        let start = if i == 0 { 0 } else { *self.ends.get(i - 1)? as usize };
        self.blob.get(start..end)
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

/// Product id → `Pid`: an open-addressing table of pids tagged with the upper half of their ids' hashes (the ids
/// themselves stay in the catalog's [`StrCol`]), so indexing 100k ids allocates one array, and a probe compares
/// strings only when the tags agree.
#[derive(Debug, Clone, Default)]
pub struct IdIndex {
    /// `(tag, pid)`; `pid == NONE` for an empty slot.
    slots: Vec<(u32, u32)>,
    len: usize,
}

/// A product id's hash for the id index (in memory only, never stored): FxHash-style, one multiply per eight bytes,
/// written as one loop with no calls — the index hashes every id when a catalog loads, and a size-optimised build
/// kept `Hasher::write`'s helpers as calls, slow until the browser's optimising compiler takes over.
fn hash_str(s: &str) -> u64 {
    const K: u64 = 0xf135_7aea_2e62_a9c5;
    let words = s.as_bytes().chunks_exact(8);
    let tail = words.remainder();
    let mut h = s.len() as u64;
    for w in words {
        h = (h ^ u64::from_le_bytes(w.try_into().unwrap_or_default())).wrapping_mul(K);
    }
    let mut last = 0u64;
    for (i, &b) in tail.iter().enumerate() {
        last |= u64::from(b) << (8 * i);
    }
    h = (h ^ last).wrapping_mul(K);
    h ^ (h >> 29)
}

impl IdIndex {
    pub fn with_capacity(n: usize) -> IdIndex {
        IdIndex { slots: vec![(0, NONE); (n.max(8) * 2).next_power_of_two()], len: 0 }
    }

    /// The slot where `id` is or would go, the pid there if it is, and the tag.
    fn probe(&self, ids: &StrCol, id: &str) -> (usize, Option<Pid>, u32) {
        let mask = self.slots.len().wrapping_sub(1);
        let h = hash_str(id);
        let tag = (h >> 32) as u32;
        let mut at = h as usize & mask;
        loop {
            match self.slots.get(at).copied() {
                Some((_, NONE)) | None => return (at, None, tag),
                Some((t, p)) if t == tag && ids.get(p as usize) == Some(id) => return (at, Some(p), tag),
                Some(_) => at = (at + 1) & mask,
            }
        }
    }

    /// Adds `p` (whose id is `ids.get(p)`); the pid already holding that id, if any, and nothing added.
    pub fn insert(&mut self, ids: &StrCol, p: Pid) -> Option<Pid> {
        if (self.len + 1) * 2 > self.slots.len() {
            let mut grown = IdIndex::with_capacity(self.slots.len());
            for &(_, q) in self.slots.iter().filter(|s| s.1 != NONE) {
                grown.insert(ids, q);
            }
            *self = grown;
        }
        let id = ids.get(p as usize).unwrap_or("");
        let (at, found, tag) = self.probe(ids, id);
        if found.is_some() {
            return found;
        }
        if let Some(slot) = self.slots.get_mut(at) {
            *slot = (tag, p);
            self.len += 1;
        }
        None
    }

    pub fn get(&self, ids: &StrCol, id: &str) -> Option<Pid> {
        if self.slots.is_empty() {
            return None;
        }
        self.probe(ids, id).1
    }
}

/// A catalog's columns as stored in the packed form (`packed.rs`), before the derived indexes are built: what
/// [`Catalog::from_parts`] checks and completes.
#[derive(Debug, Default)]
pub struct Parts {
    pub ids: StrCol,
    /// Titles, the id where none was given.
    pub titles: StrCol,
    pub leaf: Vec<u32>,
    /// Category nodes: name, parent (`NONE` or an earlier node), depth.
    pub nodes: Vec<CategoryNode>,
    pub brand: Vec<u32>,
    pub brands: Vec<Box<str>>,
    pub price: Vec<f32>,
    pub in_stock: BitSet,
    pub launched: Vec<i64>,
    pub lifecycle: Vec<LifecycleKind>,
    pub cycle_days: Vec<f32>,
    pub line: Vec<u32>,
    pub lines: Vec<Box<str>>,
    pub compat: Vec<(u32, u32)>,
    pub compat_lines: Vec<u32>,
    /// The product's own sensitivity class bit (the policy's category mapping is added on reading).
    pub own_sensitivity: Vec<u16>,
    pub tag_ranges: Vec<(u32, u32)>,
    pub tag_ids: Vec<u32>,
    pub tag_names: Vec<Box<str>>,
}

#[derive(Debug, Default)]
pub struct Catalog {
    pub ids: StrCol,
    index: IdIndex,
    pub titles: StrCol,
    /// The deepest category node of each product (`NONE` when the catalog states none).
    pub leaf: Vec<u32>,
    pub nodes: Vec<CategoryNode>,
    node_index: FxHashMap<(u32, Box<str>), u32>,
    /// Lower-cased category name → every node with that name (a name may appear under several parents).
    nodes_by_name: FxHashMap<Box<str>, Vec<u32>>,
    /// Products whose leaf is this node, per node.
    pub by_leaf: Vec<Vec<Pid>>,
    pub brand: Vec<u32>,
    pub brands: Vec<Box<str>>,
    brand_index: FxHashMap<Box<str>, u32>,
    /// `NaN` when the catalog states no price.
    pub price: Vec<f32>,
    pub in_stock: BitSet,
    /// `i64::MIN` when no launch date is stated.
    pub launched: Vec<i64>,
    pub lifecycle: Vec<LifecycleKind>,
    /// Lifetime (durable) or repurchase interval (consumable) in days; `NaN` when not stated.
    pub cycle_days: Vec<f32>,
    pub line: Vec<u32>,
    pub lines: Vec<Box<str>>,
    line_index: FxHashMap<Box<str>, u32>,
    /// `compat[p]` is a range into `compat_lines`: the product lines accessory `p` fits.
    pub(crate) compat: Vec<(u32, u32)>,
    pub(crate) compat_lines: Vec<u32>,
    /// Sensitivity classes as a bitmask (`SensitivityClass::bit`), from the product or the policy's category mapping.
    pub sensitivity: Vec<u16>,
    /// `tags[p]` is a range into `tag_ids`.
    pub(crate) tag_ranges: Vec<(u32, u32)>,
    pub(crate) tag_ids: Vec<u32>,
    pub tag_names: Vec<Box<str>>,
    tag_index: FxHashMap<Box<str>, u32>,
    /// Products with a launch date, newest first.
    pub by_launch: Vec<Pid>,
}

/// Every sensitivity class's bit: a packed product's own class must be one of them.
const CLASS_BITS: u16 = (1 << SensitivityClass::ALL.len()) - 1;

impl Catalog {
    /// Product `i`'s category path (top level first): each level checked and interned; gives the leaf and the
    /// sensitivity classes the policy maps any level's name to.
    fn index_category(
        &mut self,
        i: usize,
        path: &[String],
        sensitive_names: &[(String, u16)],
    ) -> Result<(u32, u16), Error> {
        if path.len() > limits::MAX_CATEGORY_DEPTH {
            return Err(Error::limit(
                format!("catalog[{i}].category"),
                format!("at most {} levels, got {}", limits::MAX_CATEGORY_DEPTH, path.len()),
            ));
        }
        let (mut leaf, mut bits) = (NONE, 0);
        for (level, name) in path.iter().enumerate() {
            limits::text(name).map_err(|e| e.at(format!("catalog[{i}].category[{level}]")))?;
            leaf = self.intern_node(leaf, name, level as u8);
            bits |= mapped_classes(sensitive_names, &name.to_lowercase());
        }
        Ok((leaf, bits))
    }

    /// Indexes `products`. Errors carry the path `catalog[i].field`.
    pub fn build(products: &[Product], settings: &Settings) -> Result<Catalog, Error> {
        if products.len() > limits::MAX_CATALOG_PRODUCTS {
            return Err(Error::limit(
                "catalog",
                format!("at most {} products, got {}", limits::MAX_CATALOG_PRODUCTS, products.len()),
            ));
        }
        let n = products.len();
        let mut c = Catalog {
            in_stock: BitSet::with_len(n),
            ids: StrCol::with_capacity(n),
            titles: StrCol::with_capacity(n),
            index: IdIndex::with_capacity(n),
            ..Catalog::default()
        };
        let sensitive_names: Vec<(String, u16)> =
            settings.sensitive_categories.iter().map(|(name, class)| (name.to_lowercase(), class.bit())).collect();
        for (i, p) in products.iter().enumerate() {
            let at = |field: &str| format!("catalog[{i}].{field}");
            limits::id(&p.id).map_err(|e| e.at(at("id")))?;
            let pid = i as Pid;
            c.ids.push(&p.id);
            if c.index.insert(&c.ids, pid).is_some() {
                return Err(Error::invalid(at("id"), format!("duplicate product id '{}'", p.id)));
            }
            if let Some(t) = &p.title {
                limits::text(t).map_err(|e| e.at(at("title")))?;
            }
            c.titles.push(p.title.as_deref().unwrap_or(&p.id));

            let mut sensitivity = p.sensitivity.map_or(0, SensitivityClass::bit);
            let (leaf, mapped) = match &p.category {
                Some(path) => c.index_category(i, path, &sensitive_names)?,
                None => (NONE, 0),
            };
            sensitivity |= mapped;
            c.leaf.push(leaf);
            c.sensitivity.push(sensitivity);

            let brand = match &p.brand {
                Some(b) => {
                    limits::text(b).map_err(|e| e.at(at("brand")))?;
                    intern(&mut c.brands, &mut c.brand_index, &b.to_lowercase(), b)
                }
                None => NONE,
            };
            c.brand.push(brand);

            let price = match p.price {
                Some(v) if v.is_finite() && v >= 0.0 => v as f32,
                Some(_) => return Err(Error::invalid(at("price"), "must be a finite number ≥ 0")),
                None => f32::NAN,
            };
            c.price.push(price);
            if p.in_stock.unwrap_or(true) {
                c.in_stock.set(pid);
            }
            c.launched.push(p.launched_at.map_or(i64::MIN, crate::contract::time::Timestamp::millis));

            let (kind, days) = match &p.lifecycle {
                None => (LifecycleKind::Regular, f32::NAN),
                Some(l) => {
                    let days = match l.kind {
                        LifecycleKind::Durable => l.lifetime_days,
                        LifecycleKind::Consumable => l.repurchase_days,
                        _ => None,
                    };
                    let days = match days {
                        Some(d) if d.is_finite() && d > 0.0 && d <= 36_500.0 => d as f32,
                        Some(_) => return Err(Error::invalid(at("lifecycle"), "days must be a number in (0, 36500]")),
                        None => f32::NAN,
                    };
                    (l.kind, days)
                }
            };
            c.lifecycle.push(kind);
            c.cycle_days.push(days);

            let line = match &p.product_line {
                Some(l) => {
                    limits::text(l).map_err(|e| e.at(at("productLine")))?;
                    intern(&mut c.lines, &mut c.line_index, &l.to_lowercase(), l)
                }
                None => NONE,
            };
            c.line.push(line);
            let start = c.compat_lines.len() as u32;
            for (j, l) in p.compatible_with.iter().flatten().enumerate() {
                limits::text(l).map_err(|e| e.at(format!("catalog[{i}].compatibleWith[{j}]")))?;
                let id = intern(&mut c.lines, &mut c.line_index, &l.to_lowercase(), l);
                c.compat_lines.push(id);
            }
            c.compat.push((start, c.compat_lines.len() as u32));
            let start = c.tag_ids.len() as u32;
            for (j, t) in p.tags.iter().flatten().enumerate() {
                limits::text(t).map_err(|e| e.at(format!("catalog[{i}].tags[{j}]")))?;
                let id = intern(&mut c.tag_names, &mut c.tag_index, &t.to_lowercase(), t);
                c.tag_ids.push(id);
            }
            c.tag_ranges.push((start, c.tag_ids.len() as u32));
        }
        c.derive();
        Ok(c)
    }

    /// The indexes derived from the columns: products per leaf, and by launch date.
    fn derive(&mut self) {
        self.by_leaf = vec![Vec::new(); self.nodes.len()];
        for (pid, &leaf) in self.leaf.iter().enumerate() {
            if let Some(list) = self.by_leaf.get_mut(leaf as usize) {
                list.push(pid as Pid);
            }
        }
        let mut launched: Vec<crate::util::order::Key> = (0..self.len() as Pid)
            .filter(|&p| self.launched_at(p) != i64::MIN)
            .map(|p| (self.launched_at(p).saturating_neg(), u64::from(p), p))
            .collect();
        crate::util::order::sort_keys(&mut launched);
        self.by_launch = launched.into_iter().map(|k| k.2).collect();
    }

    /// A catalog from stored columns (the packed form), checked as objects are: every id, text and number against
    /// the same rules and limits, with the same paths (`catalog[12].price`); every reference in range (`catalog`).
    /// The policy's category mapping is applied here, so the same bytes serve any policy.
    pub fn from_parts(p: Parts, settings: &Settings) -> Result<Catalog, Error> {
        let n = p.ids.len();
        if n > limits::MAX_CATALOG_PRODUCTS {
            return Err(Error::limit("catalog", format!("at most {} products, got {n}", limits::MAX_CATALOG_PRODUCTS)));
        }
        let damaged = || Error::invalid("catalog", "packed catalog: damaged");
        let per_product = [
            p.titles.len(),
            p.leaf.len(),
            p.brand.len(),
            p.price.len(),
            p.launched.len(),
            p.lifecycle.len(),
            p.cycle_days.len(),
            p.line.len(),
            p.compat.len(),
            p.own_sensitivity.len(),
            p.tag_ranges.len(),
        ];
        if per_product.iter().any(|&len| len != n) || p.in_stock.words.len() != n.div_ceil(64) {
            return Err(damaged());
        }
        let in_range = |r: u32, len: usize| r == NONE || (r as usize) < len;
        let ranges_ok = |ranges: &[(u32, u32)], len: usize| {
            let mut prev = 0;
            ranges.iter().all(|&(a, b)| {
                let ok = a == prev && a <= b && (b as usize) <= len;
                prev = b;
                ok
            })
        };
        if !ranges_ok(&p.compat, p.compat_lines.len())
            || !ranges_ok(&p.tag_ranges, p.tag_ids.len())
            || p.compat_lines.iter().any(|&l| l as usize >= p.lines.len())
            || p.tag_ids.iter().any(|&t| t as usize >= p.tag_names.len())
        {
            return Err(damaged());
        }
        let mut sensitive_nodes = vec![0u16; p.nodes.len()];
        let sensitive_names: Vec<(String, u16)> =
            settings.sensitive_categories.iter().map(|(name, class)| (name.to_lowercase(), class.bit())).collect();
        let mut c = Catalog {
            ids: StrCol::default(),
            index: IdIndex::with_capacity(n),
            in_stock: p.in_stock,
            ..Catalog::default()
        };
        for (i, node) in p.nodes.into_iter().enumerate() {
            // A parent is an earlier node, one level up: the tree has no cycle, ancestors() always ends.
            let parent_depth = c.nodes.get(node.parent as usize).map(|n| n.depth);
            let ok = match parent_depth {
                Some(d) => (node.parent as usize) < i && node.depth == d + 1,
                None => node.parent == NONE && node.depth == 0,
            };
            if !ok || node.depth as usize >= limits::MAX_CATEGORY_DEPTH {
                return Err(damaged());
            }
            limits::check_text(&node.name, "catalog.categories")?;
            let lower = node.name.to_lowercase();
            let bits = sensitive_nodes.get(node.parent as usize).copied().unwrap_or(0)
                | mapped_classes(&sensitive_names, &lower);
            if let Some(b) = sensitive_nodes.get_mut(i) {
                *b = bits;
            }
            c.node_index.insert((node.parent, node.name.clone()), i as u32);
            c.nodes_by_name.entry(lower.into()).or_default().push(i as u32);
            c.nodes.push(node);
        }
        for (names, index, path) in [
            (p.brands, &mut c.brand_index, "catalog.brands"),
            (p.lines, &mut c.line_index, "catalog.productLines"),
            (p.tag_names, &mut c.tag_index, "catalog.tags"),
        ] {
            let mut list = Vec::with_capacity(names.len());
            for name in names {
                limits::check_text(&name, path)?;
                index.entry(name.to_lowercase().into()).or_insert(list.len() as u32);
                list.push(name);
            }
            match path {
                "catalog.brands" => c.brands = list,
                "catalog.productLines" => c.lines = list,
                _ => c.tag_names = list,
            }
        }
        c.ids = p.ids;
        c.titles = p.titles;
        for i in 0..n {
            let pid = i as Pid;
            let at = |field: &str| format!("catalog[{i}].{field}");
            let id = c.ids.get(i).unwrap_or("");
            limits::id(id).map_err(|e| e.at(at("id")))?;
            if c.index.insert(&c.ids, pid).is_some() {
                return Err(Error::invalid(at("id"), format!("duplicate product id '{id}'")));
            }
            limits::text(c.titles.get(i).unwrap_or("")).map_err(|e| e.at(at("title")))?;
            let get = |v: &[u32]| v.get(i).copied().unwrap_or(NONE);
            let get_f = |v: &[f32]| v.get(i).copied().unwrap_or(f32::NAN);
            let (leaf, brand, line) = (get(&p.leaf), get(&p.brand), get(&p.line));
            if !in_range(leaf, c.nodes.len()) || !in_range(brand, c.brands.len()) || !in_range(line, c.lines.len()) {
                return Err(damaged());
            }
            let price = get_f(&p.price);
            // NaN is "no price"; anything else must be finite and ≥ 0.
            let price_ok = price.is_nan() || (price.is_finite() && price >= 0.0);
            if !price_ok {
                return Err(Error::invalid(at("price"), "must be a finite number ≥ 0"));
            }
            let days = get_f(&p.cycle_days);
            let days_ok = days.is_nan() || (days > 0.0 && days <= 36_500.0);
            if !days_ok {
                return Err(Error::invalid(at("lifecycle"), "days must be a number in (0, 36500]"));
            }
            // `i64::MIN` is "no launch date"; any other must be a date JS can hold, as `launchedAt` read from objects.
            let launched = p.launched.get(i).copied().unwrap_or(i64::MIN);
            if launched != i64::MIN && launched.unsigned_abs() > crate::contract::time::MAX_ABS_MS.unsigned_abs() {
                return Err(Error::invalid(at("launchedAt"), "outside the range of dates (±8.64e15 ms)"));
            }
            let own = p.own_sensitivity.get(i).copied().unwrap_or(0);
            if own & !CLASS_BITS != 0 || own.count_ones() > 1 {
                return Err(Error::invalid(at("sensitivity"), "packed catalog: damaged"));
            }
            c.sensitivity.push(own | sensitive_nodes.get(leaf as usize).copied().unwrap_or(0));
        }
        c.leaf = p.leaf;
        c.brand = p.brand;
        c.price = p.price;
        c.launched = p.launched;
        c.lifecycle = p.lifecycle;
        c.cycle_days = p.cycle_days;
        c.line = p.line;
        c.compat = p.compat;
        c.compat_lines = p.compat_lines;
        c.tag_ranges = p.tag_ranges;
        c.tag_ids = p.tag_ids;
        c.derive();
        Ok(c)
    }

    fn intern_node(&mut self, parent: u32, name: &str, depth: u8) -> u32 {
        let key = (parent, Box::<str>::from(name));
        if let Some(&id) = self.node_index.get(&key) {
            return id;
        }
        let id = self.nodes.len() as u32;
        self.nodes.push(CategoryNode { name: name.into(), parent, depth });
        self.node_index.insert(key, id);
        self.nodes_by_name.entry(name.to_lowercase().into()).or_default().push(id);
        id
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    pub fn pid(&self, id: &str) -> Option<Pid> {
        self.index.get(&self.ids, id)
    }

    pub fn id(&self, p: Pid) -> &str {
        self.ids.get(p as usize).unwrap_or("")
    }

    pub fn title(&self, p: Pid) -> &str {
        self.titles.get(p as usize).unwrap_or("")
    }

    pub fn leaf_of(&self, p: Pid) -> u32 {
        self.leaf.get(p as usize).copied().unwrap_or(NONE)
    }

    pub fn node(&self, node: u32) -> Option<&CategoryNode> {
        self.nodes.get(node as usize)
    }

    pub fn node_name(&self, node: u32) -> &str {
        self.node(node).map_or("", |n| &n.name)
    }

    /// The node and its ancestors, deepest first.
    pub fn ancestors(&self, node: u32) -> impl Iterator<Item = u32> + '_ {
        let mut cur = node;
        std::iter::from_fn(move || {
            let n = self.node(cur)?;
            let here = cur;
            cur = n.parent;
            Some(here)
        })
    }

    /// The full path of a node, top level first.
    pub fn node_path(&self, node: u32) -> Vec<String> {
        let mut path: Vec<String> = self.ancestors(node).map(|n| self.node_name(n).to_string()).collect();
        path.reverse();
        path
    }

    /// Every category node named `name` (any level, case-insensitive).
    pub fn nodes_named(&self, name: &str) -> &[u32] {
        self.nodes_by_name.get(name.to_lowercase().as_str()).map_or(&[], |v| v)
    }

    /// Every node at or below `node` that holds products directly.
    pub fn leaves_under(&self, node: u32) -> Vec<u32> {
        (0..self.nodes.len() as u32)
            .filter(|&n| self.by_leaf.get(n as usize).is_some_and(|v| !v.is_empty()))
            .filter(|&n| self.ancestors(n).any(|a| a == node))
            .collect()
    }

    /// Whether `p` sits under `node` (or is in it).
    pub fn is_under(&self, p: Pid, node: u32) -> bool {
        self.ancestors(self.leaf_of(p)).any(|n| n == node)
    }

    pub fn brand_of(&self, p: Pid) -> u32 {
        self.brand.get(p as usize).copied().unwrap_or(NONE)
    }

    pub fn brand_name(&self, b: u32) -> &str {
        self.brands.get(b as usize).map_or("", |s| s)
    }

    pub fn brand_id(&self, name: &str) -> Option<u32> {
        self.brand_index.get(name.to_lowercase().as_str()).copied()
    }

    pub fn price_of(&self, p: Pid) -> Option<f32> {
        self.price.get(p as usize).copied().filter(|v| !v.is_nan())
    }

    pub fn is_in_stock(&self, p: Pid) -> bool {
        self.in_stock.get(p)
    }

    pub fn launched_at(&self, p: Pid) -> i64 {
        self.launched.get(p as usize).copied().unwrap_or(i64::MIN)
    }

    pub fn lifecycle_of(&self, p: Pid) -> LifecycleKind {
        self.lifecycle.get(p as usize).copied().unwrap_or_default()
    }

    pub fn cycle_days_of(&self, p: Pid) -> Option<f32> {
        self.cycle_days.get(p as usize).copied().filter(|v| !v.is_nan())
    }

    pub fn line_of(&self, p: Pid) -> u32 {
        self.line.get(p as usize).copied().unwrap_or(NONE)
    }

    pub fn line_name(&self, l: u32) -> &str {
        self.lines.get(l as usize).map_or("", |s| s)
    }

    /// The product lines accessory `p` fits (empty: not an accessory).
    pub fn compatible_lines(&self, p: Pid) -> &[u32] {
        let (a, b) = self.compat.get(p as usize).copied().unwrap_or((0, 0));
        self.compat_lines.get(a as usize..b as usize).unwrap_or(&[])
    }

    pub fn sensitivity_of(&self, p: Pid) -> u16 {
        self.sensitivity.get(p as usize).copied().unwrap_or(0)
    }

    pub fn tags_of(&self, p: Pid) -> &[u32] {
        let (a, b) = self.tag_ranges.get(p as usize).copied().unwrap_or((0, 0));
        self.tag_ids.get(a as usize..b as usize).unwrap_or(&[])
    }

    pub fn tag_name(&self, t: u32) -> &str {
        self.tag_names.get(t as usize).map_or("", |s| s)
    }

    pub fn tag_id(&self, name: &str) -> Option<u32> {
        self.tag_index.get(name.to_lowercase().as_str()).copied()
    }
}

/// The sensitivity classes the policy maps a category name (lower-cased) to.
fn mapped_classes(sensitive_names: &[(String, u16)], lower: &str) -> u16 {
    sensitive_names.iter().filter(|(mapped, _)| mapped == lower).fold(0, |bits, (_, bit)| bits | bit)
}

fn intern(names: &mut Vec<Box<str>>, index: &mut FxHashMap<Box<str>, u32>, key: &str, display: &str) -> u32 {
    if let Some(&id) = index.get(key) {
        return id;
    }
    let id = names.len() as u32;
    names.push(display.into());
    index.insert(key.into(), id);
    id
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::policy::{PolicyPreset, Settings};

    fn product(id: &str, path: &[&str]) -> Product {
        Product { id: id.into(), category: Some(path.iter().map(|s| s.to_string()).collect()), ..Product::default() }
    }

    #[test]
    fn interns_ids_and_the_category_tree() {
        let s = Settings::preset(PolicyPreset::Balanced);
        let c = Catalog::build(
            &[
                product("a", &["Grocery", "Dairy", "Milk"]),
                product("b", &["Grocery", "Dairy", "Cheese"]),
                product("c", &["Home", "Dairy"]),
            ],
            &s,
        )
        .unwrap();
        assert_eq!(c.len(), 3);
        assert_eq!(c.pid("b"), Some(1));
        assert_eq!(c.pid("zz"), None);
        assert_eq!(c.node_path(c.leaf_of(1)), ["Grocery", "Dairy", "Cheese"]);
        assert_eq!(c.nodes_named("dairy").len(), 2, "one name under two parents is two nodes");
        let dairy = c.nodes_named("DAIRY")[0];
        assert!(c.is_under(0, dairy) && c.is_under(1, dairy) && !c.is_under(2, dairy));
        assert!(c.is_in_stock(0));
    }

    #[test]
    fn policy_mapping_marks_sensitive_categories() {
        let mut s = Settings::preset(PolicyPreset::Balanced);
        s.sensitive_categories.insert("diapers & disposables".into(), SensitivityClass::PregnancyBaby);
        let c =
            Catalog::build(&[product("d", &["Baby", "DIAPERS & DISPOSABLES"]), product("m", &["Grocery", "Milk"])], &s)
                .unwrap();
        assert_eq!(c.sensitivity_of(0), SensitivityClass::PregnancyBaby.bit());
        assert_eq!(c.sensitivity_of(1), 0);
    }

    #[test]
    fn rejects_duplicates_and_bad_values_with_paths() {
        let s = Settings::preset(PolicyPreset::Balanced);
        let e = Catalog::build(&[product("a", &[]), product("a", &[])], &s).unwrap_err();
        assert_eq!(e.path, "catalog[1].id");
        let mut p = product("x", &[]);
        p.price = Some(-1.0);
        assert_eq!(Catalog::build(&[p], &s).unwrap_err().path, "catalog[0].price");
        let e = Catalog::build(&[product("", &[])], &s).unwrap_err();
        assert_eq!(e.path, "catalog[0].id");
    }

    #[test]
    fn bitset_sets_and_reads() {
        let mut b = BitSet::with_len(130);
        b.set(0);
        b.set(129);
        b.set(500); // out of range: ignored, never a panic
        assert!(b.get(0) && b.get(129) && !b.get(64) && !b.get(500));
    }
}
