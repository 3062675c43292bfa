//! Every code the ranking engine returns, each a closed enum declared once: the Rust code matches on the variant, JSON
//! and JS see the string, and the generated TypeScript types see a union of the strings, so a typo does not compile
//! on either side. Codes are a stable API: add, never rename (a rename is a breaking change; see `pkg/README.md`).

/// Declares a closed set of codes: the enum, its strings (serde and `as_str` read the same literal), `ALL`, and
/// comparison with a string (for tests and callers that hold a code as text).
macro_rules! codes {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(test, derive(ts_rs::TS))]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant,)+
        }

        impl $name {
            /// Every code, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The code as JS sees it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            /// The code named `text`, if there is one.
            pub fn parse(text: &str) -> Option<$name> {
                match text {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.as_str() == other
            }
        }
    };
}
pub(crate) use codes;

codes! {
    /// Why an item is in the list: one code per score term (`items[].reasons[].code`), plus `DISCOVERY` for the
    /// discovery slot.
    pub enum ReasonCode {
        /// A consumable the shopper buys regularly is due again.
        DueAgain = "DUE_AGAIN",
        /// The shopper bought this product before.
        BoughtBefore = "BOUGHT_BEFORE",
        /// The shopper's categories, brands or product lines.
        YouLike = "YOU_LIKE",
        /// An accessory or complement of something the shopper owns or has in the cart.
        GoesWith = "GOES_WITH",
        /// Bought together with the shopper's purchases by other shoppers (the model's co-purchases).
        BoughtTogether = "BOUGHT_TOGETHER",
        /// Close to the shopper's purchases in the model's embedding.
        LikeYours = "LIKE_YOURS",
        /// Similar to the product on the page.
        Similar = "SIMILAR",
        /// A category or tag the shopper stated an interest in.
        YourInterest = "YOUR_INTEREST",
        /// Launched recently.
        NewArrival = "NEW_ARRIVAL",
        /// Popular in the shop (the model's popularity).
        Popular = "POPULAR",
        /// Neither evidence nor a model: the catalog's own order stands in for popularity.
        Featured = "FEATURED",
        /// Selling more lately than before.
        Trending = "TRENDING",
        /// Boosted by the shop's policy (`boostTags`).
        Promoted = "PROMOTED",
        /// Price was the only term: the item fills the list, and says so.
        MoreFromShop = "MORE_FROM_SHOP",
        /// The discovery slot: something outside the shopper's usual categories.
        Discovery = "DISCOVERY",
    }
}

/// Declares the guardrail codes once: `GuardCode`, and `SummaryCode` (every guardrail code, and `POLICY_SURFACE`),
/// with the conversion from one to the other.
macro_rules! guard_codes {
    ($($variant:ident = $text:literal,)+) => {
        codes! {
            /// Guardrail reason codes (`removed[].code`): each a named guardrail with a test and an explanation
            /// (DESIGN.md).
            pub enum GuardCode {
                $($variant = $text,)+
            }
        }

        codes! {
            /// What a line of the summary panel is about (`summary[].code`, the keys of `removedCounts`): a guardrail
            /// that acted, or `POLICY_SURFACE` when the shop turned personalization off on this surface.
            pub enum SummaryCode {
                PolicySurface = "POLICY_SURFACE",
                $($variant = $text,)+
            }
        }

        impl From<GuardCode> for SummaryCode {
            fn from(code: GuardCode) -> SummaryCode {
                match code {
                    $(GuardCode::$variant => SummaryCode::$variant,)+
                }
            }
        }
    };
}

guard_codes! {
    NoConsent = "NO_CONSENT",
    SensitiveClass = "SENSITIVE_CLASS",
    SharedDevice = "SHARED_DEVICE",
    OwnedDurable = "OWNED_DURABLE",
    NotDue = "NOT_DUE",
    Returned = "RETURNED",
    GiftExcluded = "GIFT_EXCLUDED",
    Incompatible = "INCOMPATIBLE",
    Muted = "MUTED",
    Forgotten = "FORGOTTEN",
    OutOfStock = "OUT_OF_STOCK",
    CategoryCap = "CATEGORY_CAP",
    Diversity = "DIVERSITY",
    Fatigue = "FATIGUE",
    Compliance = "COMPLIANCE",
    BrandRule = "BRAND_RULE",
    ThinData = "THIN_DATA",
}

