//! The word lists of `lintCopy`, small on purpose: each entry is a phrase (`"below market"`), and a trailing `*`
//! matches a prefix (`"pregnan*"`: pregnant, pregnancy). Matching ignores case. A list is a starting point a shop
//! extends through the lint policy, not a dictionary.

use crate::contract::input::SensitivityClass;

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

/// A class of `SENSITIVE_SUBJECT`: a product sensitivity class, or `life_events` (bereavement, divorce, …), which
/// no product belongs to but a subject line can still reveal. Written as the class's name (`"medical"`,
/// `"life_events"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LintClass {
    Product(SensitivityClass),
    LifeEvents,
}

impl LintClass {
    pub const LIFE_EVENTS: &'static str = "life_events";

    pub fn as_str(self) -> &'static str {
        match self {
            LintClass::Product(c) => c.as_str(),
            LintClass::LifeEvents => LintClass::LIFE_EVENTS,
        }
    }

    pub fn parse(text: &str) -> Option<LintClass> {
        if text == LintClass::LIFE_EVENTS {
            return Some(LintClass::LifeEvents);
        }
        SensitivityClass::parse(text).map(LintClass::Product)
    }
}

impl serde::Serialize for LintClass {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Words that reveal a sensitive class in a subject line or preheader, which lock screens, shared inboxes and
/// notification previews show to whoever is nearby. Matched as whole words, case ignored, with regular inflections
/// (`"diet"`: diets, dieting; never "dietary"; see `text::inflects`). Bare words that are mostly something else
/// stay out: "bump" only as "your bump", "the bump", "baby bump", "bump-friendly" ("bump up your savings", "bumper
/// crop"); "sympathy" is in, "memorial" is not (Memorial Day).
pub fn sensitive_words(class: LintClass) -> &'static [&'static str] {
    let class = match class {
        LintClass::LifeEvents => {
            return &[
                "bereave*",
                "condolence*",
                "funeral*",
                "grief",
                "grieve",
                "sympathy",
                "sorry for your loss",
                "loss of a loved one",
                "passed away",
                "in loving memory",
                "widow*",
                "divorc*",
                "breakup",
            ]
        }
        LintClass::Product(c) => c,
    };
    match class {
        SensitivityClass::PregnancyBaby => &[
            "pregnan*",
            "expecting",
            "expectant",
            "maternity",
            "prenatal",
            "antenatal",
            "postnatal",
            "postpartum",
            "diaper*",
            "nappy",
            "nappies",
            "newborn*",
            "new baby",
            "baby on the way",
            "due date",
            "baby registry",
            "baby shower",
            "your bump",
            "the bump",
            "baby bump",
            "bump friendly",
            "mum to be",
            "mums to be",
            "mom to be",
            "moms to be",
            "mother to be",
            "mama to be",
            "nursing",
            "breastfeed*",
            "breast feed*",
            "breast milk",
            "breast pump",
            "morning sickness",
        ],
        SensitivityClass::ReproductiveHealth => &[
            "fertility",
            "infertil*",
            "ovulat*",
            "ivf",
            "trying to conceive",
            "egg freezing",
            "miscarr*",
            "pregnancy loss",
            "stillbirth*",
            "stillborn",
            "contracepti*",
            "birth control",
            "morning after",
            "menstrua*",
            "tampon*",
        ],
        SensitivityClass::IntimateCare => &[
            "incontinence",
            "condom*",
            "lubricant*",
            "yeast infection",
            "hemorrhoid*",
            "haemorrhoid*",
            "erectile",
            "lice",
        ],
        SensitivityClass::Medical => &[
            "illness",
            "diagnos*",
            "prescription*",
            "chemo*",
            "cancer",
            "tumor",
            "tumour",
            "hiv",
            "diabet*",
            "dementia",
            "alzheimer*",
            "depression",
            "antidepressant*",
            "insulin",
            "hearing aid*",
            "quit smoking",
        ],
        SensitivityClass::WeightLoss => &[
            "weight loss",
            "lose weight",
            "lost weight",
            "diet",
            "diet pill*",
            "slimming",
            "slim down",
            "fat burn*",
            "obesity",
        ],
        SensitivityClass::Tobacco => &["cigarette*", "nicotine", "vape*", "tobacco"],
        SensitivityClass::Alcohol => &["hangover*", "sobriety", "sober"],
        SensitivityClass::Adult => &["sex toy*", "erotic*", "xxx", "vibrator*", "adult toy*"],
        SensitivityClass::FinancialDistress => &[
            "debt*",
            "overdue",
            "overdrawn",
            "arrears",
            "bankrupt*",
            "insolven*",
            "payday loan*",
            "loan denied",
            "loan declined",
            "loan rejected",
            "missed payment",
            "past due",
            "credit score",
            "foreclos*",
            "eviction",
            "evict",
            "repossess*",
            "redundancy",
            "laid off",
            "unemploy*",
            "job loss",
        ],
        SensitivityClass::Romance => &["engagement ring*", "dating", "proposal ring*", "anniversary gift*"],
    }
}

/// Classes checked by default: every class but alcohol and tobacco, which are regulated (see the ranking policy's
/// `regulatedClasses`) rather than private, and name what a wine or tobacco shop sells.
pub const DEFAULT_SENSITIVE_CLASSES: [LintClass; 9] = [
    LintClass::Product(SensitivityClass::ReproductiveHealth),
    LintClass::Product(SensitivityClass::PregnancyBaby),
    LintClass::Product(SensitivityClass::IntimateCare),
    LintClass::Product(SensitivityClass::Medical),
    LintClass::Product(SensitivityClass::WeightLoss),
    LintClass::Product(SensitivityClass::Adult),
    LintClass::Product(SensitivityClass::FinancialDistress),
    LintClass::Product(SensitivityClass::Romance),
    LintClass::LifeEvents,
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
