//! The wasm modules' result writer: a `serde::Serializer` that writes JSON text, which the JS edge turns into the
//! result with one `JSON.parse` (`wasm.rs`, `to_js`). It replaces serde-wasm-bindgen, which made one call into JS per
//! object, key and value (docs/performance.md, "What the ranking module weighs"), and writes the same JS values that
//! serde-wasm-bindgen wrote with `serialize_maps_as_objects(true)` and `serialize_missing_as_null(true)`:
//!
//! - structs and maps as plain objects, fields in declaration order, a field skipped by `skip_serializing_if` absent;
//! - `None`, `()` and unit structs as `null`; sequences, tuples and tuple structs as arrays;
//! - unit variants as their names, newtype, tuple and struct variants as `{"Variant": value}`;
//! - numbers as numbers: `f64` in Rust's shortest round-trip form (which `JSON.parse` reads back to the same double,
//!   `-0` included), `f32` widened to `f64` first, as serde-wasm-bindgen did; `i64`/`u64` beyond ±2^53 − 1 fail,
//!   as they did there;
//! - map keys must be strings (serde-wasm-bindgen failed on others too).
//!
//! Where JSON cannot say what serde-wasm-bindgen could, the writer fails (the caller turns that into an `INTERNAL`
//! error): a non-finite number (the output contract says every number is finite, and inputs are refused unless finite),
//! 128-bit integers (`BigInt` there) and bytes (`Uint8Array` there); no result type has any of them.

use serde::ser::{self, Serialize};
use std::fmt;

/// Why a value could not be written.
#[derive(Debug)]
pub struct JsonError(pub String);

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for JsonError {}

impl ser::Error for JsonError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        JsonError(msg.to_string())
    }
}

fn fail<T>(what: &str) -> Result<T, JsonError> {
    Err(JsonError(what.to_string()))
}

/// `value` as JSON text.
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Result<String, JsonError> {
    let mut w = Writer { out: String::with_capacity(4096) };
    value.serialize(&mut w)?;
    Ok(w.out)
}

/// The text written so far.
pub struct Writer {
    out: String,
}

