//! The TypeScript types of the public API, generated from the Rust types (ts-rs) into `src/types.d.ts`, which the
//! wasm build embeds in `pkg/tactful.d.ts`. This test fails when the file is stale; `TACTFUL_BLESS=1 cargo test
//! typegen` rewrites it.

use crate::engine::model::Model;
use crate::engine::policy::{BrandRule, Policy, PolicyPreset};
use crate::engine::EngineOptions;
use crate::message::engagement::{EngagementEvent, EngagementType};
use crate::message::*;
use crate::*;
use ts_rs::{Config, TS};

fn decl<T: TS>(cfg: &Config) -> String {
    let docs = T::docs().unwrap_or_default();
    format!("{docs}export {}", T::decl(cfg))
}

pub fn generate() -> String {
    let cfg = Config::default();
    let decls = [
        "/** ISO-8601 text (no offset means UTC) or epoch milliseconds. */\nexport type Timestamp = string | number;"
            .to_string(),
        decl::<SensitivityClass>(&cfg),
        decl::<LifecycleKind>(&cfg),
        decl::<Lifecycle>(&cfg),
        decl::<Product>(&cfg),
        decl::<EventType>(&cfg),
        decl::<Event>(&cfg),
        decl::<Surface>(&cfg),
        decl::<Impression>(&cfg),
        decl::<Consent>(&cfg),
        decl::<Muted>(&cfg),
        decl::<Intensity>(&cfg),
        decl::<Preferences>(&cfg),
        decl::<Eligibility>(&cfg),
        decl::<Device>(&cfg),
        decl::<Context>(&cfg),
        decl::<RankRequest>(&cfg),
        decl::<ProfileRequest>(&cfg),
        decl::<PolicyPreset>(&cfg),
        decl::<BrandRule>(&cfg),
        decl::<Policy>(&cfg),
        decl::<Model>(&cfg),
        decl::<EngineOptions>(&cfg),
        "/** Options beside packed bytes (`tactful pack`): the bytes carry their own model, so only the policy. */\nexport type PackedEngineOptions = Omit<EngineOptions, \"model\">;".to_string(),
        decl::<Mode>(&cfg),
        decl::<Slot>(&cfg),
        decl::<ReasonCode>(&cfg),
        decl::<GuardCode>(&cfg),
        decl::<SummaryCode>(&cfg),
        decl::<LineRule>(&cfg),
        decl::<Reason>(&cfg),
        decl::<SummaryLine>(&cfg),
        decl::<RankedItem>(&cfg),
        decl::<Removal>(&cfg),
        decl::<LayoutKind>(&cfg),
        decl::<FittedTitle>(&cfg),
        decl::<MessageLayout>(&cfg),
        decl::<Ranking>(&cfg),
        decl::<PurchaseRef>(&cfg),
        decl::<CategoryBelief>(&cfg),
        decl::<BrandBelief>(&cfg),
        decl::<OwnedItem>(&cfg),
        decl::<DueItem>(&cfg),
        decl::<IgnoredLine>(&cfg),
        decl::<SharedUse>(&cfg),
        decl::<Profile>(&cfg),
        // Messaging (src/message, exported by src/wasm_message.rs).
        decl::<DailyWindow>(&cfg),
        decl::<MessageCaps>(&cfg),
        decl::<Channel>(&cfg),
        decl::<LedgerChannel>(&cfg),
        decl::<Purpose>(&cfg),
        decl::<EngagementType>(&cfg),
        decl::<EngagementEvent>(&cfg),
        decl::<LedgerEntry>(&cfg),
        decl::<CapacityWindow>(&cfg),
        decl::<SendPolicy>(&cfg),
        decl::<SendRequest>(&cfg),
        decl::<SendCode>(&cfg),
        decl::<Suppression>(&cfg),
        decl::<SendReason>(&cfg),
        decl::<SendPlan>(&cfg),
        decl::<FactValue>(&cfg),
        decl::<FactSource>(&cfg),
        decl::<Fact>(&cfg),
        decl::<LintPolicy>(&cfg),
        decl::<LintRequest>(&cfg),
        decl::<LintField>(&cfg),
        decl::<LintIssue>(&cfg),
        decl::<HoldoutRequest>(&cfg),
        decl::<Arm>(&cfg),
        decl::<LiftRequest>(&cfg),
        decl::<LiftReport>(&cfg),
        decl::<SegmentRequest>(&cfg),
        decl::<SegmentIssue>(&cfg),
        decl::<SegmentReport>(&cfg),
        format!(
            "/** Every error thrown by tactful. */\nexport interface TactfulError extends Error {{\n  code: {};\n  /** Where the bad value is, e.g. \"history[12].at\"; empty for the whole input. */\n  path: string;\n}}",
            ErrorCode::ALL.iter().map(|c| format!("\"{}\"", c.as_str())).collect::<Vec<_>>().join(" | ")
        ),
    ];
    let mut out = String::from("// Generated from the Rust types by src/typegen.rs (ts-rs). Do not edit: run `TACTFUL_BLESS=1 cargo test typegen`.\n\n");
    for d in decls {
        out.push_str(&d);
        out.push_str("\n\n");
    }
    out.trim_end().to_string() + "\n"
}

#[test]
fn typegen_types_d_ts_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/types.d.ts");
    let fresh = generate();
    if std::env::var_os("TACTFUL_BLESS").is_some() {
        std::fs::write(path, &fresh).unwrap();
    }
    let current = std::fs::read_to_string(path).unwrap_or_default();
    assert!(current == fresh, "src/types.d.ts is stale: run `TACTFUL_BLESS=1 cargo test typegen` and commit it");
}
