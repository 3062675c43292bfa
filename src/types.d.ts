// Generated from the Rust types by src/typegen.rs (ts-rs). Do not edit: run `TACTFUL_BLESS=1 cargo test typegen`.

/** ISO-8601 text (no offset means UTC) or epoch milliseconds. */
export type Timestamp = string | number;

/**
 * Classes of products that reveal something private. Never ranked, never used as evidence without an explicit
 * opt-in for that class (`Preferences::sensitive_opt_in`), never on a shared device or in email/push subject matter.
 */
export type SensitivityClass = "reproductive_health" | "pregnancy_baby" | "intimate_care" | "medical" | "weight_loss" | "tobacco" | "alcohol" | "adult" | "financial_distress" | "romance";

export type LifecycleKind = "durable" | "consumable" | "seasonal" | "regular";

export type Lifecycle = { kind: LifecycleKind, lifetimeDays?: number | null, repurchaseDays?: number | null, };

/**
 * One product of the catalog.
 */
export type Product = { id: string, title?: string | null, 
/**
 * Category path, top level first.
 */
category?: Array<string> | null, brand?: string | null, price?: number | null, 
/**
 * Default true.
 */
inStock?: boolean | null, launchedAt?: Timestamp, lifecycle?: Lifecycle | null, 
/**
 * What an owner owns, e.g. `ipad-pro-11`.
 */
productLine?: string | null, 
/**
 * Product lines an accessory fits.
 */
compatibleWith?: Array<string> | null, sensitivity?: SensitivityClass | null, tags?: Array<string> | null, };

export type EventType = "purchase" | "return" | "cancel";

/**
 * One line of the shopper's history.
 */
export type Event = { productId: string, at: Timestamp, 
/**
 * Default `purchase`.
 */
type?: EventType | null, 
/**
 * Default 1.
 */
quantity?: number | null, price?: number | null, orderId?: string | null, gift?: boolean | null, 
/**
 * An opaque token, never an address.
 */
shipTo?: string | null, 
/**
 * Household member, when the shop knows it.
 */
member?: string | null, };

export type Surface = "home" | "product" | "cart" | "email" | "push";

/**
 * A product the page showed the shopper, recorded locally (for `FATIGUE`).
 */
export type Impression = { productId: string, at: Timestamp, surface?: Surface | null, clicked?: boolean | null, };

/**
 * Consent per purpose. Absent means true; `false` means that purpose's personal signals are not used.
 */
export type Consent = { personalization?: boolean | null, email?: boolean | null, push?: boolean | null, };

export type Muted = { categories?: Array<string> | null, brands?: Array<string> | null, products?: Array<string> | null, };

export type Intensity = "subtle" | "moderate" | "strong";

/**
 * What the shopper said on the preference-center page.
 */
export type Preferences = { consent?: Consent | null, 
/**
 * Sensitive classes the shopper explicitly opted into. Default: none.
 */
sensitiveOptIn?: Array<SensitivityClass> | null, muted?: Muted | null, 
/**
 * Topics to forget: a category name at any level, a sensitivity class, a brand or a product id.
 */
forgotten?: Array<string> | null, sharedDevice?: boolean | null, 
/**
 * What the shopper says they like (category names, tags): stated beats inferred.
 */
interests?: Array<string> | null, 
/**
 * Default `moderate`.
 */
intensity?: Intensity | null, 
/**
 * 0..1: share of room for the new and different. Default: the policy's.
 */
discovery?: number | null, 
/**
 * Product ids or order ids the shopper says were for themselves: overrules an inferred gift.
 */
notGifts?: Array<string> | null, 
/**
 * When no message may arrive, in the shopper's local time (`planSend`; the shop's quiet hours apply too).
 */
quietHours?: DailyWindow | null, 
/**
 * The shopper's own caps on messages, all channels together (`planSend`); they only ever lower the shop's.
 */
messageCaps?: MessageCaps | null, };

/**
 * Verified by the retailer (age checks), never self-declared.
 */
export type Eligibility = { alcohol?: boolean | null, tobacco?: boolean | null, };

/**
 * The reader's device, for a message: shapes the layout of an email or push (the ranking's `layout`), never what the
 * guardrails decide.
 */
export type Device = "phone" | "tablet" | "desktop";

