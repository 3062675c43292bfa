//! A JS value handed over as four flat buffers instead of one `JsValue`: the package's JS wrapper (`pkg/tactful.js`,
//! `encode`) walks the value in JavaScript, where reading a property costs nothing like a call across the wasm
//! boundary, and this rebuilds the same [`Value`] tree the per-value walk (`wasm.rs`, `to_value`) would have built.
//! A 1,000-event history was about 60,000 calls into JS that way (a third of `rank` without a model, in Chromium).
//!
//! The encoding, in the order the walk meets the values (depth first, keys in `Object.keys` order):
//! - `tags`, one byte per value: [`NULL`], [`FALSE`], [`TRUE`], [`NUM`], [`STR`], [`ARR`], [`OBJ`];
//! - `nums`, one `f64` per number (a `Date` is its time value, as the walk reads it);
//! - `lens`: a string's length, an array's or an object's count, and before each object value its key's length,
//!   lengths in UTF-16 code units (JavaScript's `length`);
//! - `strs`, every string and key concatenated. The wrapper hands over nothing with a surrogate code unit (it takes
//!   the per-value walk then), so every character here is whole on both sides of each cut.
//!
//! Whatever the walk treats specially (functions, symbols, `BigInt`s, nesting past its depth, a getter that throws,
//! an over-long history) is never encoded: the wrapper falls back to the walk, so errors and their paths are the
//! walk's own. Malformed buffers are an internal error, never a panic.

use crate::contract::error::Error;
use crate::read::value::Value;

pub const NULL: u8 = 0;
pub const FALSE: u8 = 1;
pub const TRUE: u8 = 2;
pub const NUM: u8 = 3;
pub const STR: u8 = 4;
pub const ARR: u8 = 5;
pub const OBJ: u8 = 6;

/// Deeper than the walk ever goes (it refuses past 16): only malformed buffers reach it.
const MAX_DEPTH: usize = 18;

struct Reader<'a> {
    tags: &'a [u8],
    lens: &'a [u32],
    nums: &'a [f64],
    strs: &'a str,
    at: (usize, usize, usize, usize),
}

fn malformed() -> Error {
    Error::internal("the encoded input is malformed (pkg/tactful.js and the module are from different builds?)")
}

impl<'a> Reader<'a> {
    fn len(&mut self) -> Result<usize, Error> {
        let n = *self.lens.get(self.at.1).ok_or_else(malformed)?;
        self.at.1 += 1;
        Ok(n as usize)
    }

    /// The next `units` UTF-16 code units of `strs`, as a string.
    fn str(&mut self) -> Result<&'a str, Error> {
        let units = self.len()?;
        let start = self.at.3;
        let rest = self.strs.as_bytes().get(start..).ok_or_else(malformed)?;
        // ASCII (most ids and keys): one byte per unit.
        let end = if rest.get(..units).is_some_and(<[u8]>::is_ascii) {
            start + units
        } else {
            let mut left = units;
            let mut bytes = 0;
            for ch in self.strs.get(start..).ok_or_else(malformed)?.chars() {
                if left == 0 {
                    break;
                }
                left = left.checked_sub(ch.len_utf16()).ok_or_else(malformed)?;
                bytes += ch.len_utf8();
            }
            if left != 0 {
                return Err(malformed());
            }
            start + bytes
        };
        let s = self.strs.get(start..end).ok_or_else(malformed)?;
        self.at.3 = end;
        Ok(s)
    }

    fn value(&mut self, depth: usize) -> Result<Value<'a>, Error> {
        if depth > MAX_DEPTH {
            return Err(malformed());
        }
        let tag = *self.tags.get(self.at.0).ok_or_else(malformed)?;
        self.at.0 += 1;
        Ok(match tag {
            NULL => Value::Null,
            FALSE => Value::Bool(false),
            TRUE => Value::Bool(true),
            NUM => {
                let n = *self.nums.get(self.at.2).ok_or_else(malformed)?;
                self.at.2 += 1;
                Value::Num(n)
            }
            STR => Value::Str(self.str()?.into()),
            ARR => {
                let n = self.len()?;
                // Each element takes at least one tag: a count beyond what is left is malformed, not an allocation.
                let mut out = Vec::with_capacity(n.min(self.tags.len() - self.at.0.min(self.tags.len())));
                for _ in 0..n {
                    out.push(self.value(depth + 1)?);
                }
                Value::Arr(out)
            }
            OBJ => {
                let n = self.len()?;
                let mut out = Vec::with_capacity(n.min(self.tags.len() - self.at.0.min(self.tags.len())));
                for _ in 0..n {
                    let key = self.str()?;
                    out.push((key.into(), self.value(depth + 1)?));
                }
                Value::Obj(out)
            }
            _ => return Err(malformed()),
        })
    }
}

