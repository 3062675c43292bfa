//! The one error type of the engine. Every failure that reaches JS carries a stable `code`, a human `message` and the
//! `path` of the offending value (`history[12].at`, `policy.diversity`, `catalog[3].id`).

use std::fmt;

crate::contract::codes::codes! {
    /// Stable error codes (`TactfulError['code']`): part of the public API (extend, never rename).
    pub enum ErrorCode {
        /// A value has the wrong shape, type or range, or a key is unknown.
        InvalidInput = "INVALID_INPUT",
        /// An input is larger than a documented limit; nothing was parsed past the check.
        LimitExceeded = "LIMIT_EXCEEDED",
        /// Packed data (catalog, model) written by a version this build cannot read.
        UnsupportedVersion = "UNSUPPORTED_VERSION",
        /// A bug in tactful: the engine reached a state it should not. Reported, never a trap.
        Internal = "INTERNAL",
        /// Thrown by the package's JS entry, never by Rust: a call before `init()` has finished.
        NotInitialized = "NOT_INITIALIZED",
        /// Thrown by the package's JS entry, never by Rust: an `Engine` method called after `free()`.
        Freed = "FREED",
        /// Thrown by the package's JS entry, never by Rust: the wasm could not be fetched, compiled or instantiated.
        LoadFailed = "LOAD_FAILED",
        /// Thrown by `storage.js`, never by Rust: a write before the shopper's consent is recorded.
        NoConsent = "NO_CONSENT",
        /// Thrown by `storage.js`, never by Rust: `IndexedDB` is missing or failed (quota, a blocked upgrade).
        StorageFailed = "STORAGE_FAILED",
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub code: ErrorCode,
    /// Where the bad value is, e.g. `history[12].at`; empty for the whole input.
    pub path: String,
    pub message: String,
}

impl Error {
    /// The same error at `path` (for checks that leave the path to their caller).
    #[must_use]
    pub fn at(self, path: impl Into<String>) -> Self {
        Error { path: path.into(), ..self }
    }

    pub fn invalid(path: impl Into<String>, message: impl Into<String>) -> Self {
        Error { code: ErrorCode::InvalidInput, path: path.into(), message: message.into() }
    }

    pub fn limit(path: impl Into<String>, message: impl Into<String>) -> Self {
        Error { code: ErrorCode::LimitExceeded, path: path.into(), message: message.into() }
    }

    pub fn unsupported_version(path: impl Into<String>, message: impl Into<String>) -> Self {
        Error { code: ErrorCode::UnsupportedVersion, path: path.into(), message: message.into() }
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Error { code: ErrorCode::Internal, path: String::new(), message: message.into() }
    }

    /// The same error, its path placed under `prefix` (`at` under `history[3]` is `history[3].at`).
    #[must_use]
    pub fn under(mut self, prefix: &str) -> Self {
        self.path = join_path(prefix, &self.path);
        self
    }
}

/// Joins two path pieces: `a` + `b` → `a.b`; `a` + `[3].b` → `a[3].b`; either may be empty.
pub fn join_path(prefix: &str, rest: &str) -> String {
    if prefix.is_empty() {
        rest.to_string()
    } else if rest.is_empty() {
        prefix.to_string()
    } else if rest.starts_with('[') {
        format!("{prefix}{rest}")
    } else {
        format!("{prefix}.{rest}")
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}: {}", self.code.as_str(), self.message)
        } else {
            write!(f, "{} at {}: {}", self.code.as_str(), self.path, self.message)
        }
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_path_handles_indices_and_empties() {
        assert_eq!(join_path("history", "[3].at"), "history[3].at");
        assert_eq!(join_path("context", "now"), "context.now");
        assert_eq!(join_path("", "now"), "now");
        assert_eq!(join_path("policy", ""), "policy");
    }

    #[test]
    fn display_names_code_and_path() {
        let e = Error::invalid("history[2].at", "not a timestamp");
        assert_eq!(e.to_string(), "INVALID_INPUT at history[2].at: not a timestamp");
        assert_eq!(Error::internal("x").to_string(), "INTERNAL: x");
    }
}
