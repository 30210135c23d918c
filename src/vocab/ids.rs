//! Stable ids: scripts match on them, so add new ones and never rename (and
//! list them in `schema/report-v1.json`; a test compares the two). The name
//! in JSON and the name in every other format come from the same attribute.

use serde::Serialize;
use strum::{EnumIter, IntoStaticStr};

/// What a run concluded: one per run, a rule each (`diagnose/rules/<id>.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, EnumIter, IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum DiagnosisId {
    Ok,
    Offline,
    KeyMissing,
    KeyEmpty,
    KeyMalformed,
    InsecureBaseUrl,
    UntrustedBaseUrl,
    KeyOnlyInFile,
    NetworkError,
    RestrictedKey,
    IpNotAllowed,
    AccountDisabled,
    OrganizationMismatch,
    ProjectMismatch,
    UnsupportedRegion,
    ModelNotFound,
    InvalidApiKey,
    PermissionDenied,
    QuotaExceeded,
    RateLimited,
    ServerError,
    WrongBaseUrl,
    UnexpectedResponse,
    // Azure OpenAI.
    SettingMissing,
    ClientMismatch,
    DeploymentNotFound,
    ApiVersionUnsupported,
    NetworkAccessDenied,
    RoleMissing,
    /// The key authenticated; the request itself was refused (400).
    BadRequest,
}

/// What resolve and inspect noticed, before any network call; many per run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, EnumIter, IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
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
    SecretReference,
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
    DotenvUntrusted,
    GitCheckFailed,
    // The other variables the SDK reads.
    EmptyBaseUrl,
    CustomBaseUrl,
    LegacyVariable,
    CustomHeadersAuthorization,
    EmptyHeaderVariable,
    AdminKeyVariable,
    SettingNotUtf8,
    SettingTooLarge,
    LangsmithGateway,
    // Which client's rules apply.
    ClientInferred,
    ClientAmbiguous,
    VariableNotRead,
    // The network around the request.
    ProxyInUse,
    ProxyBypassed,
    ProxyUnusable,
    CustomTrustStore,
    CaCertUnusable,
    // Where the report goes.
    CiFileUnusable,
}

impl DiagnosisId {
    /// The stable id, as JSON and every other format spell it.
    pub fn name(self) -> &'static str {
        self.into()
    }
}

impl FindingId {
    /// The stable id, as JSON and every other format spell it.
    pub fn name(self) -> &'static str {
        self.into()
    }
}

impl std::fmt::Display for DiagnosisId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::fmt::Display for FindingId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use serde::Serialize;
    use strum::IntoEnumIterator;

    use super::*;

    /// Every variant's JSON name equals the name the other formats print.
    pub(crate) fn names_agree<T>()
    where
        T: IntoEnumIterator + Serialize + Into<&'static str> + Copy + std::fmt::Debug,
    {
        for value in T::iter() {
            let json = serde_json::to_value(value).expect("serializes");
            assert_eq!(json.as_str(), Some(value.into()), "{value:?}");
        }
    }

    pub(crate) fn published(def: &str) -> Vec<String> {
        let schema: serde_json::Value =
            serde_json::from_str(include_str!("../../schema/report-v1.json")).expect("schema is JSON");
        let mut names: Vec<String> = schema["$defs"][def]["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("$defs.{def}.enum"))
            .iter()
            .filter_map(|v| v.as_str().map(String::from))
            .collect();
        names.sort();
        names
    }

    pub(crate) fn ours<T: IntoEnumIterator + Into<&'static str>>() -> Vec<String> {
        let mut names: Vec<String> = T::iter().map(|v| v.into().to_string()).collect();
        names.sort();
        names
    }

    #[test]
    fn json_and_text_spell_every_id_alike() {
        names_agree::<DiagnosisId>();
        names_agree::<FindingId>();
    }

    #[test]
    fn the_published_schema_lists_exactly_these_ids() {
        assert_eq!(published("diagnosis_id"), ours::<DiagnosisId>());
        assert_eq!(published("finding_id"), ours::<FindingId>());
    }
}