impl Value<'_> {
    /// The value the wrapper encoded (see the module's text); every buffer must be used up exactly. Its strings are
    /// borrowed from `strs`.
    pub fn from_encoded<'s>(
        tags: &'s [u8],
        lens: &'s [u32],
        nums: &'s [f64],
        strs: &'s str,
    ) -> Result<Value<'s>, Error> {
        let mut r = Reader { tags, lens, nums, strs, at: (0, 0, 0, 0) };
        let v = r.value(0)?;
        if r.at != (tags.len(), lens.len(), nums.len(), strs.len()) {
            return Err(malformed());
        }
        Ok(v)
    }
}

/// What the wrapper does, in Rust: for the tests, which check that decoding gives back the same tree.
#[cfg(all(test, not(target_arch = "wasm32")))]
pub fn encode(v: &Value) -> (Vec<u8>, Vec<u32>, Vec<f64>, String) {
    fn walk(v: &Value, out: &mut (Vec<u8>, Vec<u32>, Vec<f64>, String)) {
        let units = |s: &str| s.encode_utf16().count() as u32;
        match v {
            Value::Null => out.0.push(NULL),
            Value::Bool(b) => out.0.push(if *b { TRUE } else { FALSE }),
            Value::Num(n) => {
                out.0.push(NUM);
                out.2.push(*n);
            }
            Value::Str(s) => {
                out.0.push(STR);
                out.1.push(units(s));
                out.3.push_str(s);
            }
            Value::Arr(a) => {
                out.0.push(ARR);
                out.1.push(a.len() as u32);
                for x in a {
                    walk(x, out);
                }
            }
            Value::Obj(o) => {
                out.0.push(OBJ);
                out.1.push(o.len() as u32);
                for (k, x) in o {
                    out.1.push(units(k));
                    out.3.push_str(k);
                    walk(x, out);
                }
            }
        }
    }
    let mut out = (Vec::new(), Vec::new(), Vec::new(), String::new());
    walk(v, &mut out);
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))] // proptest is a native dev-dependency
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn value() -> impl Strategy<Value = Value<'static>> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<f64>().prop_map(Value::Num),
            // Any Unicode: ASCII, two- to four-byte characters, astral ones (two UTF-16 units each).
            any::<String>().prop_map(|s| Value::Str(s.into())),
            "[a-z]{0,12}".prop_map(|s| Value::Str(s.into())),
        ];
        leaf.prop_recursive(6, 64, 8, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Arr),
                prop::collection::vec((any::<String>(), inner), 0..8)
                    .prop_map(|o| Value::Obj(o.into_iter().map(|(k, v)| (k.into(), v)).collect())),
            ]
        })
    }

    fn same(a: &Value, b: &Value) -> bool {
        match (a, b) {
            // NaN is NaN: compare numbers by their bits.
            (Value::Num(x), Value::Num(y)) => x.to_bits() == y.to_bits(),
            (Value::Arr(x), Value::Arr(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b)),
            (Value::Obj(x), Value::Obj(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|((ka, a), (kb, b))| ka == kb && same(a, b))
            }
            _ => a == b,
        }
    }

    proptest! {
        #[test]
        fn decoding_gives_back_the_encoded_tree(v in value()) {
            let (t, l, n, s) = encode(&v);
            let back = Value::from_encoded(&t, &l, &n, &s).unwrap();
            prop_assert!(same(&back, &v), "{back:?} != {v:?}");
        }

        #[test]
        fn any_damage_is_an_internal_error_never_a_panic(
            v in value(), cut in 0usize..4, at in any::<prop::sample::Index>(), byte in any::<u8>()
        ) {
            let (mut t, mut l, mut n, mut s) = encode(&v);
            match cut {
                0 if !t.is_empty() => { let i = at.index(t.len()); t[i] = byte; }
                1 if !l.is_empty() => { let i = at.index(l.len()); l[i] = l[i].wrapping_add(u32::from(byte) + 1); }
                2 => { n.push(1.0); }
                _ => { s.push('x'); }
            }
            // Either the damage happens to spell another valid tree, or it is refused as internal.
            if let Err(e) = Value::from_encoded(&t, &l, &n, &s) {
                prop_assert_eq!(e.code, crate::contract::error::ErrorCode::Internal);
            }
        }
    }

    #[test]
    fn a_string_cut_inside_a_character_or_past_the_end_is_refused() {
        // "é" is one UTF-16 unit and two UTF-8 bytes; "😀" is two units and four bytes.
        assert_eq!(Value::from_encoded(&[STR], &[1], &[], "é").unwrap(), Value::Str("é".into()));
        assert_eq!(Value::from_encoded(&[STR], &[2], &[], "😀").unwrap(), Value::Str("😀".into()));
        assert!(Value::from_encoded(&[STR], &[1], &[], "😀").is_err());
        assert!(Value::from_encoded(&[STR], &[3], &[], "ab").is_err());
        assert!(Value::from_encoded(&[ARR], &[u32::MAX], &[], "").is_err());
        assert!(Value::from_encoded(&[], &[], &[], "").is_err());
        assert!(Value::from_encoded(&[9], &[], &[], "").is_err());
        // Nesting deeper than any encoded value can be is refused before the stack is at risk.
        let deep: Vec<u8> = vec![ARR; 100];
        assert!(Value::from_encoded(&deep, &[1; 100], &[], "").is_err());
    }
}
