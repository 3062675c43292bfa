//! The contract: the types that cross the JS boundary, shared by the ranking engine ([`crate::engine`]) and the
//! messaging helpers ([`crate::message`]) — requests, results, the coded [`error::Error`], and [`time::Timestamp`].
//! Nothing here depends on either engine.

pub mod codes;
pub mod error;
pub mod input;
pub mod output;
pub mod schedule;
pub mod time;
