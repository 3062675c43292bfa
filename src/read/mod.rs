//! Reading JS values: [`value::Value`] (a JSON-shaped tree built from a `JsValue` or JSON text) with path-carrying
//! readers, and the [`limits`] checked before anything is read. Both engines' request readers build on these.

pub mod encoded;
pub mod limits;
pub mod value;
