//! Findings: what resolve and inspect noticed, before any network call.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

/// Stable ids: scripts match on them, so add new ones and never rename (and
/// list them in `schema/report-v1.json`; a test compares the two).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(strum::EnumIter))]
#[serde(rename_all = "snake_case")]
pub enum FindingId {
    // The key's form.
    Empty,
    SurroundingWhitespace,
    SurroundingQuotes,
    BearerPrefix,
    InternalWhitespace,
    ControlCharacters,
    NonAscii,
    MaskedCopy,
    Placeholder,
    MissingSkPrefix,
    OtherProvider,
    Truncated,
    AdminKey,
    SessionKey,
    ChatgptToken,
    // Where the key came from.
    KeyInArgv,
    ConflictingSources,
    EmptyVariableShadowsKey,
    DotenvNotLoaded,
    KeyFileNotReadBySdk,
    SourceUnreadable,
    SourceInvalid,
    // How the files holding a key are kept.
    KeyFilePermissions,
    DotenvTrackedByGit,
    DotenvDuplicateKey,
    DotenvInvalidLine,
    // The other variables the SDK reads.
    EmptyBaseUrl,
    CustomBaseUrl,
    LegacyVariable,
    CustomHeadersAuthorization,
    AdminKeyVariable,
    // The network around the request.
    ProxyInUse,
    ProxyUnusable,
    CustomTrustStore,
    CaCertUnusable,
}

impl FindingId {
    /// The stable id as it appears in JSON.
    pub fn name(self) -> String {
        crate::report::wire_name(&self)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub id: FindingId,
    pub severity: Severity,
    pub message: String,
}

impl Finding {
    pub fn error(id: FindingId, message: impl Into<String>) -> Self {
        Finding {
            id,
            severity: Severity::Error,
            message: message.into(),
        }
    }

    pub fn warning(id: FindingId, message: impl Into<String>) -> Self {
        Finding {
            id,
            severity: Severity::Warning,
            message: message.into(),
        }
    }

    pub fn info(id: FindingId, message: impl Into<String>) -> Self {
        Finding {
            id,
            severity: Severity::Info,
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use strum::IntoEnumIterator;

    use super::FindingId;

    #[test]
    fn the_published_schema_lists_exactly_these_findings() {
        let schema: serde_json::Value =
            serde_json::from_str(include_str!("../schema/report-v1.json")).expect("schema is JSON");
        let mut published: Vec<String> = schema["$defs"]["finding_id"]["enum"]
            .as_array()
            .expect("an enum")
            .iter()
            .filter_map(|v| v.as_str().map(String::from))
            .collect();
        let mut ours: Vec<String> = FindingId::iter().map(FindingId::name).collect();
        published.sort();
        ours.sort();
        assert_eq!(published, ours);
    }
}
