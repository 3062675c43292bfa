//! The messaging helpers through their public readers: `planSend` (consent, quiet hours, gap, caps of the one
//! fatigue ledger, capacity window, welcome floor; property tests that caps and quiet hours always hold),
//! `lintCopy` (every rule's catch and allow, UTF-16 spans, a fixture of real-looking subject lines),
//! `inHoldout`, `liftReport` and `checkSegments`, and every error with its path.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use proptest::prelude::*;
use tactful::message::engagement::{EngagementEvent, EngagementType};
use tactful::message::window::minute_of_day;
use tactful::message::*;
use tactful::message::{holdout, lift, lint, segments, send};
use tactful::read::value::{read, FromValue, Value};
use tactful::*;

fn parse<T: FromValue>(json: &str) -> Result<T, Error> {
    read(&Value::from_json(json)?, "")
}

fn plan(json: &str) -> Result<SendPlan, Error> {
    send::plan(&parse::<SendRequest>(json)?)
}

fn lint_json(json: &str) -> Vec<LintIssue> {
    lint::lint(&parse::<LintRequest>(json).unwrap()).unwrap()
}

fn ms(s: &str) -> i64 {
    Timestamp::parse_iso(s).unwrap().millis()
}

fn send_at(p: &SendPlan) -> i64 {
    match p {
        SendPlan::Send { send_at, .. } => send_at.millis(),
        other => panic!("expected a send, got {other:?}"),
    }
}

fn codes(p: &SendPlan) -> Vec<&str> {
    let (SendPlan::Send { reasons, .. } | SendPlan::Suppressed { reasons, .. }) = p;
    reasons.iter().map(|r| r.code.as_str()).collect()
}

// ---- planSend ---------------------------------------------------------------------------------------------------

