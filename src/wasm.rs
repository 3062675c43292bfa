//! The thin JS-facing edge: one `Engine` class taking plain objects, typed errors with `code` and `path`, TypeScript
//! types generated from the Rust types (`src/types.d.ts`, kept current by a test). Limits are checked on the JS values
//! before they are read; values are read by the same `parse.rs` readers the native side uses.
//!
//! The `Engine` class is compiled only with the `rank-api` feature: the messaging module (`message-api`, built as a
//! second wasm) shares this file's boundary helpers and nothing of ranking.

// wasm-bindgen hands every argument of an export over by value: that is the JS edge's calling convention.
#![allow(clippy::needless_pass_by_value)]
#![cfg_attr(not(feature = "rank-api"), allow(dead_code, unused_imports))]

use crate::contract::error::Error;
use crate::engine::{Engine, EngineOptions};
use crate::read::limits;
use crate::read::value::{read, FromValue, Value};
use crate::{Product, ProfileRequest, RankRequest};
use js_sys::{Array, Object, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Objects nested deeper than this are refused (no input of the contract nests more than 5 levels).
const MAX_DEPTH: usize = 16;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("types.d.ts");

/// A JS `Error` with `code` and `path`.
pub fn to_js_error(e: &Error) -> JsValue {
    let err = js_sys::Error::new(&e.message);
    // Setting a property on a fresh Error cannot fail; if it somehow did, the message still says what went wrong.
    let _ = Reflect::set(&err, &"code".into(), &e.code.as_str().into());
    let _ = Reflect::set(&err, &"path".into(), &e.path.as_str().into());
    err.into()
}

/// A JS value as a plain tree; `path` is where it sits, for errors.
pub fn to_value(v: &JsValue, path: &mut String, depth: usize) -> Result<Value<'static>, Error> {
    if depth > MAX_DEPTH {
        return Err(Error::limit(path.clone(), "nested too deeply"));
    }
    // Numbers and strings first: they are most of any input (every check is a call into JS).
    if let Some(n) = v.as_f64() {
        return Ok(Value::Num(n));
    }
    if let Some(s) = v.as_string() {
        return Ok(Value::Str(s.into()));
    }
    if v.is_null() || v.is_undefined() {
        return Ok(Value::Null);
    }
    if let Some(b) = v.as_bool() {
        return Ok(Value::Bool(b));
    }
    if let Some(d) = v.dyn_ref::<js_sys::Date>() {
        return Ok(Value::Num(d.get_time()));
    }
    if Array::is_array(v) {
        let arr = Array::from(v);
        let mut out = Vec::with_capacity(arr.length() as usize);
        let base = path.len();
        for (i, item) in arr.iter().enumerate() {
            path.push('[');
            push_index(path, i);
            path.push(']');
            out.push(to_value(&item, path, depth + 1)?);
            path.truncate(base);
        }
        return Ok(Value::Arr(out));
    }
    if v.is_object() && !v.is_function() {
        let obj: &Object = v.unchecked_ref();
        let keys = Object::keys(obj);
        let mut out = Vec::with_capacity(keys.length() as usize);
        let base = path.len();
        for key in keys.iter() {
            let Some(k) = key.as_string() else { continue };
            let item = Reflect::get(obj, &key).unwrap_or(JsValue::UNDEFINED);
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(&k);
            let value = to_value(&item, path, depth + 1)?;
            path.truncate(base);
            out.push((k.into(), value));
        }
        return Ok(Value::Obj(out));
    }
    Err(Error::invalid(path.clone(), "unsupported value (a function, symbol or BigInt)"))
}

