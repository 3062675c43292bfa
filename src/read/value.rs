//! Input as a plain tree, read into typed values with the exact path of any bad value (`history[12].at`).
//!
//! The JS edge turns a `JsValue` into a [`Value`] (one small, non-generic walk) and the native side turns JSON into
//! one; both then go through the same [`FromValue`] readers in `parse.rs`. This replaces serde deserialization at the
//! boundary: serde's generic visitors plus path tracking were about 140 KB of the wasm build, and their messages
//! could not name paths without that tracking.

use crate::contract::error::Error;
use crate::util::dict::Dict;
use std::borrow::Cow;

#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    Num(f64),
    /// Borrowed where the input's text outlives the tree (the encoded form, `read/encoded.rs`), so reading a request
    /// allocates nothing per key or string until a typed field keeps one.
    Str(Cow<'a, str>),
    Arr(Vec<Value<'a>>),
    /// Keys in the order given.
    Obj(Vec<(Cow<'a, str>, Value<'a>)>),
}

impl Value<'_> {
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Num(_) => "a number",
            Value::Str(_) => "a string",
            Value::Arr(_) => "an array",
            Value::Obj(_) => "an object",
        }
    }
}

/// Where a value sits in the input: built on the stack as the reader descends, turned into text only for an error.
#[derive(Clone, Copy)]
pub enum Path<'a> {
    Root(&'a str),
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl Path<'_> {
    pub fn render(&self) -> String {
        match self {
            Path::Root(r) => r.to_string(),
            Path::Key(parent, key) => {
                let p = parent.render();
                if p.is_empty() {
                    key.to_string()
                } else {
                    let mut s = p;
                    s.push('.');
                    s.push_str(key);
                    s
                }
            }
            Path::Index(parent, i) => {
                let mut s = parent.render();
                s.push('[');
                s.push_str(&i.to_string());
                s.push(']');
                s
            }
        }
    }

    pub fn invalid(&self, message: impl Into<String>) -> Error {
        Error::invalid(self.render(), message)
    }

    pub fn expected(&self, what: &str, got: &Value) -> Error {
        let mut m = String::from("expected ");
        m.push_str(what);
        m.push_str(", got ");
        m.push_str(got.kind());
        self.invalid(m)
    }
}

pub trait FromValue: Sized {
    fn from_value(v: &Value, path: &Path<'_>) -> Result<Self, Error>;
}

/// Reads one object: refuses unknown keys (a typo must not silently switch a guardrail off), then hands out fields.
pub struct Obj<'a> {
    entries: &'a [(Cow<'a, str>, Value<'a>)],
    path: &'a Path<'a>,
}

impl<'a> Obj<'a> {
    pub fn new(v: &'a Value<'a>, path: &'a Path<'a>, known: &[&str]) -> Result<Obj<'a>, Error> {
        let Value::Obj(entries) = v else { return Err(path.expected("an object", v)) };
        for (key, _) in entries {
            if !known.contains(&key.as_ref()) {
                let mut m = String::from("unknown field `");
                m.push_str(key);
                m.push_str("`, expected one of: ");
                m.push_str(&known.join(", "));
                return Err(Path::Key(path, key).invalid(m));
            }
        }
        Ok(Obj { entries, path })
    }

    fn find(&self, key: &str) -> Option<&'a Value<'a>> {
        // A key given twice: the last one counts, as in JSON.parse.
        self.entries.iter().rev().find(|(k, _)| k.as_ref() == key).map(|(_, v)| v).filter(|v| !matches!(v, Value::Null))
    }

    /// A field that may be absent (`undefined` or `null`).
    pub fn opt<T: FromValue>(&self, key: &str) -> Result<Option<T>, Error> {
        match self.find(key) {
            Some(v) => T::from_value(v, &Path::Key(self.path, key)).map(Some),
            None => Ok(None),
        }
    }

    /// A field that may be absent, read as its type's default when it is.
    pub fn or_default<T: FromValue + Default>(&self, key: &str) -> Result<T, Error> {
        self.opt(key).map(Option::unwrap_or_default)
    }

    /// A field that may be absent, holding an object with free keys and values of one type
    /// (`{"DIAPERS": "pregnancy_baby"}`).
    pub fn opt_map<T: FromValue>(&self, key: &str) -> Result<Option<Dict<T>>, Error> {
        match self.find(key) {
            Some(v) => read_map(v, &Path::Key(self.path, key)).map(Some),
            None => Ok(None),
        }
    }

    /// A required field.
    pub fn req<T: FromValue>(&self, key: &str) -> Result<T, Error> {
        if let Some(v) = self.find(key) {
            T::from_value(v, &Path::Key(self.path, key))
        } else {
            let mut m = String::from("missing field `");
            m.push_str(key);
            m.push('`');
            Err(self.path.invalid(m))
        }
    }
}