codes! {
    /// Why a history line does not shape taste (`ignored[].reason`, `gifts[].reason`, the keys of `cleaning`): the
    /// cleaning stage's rules.
    pub enum LineRule {
        NoConsent = "NO_CONSENT",
        Future = "FUTURE",
        NonProduct = "NON_PRODUCT",
        UnknownProduct = "UNKNOWN_PRODUCT",
        Forgotten = "FORGOTTEN",
        Sensitive = "SENSITIVE",
        Duplicate = "DUPLICATE",
        Cancelled = "CANCELLED",
        Returned = "RETURNED",
        OutlierQuantity = "OUTLIER_QUANTITY",
        Gift = "GIFT",
        BadQuantity = "BAD_QUANTITY",
        UnmatchedCancel = "UNMATCHED_CANCEL",
    }
}

codes! {
    /// Why a message is planned when it is, or not at all (`planSend`'s `reasons[].code`).
    pub enum SendCode {
        /// No consent for the channel: nothing is planned.
        NoConsent = "NO_CONSENT",
        /// Caps or the minimum gap close every hour of the horizon.
        Fatigue = "FATIGUE",
        /// Quiet hours and the capacity window leave no hour of the horizon.
        NoWindow = "NO_WINDOW",
        /// A welcome message the new subscriber signed up for.
        Welcome = "WELCOME",
        /// The hour this shopper engages most.
        BestHour = "BEST_HOUR",
        /// The hour shoppers engage most, while this one's own history is thin.
        PriorHour = "PRIOR_HOUR",
        /// The policy's welcome floor lifted the shop's caps for a welcome message.
        WelcomeFloor = "WELCOME_FLOOR",
        /// The shopper's or the shop's quiet hours close some hours.
        QuietHours = "QUIET_HOURS",
        /// Only inside the shop's sending window.
        CapacityWindow = "CAPACITY_WINDOW",
        /// The minimum gap between two messages.
        MinGap = "MIN_GAP",
        /// The daily cap (the shopper's own or the shop's).
        DailyCap = "DAILY_CAP",
        /// The weekly cap (the shopper's own or the shop's).
        WeeklyCap = "WEEKLY_CAP",
    }
}

codes! {
    /// Why `planSend` plans nothing (`suppressed`).
    pub enum Suppression {
        NoConsent = "NO_CONSENT",
        Fatigue = "FATIGUE",
        NoWindow = "NO_WINDOW",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // serde_json is a dependency of the native tool only: this runs in `cargo test --features cli`.
    #[cfg(feature = "cli")]
    #[test]
    fn serde_and_as_str_agree_and_every_code_parses_back() {
        fn check<T: serde::Serialize + Copy + PartialEq + std::fmt::Debug>(
            all: &[T],
            text: fn(T) -> &'static str,
            parse: fn(&str) -> Option<T>,
        ) {
            for &c in all {
                assert_eq!(serde_json::to_string(&c).ok(), Some(format!("\"{}\"", text(c))));
                assert_eq!(parse(text(c)), Some(c));
            }
            assert!(parse("NOT_A_CODE").is_none());
        }
        check(ReasonCode::ALL, ReasonCode::as_str, ReasonCode::parse);
        check(GuardCode::ALL, GuardCode::as_str, GuardCode::parse);
        check(SummaryCode::ALL, SummaryCode::as_str, SummaryCode::parse);
        check(LineRule::ALL, LineRule::as_str, LineRule::parse);
        check(SendCode::ALL, SendCode::as_str, SendCode::parse);
        check(Suppression::ALL, Suppression::as_str, Suppression::parse);
    }

    #[test]
    fn every_guard_code_is_a_summary_code_of_the_same_name() {
        for &g in GuardCode::ALL {
            assert_eq!(SummaryCode::from(g).as_str(), g.as_str());
        }
        assert_eq!(SummaryCode::ALL.len(), GuardCode::ALL.len() + 1);
    }
}
