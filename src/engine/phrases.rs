//! Phrases a shopper reads that more than one stage builds (a guardrail's removal text and an explanation both say
//! how long ago and how often).

/// "3 days", "about 2 weeks", "about 4 months".
pub fn days_words(days: f64) -> String {
    let d = days.max(0.0);
    if d < 1.5 {
        "a day".to_string()
    } else if d < 13.0 {
        format!("{} days", d.round() as i64)
    } else if d < 60.0 {
        format!("{} weeks", (d / 7.0).round() as i64)
    } else if d < 700.0 {
        format!("{} months", (d / 30.4).round() as i64)
    } else {
        format!("{} years", (d / 365.25).round() as i64)
    }
}