/// `i` in decimal, onto `path` without an allocation (one per array element added up, on a 1,000-event history).
fn push_index(path: &mut String, i: usize) {
    let mut digits = [0u8; 20];
    let mut n = i;
    let mut at = digits.len();
    loop {
        at -= 1;
        if let Some(d) = digits.get_mut(at) {
            *d = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || at == 0 {
            break;
        }
    }
    for &d in digits.get(at..).unwrap_or_default() {
        path.push(char::from(d));
    }
}

fn parse<T: FromValue>(root: &str, value: &JsValue) -> Result<T, Error> {
    let mut path = root.to_string();
    read(&to_value(value, &mut path, 0)?, root)
}

/// Plain objects (not `Map`s), `null` for absent values: written as JSON text in wasm memory, then one `JSON.parse`
/// (one call into JS, not one per object, key and value; `util/json.rs`).
pub fn to_js<T: Serialize>(value: &T) -> Result<JsValue, Error> {
    let text =
        crate::util::json::to_string(value).map_err(|e| Error::internal(format!("could not build the result: {e}")))?;
    js_sys::JSON::parse(&text).map_err(|_| Error::internal("could not build the result: JSON.parse refused it"))
}

/// Fails with `LIMIT_EXCEEDED` when `obj[key]` is an array longer than `max`, before anything is parsed.
fn check_array_len(obj: &JsValue, key: &str, max: usize, path: &str) -> Result<(), Error> {
    if !obj.is_object() {
        return Ok(());
    }
    let v = Reflect::get(obj, &key.into()).unwrap_or(JsValue::UNDEFINED);
    check_len(&v, max, path)
}

fn check_len(v: &JsValue, max: usize, path: &str) -> Result<(), Error> {
    if Array::is_array(v) {
        limits::check_list(Array::from(v).length() as usize, max, path)?;
    }
    Ok(())
}

/// [`check_request_sizes`] on a value the wrapper encoded (it checked them on the JS value already; a getter may
/// answer differently the second time).
fn check_value_sizes(request: &Value) -> Result<(), Error> {
    if let Value::Obj(entries) = request {
        for (key, max) in [("history", limits::MAX_HISTORY_EVENTS), ("impressions", limits::MAX_IMPRESSIONS)] {
            // The last of a repeated key counts, as for the readers.
            if let Some((_, Value::Arr(list))) = entries.iter().rev().find(|(k, _)| k == key) {
                limits::check_list(list.len(), max, key)?;
            }
        }
    }
    Ok(())
}

/// A request the wrapper encoded, its lists checked as [`check_request_sizes`] checks them on a JS value.
fn encoded_request<'a>(tags: &'a [u8], lens: &'a [u32], nums: &'a [f64], strs: &'a str) -> Result<Value<'a>, Error> {
    let value = Value::from_encoded(tags, lens, nums, strs)?;
    check_value_sizes(&value)?;
    Ok(value)
}

fn check_request_sizes(request: &JsValue) -> Result<(), Error> {
    check_array_len(request, "history", limits::MAX_HISTORY_EVENTS, "history")?;
    check_array_len(request, "impressions", limits::MAX_IMPRESSIONS, "impressions")
}

/// Indexes the catalog once; ranks and profiles one shopper per call.
#[cfg(feature = "rank-api")]
#[wasm_bindgen(js_name = Engine)]
pub struct JsEngine {
    inner: Engine,
}

/// A `Uint8Array` read a range at a time (`subarray` + `copy_to`: one copy, straight into wasm memory).
#[cfg(feature = "rank-api")]
struct JsBytes<'a>(&'a js_sys::Uint8Array);

#[cfg(feature = "rank-api")]
impl crate::engine::packed::Source for JsBytes<'_> {
    fn len(&self) -> usize {
        self.0.length() as usize
    }
    fn read(&self, at: usize, out: &mut [u8]) -> bool {
        let Some(end) = at.checked_add(out.len()).filter(|&end| end <= self.len()) else { return false };
        self.0.subarray(at as u32, end as u32).copy_to(out);
        true
    }
}