export type Context = { 
/**
 * Required: the engine never reads a clock, so output is reproducible.
 */
now: Timestamp, 
/**
 * Default `home`.
 */
surface?: Surface | null, 
/**
 * The product of a product page.
 */
seedProductId?: string | null, 
/**
 * The cart of a cart page.
 */
cart?: Array<string> | null, 
/**
 * How many items; default 10.
 */
k?: number | null, 
/**
 * For seeded tie-breaking; default 0.
 */
seed?: number | null, 
/**
 * What the retailer verified about the shopper (age checks: `{ alcohol: true }`), never self-declared; the
 * `COMPLIANCE` guardrail keeps regulated classes out without it. Default none verified.
 */
eligibility?: Eligibility | null, 
/**
 * The shopper's UTC offset at `now`.
 */
utcOffsetMinutes?: number | null, 
/**
 * The reader's device, on `email` and `push`: how many items fit, the layout, image and title lengths
 * (the ranking's `layout`). Ignored on the site's surfaces.
 */
device?: Device | null, };

export type RankRequest = { history: Array<Event>, preferences?: Preferences | null, impressions?: Array<Impression> | null, context: Context, };

export type ProfileRequest = { history: Array<Event>, preferences?: Preferences | null, context: Context, };

export type PolicyPreset = "conservative" | "balanced" | "bold";

/**
 * A brand guideline: where a brand's products must not be placed.
 */
export type BrandRule = { 
/**
 * The brand, as the catalog spells it (case-insensitive).
 */
brand: string, 
/**
 * Surfaces where this brand is never shown (e.g. a premium brand kept out of deal emails).
 */
notOn?: Array<Surface> | null, 
/**
 * Tags of surfaces' contexts this brand must not appear beside: a product of this brand is removed when the
 * ranked list also holds a product carrying one of these tags (e.g. `"clearance"`).
 */
notWithTags?: Array<string> | null, };

/**
 * The policy as written by the retailer: a preset and any overrides. See [`Settings`] for each knob in full; the
 * field docs (shown on hover in an editor) give each range and its value in the conservative / balanced / bold
 * presets.
 */
