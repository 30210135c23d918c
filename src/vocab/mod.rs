//! The words every stage shares: ids, findings, the evidence, the verdict and
//! exit status, and the secret type. Nothing here imports from the stages
//! above it (a test in `tests/layers.rs` keeps it so).

pub mod client;
pub mod env_vars;
pub mod exit;
pub mod finding;
pub mod ids;
pub mod keys;
pub mod observed;
pub mod pasted;
pub mod secret;
pub mod text;
pub mod urls;

pub use client::Client;
pub use env_vars::EnvVars;
pub use exit::{ExitStatus, Verdict};
pub use finding::{Finding, Severity};
pub use ids::{DiagnosisId, FindingId};
pub use keys::{KeyKind, Provider};
pub use observed::{
    Answer, ApiError, BaseUrlProblem, Body, MissingSetting, NetworkErrorKind, NetworkFailure, NotSent,
    Observed, ResponseHeaders, Sdk,
};
pub use secret::{ApiKey, Secrets};
