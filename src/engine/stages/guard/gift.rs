//! `GIFT_EXCLUDED`: gift purchases (flagged or inferred in `clean`) never shape taste. They are explained, not
//! hidden: the profile lists each with its reason, the audit counts them, and `removed` names the products so the
//! shopper sees why they do not lead to more of the same.

pub const TEXT: &str = "Bought as a gift: it does not shape your recommendations.";