/// `s` as a JSON string: `"` and `\` escaped, control characters as `\u00XX`, everything else as it is (a Rust
/// string holds no lone surrogates).
fn push_str(out: &mut String, s: &str) {
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        if b < 0x20 || b == b'"' || b == b'\\' {
            // `i` is an ASCII byte, hence a character boundary.
            out.push_str(s.get(start..i).unwrap_or_default());
            match b {
                b'"' => out.push_str("\\\""),
                b'\\' => out.push_str("\\\\"),
                _ => {
                    out.push_str("\\u00");
                    out.push(char::from(HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0')));
                    out.push(char::from(HEX.get(usize::from(b & 15)).copied().unwrap_or(b'0')));
                }
            }
            start = i + 1;
        }
    }
    out.push_str(s.get(start..).unwrap_or_default());
    out.push('"');
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// A finite, non-negative double in JS's shortest round-trip form (`Number.prototype.toString`).
#[cfg(target_arch = "wasm32")]
fn shortest(a: f64) -> String {
    js_sys::Number::from(a).to_string_with_radix(10).map(String::from).unwrap_or_default()
}

/// The same natively (unit tests): Rust's shortest round-trip form, which reads back to the same double.
#[cfg(not(target_arch = "wasm32"))]
fn shortest(a: f64) -> String {
    format!("{a}")
}

/// JS's `Number.MAX_SAFE_INTEGER`.
const MAX_SAFE: u64 = (1 << 53) - 1;

impl Writer {
    /// `v` as decimal text that `JSON.parse` reads back to the same double. The engine's scores and rates are
    /// rounded to 6 decimals (`util/num.rs`), counts and times are whole, so `v` is almost always the double nearest
    /// to `k / 10^d` for an integer `k` below 2^53 and a small `d`; `k / 10^d` is then computed exactly as
    /// `JSON.parse` reads `"k"` with the point `d` places in (IEEE division is correctly rounded, and `k` and `10^d` are exact doubles), so the
    /// text is checked, not hoped. Any other value is written by JS's own `Number.prototype.toString` (the shortest
    /// round-trip form): core's float formatting would add about 7 KB gzip to each module.
    fn num(&mut self, v: f64) -> Result<(), JsonError> {
        if !v.is_finite() {
            return fail("a number in the result is not finite");
        }
        if v.is_sign_negative() {
            self.out.push('-');
        }
        let a = v.abs();
        let mut p = 1.0;
        for d in 0..=17 {
            let k = (a * p).round();
            if k > MAX_SAFE as f64 {
                break;
            }
            if (k / p).to_bits() == a.to_bits() {
                self.decimal(k as u64, d);
                return Ok(());
            }
            p *= 10.0;
        }
        self.out.push_str(&shortest(a));
        Ok(())
    }

    /// `k / 10^d` in decimal: `12345, 3` is `12.345`, `5, 3` is `0.005`.
    fn decimal(&mut self, k: u64, d: usize) {
        let mut digits = [b'0'; 24];
        let mut n = k;
        let mut at = digits.len();
        // At least d + 1 digits, so that there is one before the point.
        while at > 0 && (n > 0 || digits.len() - at <= d) {
            at -= 1;
            if let Some(c) = digits.get_mut(at) {
                *c = b'0' + (n % 10) as u8;
            }
            n /= 10;
        }
        let all = digits.get(at..).unwrap_or_default();
        let point = all.len().saturating_sub(d);
        for (i, &c) in all.iter().enumerate() {
            if i == point {
                self.out.push('.');
            }
            self.out.push(char::from(c));
        }
    }

    fn int(&mut self, v: u64, negative: bool) -> Result<(), JsonError> {
        if v > MAX_SAFE {
            return fail("an integer in the result cannot be represented as a JavaScript number");
        }
        if negative {
            self.out.push('-');
        }
        self.decimal(v, 0);
        Ok(())
    }

    /// Opens `{"variant":` for the variant forms.
    fn variant(&mut self, variant: &str) {
        self.out.push('{');
        push_str(&mut self.out, variant);
        self.out.push(':');
    }

    fn open(&mut self, open: char, close: &'static str) -> Compound<'_> {
        self.out.push(open);
        Compound { w: self, first: true, close }
    }
}

/// An array, object or variant being written: `close` ends it (`]`, `}`, or `]}` / `}}` for a variant).
pub struct Compound<'a> {
    w: &'a mut Writer,
    first: bool,
    close: &'static str,
}

impl Compound<'_> {
    fn comma(&mut self) {
        if !self.first {
            self.w.out.push(',');
        }
        self.first = false;
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), JsonError> {
        self.comma();
        value.serialize(&mut *self.w)
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), JsonError> {
        self.comma();
        push_str(&mut self.w.out, key);
        self.w.out.push(':');
        value.serialize(&mut *self.w)
    }

    // A `Result`, so that every `end` is this one call: 155 bytes raw smaller than `finish(); Ok(())` in each `end`,
    // and 1.2 KB at gzip -9 on the ranking module (133,510 against 134,691 bytes).
    #[allow(clippy::unnecessary_wraps)]
    fn finish(self) -> Result<(), JsonError> {
        self.w.out.push_str(self.close);
        Ok(())
    }
}

impl<'a> ser::Serializer for &'a mut Writer {
    type Ok = ();
    type Error = JsonError;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, v: bool) -> Result<(), JsonError> {
        self.out.push_str(if v { "true" } else { "false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), JsonError> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i16(self, v: i16) -> Result<(), JsonError> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i32(self, v: i32) -> Result<(), JsonError> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i64(self, v: i64) -> Result<(), JsonError> {
        self.int(v.unsigned_abs(), v < 0)
    }
    fn serialize_u8(self, v: u8) -> Result<(), JsonError> {
        self.int(u64::from(v), false)
    }
    fn serialize_u16(self, v: u16) -> Result<(), JsonError> {
        self.int(u64::from(v), false)
    }
    fn serialize_u32(self, v: u32) -> Result<(), JsonError> {
        self.int(u64::from(v), false)
    }
    fn serialize_u64(self, v: u64) -> Result<(), JsonError> {
        self.int(v, false)
    }
    fn serialize_f32(self, v: f32) -> Result<(), JsonError> {
        self.num(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), JsonError> {
        self.num(v)
    }
    fn serialize_char(self, v: char) -> Result<(), JsonError> {
        push_str(&mut self.out, v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), JsonError> {
        push_str(&mut self.out, v);
        Ok(())
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<(), JsonError> {
        fail("bytes cannot be written as JSON")
    }
    fn serialize_none(self) -> Result<(), JsonError> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), JsonError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), JsonError> {
        self.out.push_str("null");
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), JsonError> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _name: &'static str, _i: u32, variant: &'static str) -> Result<(), JsonError> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, value: &T) -> Result<(), JsonError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), JsonError> {
        self.variant(variant);
        value.serialize(&mut *self)?;
        self.out.push('}');
        Ok(())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a>, JsonError> {
        Ok(self.open('[', "]"))
    }
    fn serialize_tuple(self, _len: usize) -> Result<Compound<'a>, JsonError> {
        Ok(self.open('[', "]"))
    }
    fn serialize_tuple_struct(self, _name: &'static str, _len: usize) -> Result<Compound<'a>, JsonError> {
        Ok(self.open('[', "]"))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, JsonError> {
        self.variant(variant);
        Ok(self.open('[', "]}"))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a>, JsonError> {
        Ok(self.open('{', "}"))
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Compound<'a>, JsonError> {
        Ok(self.open('{', "}"))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, JsonError> {
        self.variant(variant);
        Ok(self.open('{', "}}"))
    }
}

// Sequences, tuples, tuple structs and tuple variants: each item an element of a JSON array.
macro_rules! elements {
    ($($trait:ident::$method:ident),*) => {$(
        impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = JsonError;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), JsonError> {
                self.element(value)
            }
            fn end(self) -> Result<(), JsonError> {
                self.finish()
            }
        }
    )*};
}
elements!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = JsonError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), JsonError> {
        self.comma();
        let at = self.w.out.len();
        key.serialize(&mut *self.w)?;
        // A key that is not a string (a number, `null`, an object) cannot be an object key here, as in
        // serde-wasm-bindgen: whatever serializes as a string wrote a `"` first.
        if self.w.out.as_bytes().get(at) != Some(&b'"') {
            return fail("a map key in the result is not a string");
        }
        self.w.out.push(':');
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), JsonError> {
        value.serialize(&mut *self.w)
    }
    fn end(self) -> Result<(), JsonError> {
        self.finish()
    }
}

