//! The words every stage shares: ids, findings, the evidence, the verdict and
//! exit status, and the secret type. Nothing here imports from the stages
//! above it (a test in `tests/layers.rs` keeps it so).

pub(crate) mod client;
pub(crate) mod env_vars;
pub(crate) mod exit;
pub(crate) mod finding;
pub(crate) mod gateways;
pub(crate) mod ids;
pub mod keys;
pub(crate) mod near_miss;
pub(crate) mod observed;
pub mod pasted;
pub mod program;
pub(crate) mod secret;
pub mod text;
pub(crate) mod urls;

pub(crate) use client::Client;
pub use env_vars::EnvVars;
pub use exit::{ExitStatus, Verdict};
pub(crate) use finding::Finding;
pub use finding::Severity;
pub use ids::{DiagnosisId, FindingId, LintRuleId};
pub(crate) use keys::{KeyKind, Provider};
pub(crate) use observed::{
    Answer, ApiError, BaseUrlProblem, Body, MissingSetting, NetworkErrorKind, NetworkFailure, NotSent,
    Observed, ResponseHeaders, Sdk,
};
pub use secret::{ApiKey, Secrets};
