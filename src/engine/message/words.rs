//! The word lists of `lintCopy`, small on purpose: each entry is a phrase (`"below market"`), and a trailing `*`
//! matches a prefix (`"pregnan*"`: pregnant, pregnancy). Matching ignores case. A list is a starting point a shop
//! extends through the lint policy, not a dictionary.

use crate::engine::input::SensitivityClass;

/// Price-shaming words: beside a personal token they say "you, the cheap one". Policy `priceWords` replaces this.
pub const PRICE_WORDS: &[&str] = &[
    "cheap*",
    "below market",
    "reduced",
    "bargain*",
    "budget",
    "low-cost",
    "lowest price*",
    "markdown*",
    "marked down",
    "clearance",
    "knock-off*",
    "knockoff*",
    "frugal",
    "thrifty",
    "penny-pinch*",
    "broke",
    "can't afford",
    "cut-price",
];

/// Words that reveal a sensitive class in a subject line or preheader, which lock screens, shared inboxes and
/// notification previews show to whoever is nearby.
pub fn sensitive_words(class: SensitivityClass) -> &'static [&'static str] {
    match class {
        SensitivityClass::PregnancyBaby => &[
            "pregnan*",
            "expecting",
            "maternity",
            "prenatal",
            "diaper*",
            "nappies",
            "newborn*",
            "due date",
            "baby registry",
        ],
        SensitivityClass::ReproductiveHealth => {
            &["fertility", "ovulation", "ivf", "contracepti*", "birth control", "morning-after", "menstrua*", "tampon*"]
        }
        SensitivityClass::IntimateCare => {
            &["incontinence", "condom*", "lubricant*", "yeast infection", "hemorrhoid*", "erectile", "lice"]
        }
        SensitivityClass::Medical => &[
            "diagnos*",
            "prescription*",
            "chemo*",
            "cancer",
            "hiv",
            "diabet*",
            "depression",
            "antidepressant*",
            "insulin",
            "hearing aid*",
            "quit smoking",
        ],
        SensitivityClass::WeightLoss => {
            &["weight loss", "lose weight", "diet pill*", "slimming", "fat burn*", "obesity"]
        }
        SensitivityClass::Tobacco => &["cigarette*", "nicotine", "vape*", "tobacco"],
        SensitivityClass::Alcohol => &["hangover*", "sobriety", "sober"],
        SensitivityClass::Adult => &["sex toy*", "erotic*", "xxx", "vibrator*", "adult toy*"],
        SensitivityClass::FinancialDistress => &[
            "debt*",
            "overdue",
            "overdrawn",
            "bankrupt*",
            "payday loan*",
            "past due",
            "credit score",
            "foreclos*",
            "eviction",
        ],
        SensitivityClass::Romance => &["engagement ring*", "dating", "proposal ring*", "anniversary gift*"],
    }
}

/// Classes checked by default: every class but alcohol and tobacco, which are regulated (see the ranking policy's
/// `regulatedClasses`) rather than private, and name what a wine or tobacco shop sells.
pub const DEFAULT_SENSITIVE_CLASSES: [SensitivityClass; 8] = [
    SensitivityClass::ReproductiveHealth,
    SensitivityClass::PregnancyBaby,
    SensitivityClass::IntimateCare,
    SensitivityClass::Medical,
    SensitivityClass::WeightLoss,
    SensitivityClass::Adult,
    SensitivityClass::FinancialDistress,
    SensitivityClass::Romance,
];

/// Gendered wording. `salutation`: only when a name or a merge token follows, capitalised (`Miss Lee`, `Mr.
/// {LNAME}`), so "don't miss out" is not one.
pub struct Gendered {
    pub phrase: &'static str,
    /// `f` or `m`: allowed when the shopper stated that gender (`facts.gender`, confirmed).
    pub gender: u8,
    pub salutation: bool,
}

const fn g(phrase: &'static str, gender: u8, salutation: bool) -> Gendered {
    Gendered { phrase, gender, salutation }
}

pub const GENDERED: &[Gendered] = &[
    g("mr", b'm', true),
    g("mister", b'm', true),
    g("mrs", b'f', true),
    g("ms", b'f', true),
    g("miss", b'f', true),
    g("sir", b'm', false),
    g("madam", b'f', false),
    g("ma'am", b'f', false),
    g("ladies", b'f', false),
    g("lady", b'f', false),
    g("gals", b'f', false),
    g("gents", b'm', false),
    g("gentleman", b'm', false),
    g("gentlemen", b'm', false),
    g("fellas", b'm', false),
    g("for her", b'f', false),
    g("for him", b'm', false),
    g("your wife", b'f', false),
    g("your husband", b'm', false),
    g("your girlfriend", b'f', false),
    g("your boyfriend", b'm', false),
];

/// Merge fields that carry a gender: a token for one is gendered unless the shopper stated it (confirmed fact).
pub const GENDER_FIELDS: &[&str] = &["gender", "salutation", "title", "honorific", "pronoun", "pronouns", "sex"];

/// Merge fields that are not facts about the shopper (links, the shop, the date). Policy `systemTokens` replaces
/// this; names compare as field names do (`unsubscribe_link` = `UnsubscribeLink`).
pub const SYSTEM_TOKENS: &[&str] = &[
    "unsub",
    "unsubscribe",
    "unsubscribelink",
    "unsubscribeurl",
    "preferences",
    "preferencesurl",
    "updateprofile",
    "archive",
    "archivelink",
    "webversion",
    "viewonline",
    "shop",
    "shopname",
    "store",
    "storename",
    "company",
    "companyname",
    "listname",
    "subject",
    "date",
    "year",
    "currentyear",
];