fn read_map<T: FromValue>(v: &Value, path: &Path<'_>) -> Result<Dict<T>, Error> {
    let Value::Obj(entries) = v else { return Err(path.expected("an object", v)) };
    entries.iter().map(|(k, val)| Ok((k.to_string(), T::from_value(val, &Path::Key(path, k))?))).collect()
}

/// Declares how an object type is read, each field once: its JSON key and how it is read — `req` (required), `opt`
/// (may be absent), `or_default` (absent reads as the default), `opt_map` (an object of free keys). The keys the
/// reader accepts (anything else is refused, listing them) are `Type::KEYS`, made from the same list, so a field's
/// name is written in one place; `tests/parse.rs` checks each against the serde name the TypeScript types use.
macro_rules! object_reader {
    ($ty:ident { $($field:ident: $how:ident $key:literal),+ $(,)? }) => {
        impl $ty {
            /// The keys the reader accepts.
            pub const KEYS: &'static [&'static str] = &[$($key),+];
        }

        impl $crate::read::value::FromValue for $ty {
            fn from_value(
                v: &$crate::read::value::Value,
                path: &$crate::read::value::Path<'_>,
            ) -> Result<Self, $crate::contract::error::Error> {
                let o = $crate::read::value::Obj::new(v, path, Self::KEYS)?;
                Ok($ty { $($field: o.$how($key)?,)+ })
            }
        }
    };
}
pub(crate) use object_reader;

impl FromValue for String {
    fn from_value(v: &Value, path: &Path<'_>) -> Result<Self, Error> {
        match v {
            Value::Str(s) => Ok(s.to_string()),
            other => Err(path.expected("a string", other)),
        }
    }
}

impl FromValue for bool {
    fn from_value(v: &Value, path: &Path<'_>) -> Result<Self, Error> {
        match v {
            Value::Bool(b) => Ok(*b),
            other => Err(path.expected("a boolean", other)),
        }
    }
}

impl FromValue for f64 {
    fn from_value(v: &Value, path: &Path<'_>) -> Result<Self, Error> {
        match v {
            Value::Num(n) if n.is_finite() => Ok(*n),
            Value::Num(_) => Err(path.invalid("expected a finite number")),
            other => Err(path.expected("a number", other)),
        }
    }
}

impl FromValue for f32 {
    fn from_value(v: &Value, path: &Path<'_>) -> Result<Self, Error> {
        f64::from_value(v, path).map(|n| n as f32)
    }
}

impl FromValue for u32 {
    fn from_value(v: &Value, path: &Path<'_>) -> Result<Self, Error> {
        let n = f64::from_value(v, path)?;
        if n.fract() != 0.0 || !(0.0..=f64::from(u32::MAX)).contains(&n) {
            return Err(path.invalid("expected a whole number ≥ 0"));
        }
        Ok(n as u32)
    }
}

impl FromValue for i32 {
    fn from_value(v: &Value, path: &Path<'_>) -> Result<Self, Error> {
        let n = f64::from_value(v, path)?;
        if n.fract() != 0.0 || !(f64::from(i32::MIN)..=f64::from(i32::MAX)).contains(&n) {
            return Err(path.invalid("expected a whole number"));
        }
        Ok(n as i32)
    }
}

impl<T: FromValue> FromValue for Vec<T> {
    fn from_value(v: &Value, path: &Path<'_>) -> Result<Self, Error> {
        let Value::Arr(items) = v else { return Err(path.expected("an array", v)) };
        // A loop, not `collect::<Result<_, _>>()`: the iterator adapters were compiled again for every `T`.
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            out.push(T::from_value(item, &Path::Index(path, i))?);
        }
        Ok(out)
    }
}

impl<A: FromValue, B: FromValue> FromValue for (A, B) {
    fn from_value(v: &Value, path: &Path<'_>) -> Result<Self, Error> {
        match v {
            Value::Arr(items) if items.len() == 2 => match (items.first(), items.get(1)) {
                (Some(a), Some(b)) => {
                    Ok((A::from_value(a, &Path::Index(path, 0))?, B::from_value(b, &Path::Index(path, 1))?))
                }
                _ => Err(path.invalid("expected a pair")),
            },
            other => Err(path.expected("a pair [key, value]", other)),
        }
    }
}