export type Policy = { 
/**
 * The preset the other knobs start from: `conservative`, `balanced` (default) or `bold`.
 */
preset?: PolicyPreset | null, 
/**
 * Half-life of a purchase's weight in taste, in days. 7–1095 (clamped); presets 90 / 180 / 365.
 */
halfLifeDays?: number | null, 
/**
 * Evidence (shopping occasions, each decayed by age) below which the ranking is `default`, not personal.
 * 0–50 (clamped); presets 3 / 1 / 0.5.
 */
minEvidence?: number | null, 
/**
 * Shopping occasions (orders or days, whatever their age) below which the ranking is `default`: one order is
 * thin data. 1–50 (clamped; 1 turns the floor off); 2 in every preset.
 */
minOccasions?: number | null, 
/**
 * Evidence at which personal and popular signals weigh the same (personal weight e / (e + this)).
 * 0.5–500 (clamped); presets 8 / 4 / 2.
 */
evidenceHalf?: number | null, 
/**
 * MMR trade-off: 0 = relevance only, 1 = as different as possible. 0–1 (clamped); presets 0.3 / 0.2 / 0.15.
 */
diversity?: number | null, 
/**
 * At most this many items of one category in a list (`CATEGORY_CAP`). 1–100 (clamped); presets 2 / 3 / 4.
 */
maxPerCategory?: number | null, 
/**
 * Share of slots for the new and different when the shopper did not set `discovery`. 0–1 (clamped);
 * presets 0.1 / 0.1 / 0.2.
 */
discovery?: number | null, 
/**
 * Share of slots reserved for new arrivals when there are any. 0–1 (clamped); 0.1.
 */
newShare?: number | null, 
/**
 * A product launched within this many days before `now` is a new arrival. 1–365 (clamped); 30.
 */
newArrivalDays?: number | null, 
/**
 * `FATIGUE`: a product shown this many times within `fatigueDays` without a click is rested. 1–100 (clamped);
 * presets 2 / 3 / 4.
 */
fatigueImpressions?: number | null, 
/**
 * The `FATIGUE` window, in days. 1–90 (clamped); 7.
 */
fatigueDays?: number | null, 
/**
 * Infer gifts (another ship-to, gift-wrap or gift-card lines, a one-off far from taste in a gifting season);
 * flagged gifts are always gifts. Default true.
 */
inferGifts?: boolean | null, 
/**
 * A line whose quantity exceeds this multiple of the shopper's typical quantity (and 10) is kept at the
 * typical quantity. 2–1000 (clamped); 20.
 */
outlierQuantityFactor?: number | null, 
/**
 * Ids that are not products (shipping, fees, vouchers); a trailing `*` matches a prefix; case-insensitive.
 * Default: Online Retail's `POST`, `DOT`, `M`, … At most 1,000.
 */
nonProductIds?: Array<string> | null, 
/**
 * Category names (any level, case-insensitive) whose products belong to a sensitivity class, in addition to
 * what the catalog states. Default none.
 */
sensitiveCategories?: Record<string, SensitivityClass>, 
/**
 * Product line → family, for `INCOMPATIBLE`: an accessory is judged against the owned lines of its family.
 * Default none (all lines one family).
 */
productFamilies?: Record<string, string>, 
/**
 * Classes that need `context.eligibility` (`COMPLIANCE`). Default alcohol, tobacco.
 */
regulatedClasses?: Array<SensitivityClass> | null, 
/**
 * Whether regulated classes may appear on email and push at all (with eligibility). Default false.
 */
regulatedOnMessages?: boolean | null, 
/**
 * Brand guidelines (`BRAND_RULE`). Default none; at most 100.
 */
brandRules?: Array<BrandRule> | null, 
/**
 * Surfaces where personal signals are used; elsewhere the ranking is `default`. Default all.
 */
personalizedSurfaces?: Array<Surface> | null, 
/**
 * Whether items from the shopper's own history may appear on a shared device (sensitive classes never do).
 * Presets false / true / true.
 */
sharedDevicePersonal?: boolean | null, 
/**
 * Business boosts: tag → score added to a product carrying it (`PROMOTED`). −1–1 each (clamped).
 * Default none.
 */
boostTags?: Record<string, number>, 
/**
 * How many removals `removed` lists (the counts are always complete). 0–200 (clamped); 20.
 */
maxRemoved?: number | null, 
/**
 * The largest score a product's price can add (never negative: price is never a ceiling). 0–0.2 (clamped);
 * 0.02.
 */
priceWeight?: number | null, 
/**
 * `NOT_DUE`: a consumable is offered again from this share of its repurchase interval on. 0.25–1.5 (clamped);
 * presets 0.85 / 0.75 / 0.6.
 */
dueWindow?: number | null, 
/**
 * A repeat candidate this likely to be bought again keeps its slot, and `diversity` does not push it down where
 * the history leads the list; `discovery` applies to the slots left (0 = a fixed share of `k`, no repeat exempt
 * from diversity). 0–20 (clamped); 1.
 */
repeatConfidence?: number | null, };

/**
 * A model as it crosses the boundary (plain object, or the packed bytes decoded into this).
 */
export type Model = { version: number, 
/**
 * Pairs supported by fewer distinct customers than this were dropped when the model was built (k-anonymity).
 */
minCustomers: number, 
/**
 * Product id → share of baskets (or any non-negative popularity; normalised to 0..1 on load).
 */
popularity: Array<[string, number]>, 
/**
 * Product id → recent trend (ratio of recent to long-run popularity, ≥ 0); optional.
 */
trending: Array<[string, number]>, 
/**
 * Product id → repeat propensity: the share of its buyers who bought it again when they came back (0..1);
 * optional.
 */
repeat: Array<[string, number]>, 
/**
 * Product id → neighbours `[id, weight]`, strongest first.
 */
neighbours: Array<[string, Array<[string, number]>]>, 
/**
 * Embedding dimension (0 when there are none).
 */
dim: number, 
/**
 * Product id → embedding of `dim` numbers.
 */
embeddings: Array<[string, Array<number>]>, };

/**
 * Engine options: the policy (a preset name or an object; default `balanced`) and the optional aggregate model.
 */
export type EngineOptions = { policy?: PolicyPreset | Policy, model?: Model, };

/** Options beside packed bytes (`tactful pack`): the bytes carry their own model, so only the policy. */
export type PackedEngineOptions = Omit<EngineOptions, "model">;

