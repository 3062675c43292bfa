//! Small building blocks with no knowledge of products or shoppers: one sort for every ordering ([`order`]), one
//! mixer for every seeded order and stable hash ([`mix`]), the rounding of every number returned ([`num`]), and a
//! sorted string-keyed map ([`dict`]).

pub mod dict;
pub mod mix;
pub mod num;
pub mod order;