/// Reads a string that must be one of `names`; returns its index.
pub fn one_of(v: &Value, path: &Path<'_>, names: &[&str]) -> Result<usize, Error> {
    let Value::Str(s) = v else { return Err(path.expected("a string", v)) };
    names.iter().position(|n| *n == s.as_ref()).ok_or_else(|| {
        let mut m = String::from("unknown value `");
        m.push_str(s);
        m.push_str("`, expected one of: ");
        m.push_str(&names.join(", "));
        path.invalid(m)
    })
}

/// Implements [`FromValue`] for a fieldless enum from its JS names: `string_enum!(Surface { "home" => Surface::Home })`.
macro_rules! string_enum {
    ($t:ty { $($name:literal => $variant:expr),* $(,)? }) => {
        impl $crate::read::value::FromValue for $t {
            fn from_value(
                v: &$crate::read::value::Value,
                path: &$crate::read::value::Path<'_>,
            ) -> Result<Self, $crate::contract::error::Error> {
                const NAMES: &[&str] = &[$($name),*];
                const VALUES: &[$t] = &[$($variant),*];
                let i = $crate::read::value::one_of(v, path, NAMES)?;
                VALUES.get(i).copied().ok_or_else(|| $crate::contract::error::Error::internal("enum table mismatch"))
            }
        }
    };
}
pub(crate) use string_enum;

/// Parses a whole input: `root` names it in paths (`""` for a request, `"catalog"`, `"options"`).
pub fn read<T: FromValue>(v: &Value, root: &str) -> Result<T, Error> {
    T::from_value(v, &Path::Root(root))
}

#[cfg(not(target_arch = "wasm32"))]
impl Value<'static> {
    /// From JSON text (native only; the browser hands over JS values).
    pub fn from_json(text: &str) -> Result<Value<'static>, Error> {
        let v: serde_json::Value =
            serde_json::from_str(text).map_err(|e| Error::invalid("", format!("not valid JSON: {e}")))?;
        Ok(Value::from(v))
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl From<serde_json::Value> for Value<'static> {
    fn from(v: serde_json::Value) -> Value<'static> {
        match v {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(b),
            serde_json::Value::Number(n) => Value::Num(n.as_f64().unwrap_or(f64::NAN)),
            serde_json::Value::String(s) => Value::Str(Cow::Owned(s)),
            serde_json::Value::Array(a) => Value::Arr(a.into_iter().map(Value::from).collect()),
            serde_json::Value::Object(o) => {
                Value::Obj(o.into_iter().map(|(k, v)| (Cow::Owned(k), Value::from(v))).collect())
            }
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn paths_render_like_javascript_accessors() {
        let root = Path::Root("");
        let h = Path::Key(&root, "history");
        let i = Path::Index(&h, 12);
        assert_eq!(Path::Key(&i, "at").render(), "history[12].at");
        let c = Path::Root("catalog");
        assert_eq!(Path::Key(&Path::Index(&c, 3), "id").render(), "catalog[3].id");
    }

    #[test]
    fn objects_refuse_unknown_keys_and_report_missing_ones() {
        let v = Value::from_json(r#"{"a":1,"b":null,"typo":2}"#).unwrap();
        let root = Path::Root("x");
        let err = Obj::new(&v, &root, &["a", "b"]).err().unwrap();
        assert_eq!(err.path, "x.typo");
        let v = Value::from_json(r#"{"a":1,"b":null}"#).unwrap();
        let o = Obj::new(&v, &root, &["a", "b", "c"]).unwrap();
        assert_eq!(o.req::<f64>("a").unwrap(), 1.0);
        assert_eq!(o.opt::<f64>("b").unwrap(), None, "null is absent");
        assert_eq!(o.req::<f64>("c").unwrap_err().message, "missing field `c`");
        assert_eq!(o.req::<String>("a").unwrap_err().message, "expected a string, got a number");
    }

    #[test]
    fn numbers_are_checked() {
        let root = Path::Root("n");
        assert!(u32::from_value(&Value::Num(1.5), &root).is_err());
        assert!(u32::from_value(&Value::Num(-1.0), &root).is_err());
        assert!(f64::from_value(&Value::Num(f64::NAN), &root).is_err());
        assert_eq!(i32::from_value(&Value::Num(-60.0), &root).unwrap(), -60);
    }
}