// Structs and struct variants: each field a member of a JSON object.
macro_rules! fields {
    ($($trait:ident),*) => {$(
        impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = JsonError;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), JsonError> {
                self.field(key, value)
            }
            fn end(self) -> Result<(), JsonError> {
                self.finish()
            }
        }
    )*};
}
fields!(SerializeStruct, SerializeStructVariant);

// Native only: the tests read the text back with serde_json, a native dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use serde::Serialize;
    use std::collections::BTreeMap;

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Out {
        zeta: u32,
        alpha_beta: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<u32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        kept: Option<u32>,
        list: Vec<i32>,
        unit: (),
        kinds: Vec<Kind>,
        text: String,
        map: BTreeMap<String, f32>,
        pair: (u8, bool),
    }

    #[derive(Serialize)]
    #[serde(rename_all = "lowercase")]
    enum Kind {
        Plain,
        Wrapped(u32),
        Pair(u32, u32),
        Named { x: i64 },
    }

    #[test]
    fn writes_what_serde_wasm_bindgen_built() {
        let out = Out {
            zeta: 7,
            alpha_beta: None,
            skipped: None,
            kept: Some(3),
            list: vec![-1, 0, 2],
            unit: (),
            kinds: vec![Kind::Plain, Kind::Wrapped(4), Kind::Pair(5, 6), Kind::Named { x: -9 }],
            text: "a\"b\\c\n\u{1}é😀".to_string(),
            map: [("b".to_string(), 0.1f32), ("a".to_string(), -0.0)].into_iter().collect(),
            pair: (255, true),
        };
        let text = to_string(&out).unwrap_or_default();
        assert_eq!(
            text,
            concat!(
                r#"{"zeta":7,"alphaBeta":null,"kept":3,"list":[-1,0,2],"unit":null,"#,
                r#""kinds":["plain",{"wrapped":4},{"pair":[5,6]},{"named":{"x":-9}}],"#,
                r#""text":"a\"b\\c\u000a\u0001é😀","map":{"a":-0,"b":0.10000000149011612},"pair":[255,true]}"#
            )
        );
        // It is JSON, and reads back as what was written.
        let back: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        assert_eq!(back["text"], "a\"b\\c\n\u{1}é😀");
        assert_eq!(back["map"]["b"].as_f64(), Some(f64::from(0.1f32)));
        assert!(back.get("skipped").is_none());
        assert!(back["alphaBeta"].is_null());
    }

    #[test]
    fn numbers_read_back_to_the_same_double() {
        let mut rng = crate::util::mix::SplitMix64(11);
        let mut specials = vec![0.0, -0.0, 1.0, 0.1, 1e21, 1e-7, 5e-324, f64::MAX, f64::MIN_POSITIVE, 1.0 / 3.0];
        specials.extend((0..20_000).map(|_| f64::from_bits(rng.next_u64())).filter(|v| v.is_finite()));
        for v in specials {
            let text = to_string(&v).unwrap_or_default();
            let back: f64 = text.parse().unwrap_or(f64::NAN);
            assert_eq!(back.to_bits(), v.to_bits(), "{v:e} was written as {text}");
            assert!(text.bytes().all(|b| b.is_ascii_digit() || b == b'-' || b == b'.'), "{text} is JSON");
        }
        // What the engine returns (rounded to 6 decimals, counts, epoch milliseconds) takes the exact decimal path:
        // the digits of k with the point d places in, never a longer form.
        for i in 0..20_000u64 {
            let d = (i % 10) as i32;
            let k = (rng.next_u64() >> (11 + i % 40)) as f64;
            let v = if i % 3 == 0 { -k } else { k } / 10f64.powi(d);
            let text = to_string(&v).unwrap_or_default();
            let back: f64 = text.parse().unwrap_or(f64::NAN);
            assert_eq!(back.to_bits(), v.to_bits(), "{v:e} was written as {text}");
            let digits = text.bytes().filter(u8::is_ascii_digit).count();
            assert!(digits <= 17 + d as usize, "{v:e} was written as {text}");
        }
        assert_eq!(
            to_string(&[0.005, 12.345, -0.5, 1_765_000_000_000.0, 0.123456]).unwrap_or_default(),
            "[0.005,12.345,-0.5,1765000000000,0.123456]"
        );
    }

    #[test]
    fn fails_where_json_cannot_say_it() {
        assert!(to_string(&f64::NAN).is_err());
        assert!(to_string(&f64::INFINITY).is_err());
        assert!(to_string(&vec![1.0, f64::NEG_INFINITY]).is_err());
        assert_eq!(to_string(&9_007_199_254_740_991u64).unwrap_or_default(), "9007199254740991");
        assert_eq!(to_string(&-9_007_199_254_740_991i64).unwrap_or_default(), "-9007199254740991");
        assert!(to_string(&9_007_199_254_740_992u64).is_err());
        assert!(to_string(&i64::MIN).is_err());
        let numeric_keys: BTreeMap<u32, u32> = [(1, 2)].into_iter().collect();
        assert!(to_string(&numeric_keys).is_err());
        let text_keys: BTreeMap<char, u32> = [('k', 2)].into_iter().collect();
        assert_eq!(to_string(&text_keys).unwrap_or_default(), r#"{"k":2}"#);
    }
}