export type Mode = "personal" | "blended" | "default";

export type Slot = "personal" | "discovery" | "new" | "popular" | "business";

/**
 * Why an item is in the list: one code per score term (`items[].reasons[].code`), plus `DISCOVERY` for the
 * discovery slot.
 */
export type ReasonCode = "DUE_AGAIN" | "BOUGHT_BEFORE" | "YOU_LIKE" | "GOES_WITH" | "BOUGHT_TOGETHER" | "LIKE_YOURS" | "SIMILAR" | "YOUR_INTEREST" | "NEW_ARRIVAL" | "POPULAR" | "FEATURED" | "TRENDING" | "PROMOTED" | "MORE_FROM_SHOP" | "DISCOVERY";

/**
 * Guardrail reason codes (`removed[].code`): each a named guardrail with a test and an explanation
 * (DESIGN.md).
 */
export type GuardCode = "NO_CONSENT" | "SENSITIVE_CLASS" | "SHARED_DEVICE" | "OWNED_DURABLE" | "NOT_DUE" | "RETURNED" | "GIFT_EXCLUDED" | "INCOMPATIBLE" | "MUTED" | "FORGOTTEN" | "OUT_OF_STOCK" | "CATEGORY_CAP" | "DIVERSITY" | "FATIGUE" | "COMPLIANCE" | "BRAND_RULE" | "THIN_DATA";

/**
 * What a line of the summary panel is about (`summary[].code`, the keys of `removedCounts`): a guardrail
 * that acted, or `POLICY_SURFACE` when the shop turned personalization off on this surface.
 */
export type SummaryCode = "POLICY_SURFACE" | "NO_CONSENT" | "SENSITIVE_CLASS" | "SHARED_DEVICE" | "OWNED_DURABLE" | "NOT_DUE" | "RETURNED" | "GIFT_EXCLUDED" | "INCOMPATIBLE" | "MUTED" | "FORGOTTEN" | "OUT_OF_STOCK" | "CATEGORY_CAP" | "DIVERSITY" | "FATIGUE" | "COMPLIANCE" | "BRAND_RULE" | "THIN_DATA";

/**
 * Why a history line does not shape taste (`ignored[].reason`, `gifts[].reason`, the keys of `cleaning`): the
 * cleaning stage's rules.
 */
export type LineRule = "NO_CONSENT" | "FUTURE" | "NON_PRODUCT" | "UNKNOWN_PRODUCT" | "FORGOTTEN" | "SENSITIVE" | "DUPLICATE" | "CANCELLED" | "RETURNED" | "OUTLIER_QUANTITY" | "GIFT" | "BAD_QUANTITY" | "UNMATCHED_CANCEL";

/**
 * A reason a shopper can read: why an item is in the list.
 */
export type Reason = { code: ReasonCode, text: string, };

/**
 * One sentence of the "why not?" panel: a guardrail that acted, with its count in words.
 */
export type SummaryLine = { code: SummaryCode, text: string, };

export type RankedItem = { productId: string, 
/**
 * Finite.
 */
score: number, slot: Slot, 
/**
 * The terms that produced the score, largest first.
 */
reasons: Array<Reason>, };

/**
 * A product a guardrail took out, for "why not?".
 */
export type Removal = { productId: string, code: GuardCode, text: string, };

/**
 * How a message arranges its products.
 */
export type LayoutKind = "list" | "grid" | "notification";

/**
 * One shown product's title as it fits the device.
 */
export type FittedTitle = { productId: string, 
/**
 * At most `titleChars` characters: cut at a word boundary, with "…", when the catalog's title is longer.
 */
title: string, 
/**
 * Whether the title was cut.
 */
truncated: boolean, };

/**
 * How an email or push lays out its products on the reader's device: only with `context.device` on the `email`
 * and `push` surfaces (`null` elsewhere). `items` holds the first `maxItems` of the ranking.
 */
export type MessageLayout = { device: Device, layout: LayoutKind, 
/**
 * Products side by side.
 */
columns: number, 
/**
 * How many products the message shows.
 */
maxItems: number, 
/**
 * Longest title, in characters (Unicode scalar values, "…" included).
 */
titleChars: number, 
/**
 * The image box, in CSS pixels.
 */
imageWidth: number, imageHeight: number, 
/**
 * The titles of `items`, in order, fitted to `titleChars`.
 */
titles: Array<FittedTitle>, };