#[cfg(feature = "rank-api")]
#[wasm_bindgen(js_class = Engine)]
impl JsEngine {
    /// Indexes the catalog once. `catalog` is plain `Product` objects, or the packed bytes `tactful pack` writes
    /// (catalog and model in one `Uint8Array`; see docs/packed-format.md).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "Product[] | Uint8Array")] catalog: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "EngineOptions | null")] options: JsValue,
    ) -> Result<JsEngine, JsValue> {
        Self::build(catalog, options).map_err(|e| to_js_error(&e))
    }

    fn build(catalog: JsValue, options: JsValue) -> Result<JsEngine, Error> {
        if let Some(bytes) = catalog.dyn_ref::<js_sys::Uint8Array>() {
            // The packed form (`tactful pack`): each section copied into wasm memory, read and dropped in turn (the
            // whole file is never held beside the engine), no object per product. Its model is the one packed with
            // it; the options may set the policy only.
            let options: EngineOptions = if options.is_undefined() || options.is_null() {
                EngineOptions::default()
            } else {
                parse("options", &options)?
            };
            if options.model.is_some() {
                return Err(Error::invalid("options.model", "packed bytes carry their model: pass none"));
            }
            return Ok(JsEngine { inner: crate::engine::packed::engine_from(&JsBytes(bytes), options.policy)? });
        }
        if !Array::is_array(&catalog) {
            return Err(Error::invalid("catalog", "expected an array of Product objects"));
        }
        check_len(&catalog, limits::MAX_CATALOG_PRODUCTS, "catalog")?;
        let catalog = to_value(&catalog, &mut String::from("catalog"), 0)?;
        Self::from_values(&catalog, || {
            if options.is_undefined() || options.is_null() {
                Ok(Value::Null)
            } else {
                to_value(&options, &mut String::from("options"), 0)
            }
        })
    }

    /// The object path's checks and readers, on the catalog's tree and (read after it, as errors come in that order)
    /// the options'.
    fn from_values<'a>(
        catalog: &Value<'_>,
        options: impl FnOnce() -> Result<Value<'a>, Error>,
    ) -> Result<JsEngine, Error> {
        let Value::Arr(list) = catalog else {
            return Err(Error::invalid("catalog", "expected an array of Product objects"));
        };
        limits::check_list(list.len(), limits::MAX_CATALOG_PRODUCTS, "catalog")?;
        let products: Vec<Product> = read(catalog, "catalog")?;
        let options = options()?;
        let options: EngineOptions =
            if matches!(options, Value::Null) { EngineOptions::default() } else { read(&options, "options")? };
        Ok(JsEngine { inner: Engine::new(&products, &options)? })
    }

    fn rank_value(&mut self, request: &Value) -> Result<JsValue, Error> {
        let req: RankRequest = read(request, "")?;
        to_js(&self.inner.rank(&req)?)
    }

    fn profile_value(&self, request: &Value) -> Result<JsValue, Error> {
        let req: ProfileRequest = read(request, "")?;
        to_js(&self.inner.profile(&req)?)
    }

    /// Ranks products for one shopper.
    #[wasm_bindgen(unchecked_return_type = "Ranking")]
    pub fn rank(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "RankRequest")] request: JsValue,
    ) -> Result<JsValue, JsValue> {
        (|| {
            check_request_sizes(&request)?;
            self.rank_value(&to_value(&request, &mut String::new(), 0)?)
        })()
        .map_err(|e| to_js_error(&e))
    }

    /// [`Self::rank`] with the request already walked by the package's wrapper (`pkg/tactful.js`) into the flat
    /// buffers of `read/encoded.rs`: the same readers, the same result, without a call into JS per value. Not part
    /// of the typed API: the wrapper calls it, and falls back to `rank` for anything it does not encode.
    #[wasm_bindgen(js_name = rankEncoded, skip_typescript)]
    pub fn rank_encoded(&mut self, tags: &[u8], lens: &[u32], nums: &[f64], strs: &str) -> Result<JsValue, JsValue> {
        encoded_request(tags, lens, nums, strs).and_then(|v| self.rank_value(&v)).map_err(|e| to_js_error(&e))
    }

    /// [`Self::profile`] with the request encoded by the wrapper, as [`Self::rank_encoded`].
    #[wasm_bindgen(js_name = profileEncoded, skip_typescript)]
    pub fn profile_encoded(&self, tags: &[u8], lens: &[u32], nums: &[f64], strs: &str) -> Result<JsValue, JsValue> {
        encoded_request(tags, lens, nums, strs).and_then(|v| self.profile_value(&v)).map_err(|e| to_js_error(&e))
    }

    /// The constructor with `[catalog, options]` encoded by the wrapper (which uses it only for an array catalog
    /// within the limit): the same checks and readers as [`Self::new`]'s object path.
    #[wasm_bindgen(js_name = fromEncoded, skip_typescript)]
    pub fn from_encoded(tags: &[u8], lens: &[u32], nums: &[f64], strs: &str) -> Result<JsEngine, JsValue> {
        (|| {
            let Value::Arr(mut parts) = Value::from_encoded(tags, lens, nums, strs)? else {
                return Err(Error::internal("the encoded constructor arguments are not [catalog, options]"));
            };
            let options = if parts.len() > 1 { parts.swap_remove(1) } else { Value::Null };
            let catalog = parts.into_iter().next().unwrap_or(Value::Null);
            Self::from_values(&catalog, || Ok(options))
        })()
        .map_err(|e| to_js_error(&e))
    }

    /// What the engine believes about this shopper, and why — for the preference center.
    #[wasm_bindgen(unchecked_return_type = "Profile")]
    pub fn profile(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ProfileRequest")] request: JsValue,
    ) -> Result<JsValue, JsValue> {
        (|| {
            check_request_sizes(&request)?;
            self.profile_value(&to_value(&request, &mut String::new(), 0)?)
        })()
        .map_err(|e| to_js_error(&e))
    }

    /// Number of products indexed.
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> u32 {
        self.inner.catalog().len() as u32
    }
}
