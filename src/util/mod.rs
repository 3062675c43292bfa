//! Small building blocks with no knowledge of products or shoppers: one sort for every ordering ([`order`]), one
//! mixer for every seeded order and stable hash ([`mix`]), the rounding of every number returned ([`num`]), and a
//! sorted string-keyed map ([`dict`]), and the JSON writer the wasm modules return results through ([`json`]).

pub mod dict;
#[cfg(any(target_arch = "wasm32", test))]
pub mod json;
pub mod mix;
pub mod num;
pub mod order;