#[test]
fn no_consent_for_the_channel_is_suppressed() {
    let p = plan(r#"{"now":"2024-05-06T10:00:00Z","preferences":{"consent":{"email":false}}}"#).unwrap();
    assert!(matches!(&p, SendPlan::Suppressed { suppressed, .. } if suppressed == "NO_CONSENT"));
    // Push consent is its own; explicit consent makes an absent one a no.
    let p = plan(r#"{"now":"2024-05-06T10:00:00Z","channel":"email","preferences":{"consent":{"push":false}}}"#);
    assert!(matches!(p.unwrap(), SendPlan::Send { .. }));
    let p = plan(r#"{"now":"2024-05-06T10:00:00Z","channel":"push","policy":{"explicitConsent":true}}"#).unwrap();
    assert!(matches!(&p, SendPlan::Suppressed { suppressed, .. } if suppressed == "NO_CONSENT"));
    let p = plan(
        r#"{"now":"2024-05-06T10:00:00Z","channel":"push","policy":{"explicitConsent":true},
                     "preferences":{"consent":{"push":true}}}"#,
    )
    .unwrap();
    assert!(matches!(p, SendPlan::Send { .. }));
}

#[test]
fn a_new_subscriber_gets_the_prior_hour_outside_quiet_hours() {
    // 23:30 local (UTC-4): quiet until 08:00; the prior's morning peak is 08:00–09:00.
    let p = plan(r#"{"now":"2024-05-07T03:30:00Z","utcOffsetMinutes":-240}"#).unwrap();
    let t = send_at(&p);
    let local = minute_of_day(t, -240);
    assert!((8 * 60..21 * 60).contains(&local), "{local}");
    assert_eq!(local % 60, 0, "on the hour");
    assert_eq!(local, 8 * 60, "the prior's peaks tie at 08, 09, 18 and 19: the earliest");
    assert_eq!(codes(&p), ["PRIOR_HOUR"], "quiet hours closed only worse hours, so they are no reason");
}

#[test]
fn a_reader_with_many_evening_clicks_gets_the_evening() {
    let clicks: Vec<String> = (1..=30)
        .map(|d| format!(r#"{{"type":"clicked","channel":"email","at":"2024-04-{:02}T19:20:00Z"}}"#, d.min(30)))
        .collect();
    let json = format!(r#"{{"now":"2024-05-06T06:00:00Z","engagement":[{}]}}"#, clicks.join(","));
    let p = plan(&json).unwrap();
    assert_eq!(minute_of_day(send_at(&p), 0), 19 * 60);
    assert_eq!(codes(&p)[0], "BEST_HOUR");
    let SendPlan::Send { reasons, .. } = &p else { unreachable!() };
    assert_eq!(reasons[0].text, "Sent at 19:00 your time: when you usually open and click.");
}

#[test]
fn the_shoppers_own_quiet_hours_and_caps_apply_too() {
    let clicks: Vec<String> = (1..=30)
        .map(|d| format!(r#"{{"type":"clicked","channel":"email","at":"2024-04-{d:02}T19:20:00Z"}}"#))
        .collect();
    let json = format!(
        r#"{{"now":"2024-05-06T06:00:00Z","engagement":[{}],"preferences":{{"quietHours":{{"start":"18:00","end":"20:00"}}}}}}"#,
        clicks.join(",")
    );
    let p = plan(&json).unwrap();
    let local = minute_of_day(send_at(&p), 0);
    assert!(!(18 * 60..20 * 60).contains(&local), "{local}");
    assert!(codes(&p).contains(&"QUIET_HOURS"));
    // The shopper's cap of 0 a week: nothing.
    let p = plan(r#"{"now":"2024-05-06T06:00:00Z","preferences":{"messageCaps":{"perWeek":0}}}"#).unwrap();
    assert!(matches!(&p, SendPlan::Suppressed { suppressed, .. } if suppressed == "FATIGUE"), "{p:?}");
    assert!(codes(&p).contains(&"WEEKLY_CAP"));
}

#[test]
fn one_ledger_caps_email_push_and_page_together() {
    // Weekly cap 3: two pushes and two page touches (0.5 each) this week fill it, so no email.
    let req = r#"{"now":"2024-05-06T10:00:00Z","policy":{"maxPerWeek":3,"maxPerDay":5,"minGapHours":0},
        "ledger":[{"channel":"push","at":"2024-05-01T10:00:00Z"},{"channel":"push","at":"2024-05-03T10:00:00Z"},
                  {"channel":"page","at":"2024-05-04T10:00:00Z"},{"channel":"page","at":"2024-05-05T10:00:00Z"}]}"#;
    let p = plan(req).unwrap();
    assert!(matches!(&p, SendPlan::Suppressed { suppressed, .. } if suppressed == "FATIGUE"), "{p:?}");
    assert_eq!(codes(&p), ["FATIGUE", "WEEKLY_CAP"]);
    // The page counting nothing leaves room.
    let p = plan(&req.replace(r#""minGapHours":0"#, r#""minGapHours":0,"pageWeight":0"#)).unwrap();
    assert!(matches!(p, SendPlan::Send { .. }));
}

#[test]
fn the_minimum_gap_holds_before_and_after_other_sends() {
    let p = plan(
        r#"{"now":"2024-05-06T09:00:00Z","policy":{"minGapHours":6,"maxPerDay":3,"quietHours":{"start":"00:00","end":"00:00"}},
            "engagement":[{"type":"sent","channel":"push","at":"2024-05-06T08:00:00Z"}],
            "ledger":[{"channel":"email","at":"2024-05-06T16:00:00Z"}]}"#,
    )
    .unwrap();
    let t = send_at(&p);
    for other in [ms("2024-05-06T08:00:00Z"), ms("2024-05-06T16:00:00Z")] {
        assert!((t - other).abs() >= 6 * 3_600_000, "{t}");
    }
}

#[test]
fn the_welcome_floor_beats_caps_but_not_quiet_hours() {
    // A busy week: caps full. A new subscriber's welcome message still goes, at the first allowed minute.
    let busy = r#""ledger":[{"channel":"email","at":"2024-05-05T09:00:00Z"},{"channel":"email","at":"2024-05-04T09:00:00Z"},
                  {"channel":"push","at":"2024-05-03T09:00:00Z"}]"#;
    let req =
        format!(r#"{{"now":"2024-05-06T07:10:00Z","purpose":"welcome","subscribedAt":"2024-05-06T07:00:00Z",{busy}}}"#);
    let p = plan(&req).unwrap();
    assert_eq!(send_at(&p), ms("2024-05-06T08:00:00Z"), "quiet until 08:00 UTC, then at once");
    assert_eq!(codes(&p), ["WELCOME", "WELCOME_FLOOR", "QUIET_HOURS"]);
    // Marketing in the same week is held back.
    let p = plan(&format!(r#"{{"now":"2024-05-06T07:10:00Z",{busy}}}"#)).unwrap();
    assert!(matches!(p, SendPlan::Suppressed { .. }));
    // Once the floor's messages went out, or after welcomeDays, caps apply again.
    let sent = r#"{"channel":"email","at":"2024-05-02T09:00:00Z","purpose":"welcome"}"#;
    let used = req.replace(r#""ledger":["#, &format!(r#""ledger":[{sent},{sent},{sent},"#));
    assert!(matches!(plan(&used).unwrap(), SendPlan::Suppressed { .. }));
    let late = req.replace("2024-05-06T07:00:00Z", "2024-04-01T07:00:00Z");
    assert!(matches!(plan(&late).unwrap(), SendPlan::Suppressed { .. }));
}

fn reason_texts(p: &SendPlan) -> Vec<&str> {
    let (SendPlan::Send { reasons, .. } | SendPlan::Suppressed { reasons, .. }) = p;
    reasons.iter().map(|r| r.text.as_str()).collect()
}

#[test]
fn the_welcome_floor_lifts_only_the_shops_caps_never_the_shoppers_own() {
    let welcome = r#""now":"2024-05-06T09:10:00Z","purpose":"welcome","subscribedAt":"2024-05-06T09:00:00Z""#;
    // Stops: the shopper asked for no messages a day; a welcome message is no exception.
    let p = plan(&format!(r#"{{{welcome},"preferences":{{"messageCaps":{{"perDay":0}}}}}}"#)).unwrap();
    assert!(matches!(&p, SendPlan::Suppressed { suppressed, .. } if suppressed == "FATIGUE"), "{p:?}");
    assert_eq!(codes(&p), ["FATIGUE", "DAILY_CAP"]);
    assert_eq!(reason_texts(&p)[1], "No messages a day, as you asked (email, push and site together).");
    let p = plan(&format!(r#"{{{welcome},"preferences":{{"messageCaps":{{"perWeek":0}}}}}}"#)).unwrap();
    assert_eq!(codes(&p), ["FATIGUE", "WEEKLY_CAP"]);
    assert_eq!(reason_texts(&p)[1], "No messages a week, as you asked (email, push and site together).");

    // A busy week: two sends in the last 7 days, none in the last day.
    let busy =
        r#""ledger":[{"channel":"email","at":"2024-05-03T09:00:00Z"},{"channel":"push","at":"2024-05-04T09:00:00Z"}]"#;
    let shop = r#""policy":{"maxPerWeek":2}"#;
    // Lets through: the shop's cap of 2 a week is full, the shopper's own 3 a week is not: the floor lifts the shop's.
    let p = plan(&format!(r#"{{{welcome},{busy},{shop},"preferences":{{"messageCaps":{{"perWeek":3}}}}}}"#)).unwrap();
    assert_eq!(send_at(&p), ms("2024-05-06T09:10:00Z"), "{p:?}");
    assert_eq!(codes(&p), ["WELCOME", "WELCOME_FLOOR"]);
    assert_eq!(reason_texts(&p)[1], "Not held back by the shop's caps: welcome message 1 of 3.");
    // Stops: the shopper's own 2 a week is full too.
    let p = plan(&format!(r#"{{{welcome},{busy},{shop},"preferences":{{"messageCaps":{{"perWeek":2}}}}}}"#)).unwrap();
    assert!(matches!(&p, SendPlan::Suppressed { suppressed, .. } if suppressed == "FATIGUE"), "{p:?}");
    assert_eq!(codes(&p), ["FATIGUE", "WEEKLY_CAP"]);
    assert_eq!(reason_texts(&p)[1], "At most 2 messages a week, as you asked (email, push and site together).");
    // Without the floor (marketing), the shop's cap binds and says so.
    let p = plan(&format!(
        r#"{{"now":"2024-05-06T09:10:00Z",{busy},{shop},"preferences":{{"messageCaps":{{"perWeek":3}}}}}}"#
    ))
    .unwrap();
    assert_eq!(codes(&p), ["FATIGUE", "WEEKLY_CAP"]);
    assert_eq!(reason_texts(&p)[1], "At most 2 messages a week, email, push and site together.");

    // The shopper's own quiet hours hold for a welcome message too: it waits until they end.
    let quiet = r#""preferences":{"quietHours":{"start":"09:00","end":"12:00"}}"#;
    let p = plan(&format!(r#"{{{welcome},{quiet}}}"#)).unwrap();
    assert_eq!(send_at(&p), ms("2024-05-06T12:00:00Z"), "{p:?}");
    assert_eq!(codes(&p), ["WELCOME", "WELCOME_FLOOR", "QUIET_HOURS"]);
    assert_eq!(reason_texts(&p)[2], "Not in your quiet hours (09:00–12:00).");
    // Lets through: outside them it goes at once.
    let p =
        plan(&format!(r#"{{{welcome},"preferences":{{"quietHours":{{"start":"13:00","end":"14:00"}}}}}}"#)).unwrap();
    assert_eq!(send_at(&p), ms("2024-05-06T09:10:00Z"));
}

#[test]
fn the_capacity_window_is_in_the_shops_zone() {
    // Shop in UTC+2 sends 09:00–17:00 its time (07:00–15:00 UTC); the shopper is in UTC-5 with no quiet hours.
    let p = plan(
        r#"{"now":"2024-05-06T16:00:00Z","utcOffsetMinutes":-300,
            "policy":{"quietHours":{"start":"00:00","end":"00:00"},
                      "capacityWindow":{"start":"09:00","end":"17:00","utcOffsetMinutes":120}}}"#,
    )
    .unwrap();
    let t = send_at(&p);
    assert!((9 * 60..17 * 60).contains(&minute_of_day(t, 120)));
    // A reader of the evening (UTC-5) whose best hours the shop's window closes: the window is a reason.
    let clicks: Vec<String> = (1..=30)
        .map(|d| format!(r#"{{"type":"clicked","channel":"email","at":"2024-04-{d:02}T00:20:00Z"}}"#))
        .collect();
    let p = plan(&format!(
        r#"{{"now":"2024-05-06T16:00:00Z","utcOffsetMinutes":-300,"engagement":[{}],
            "policy":{{"quietHours":{{"start":"00:00","end":"00:00"}},
                      "capacityWindow":{{"start":"09:00","end":"17:00","utcOffsetMinutes":120}}}}}}"#,
        clicks.join(",")
    ))
    .unwrap();
    assert!((9 * 60..17 * 60).contains(&minute_of_day(send_at(&p), 120)));
    assert!(codes(&p).contains(&"CAPACITY_WINDOW"), "{:?}", codes(&p));
    // A window that never opens within the horizon.
    let p = plan(
        r#"{"now":"2024-05-06T16:00:00Z","policy":{"horizonHours":2,"quietHours":{"start":"00:00","end":"00:00"},
            "capacityWindow":{"start":"09:00","end":"10:00"}}}"#,
    )
    .unwrap();
    assert!(matches!(&p, SendPlan::Suppressed { suppressed, .. } if suppressed == "NO_WINDOW"), "{p:?}");
}

#[test]
fn plan_send_errors_name_their_path() {
    let cases = [
        (r#"{}"#, "INVALID_INPUT", ""),
        (r#"{"now":"2024-05-06","utcOffsetMinutes":2000}"#, "INVALID_INPUT", "utcOffsetMinutes"),
        (r#"{"now":"2024-05-06","policy":{"maxPerWeak":2}}"#, "INVALID_INPUT", "policy.maxPerWeak"),
        (
            r#"{"now":"2024-05-06","policy":{"quietHours":{"start":"9pm","end":"07:00"}}}"#,
            "INVALID_INPUT",
            "policy.quietHours.start",
        ),
        (
            r#"{"now":"2024-05-06","preferences":{"quietHours":{"start":"21:00"}}}"#,
            "INVALID_INPUT",
            "preferences.quietHours",
        ),
        (
            r#"{"now":"2024-05-06","engagement":[{"type":"bounced","channel":"email","at":0}]}"#,
            "INVALID_INPUT",
            "engagement[0].type",
        ),
        (r#"{"now":"2024-05-06","ledger":[{"channel":"sms","at":0}]}"#, "INVALID_INPUT", "ledger[0].channel"),
        (r#"{"now":"2024-05-06","ledger":[{"channel":"page","at":"soon"}]}"#, "INVALID_INPUT", "ledger[0].at"),
        (r#"{"now":"2024-05-06","policy":{"priorHours":[1,2]}}"#, "INVALID_INPUT", "policy.priorHours"),
        (r#"{"now":"2024-05-06","policy":{"minGapHours":"a day"}}"#, "INVALID_INPUT", "policy.minGapHours"),
    ];
    for (json, code, path) in cases {
        let e = plan(json).unwrap_err();
        assert_eq!((e.code.as_str(), e.path.as_str()), (code, path), "{json}: {e}");
    }
    let many: Vec<LedgerEntry> = (0..send::MAX_EVENTS + 1)
        .map(|i| LedgerEntry { channel: LedgerChannel::Page, at: Timestamp(i as i64), purpose: None, id: None })
        .collect();
    let req = SendRequest {
        now: Timestamp(0),
        channel: None,
        purpose: None,
        engagement: None,
        ledger: Some(many),
        preferences: None,
        policy: None,
        utc_offset_minutes: None,
        subscribed_at: None,
    };
    let e = send::plan(&req).unwrap_err();
    assert_eq!((e.code, e.path.as_str()), (ErrorCode::LimitExceeded, "ledger"));
}

#[test]
fn same_request_same_plan() {
    let req = r#"{"now":"2024-05-06T06:00:00Z","engagement":[{"type":"opened","channel":"email","at":"2024-05-01T12:10:00Z"}]}"#;
    assert_eq!(plan(req).unwrap(), plan(req).unwrap());
}

const H: i64 = 3_600_000;
const DAY: i64 = 24 * H;

fn arb_window() -> impl Strategy<Value = Option<DailyWindow>> {
    prop::option::of((0u16..1440, 0u16..1440).prop_map(|(s, e)| DailyWindow::new(s, e)))
}

fn arb_ledger(now: i64) -> impl Strategy<Value = Vec<LedgerEntry>> {
    prop::collection::vec(
        (0i64..10 * DAY, 0u8..3, any::<bool>()).prop_map(move |(back, ch, welcome)| LedgerEntry {
            channel: [LedgerChannel::Email, LedgerChannel::Push, LedgerChannel::Page][ch as usize],
            at: Timestamp(now - back),
            purpose: welcome.then_some(Purpose::Welcome),
            id: None,
        }),
        0..25,
    )
}

prop_compose! {
    fn arb_request()(now in 1_700_000_000_000i64..1_760_000_000_000, offset in -1080i32..=1080,
        per_day in 0u32..4, per_week in 0u32..10, gap in 0.0f64..48.0, page in 0.0f64..=1.0,
        horizon in 1u32..=168, quiet in arb_window(), shopper_quiet in arb_window(),
        caps in prop::option::of((prop::option::of(0u32..4), prop::option::of(0u32..10))),
        push in any::<bool>(), welcome in any::<bool>(), subscribed_back in 0i64..30 * DAY,
        clicks in prop::collection::vec((0i64..60 * DAY, any::<bool>()), 0..20))
        (ledger in arb_ledger(now), now in Just(now), offset in Just(offset), per_day in Just(per_day),
         per_week in Just(per_week), gap in Just(gap), page in Just(page), horizon in Just(horizon),
         quiet in Just(quiet), shopper_quiet in Just(shopper_quiet), caps in Just(caps), push in Just(push),
         welcome in Just(welcome), subscribed_back in Just(subscribed_back), clicks in Just(clicks)) -> SendRequest {
        SendRequest {
            now: Timestamp(now),
            channel: Some(if push { Channel::Push } else { Channel::Email }),
            purpose: Some(if welcome { Purpose::Welcome } else { Purpose::Marketing }),
            engagement: Some(clicks.into_iter().map(|(back, click)| EngagementEvent {
                kind: if click { EngagementType::Clicked } else { EngagementType::Opened },
                channel: Channel::Email, at: Timestamp(now - back), id: None, purpose: None }).collect()),
            ledger: Some(ledger),
            preferences: Some(Preferences {
                quiet_hours: shopper_quiet,
                message_caps: caps.map(|(d, w)| MessageCaps { per_day: d, per_week: w }),
                ..Preferences::default()
            }),
            policy: Some(SendPolicy {
                max_per_day: Some(per_day), max_per_week: Some(per_week), min_gap_hours: Some(gap),
                page_weight: Some(page), horizon_hours: Some(horizon), quiet_hours: quiet,
                ..SendPolicy::default()
            }),
            utc_offset_minutes: Some(offset),
            subscribed_at: Some(Timestamp(now - subscribed_back)),
        }
    }
}

/// Cases per property: `TACTFUL_PROPTEST_CASES` (the long run is 10,000: docs/hardening.md), else 400 (CI).
fn cases() -> u32 {
    std::env::var("TACTFUL_PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(400)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    /// Whatever the ledger, policy and preferences: a planned send is within the horizon, outside both quiet
    /// hours, at least the minimum gap from every send, under the shopper's own caps always and (outside the welcome
    /// floor) under the shop's caps too, of the one ledger, for every 24-hour and 7-day window containing it.
    #[test]
    fn caps_gap_and_quiet_hours_always_hold(req in arb_request()) {
        let plan = send::plan(&req).unwrap();
        let SendPlan::Send { send_at, .. } = plan else {
            let SendPlan::Suppressed { suppressed, .. } = plan else { unreachable!() };
            prop_assert!(suppressed == "FATIGUE" || suppressed == "NO_WINDOW");
            return Ok(());
        };
        let p = req.policy.as_ref().unwrap();
        let prefs = req.preferences.as_ref().unwrap();
        let (t, now, offset) = (send_at.millis(), req.now.millis(), req.utc_offset_minutes.unwrap());
        prop_assert!(t >= now && t <= now + i64::from(p.horizon_hours.unwrap()) * H);
        let minute = minute_of_day(t, offset);
        prop_assert!(!p.quiet_hours.unwrap_or(DailyWindow::new(21 * 60, 8 * 60)).contains(minute));
        prop_assert!(!prefs.quiet_hours.is_some_and(|w| w.contains(minute)));
        let ledger = req.ledger.as_ref().unwrap();
        let gap = (p.min_gap_hours.unwrap() * H as f64).round() as i64;
        for e in ledger.iter().filter(|e| e.channel != LedgerChannel::Page) {
            prop_assert!((e.at.millis() - t).abs() >= gap || gap == 0);
        }
        let welcomes = ledger.iter().filter(|e| e.channel != LedgerChannel::Page && e.purpose == Some(Purpose::Welcome)).count();
        let floor = req.purpose == Some(Purpose::Welcome) && welcomes < 3
            && now - req.subscribed_at.unwrap().millis() <= 14 * DAY;
        // The shopper's own caps always hold; the shop's hold outside the welcome floor.
        let page = (p.page_weight.unwrap() * 100.0).round() as i64;
        let caps = prefs.message_caps.clone().unwrap_or_default();
        for (window, policy_cap, own) in [(DAY, p.max_per_day.unwrap(), caps.per_day), (7 * DAY, p.max_per_week.unwrap(), caps.per_week)] {
            let cap = match (own, floor) {
                (Some(o), true) => o,
                (None, true) => continue,
                (own, false) => own.map_or(policy_cap, |c| c.min(policy_cap)),
            };
            let cap = i64::from(cap) * 100;
            let used: i64 = ledger.iter().filter(|e| (e.at.millis() - t).abs() < window)
                .map(|e| if e.channel == LedgerChannel::Page { page } else { 100 }).sum();
            prop_assert!(used + 100 <= cap, "window {window}: {used} + 100 > {cap} (floor {floor})");
        }
    }
}

// ---- lintCopy ---------------------------------------------------------------------------------------------------

fn issue_codes(issues: &[LintIssue]) -> Vec<&str> {
    issues.iter().map(|i| i.code.as_str()).collect()
}

/// The flagged text, sliced by UTF-16 code units as JS would.
fn flagged(text: &str, i: &LintIssue) -> String {
    let units: Vec<u16> = text.encode_utf16().collect();
    String::from_utf16(&units[i.start as usize..i.end as usize]).unwrap()
}

const NAME: &str = r#""facts":{"firstName":{"confirmed":true}}"#;

#[test]
fn personal_near_price_catches_and_allows() {
    let i = lint_json(&format!(r#"{{"subject":"{{FNAME}}, cheap finds for you",{NAME}}}"#));
    assert_eq!(issue_codes(&i), ["PERSONAL_NEAR_PRICE"]);
    assert_eq!(flagged("{FNAME}, cheap finds for you", &i[0]), "{FNAME}, cheap");
    assert_eq!(i[0].field, LintField::Subject);
    // Far apart (more than nearWords words), a price word without a token, or nearWords 0 with a word between.
    let far = r#"{FNAME}, here are twelve new things we picked: all cheap"#;
    assert!(lint_json(&format!(r#"{{"subject":"{far}",{NAME}}}"#)).is_empty());
    assert!(lint_json(r#"{"subject":"Cheap flights, below market"}"#).is_empty());
    let i = lint_json(&format!(r#"{{"subject":"{{FNAME}} loves reduced prices","policy":{{"nearWords":0}},{NAME}}}"#));
    assert!(i.is_empty(), "one word between, nearWords 0: {i:?}");
    // System tokens are not personal.
    assert!(lint_json(r#"{"subject":"{{shop_name}}: cheap as chips"}"#).is_empty());
    // The body too, HTML skipped.
    let i = lint_json(&format!(
        r#"{{"subject":"Hello","body":"<p class=\"cheap\">Hi {{{{first_name}}}},</p><p>bargain time</p>",{NAME}}}"#
    ));
    assert_eq!(issue_codes(&i), ["PERSONAL_NEAR_PRICE"]);
    assert_eq!(i[0].field, LintField::Body);
}

#[test]
fn zero_values_catch_and_allow() {
    for (text, flagged_text) in [
        ("Your balance: $0", "$0"),
        ("Balance is $0.00 today", "$0.00"),
        ("You have 0 points", "0 points"),
        ("Only 0,00 € left", "0,00 €"),
        ("Store credit -$5.00", "-$5.00"),
        ("Your rewards: 0 so far", "0"),
    ] {
        let i = lint_json(&format!(r#"{{"subject":"{text}"}}"#));
        assert_eq!(issue_codes(&i), ["ZERO_VALUE"], "{text}");
        assert_eq!(flagged(text, &i[0]), flagged_text, "{text}");
    }
    for text in ["$0 shipping on every order", "Save $10 today", "0% APR for 12 months", "Top 10 picks", "$0 down"] {
        assert!(lint_json(&format!(r#"{{"subject":"{text}"}}"#)).is_empty(), "{text}");
    }
    // A token whose fact is zero or less; a positive one is fine.
    let zero = r#"{"subject":"You have {{points}} points","facts":{"points":{"confirmed":true,"value":0}}}"#;
    assert_eq!(issue_codes(&lint_json(zero)), ["ZERO_VALUE"]);
    let text = r#"{"subject":"Balance: {{balance}}","facts":{"balance":{"confirmed":true,"value":"$0.00"}}}"#;
    assert_eq!(issue_codes(&lint_json(text)), ["ZERO_VALUE"]);
    let fine = r#"{"subject":"You have {{points}} points","facts":{"points":{"confirmed":true,"value":120}}}"#;
    assert!(lint_json(fine).is_empty());
}

#[test]
fn unconfirmed_facts_catch_and_allow() {
    let i = lint_json(
        r#"{"subject":"Hi {{first_name}}, size {{shoe_size}}?","facts":{"firstName":{"confirmed":true},"shoeSize":{"value":"42"}}}"#,
    );
    assert_eq!(issue_codes(&i), ["UNCONFIRMED_FACT"]);
    assert_eq!(flagged("Hi {{first_name}}, size {{shoe_size}}?", &i[0]), "{{shoe_size}}");
    assert!(i[0].message.contains("never confirmed"));
    let i = lint_json(r#"{"subject":"Hi *|FNAME|*"}"#);
    assert_eq!(issue_codes(&i), ["UNCONFIRMED_FACT"], "no facts: nothing is confirmed");
    assert!(lint_json(r#"{"subject":"Hi *|FNAME|*","facts":{"first_name":{"confirmed":true}}}"#).is_empty());
    assert!(lint_json(
        r#"{"subject":"News from {{shop}}","body":"<a href=\"{{unsubscribe_url}}\">Unsubscribe</a> {{unsubscribe}}"}"#
    )
    .is_empty());
    let own = r#"{"subject":"{{loyalty_tier}} perks","policy":{"systemTokens":["loyaltyTier"]}}"#;
    assert!(lint_json(own).is_empty(), "the shop's own system fields");
}

#[test]
fn facts_the_shopper_typed_count_as_confirmed_and_inferred_ones_never_do() {
    // Let through: the first name the shopper gave is confirmed without the shop saying so, so `{FNAME}` alone is
    // not flagged.
    let typed = r#""facts":{"firstName":{"source":"shopper","value":"Loren"}}"#;
    assert!(lint_json(&format!(r#"{{"subject":"{{FNAME}}, new picks for you",{typed}}}"#)).is_empty());
    // Stopped: the same name beside a price-shaming word, confirmed or not.
    let i = lint_json(&format!(r#"{{"subject":"{{FNAME}}, cheap picks for you",{typed}}}"#));
    assert_eq!(issue_codes(&i), ["PERSONAL_NEAR_PRICE"]);
    assert_eq!(flagged("{FNAME}, cheap picks for you", &i[0]), "{FNAME}, cheap");
    // Stopped: the shop says otherwise (a typed name it knows to be a placeholder).
    let denied = r#""facts":{"firstName":{"source":"shopper","confirmed":false}}"#;
    assert_eq!(issue_codes(&lint_json(&format!(r#"{{"subject":"Hi {{FNAME}}",{denied}}}"#))), ["UNCONFIRMED_FACT"]);
    // Stopped: inferred facts never count, even marked confirmed: a name read off an email address, an age or a
    // life event derived from purchases.
    for (token, name) in [("{FNAME}", "firstName"), ("{{age}}", "age"), ("{{life_event}}", "lifeEvent")] {
        let json = format!(
            r#"{{"subject":"Hi {token}","facts":{{"{name}":{{"source":"inferred","confirmed":true,"value":"x"}}}}}}"#
        );
        let i = lint_json(&json);
        assert_eq!(issue_codes(&i), ["UNCONFIRMED_FACT"], "{json}");
        assert_eq!(flagged(&format!("Hi {token}"), &i[0]), token);
    }
    // An inferred gender licenses no gendered word; a stated one does.
    let ms = |source: &str| {
        lint_json(&format!(
            r#"{{"subject":"Dear Ms {{FNAME}}","facts":{{"firstName":{{"source":"shopper"}},"gender":{{"source":"{source}","value":"female"}}}}}}"#
        ))
    };
    assert_eq!(issue_codes(&ms("inferred")), ["GENDERED"]);
    assert!(ms("shopper").is_empty());
    // Without a source, nothing changed: only `confirmed: true` confirms.
    assert_eq!(
        issue_codes(&lint_json(r#"{"subject":"Hi {FNAME}","facts":{"firstName":{"value":"Loren"}}}"#)),
        ["UNCONFIRMED_FACT"]
    );
    // A source that does not exist is refused with its path.
    let parsed = parse::<LintRequest>(r#"{"subject":"x","facts":{"firstName":{"source":"guessed"}}}"#);
    assert_eq!(parsed.unwrap_err().path, "facts.firstName.source");
}

#[test]
fn sensitive_subjects_catch_and_allow() {
    let i = lint_json(r#"{"subject":"Your Pregnancy checklist","preheader":"Plus: diapers on sale"}"#);
    assert_eq!(issue_codes(&i), ["SENSITIVE_SUBJECT", "SENSITIVE_SUBJECT"]);
    assert_eq!((i[0].field, i[1].field), (LintField::Subject, LintField::Preheader));
    assert!(i[0].message.contains("pregnancy_baby"));
    // The body is the shopper's alone; alcohol is not checked by default; a class can be turned off.
    assert!(lint_json(r#"{"subject":"Your order","body":"Diapers ship tomorrow"}"#).is_empty());
    assert!(lint_json(r#"{"subject":"Hangover cures for New Year"}"#).is_empty());
    assert_eq!(
        issue_codes(&lint_json(r#"{"subject":"Hangover cures","policy":{"sensitiveClasses":["alcohol"]}}"#)),
        ["SENSITIVE_SUBJECT"]
    );
    assert!(lint_json(r#"{"subject":"Diapers","policy":{"sensitiveClasses":[]}}"#).is_empty());
}

/// The codes and flagged texts of a subject line.
fn subject_findings(subject: &str, policy: &str) -> Vec<(String, String)> {
    let json =
        serde_json::json!({ "subject": subject, "policy": serde_json::from_str::<serde_json::Value>(policy).unwrap() });
    let issues = lint::lint(&read::<LintRequest>(&Value::from(json), "").unwrap()).unwrap();
    issues.iter().map(|i| (i.code.clone(), flagged(subject, i))).collect()
}

#[test]
fn sensitive_life_events_are_caught_in_their_phrasings() {
    for (subject, what, class) in [
        ("Pregnant? Our comfiest picks", "Pregnant", "pregnancy_baby"),
        ("Your PREGNANCY week by week", "PREGNANCY", "pregnancy_baby"),
        ("Expecting? Start here", "Expecting", "pregnancy_baby"),
        ("Dressing your bump this summer", "your bump", "pregnancy_baby"),
        ("Bump-friendly jeans are here", "Bump-friendly", "pregnancy_baby"),
        ("Congratulations on your new baby!", "new baby", "pregnancy_baby"),
        ("Everything for newborns", "newborns", "pregnancy_baby"),
        ("Baby shower gifts she will love", "Baby shower", "pregnancy_baby"),
        ("Nursing bras, restocked", "Nursing", "pregnancy_baby"),
        ("Breastfeeding made easier", "Breastfeeding", "pregnancy_baby"),
        ("The quiet breast pump", "breast pump", "pregnancy_baby"),
        ("Ginger chews for morning sickness", "morning sickness", "pregnancy_baby"),
        ("Gifts for mums-to-be", "mums-to-be", "pregnancy_baby"),
        ("Fertility vitamins, 20% off", "Fertility", "reproductive_health"),
        ("Support through IVF", "IVF", "reproductive_health"),
        ("Track ovulation in one tap", "ovulation", "reproductive_health"),
        ("After a miscarriage: gentle care", "miscarriage", "reproductive_health"),
        ("Weight-loss shakes are back", "Weight-loss", "weight_loss"),
        ("Dieting the smart way", "Dieting", "weight_loss"),
        ("New year, new diet", "diet", "weight_loss"),
        ("Slimming teas for spring", "Slimming", "weight_loss"),
        ("Comfort for your chemo days", "chemo", "medical"),
        ("Living with cancer: our guide", "cancer", "medical"),
        ("Just diagnosed? We can help", "diagnosed", "medical"),
        ("Comfort after a long illness", "illness", "medical"),
        ("Your payment is overdue", "overdue", "financial_distress"),
        ("Behind on rent? Arrears advice", "Arrears", "financial_distress"),
        ("Life after bankruptcy", "bankruptcy", "financial_distress"),
        ("Loan denied? Try this instead", "Loan denied", "financial_distress"),
        ("Starting over after divorce", "divorce", "life_events"),
        ("For the newly divorced", "divorced", "life_events"),
        ("Thoughtful bereavement gifts", "bereavement", "life_events"),
        ("With our deepest condolences", "condolences", "life_events"),
    ] {
        let json = serde_json::json!({ "subject": subject });
        let i = lint::lint(&read::<LintRequest>(&Value::from(json), "").unwrap()).unwrap();
        assert_eq!(issue_codes(&i), ["SENSITIVE_SUBJECT"], "{subject}");
        assert_eq!(flagged(subject, &i[0]), what, "{subject}");
        assert!(i[0].message.contains(&format!("({class})")), "{subject}: {}", i[0].message);
    }
    // Look-alikes that are something else: whole words only, regular inflections only.
    for subject in [
        "Bumper savings this weekend",
        "Bump up your rewards",
        "Dietary fibre, explained",
        "Our dietitian's favourite snacks",
        "The nursery edit",
        "Expect more from your morning coffee",
        "Memorial Day sale: 30% off",
        "Credit where it's due",
        "Indebted to our loyal customers",
        "Nursery decor ideas",
    ] {
        let found = subject_findings(subject, "{}");
        assert!(found.is_empty(), "{subject}: {found:?}");
    }
    // Life events are a class of their own: off when the policy leaves them out.
    assert!(subject_findings("Starting over after divorce", r#"{"sensitiveClasses":["medical"]}"#).is_empty());
    assert_eq!(
        subject_findings("Starting over after divorce", r#"{"sensitiveClasses":["life_events"]}"#),
        [("SENSITIVE_SUBJECT".to_string(), "divorce".to_string())]
    );
}

#[test]
fn the_shops_own_sensitive_words_add_to_the_lists() {
    let policy = r#"{"sensitiveWords":["hair loss","rehab","thinning hair*"]}"#;
    for (subject, what) in [
        ("Hair loss? Try our serum", "Hair loss"),
        ("Stories from rehab", "rehab"),
        ("Thinning haircare that works", "Thinning haircare"),
        ("Fighting hair losses at 40", "hair losses"),
    ] {
        let found = subject_findings(subject, policy);
        assert_eq!(found, [("SENSITIVE_SUBJECT".to_string(), what.to_string())], "{subject}");
        let json = serde_json::json!({ "subject": subject, "policy": serde_json::from_str::<serde_json::Value>(policy).unwrap() });
        let i = lint::lint(&read::<LintRequest>(&Value::from(json), "").unwrap()).unwrap();
        assert!(i[0].message.ends_with("reveals a topic the shop marked sensitive to whoever sees the screen."));
    }
    // Without the knob those are fine; the knob adds, it does not replace the built-in lists.
    assert!(subject_findings("Hair loss? Try our serum", "{}").is_empty());
    assert!(subject_findings("Rehabilitation of old furniture", policy).is_empty(), "whole words");
    assert_eq!(subject_findings("Pregnant? Try our serum", policy).len(), 1);
    assert_eq!(
        subject_findings("Rehab, then pregnancy", r#"{"sensitiveClasses":[],"sensitiveWords":["rehab"]}"#).len(),
        1
    );
    // Entries with no word in them match nothing (a bare star would otherwise match every word).
    assert!(subject_findings("Hello there", r#"{"sensitiveWords":["*","  ","!!"]}"#).is_empty());
}

#[test]
fn zero_in_words_is_caught_and_offers_are_not() {
    for (text, what) in [
        ("Your balance is zero", "zero"),
        ("Your balance is zero — top up today", "zero"),
        ("You have zero points", "zero points"),
        ("Zero rewards so far", "Zero rewards"),
        ("No points left? Earn more", "No points left"),
        ("You have no rewards yet", "no rewards yet"),
        ("You have no points", "no points"),
        ("Nothing left on your card", "Nothing left on your card"),
        ("Nothing left on your gift card", "Nothing left on your gift card"),
        ("There is nothing in your wallet", "nothing in your wallet"),
        ("Your points: none", "none"),
        ("Rewards balance: nil", "nil"),
        ("Your wallet is empty", "empty"),
        ("Balance: $0.00", "$0.00"),
        ("You have 0 points", "0 points"),
        ("Balance: £0", "£0"),
    ] {
        let i = lint_json(&format!(r#"{{"subject":"{text}"}}"#));
        assert_eq!(issue_codes(&i), ["ZERO_VALUE"], "{text}: {i:?}");
        assert_eq!(flagged(text, &i[0]), what, "{text}");
    }
    for text in [
        "Zero waste, all the rewards",
        "Rewards for zero-sugar drinks",
        "Zero fees on your first order",
        "Zero interest for 12 months",
        "No points needed to join",
        "No fees, no fuss",
        "Nothing beats our rewards card",
        "Nothing left to chance",
        "Nothing in your cart yet?",
        "None of your points expire",
        "Balance transfers at 0%",
        "0% APR on balance transfers",
        "Empty your cart, fill your wardrobe",
        "No money down",
    ] {
        assert!(lint_json(&format!(r#"{{"subject":"{text}"}}"#)).is_empty(), "{text}");
    }
}

#[test]
fn stated_pronouns_license_only_their_own_gender() {
    let lint_with = |subject: &str, facts: &str| {
        issue_codes(&lint_json(&format!(
            r#"{{"subject":"{subject}","facts":{{"lastName":{{"confirmed":true}},{facts}}}}}"#
        )))
        .len()
    };
    let pronouns = |v: &str| format!(r#""pronouns":{{"confirmed":true,"value":"{v}"}}"#);
    let gender = |v: &str| format!(r#""gender":{{"confirmed":true,"value":"{v}"}}"#);
    for salutation in ["Ms.", "Mrs.", "Miss", "Ms", "Mrs"] {
        let subject = format!("Dear {salutation} {{{{last_name}}}}");
        assert_eq!(lint_with(&subject, &pronouns("she/her")), 0, "{subject}: she/her");
        assert_eq!(lint_with(&subject, &gender("female")), 0, "{subject}: female");
        for other in ["he/him", "they/them", "xe/xem", "any", "they", "them", "he/she"] {
            assert_eq!(lint_with(&subject, &pronouns(other)), 1, "{subject}: {other}");
        }
        assert_eq!(lint_with(&subject, &gender("male")), 1, "{subject}: male");
    }
    for salutation in ["Mr.", "Mr", "Mister"] {
        let subject = format!("Dear {salutation} {{{{last_name}}}}");
        assert_eq!(lint_with(&subject, &pronouns("he/him")), 0, "{subject}: he/him");
        assert_eq!(lint_with(&subject, &gender("male")), 0, "{subject}: male");
        for other in ["she/her", "they/them", "them", "xe", "any", "Mx"] {
            assert_eq!(lint_with(&subject, &pronouns(other)), 1, "{subject}: {other}");
        }
    }
    // Pronouns decide over a gender: "they/them" with a gender "female" allows no "Ms".
    let both = format!("{},{}", gender("female"), pronouns("they/them"));
    assert_eq!(lint_with("Dear Ms. {{last_name}}", &both), 1);
    // A mixed set with one gendered part counts as that part (documented): "she/they" allows "Ms".
    assert_eq!(lint_with("Dear Ms. {{last_name}}", &pronouns("she/they")), 0);
    assert_eq!(lint_with("Dear Mr. {{last_name}}", &pronouns("she/they")), 1);
    // Unconfirmed pronouns count for nothing.
    let unconfirmed = r#""pronouns":{"confirmed":false,"value":"she/her"}"#;
    assert_eq!(lint_with("Dear Ms. {{last_name}}", unconfirmed), 1);
}

#[test]
fn gendered_wording_catches_and_allows() {
    for (text, what) in [
        ("Dear Mrs. {{last_name}}", "Mrs"),
        ("Ladies, new in", "Ladies"),
        ("Gifts for him", "for him"),
        ("Treat your wife", "your wife"),
        ("Dear {{salutation}} Smith", "{{salutation}}"),
        ("Hello Miss Lee", "Miss"),
    ] {
        let json = format!(r#"{{"subject":"{text}","facts":{{"lastName":{{"confirmed":true}}}}}}"#);
        let i = lint_json(&json);
        assert_eq!(issue_codes(&i), ["GENDERED"], "{text}");
        assert_eq!(flagged(text, &i[0]), what);
    }
    // "miss" the verb; gender stated by the shopper; a stated salutation and its token.
    assert!(lint_json(r#"{"subject":"Don't miss these"}"#).is_empty());
    for title_case in ["Don't Miss Out", "Never Miss A Deal", "You Won't Want To Miss This", "Miss You"] {
        assert!(lint_json(&format!(r#"{{"subject":"{title_case}"}}"#)).is_empty(), "{title_case}: the verb");
    }
    let stated = r#"{"subject":"Ladies, new in","facts":{"pronouns":{"confirmed":true,"value":"she/her"}}}"#;
    assert!(lint_json(stated).is_empty());
    let other = r#"{"subject":"Gents, new in","facts":{"pronouns":{"confirmed":true,"value":"she/her"}}}"#;
    assert_eq!(issue_codes(&lint_json(other)), ["GENDERED"]);
    let guessed = r#"{"subject":"Ladies, new in","facts":{"gender":{"confirmed":false,"value":"female"}}}"#;
    assert_eq!(issue_codes(&lint_json(guessed)), ["GENDERED"], "inferred (unconfirmed) gender does not count");
    let salutation = r#"{"subject":"Dear {{salutation}} Lee","facts":{"salutation":{"confirmed":true,"value":"Mx"}}}"#;
    assert!(lint_json(salutation).is_empty());
}

#[test]
fn spans_are_utf16_code_units_with_non_ascii_text() {
    let subject = "😀😀 Zoë — {FNAME}, cheap ✨";
    let i = lint_json(&format!(r#"{{"subject":"{subject}",{NAME}}}"#));
    assert_eq!(issue_codes(&i), ["PERSONAL_NEAR_PRICE"]);
    // Two emoji are 4 code units, "Zoë" 3, the dash 1: "{FNAME}" starts at 4 + 1 + 3 + 1 + 1 + 1 = 11.
    assert_eq!((i[0].start, i[0].end), (11, 25));
    assert_eq!(flagged(subject, &i[0]), "{FNAME}, cheap");
}

#[test]
fn lint_errors_name_their_path() {
    let cases = [
        (r#"{}"#, ErrorCode::InvalidInput, ""),
        (r#"{"subject":1}"#, ErrorCode::InvalidInput, "subject"),
        (
            r#"{"subject":"x","facts":{"points":{"confirmed":"yes"}}}"#,
            ErrorCode::InvalidInput,
            "facts.points.confirmed",
        ),
        (r#"{"subject":"x","policy":{"nearWord":3}}"#, ErrorCode::InvalidInput, "policy.nearWord"),
        (
            r#"{"subject":"x","policy":{"sensitiveClasses":["gossip"]}}"#,
            ErrorCode::InvalidInput,
            "policy.sensitiveClasses[0]",
        ),
        (r#"{"subject":"x","policy":{"sensitiveWord":["rehab"]}}"#, ErrorCode::InvalidInput, "policy.sensitiveWord"),
        (r#"{"subject":"x","policy":{"sensitiveWords":"rehab"}}"#, ErrorCode::InvalidInput, "policy.sensitiveWords"),
        (
            r#"{"subject":"x","policy":{"sensitiveWords":["rehab",3]}}"#,
            ErrorCode::InvalidInput,
            "policy.sensitiveWords[1]",
        ),
    ];
    for (json, code, path) in cases {
        let e = parse::<LintRequest>(json).and_then(|r| lint::lint(&r)).unwrap_err();
        assert_eq!((e.code, e.path.as_str()), (code, path), "{json}");
    }
    let long = LintRequest { subject: "x".repeat(lint::MAX_LINE + 1), ..LintRequest::default() };
    let e = lint::lint(&long).unwrap_err();
    assert_eq!((e.code, e.path.as_str()), (ErrorCode::LimitExceeded, "subject"));
    let words = |words: Vec<String>| LintRequest {
        subject: "x".into(),
        policy: Some(LintPolicy { sensitive_words: Some(words), ..LintPolicy::default() }),
        ..LintRequest::default()
    };
    let e = lint::lint(&words(vec!["rehab".into(); 501])).unwrap_err();
    assert_eq!((e.code, e.path.as_str()), (ErrorCode::LimitExceeded, "policy.sensitiveWords"));
    let e = lint::lint(&words(vec!["rehab".into(), "x".repeat(101)])).unwrap_err();
    assert_eq!((e.code, e.path.as_str()), (ErrorCode::LimitExceeded, "policy.sensitiveWords[1]"));
    assert!(lint::lint(&words(vec!["x".repeat(100); 500])).is_ok(), "at the limits");
    let ok = LintRequest { subject: "é".repeat(lint::MAX_LINE), ..LintRequest::default() };
    assert!(lint::lint(&ok).is_ok(), "the limit counts UTF-16 units, not bytes");
}

/// The fixture of real-looking subject lines: each line's codes are pinned, and the findings table is printed
/// (`cargo test --test message fixture -- --nocapture`).
#[test]
fn fixture_subject_lines() {
    let fixture: serde_json::Value = serde_json::from_str(include_str!("fixtures/subject_lines.json")).unwrap();
    let default_facts = fixture["defaultFacts"].clone();
    let lines = fixture["lines"].as_array().unwrap();
    assert!(lines.len() >= 30);
    let mut table = String::from("| # | subject | preheader | findings |\n|---|---|---|---|\n");
    let mut per_code = std::collections::BTreeMap::<String, usize>::new();
    for (n, line) in lines.iter().enumerate() {
        let mut req = serde_json::json!({ "subject": line["subject"], "preheader": line["preheader"] });
        req["facts"] = line.get("facts").cloned().unwrap_or(default_facts.clone());
        if let Some(p) = line.get("policy") {
            req["policy"] = p.clone();
        }
        let issues = lint::lint(&read::<LintRequest>(&Value::from(req), "").unwrap()).unwrap();
        let expect: Vec<&str> = line["expect"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
        assert_eq!(issue_codes(&issues), expect, "line {}: {}: {issues:?}", n + 1, line["subject"]);
        let findings: Vec<String> = issues
            .iter()
            .map(|i| {
                *per_code.entry(i.code.clone()).or_default() += 1;
                let text = line[if i.field == LintField::Subject { "subject" } else { "preheader" }].as_str().unwrap();
                format!("`{}` {:?}", i.code, flagged(text, i))
            })
            .collect();
        table.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            n + 1,
            line["subject"].as_str().unwrap(),
            line["preheader"].as_str().unwrap(),
            if findings.is_empty() { "—".to_string() } else { findings.join("; ") }
        ));
    }
    println!("{table}\n{per_code:?}");
}

// ---- holdout, lift, segments ------------------------------------------------------------------------------------

#[test]
fn holdout_lift_and_segments_through_their_readers() {
    let r: HoldoutRequest = parse(r#"{"customerKey":"c-1","salt":"exp","share":0.1}"#).unwrap();
    assert_eq!(holdout::in_holdout(&r).unwrap(), holdout::position("exp", "c-1") < 0.1);
    let e = parse::<HoldoutRequest>(r#"{"customerKey":"c-1","salt":"exp","share":"10%"}"#).unwrap_err();
    assert_eq!(e.path, "share");
    let e = holdout::in_holdout(&parse(r#"{"customerKey":"c-1","salt":"exp","share":10}"#).unwrap()).unwrap_err();
    assert_eq!((e.code, e.path.as_str()), (ErrorCode::InvalidInput, "share"));

    let r: LiftRequest = parse(r#"{"treated":{"n":70,"conversions":56},"holdout":{"n":80,"conversions":48}}"#).unwrap();
    let report = lift::report(&r).unwrap();
    assert_eq!(report.method, "newcombe-wilson");
    assert!(report.significant);
    let e = parse::<LiftRequest>(r#"{"treated":{"n":70,"conversions":56},"holdout":{"n":-1,"conversions":0}}"#)
        .unwrap_err();
    assert_eq!(e.path, "holdout.n");

    let r: SegmentRequest = parse(r#"{"sizes":[120,8,60],"minSize":50,"customers":100}"#).unwrap();
    let report = segments::check(&r).unwrap();
    assert!(!report.ok);
    assert_eq!(report.too_small, vec![1]);
    let e = parse::<SegmentRequest>(r#"{"sizes":[1,2.5],"minSize":50,"customers":100}"#).unwrap_err();
    assert_eq!(e.path, "sizes[1]");
}

#[test]
fn message_inputs_round_trip_through_their_serde_names() {
    fn round_trip<T: serde::Serialize + FromValue + PartialEq + std::fmt::Debug>(x: &T) {
        let json = serde_json::to_value(x).unwrap();
        let back: T = read(&Value::from(json.clone()), "").unwrap_or_else(|e| panic!("{e} in {json}"));
        assert_eq!(&back, x);
    }
    round_trip(&SendRequest {
        now: Timestamp(1_714_989_600_000),
        channel: Some(Channel::Push),
        purpose: Some(Purpose::Welcome),
        engagement: Some(vec![EngagementEvent {
            kind: EngagementType::Clicked,
            channel: Channel::Email,
            at: Timestamp(1),
            id: Some("m1".into()),
            purpose: Some(Purpose::Marketing),
        }]),
        ledger: Some(vec![LedgerEntry {
            channel: LedgerChannel::Page,
            at: Timestamp(2),
            purpose: Some(Purpose::Welcome),
            id: Some("p1".into()),
        }]),
        preferences: Some(Preferences {
            quiet_hours: Some(DailyWindow::new(60, 120)),
            message_caps: Some(MessageCaps { per_day: Some(1), per_week: Some(3) }),
            ..Preferences::default()
        }),
        policy: Some(SendPolicy {
            max_per_day: Some(2),
            max_per_week: Some(4),
            min_gap_hours: Some(12.0),
            quiet_hours: Some(DailyWindow::new(1320, 420)),
            capacity_window: Some(CapacityWindow {
                start: LocalTime(480),
                end: LocalTime(1200),
                utc_offset_minutes: Some(60),
            }),
            page_weight: Some(0.25),
            welcome_floor: Some(2),
            welcome_days: Some(7.0),
            horizon_hours: Some(48),
            prior_strength: Some(4.0),
            half_life_days: Some(30.0),
            open_weight: Some(0.3),
            explicit_consent: Some(true),
        }),
        utc_offset_minutes: Some(-300),
        subscribed_at: Some(Timestamp(3)),
    });
    round_trip(&LintRequest {
        subject: "s".into(),
        preheader: Some("p".into()),
        body: Some("b".into()),
        facts: Some(FactMap(vec![
            (
                "name".to_string(),
                Fact { confirmed: Some(false), source: None, value: Some(FactValue::Text("Loren".into())) },
            ),
            ("points".to_string(), Fact { confirmed: Some(true), source: None, value: Some(FactValue::Number(0.0)) }),
        ])),
        policy: Some(LintPolicy {
            near_words: Some(3),
            price_words: Some(vec!["cheap*".into()]),
            sensitive_classes: Some(vec![LintClass::Product(SensitivityClass::Medical), LintClass::LifeEvents]),
            sensitive_words: Some(vec!["hair loss".into()]),
            system_tokens: Some(vec!["shop".into()]),
        }),
    });
    round_trip(&HoldoutRequest { customer_key: "k".into(), salt: "s".into(), share: 0.2 });
    round_trip(&LiftRequest { treated: Arm { n: 10, conversions: 2 }, holdout: Arm { n: 5, conversions: 1 } });
    round_trip(&SegmentRequest { sizes: vec![1, 2], min_size: 3, customers: 4 });
}
