//! Where a message goes (`Channel`, and `LedgerChannel`, which adds the page itself) and why it is sent (`Purpose`):
//! the small vocabulary the ledger, engagement and send planning share.

use serde::Serialize;

/// A messaging channel that sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    #[default]
    Email,
    Push,
}

/// Where a touch of the ledger happened: a channel, or the page itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum LedgerChannel {
    Email,
    Push,
    /// A marketing touch on the page (pop-up, banner, on-site message); not a product impression.
    Page,
}

impl From<Channel> for LedgerChannel {
    fn from(c: Channel) -> LedgerChannel {
        match c {
            Channel::Email => LedgerChannel::Email,
            Channel::Push => LedgerChannel::Push,
        }
    }
}

/// Why a message is sent. Welcome messages are the ones a new subscriber signed up for: the policy's welcome floor
/// keeps the shop's caps from starving them (the shopper's own caps still hold).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Purpose {
    #[default]
    Marketing,
    Welcome,
}
