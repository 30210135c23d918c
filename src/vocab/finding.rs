//! Findings: what resolve and inspect noticed, before any network call.

use serde::Serialize;
use strum::{EnumIter, IntoStaticStr};

use super::FindingId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, EnumIter, IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub id: FindingId,
    pub severity: Severity,
    pub message: String,
}

impl Finding {
    pub(crate) fn error(id: FindingId, message: impl Into<String>) -> Self {
        Finding {
            id,
            severity: Severity::Error,
            message: message.into(),
        }
    }

    pub(crate) fn warning(id: FindingId, message: impl Into<String>) -> Self {
        Finding {
            id,
            severity: Severity::Warning,
            message: message.into(),
        }
    }

    pub(crate) fn info(id: FindingId, message: impl Into<String>) -> Self {
        Finding {
            id,
            severity: Severity::Info,
            message: message.into(),
        }
    }
}