export type Ranking = { items: Array<RankedItem>, 
/**
 * Capped list (policy `maxRemoved`), for "why not?".
 */
removed: Array<Removal>, 
/**
 * Full counts per guardrail code (and `POLICY_SURFACE`: the history lines not used because the shop keeps this
 * surface impersonal).
 */
removedCounts: Partial<Record<SummaryCode, number>>, 
/**
 * One sentence per guardrail that acted, with its count, for a "why not?" panel: the only trace of what is
 * never listed by name (sensitive, regulated, shared-device, muted and forgotten products).
 */
summary: Array<SummaryLine>, mode: Mode, 
/**
 * Effective number of clean purchases behind the personal part.
 */
evidence: number, 
/**
 * On `email` and `push` with `context.device`: how the message lays out `items` on that device (how many, which
 * layout, the image box, titles cut to fit). `null` elsewhere. It never changes `removed`, `removedCounts` or
 * `summary`.
 */
layout: MessageLayout | null, };

/**
 * A purchase behind a belief, as the shopper can recognise it.
 */
export type PurchaseRef = { productId: string, title: string, at: number, };

export type CategoryBelief = { 
/**
 * The category path, top level first.
 */
path: Array<string>, 
/**
 * Time-decayed share of taste, 0..1 (all categories of one level sum to 1).
 */
affinity: number, 
/**
 * The purchases behind it, newest first (at most 5).
 */
purchases: Array<PurchaseRef>, 
/**
 * How many clean purchases in all.
 */
count: number, };

export type BrandBelief = { brand: string, affinity: number, count: number, };

export type OwnedItem = { productId: string, title: string, since: number, 
/**
 * When ownership is expected to end (purchase + lifetime); `null` when the catalog states no lifetime.
 */
until: number | null, 
/**
 * The product line owned, if the catalog names one.
 */
productLine: string | null, };

export type DueItem = { productId: string, title: string, 
/**
 * The interval used, in days: the shopper's own median gap shrunk toward the category default.
 */
intervalDays: number, 
/**
 * 0..1: how much of the interval comes from the shopper's own gaps.
 */
confidence: number, lastBought: number, dueAt: number, };

/**
 * A history line that does not shape taste, and why.
 */
export type IgnoredLine = { 
/**
 * Index of the event in the history given.
 */
index: number, productId: string, 
/**
 * The cleaning rule; `OUTLIER_QUANTITY` lines are kept, at a typical quantity.
 */
reason: LineRule, text: string, };

export type SharedUse = { 
/**
 * True when the history looks like several people's.
 */
likely: boolean, 
/**
 * Distinct household members named in the history.
 */
members: number, 
/**
 * Distinct ship-to tokens used for more than one order.
 */
shipToClusters: number, 
/**
 * What the belief rests on, in words.
 */
evidence: Array<string>, };

/**
 * What the engine believes about this shopper, and why: for the preference center.
 */
export type Profile = { 
/**
 * Effective number of clean purchases (time-decayed).
 */
evidence: number, 
/**
 * The mode a home-page ranking would have now.
 */
mode: Mode, categories: Array<CategoryBelief>, brands: Array<BrandBelief>, owned: Array<OwnedItem>, dueSoon: Array<DueItem>, 
/**
 * Categories of the last few days' purchases (recent intent), top level first.
 */
recentIntent: Array<Array<string>>, gifts: Array<IgnoredLine>, ignored: Array<IgnoredLine>, 
/**
 * Entries the disclosure gate left out of the lists above, counted by reason (`FORGOTTEN`, `SENSITIVE`,
 * `NO_CONSENT`, `MUTED`, `GIFT` and `RETURNED` on a shared screen, …): where a name may not be shown, the page
 * shows the count ("3 purchases you asked us to forget are not used").
 */
withheld: Partial<Record<LineRule | GuardCode, number>>, 
/**
 * Purchases in a sensitive class the shopper did not opt into: counted, never used or shown.
 */
sensitiveIgnored: number, unknownProducts: number, sharedUse: SharedUse, 
/**
 * Lines each cleaning rule touched, and `USED`: the lines that shape taste.
 */
cleaning: Partial<Record<LineRule | "USED", number>>, };

