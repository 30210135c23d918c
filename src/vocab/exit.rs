//! What a run means for whoever called it: the verdict a diagnosis carries,
//! and the one mapping from it to the process exit status. `--help`, the man
//! pages and the README's table are all written from [`ExitStatus::ALL`].

use serde::{Serialize, Serializer};

/// What a diagnosis means for the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    /// The key works, but something still needs attention.
    PassWithWarning,
    /// Fix something: retrying will not help.
    Fix,
    /// A passing fault on OpenAI's side, or a rate limit.
    Retry,
    /// The request never got an answer.
    Unreachable,
    /// `explain`: the error is another service's; this tool cannot diagnose it.
    NotOurs,
}

/// The process exit status: scripts branch on it, so the numbers never change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    Ok = 0,
    Fix = 1,
    Usage = 2,
    Retry = 3,
    Unreachable = 4,
    Unrecognised = 5,
}

impl ExitStatus {
    pub const ALL: [ExitStatus; 6] = [
        ExitStatus::Ok,
        ExitStatus::Fix,
        ExitStatus::Usage,
        ExitStatus::Retry,
        ExitStatus::Unreachable,
        ExitStatus::Unrecognised,
    ];

    pub fn code(self) -> u8 {
        self as u8
    }

    pub(crate) fn is_success(self) -> bool {
        self == ExitStatus::Ok
    }

    /// One line for `--help` and the man pages.
    pub fn meaning(self) -> &'static str {
        match self {
            ExitStatus::Ok => "ok: the key authenticated (also offline with no error, and restricted_key)",
            ExitStatus::Fix => {
                "fix something: the key, a setting, billing or the base URL (retrying will not help)"
            }
            ExitStatus::Usage => "usage error (bad flags; for explain, no input or an unreadable file)",
            ExitStatus::Retry => "retry: rate limited or an OpenAI server error",
            ExitStatus::Unreachable => "retry: the network failed (DNS, connection, TLS, proxy, timeout)",
            ExitStatus::Unrecognised => "explain only: nothing recognised, or another service's error",
        }
    }

    /// Whether `doctor` can end with it (`explain` can end with any).
    pub fn used_by_doctor(self) -> bool {
        self != ExitStatus::Unrecognised
    }
}

impl From<Verdict> for ExitStatus {
    fn from(verdict: Verdict) -> Self {
        match verdict {
            Verdict::Pass | Verdict::PassWithWarning => ExitStatus::Ok,
            Verdict::Fix => ExitStatus::Fix,
            Verdict::Retry => ExitStatus::Retry,
            Verdict::Unreachable => ExitStatus::Unreachable,
            Verdict::NotOurs => ExitStatus::Unrecognised,
        }
    }
}

impl From<ExitStatus> for std::process::ExitCode {
    fn from(status: ExitStatus) -> Self {
        std::process::ExitCode::from(status.code())
    }
}

/// JSON's `exit_code` is the number.
impl Serialize for ExitStatus {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u8(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_numbers_are_the_contract() {
        let codes: Vec<u8> = ExitStatus::ALL.iter().map(|s| s.code()).collect();
        assert_eq!(codes, [0, 1, 2, 3, 4, 5]);
        assert_eq!(serde_json::to_value(ExitStatus::Unreachable).unwrap(), 4);
    }
}