/**
 * A daily window from `start` (inclusive) to `end` (exclusive) in local time; it wraps past midnight when `end` is
 * earlier than `start` (`22:00`–`07:00`). `start` equal to `end` is an empty window.
 */
export type DailyWindow = { 
/**
 * `"HH:MM"`, local time.
 */
start: string, 
/**
 * `"HH:MM"`, local time; earlier than `start` means the next day.
 */
end: string, };

/**
 * The shopper's own caps, from the preference center ("at most 2 emails a week"). They can only lower the
 * policy's caps, never raise them, and they hold for every message, welcome messages included (the policy's
 * welcome floor lifts only the policy's caps).
 */
export type MessageCaps = { 
/**
 * Messages in any 24 hours, all channels together.
 */
perDay?: number | null, 
/**
 * Messages in any 7 days, all channels together.
 */
perWeek?: number | null, };

/**
 * A messaging channel that sends.
 */
export type Channel = "email" | "push";

/**
 * Where a touch of the ledger happened: a channel, or the page itself.
 */
export type LedgerChannel = "email" | "push" | "page";

/**
 * Why a message is sent. Welcome messages are the ones a new subscriber signed up for: the policy's welcome floor
 * keeps the shop's caps from starving them (the shopper's own caps still hold).
 */
export type Purpose = "marketing" | "welcome";

export type EngagementType = "sent" | "opened" | "clicked";

/**
 * One message event of the shopper's history, recorded locally by the page.
 */
export type EngagementEvent = { type: EngagementType, channel: Channel, at: Timestamp, 
/**
 * The message's id: ties a `sent` event to a ledger entry of the same send.
 */
id?: string | null, 
/**
 * For `sent` events: default `marketing`.
 */
purpose?: Purpose | null, };

/**
 * One touch of the fatigue ledger.
 */
export type LedgerEntry = { channel: LedgerChannel, at: Timestamp, 
/**
 * Default `marketing`.
 */
purpose?: Purpose | null, 
/**
 * The message's id: a `sent` engagement event with the same id is the same send, counted once.
 */
id?: string | null, };

/**
 * An operational sending window (when the shop's sending infrastructure runs), in the shop's time zone.
 */
export type CapacityWindow = { 
/**
 * `"HH:MM"` in the shop's zone.
 */
start: string, 
/**
 * `"HH:MM"` in the shop's zone; earlier than `start` means the next day.
 */
end: string, 
/**
 * The shop's UTC offset in minutes, ±1080. Default 0 (UTC).
 */
utcOffsetMinutes?: number | null, };

/**
 * The send policy as written by the retailer; see [`SendSettings`] for each knob.
 */
export type SendPolicy = { 
/**
 * Messages in any 24 hours, email, push and page touches together (one fatigue ledger). 0–24 (clamped);
 * default 1.
 */
maxPerDay?: number | null, 
/**
 * Messages in any 7 days, all channels together. 0–100 (clamped); default 3.
 */
maxPerWeek?: number | null, 
/**
 * Hours between two sends (email or push), before or after. 0–168 (clamped); default 20.
 */
minGapHours?: number | null, 
/**
 * The shop's quiet hours in the shopper's local time (`{ start: "21:00", end: "08:00" }`, the default);
 * wraps past midnight; `start` = `end` turns them off.
 */
quietHours?: DailyWindow | null, 
/**
 * When the shop can send, in its own zone (`{ start, end, utcOffsetMinutes? }`). Default none (always).
 */
capacityWindow?: CapacityWindow | null, 
/**
 * What a page touch counts toward the caps, a send being 1. 0–1 (clamped); default 0.5.
 */
pageWeight?: number | null, 
/**
 * Welcome messages the shop's caps never hold back (the shopper's own caps and quiet hours still hold).
 * 0–10 (clamped); default 3.
 */
welcomeFloor?: number | null, 
/**
 * How long after `subscribedAt` the welcome floor lasts, in days. 1–90 (clamped); default 14.
 */
welcomeDays?: number | null, 
/**
 * How far ahead a send may be planned, in hours. 1–168 (clamped); default 24.
 */
horizonHours?: number | null, 
/**
 * How many clicks' worth the population prior of reading hours is worth. 0–1000 (clamped); default 8.
 */
priorStrength?: number | null, 
/**
 * Half-life of an open's or a click's weight, in days. 7–730 (clamped); default 90.
 */
halfLifeDays?: number | null, 
/**
 * An open's weight, a click being 1 (privacy proxies open everything). 0–1 (clamped); default 0.5.
 */
openWeight?: number | null, 
/**
 * Only `consent.<channel>: true` allows a send (absent consent then means no). Default false.
 */
explicitConsent?: boolean | null, };

/**
 * Everything `planSend` needs: the shopper's engagement and ledger, their preferences, the shop's policy, the clock.
 */
export type SendRequest = { 
/**
 * Required: the engine never reads a clock.
 */
now: Timestamp, 
/**
 * Default `email`.
 */
channel?: Channel | null, 
/**
 * Default `marketing`.
 */
purpose?: Purpose | null, 
/**
 * The shopper's own message events (sent, opened, clicked), any channel.
 */
engagement?: Array<EngagementEvent> | null, 
/**
 * The fatigue ledger: sends and page touches not already among `engagement`'s `sent` events.
 */
ledger?: Array<LedgerEntry> | null, 
/**
 * Consent (`consent.email`, `consent.push`), `quietHours` and `messageCaps` are read.
 */
preferences?: Preferences | null, policy?: SendPolicy | null, 
/**
 * The shopper's UTC offset at `now`, ±1080 minutes. Default 0.
 */
utcOffsetMinutes?: number | null, 
/**
 * When the shopper subscribed: starts the welcome floor.
 */
subscribedAt?: Timestamp, };

/**
 * Why a message is planned when it is, or not at all (`planSend`'s `reasons[].code`).
 */
export type SendCode = "NO_CONSENT" | "FATIGUE" | "NO_WINDOW" | "WELCOME" | "BEST_HOUR" | "PRIOR_HOUR" | "WELCOME_FLOOR" | "QUIET_HOURS" | "CAPACITY_WINDOW" | "MIN_GAP" | "DAILY_CAP" | "WEEKLY_CAP";

/**
 * Why `planSend` plans nothing (`suppressed`).
 */
export type Suppression = "NO_CONSENT" | "FATIGUE" | "NO_WINDOW";

/**
 * A reason for a send plan, in words the shopper (or the marketer) reads.
 */
export type SendReason = { code: SendCode, text: string, };

/**
 * A send time with its reasons, or a suppression code with its reasons.
 */
export type SendPlan = { 
/**
 * Epoch milliseconds.
 */
sendAt: number, reasons: Array<SendReason>, } | { 
/**
 * `NO_CONSENT`, `FATIGUE` (caps or the minimum gap leave no hour within the horizon) or `NO_WINDOW` (quiet
 * hours and the capacity window leave none).
 */
suppressed: Suppression, reasons: Array<SendReason>, };

export type FactValue = number | string;

/**
 * Where a fact comes from.
 */
export type FactSource = "shopper" | "inferred";

/**
 * What the shop knows about one fact of the shopper, and whether the shopper confirmed it (typed it in, or said
 * "yes, that's right" on the preference center). A fact the shop inferred is not confirmed.
 */
export type Fact = { 
/**
 * Default: true for a fact of `source: "shopper"`, false otherwise; never true for `source: "inferred"`.
 */
confirmed?: boolean | null, 
/**
 * Where the fact comes from; without one, only `confirmed: true` confirms it.
 */
source?: FactSource | null, 
/**
 * What the token renders: a number ≤ 0 (or text like "$0.00") is `ZERO_VALUE`. For `gender`/`pronouns`,
 * the stated gender; for `salutation`, the stated salutation (`"Ms"`).
 */
value?: FactValue | null, };

/**
 * The lint policy as written by the retailer; see [`LintSettings`] for each knob.
 */
export type LintPolicy = { 
/**
 * `PERSONAL_NEAR_PRICE` fires when at most this many words stand between a personal token and a
 * price-shaming phrase, in the same field. 0–50 (clamped); default 5.
 */
nearWords?: number | null, 
/**
 * The price-shaming phrases (a trailing `*` matches a prefix; case ignored); replaces the default list.
 * At most 500 entries of at most 100 UTF-16 units.
 */
priceWords?: Array<string> | null, 
/**
 * The classes `SENSITIVE_SUBJECT` checks: product sensitivity classes, and `"life_events"` (bereavement,
 * divorce, …).
 */
sensitiveClasses?: Array<SensitivityClass | "life_events"> | null, 
/**
 * The shop's own sensitive words and phrases (`["hair loss", "rehab"]`), checked in the subject and
 * preheader besides the classes' lists. At most 500 entries. Default none.
 */
sensitiveWords?: Array<string> | null, 
/**
 * Merge fields that are not facts about the shopper (unsubscribe link, shop name, date, …); replaces the
 * default list. At most 500 entries.
 */
systemTokens?: Array<string> | null, };

/**
 * The copy to check. Facts are keyed by field name, compared as merge fields are (`firstName` is `{FNAME}`).
 */
export type LintRequest = { subject: string, preheader?: string | null, 
/**
 * Plain text or HTML (tags and entities are skipped).
 */
body?: string | null, 
/**
 * Facts by name: `{ "firstName": { "confirmed": true } }`.
 */
facts?: { [name: string]: Fact }, policy?: LintPolicy | null, };

export type LintField = "subject" | "preheader" | "body";

/**
 * One finding. `start`/`end` are UTF-16 code units into the field: `field.slice(start, end)` in JS is the text.
 */
export type LintIssue = { code: string, message: string, field: LintField, start: number, end: number, };

export type HoldoutRequest = { 
/**
 * A stable, pseudonymous customer key (never an email address in the clear). 1 to 256 bytes of UTF-8.
 */
customerKey: string, 
/**
 * One per experiment: the same salt, the same groups. At most 256 bytes; empty is allowed but shares groups
 * with every other unsalted experiment.
 */
salt: string, 
/**
 * The holdout's share of customers, 0..=1. Outside that range is an error, not a clamp: `10` meaning 10 %
 * would otherwise hold everyone out.
 */
share: number, };

export type Arm = { 
/**
 * Customers in the group (≥ 1).
 */
n: number, 
/**
 * Of them, how many converted (≤ n).
 */
conversions: number, };

export type LiftRequest = { treated: Arm, holdout: Arm, };

export type LiftReport = { treatedRate: number, holdoutRate: number, 
/**
 * treated rate − holdout rate.
 */
difference: number, 
/**
 * 95 % interval of the difference (Newcombe hybrid score).
 */
differenceLow: number, differenceHigh: number, 
/**
 * treated rate / holdout rate − 1; null when either group has no conversions.
 */
relativeLift: number | null, 
/**
 * 95 % interval of the relative lift (Katz log method); null with `relativeLift`.
 */
relativeLow: number | null, relativeHigh: number | null, 
/**
 * The difference's interval excludes 0.
 */
significant: boolean, 
/**
 * `"newcombe-wilson"`.
 */
method: string, };

export type SegmentRequest = { 
/**
 * Customers in each segment.
 */
sizes: Array<number>, 
/**
 * The smallest segment allowed (k-anonymity for messaging): e.g. 50, the size Protected Audience uses.
 */
minSize: number, 
/**
 * Customers in the whole list.
 */
customers: number, };

export type SegmentIssue = { 
/**
 * `SEGMENT_TOO_SMALL`, `MORE_SEGMENTS_THAN_CUSTOMERS`, `SEGMENT_LARGER_THAN_CUSTOMERS`,
 * `SIZES_EXCEED_CUSTOMERS`.
 */
code: string, message: string, 
/**
 * Whether this issue makes `ok` false.
 */
blocking: boolean, };

export type SegmentReport = { 
/**
 * No blocking issue.
 */
ok: boolean, 
/**
 * Indices of the segments below `minSize`.
 */
tooSmall: Array<number>, 
/**
 * The sum of all sizes (a number: it can pass 2^32).
 */
total: number, issues: Array<SegmentIssue>, };

/** Every error thrown by tactful. */
export interface TactfulError extends Error {
  code: "INVALID_INPUT" | "LIMIT_EXCEEDED" | "UNSUPPORTED_VERSION" | "INTERNAL" | "NOT_INITIALIZED" | "FREED" | "LOAD_FAILED" | "NO_CONSENT" | "STORAGE_FAILED";
  /** Where the bad value is, e.g. "history[12].at"; empty for the whole input. */
  path: string;
}
