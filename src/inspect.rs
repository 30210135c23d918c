//! Inspect: what the key looks like, judged offline by prefix, charset and the
//! `T3BlbkFJ` marker (never by one length: valid keys come in many).

use crate::vocab::client::Service;
pub(crate) use crate::vocab::keys::looks_like_placeholder;
use crate::vocab::keys::{self, Issuer, KEY_MARKER as MARKER};
use crate::vocab::secret::unwrap_key;
use crate::vocab::{ApiKey, Client, Finding, FindingId, KeyKind, Provider, Severity};

/// What may be sent to the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sendable {
    AsIs,
    /// Whitespace, quotes or `Bearer ` were removed; the cleaned key is sent
    /// so the report can say whether it would work once fixed.
    Cleaned,
    Nothing,
}

#[derive(Debug, Clone)]
pub struct Inspection {
    pub kind: KeyKind,
    pub provider: Option<Provider>,
    pub cleaned: ApiKey,
    pub findings: Vec<Finding>,
    pub sendable: Sendable,
}

impl FindingId {
    /// Findings after which the key cannot be sent at all (or, for another
    /// provider's key, must not be sent to OpenAI).
    fn stops_probe(self) -> bool {
        matches!(
            self,
            FindingId::Empty
                | FindingId::ControlCharacters
                | FindingId::InternalWhitespace
                | FindingId::NonAscii
                | FindingId::MaskedCopy
                | FindingId::Placeholder
                | FindingId::SecretReference
                | FindingId::ChatgptToken
                | FindingId::OtherProvider
        )
    }
}

/// The key's form as openai-python sees it (the tests' shorthand).
#[cfg(test)]
pub(crate) fn inspect(raw: &str, base_is_openai: bool) -> Inspection {
    inspect_for(raw, base_is_openai, Client::Python)
}

/// The key's form as `client` sees it: openai-node trims the value first,
/// so white space around a key is harmless there.
pub(crate) fn inspect_for(raw: &str, base_is_openai: bool, client: Client) -> Inspection {
    let rules = client.rules();
    if rules.service == Service::Azure {
        return as_azure_sees_it(inspect_for(raw, false, Client::Python));
    }
    let trimmed = raw.trim();
    if rules.trims_values && trimmed != raw && !trimmed.is_empty() {
        let mut inspection = inspect_for(trimmed, base_is_openai, Client::Python);
        inspection.findings.insert(
            0,
            Finding::info(
                FindingId::SurroundingWhitespace,
                "the key has white space around it, which openai-node trims: harmless here (a Python program reading the same variable would fail); remove it if one does",
            ),
        );
        return inspection;
    }
    let mut findings = Vec::new();
    if raw.trim().is_empty() {
        findings.push(Finding::error(FindingId::Empty, "the key is empty"));
        return Inspection {
            kind: KeyKind::Unknown,
            provider: None,
            cleaned: ApiKey::new(""),
            findings,
            sendable: Sendable::Nothing,
        };
    }

    let cleaned = clean(raw, &mut findings);
    let was_cleaned = !findings.is_empty();
    if cleaned.is_empty() {
        // `""` in a YAML file or a Dockerfile ENV: quotes around nothing.
        findings.push(Finding::error(
            FindingId::Empty,
            "the key is empty once the quotes, whitespace or `Bearer ` around it are taken off",
        ));
    }
    if let Some(reference) = secret_reference(&cleaned) {
        // Not a malformed key but no key at all: the other checks would only
        // call it a placeholder or say it lacks `sk-`.
        findings.push(reference);
        return Inspection {
            kind: KeyKind::Unknown,
            provider: None,
            cleaned: ApiKey::new(cleaned),
            findings,
            sendable: Sendable::Nothing,
        };
    }
    form_findings(&cleaned, &mut findings);
    let (kind, provider) = classify(&cleaned);
    kind_findings(&cleaned, kind, provider, base_is_openai, &mut findings);

    Inspection {
        kind,
        provider,
        cleaned: ApiKey::new(cleaned),
        sendable: sendable(&findings, was_cleaned),
        findings,
    }
}

fn sendable(findings: &[Finding], was_cleaned: bool) -> Sendable {
    let blocked = findings
        .iter()
        .any(|f| f.severity == Severity::Error && f.id.stops_probe());
    match (blocked, was_cleaned) {
        (true, _) => Sendable::Nothing,
        (false, true) => Sendable::Cleaned,
        (false, false) => Sendable::AsIs,
    }
}

/// Under AzureOpenAI() an Azure key and an Entra ID token are what is
/// expected, not another provider's key or a ChatGPT token.
fn as_azure_sees_it(mut inspection: Inspection) -> Inspection {
    let was_cleaned = inspection.sendable == Sendable::Cleaned
        || inspection.findings.iter().any(|f| {
            matches!(
                f.id,
                FindingId::SurroundingWhitespace | FindingId::SurroundingQuotes | FindingId::BearerPrefix
            )
        });
    match (inspection.kind, inspection.provider) {
        (KeyKind::ChatgptToken, _) => inspection.kind = KeyKind::EntraToken,
        (KeyKind::OtherProvider, Some(Provider::AzureOpenAi)) => {
            inspection.kind = KeyKind::AzureKey;
            inspection.provider = None;
        }
        _ => return inspection,
    }
    inspection
        .findings
        .retain(|f| !matches!(f.id, FindingId::ChatgptToken | FindingId::OtherProvider));
    inspection.sendable = sendable(&inspection.findings, was_cleaned);
    inspection
}

/// The audience Azure OpenAI takes a token for.
const AZURE_AUDIENCE: &str = "https://cognitiveservices.azure.com";

/// What an Entra ID token's claims say offline: that it has expired (`exp`,
/// seconds since 1970, before `now`), or that it is for another audience
/// (`aud`). Nothing for a value that is not a readable JWT.
pub(crate) fn token_findings(token: &str, now: u64) -> Vec<Finding> {
    use base64::Engine as _;
    let Some(payload) = token.trim().split('.').nth(1) else {
        return Vec::new();
    };
    let Ok(bytes) = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload.trim_end_matches('='))
    else {
        return Vec::new();
    };
    let Ok(claims) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return Vec::new();
    };
    let mut findings = Vec::new();
    if let Some(exp) = claims["exp"].as_u64().filter(|exp| *exp <= now) {
        findings.push(Finding::error(
            FindingId::TokenExpired,
            format!(
                "the Entra ID token expired {} ago (its exp claim): tokens last about an hour, and Azure refuses an expired one with 401; get a new one with `az account get-access-token --resource {AZURE_AUDIENCE}`, or let the program use azure_ad_token_provider so it never expires",
                ago(now - exp)
            ),
        ));
    }
    if let Some(aud) = claims["aud"].as_str()
        && aud.trim_end_matches('/') != AZURE_AUDIENCE
    {
        findings.push(Finding::error(
            FindingId::TokenAudience,
            format!(
                "the Entra ID token is for `{}`, not {AZURE_AUDIENCE}: Azure OpenAI refuses it with 401; get one with `--resource {AZURE_AUDIENCE}` (or the scope {AZURE_AUDIENCE}/.default)",
                crate::vocab::text::escape_controls(&aud.chars().take(100).collect::<String>(), false)
            ),
        ));
    }
    findings
}

/// "54 minutes", "3 hours", "2 days".
fn ago(seconds: u64) -> String {
    match seconds {
        0..120 => format!("{seconds} seconds"),
        120..7200 => format!("{} minutes", seconds / 60),
        7200..172_800 => format!("{} hours", seconds / 3600),
        _ => format!("{} days", seconds / 86_400),
    }
}

/// Strips what has an obvious fix, saying what it stripped.
fn clean(raw: &str, findings: &mut Vec<Finding>) -> String {
    let unwrapped = unwrap_key(raw);
    if unwrapped.whitespace {
        findings.push(Finding::error(
            FindingId::SurroundingWhitespace,
            whitespace_message(raw),
        ));
    }
    if unwrapped.quotes {
        findings.push(Finding::error(
            FindingId::SurroundingQuotes,
            "the key is wrapped in quotes that became part of the value (a quoted value in YAML, a Dockerfile ENV, a .env read by a tool that keeps quotes); remove them",
        ));
    }
    if unwrapped.bearer {
        findings.push(Finding::error(
            FindingId::BearerPrefix,
            "the key starts with `Bearer `: the SDK adds that itself, so the server gets `Bearer Bearer …`; store the key alone",
        ));
    }
    unwrapped.key.to_string()
}

/// What the SDKs do with the white space around this key, which depends on
/// where it is and what it is (observed with openai-python 3.57 and
/// openai-node 6.49; `tests/sdk.rs` runs both to check every case).
fn whitespace_message(raw: &str) -> String {
    let leading = &raw[..raw.len() - raw.trim_start().len()];
    let trailing = &raw[raw.trim_end().len()..];
    let describe = |ws: &str| {
        if ws.contains('\n') {
            "a newline"
        } else if ws.contains('\r') {
            "a carriage return"
        } else if ws.contains('\t') {
            "a tab"
        } else {
            "a space"
        }
    };
    let node = "Node's SDK trims it, so the same key works there";
    if !trailing.is_empty() || leading.contains(['\n', '\r']) {
        let (place, ws) = if trailing.is_empty() {
            ("starts", leading)
        } else {
            ("ends", trailing)
        };
        format!(
            "the key {place} with {}: the Python SDK then raises `APIConnectionError: Connection error.` and sends nothing, so it looks like a network fault ({node}); remove it where the key is stored",
            describe(ws)
        )
    } else {
        format!(
            "the key starts with {}: the Python SDK sends it inside the header (`Bearer  sk-…`) and the server rejects the key with 401 ({node}); remove it where the key is stored",
            describe(leading)
        )
    }
}

/// Problems that mean the value cannot be a key at all.
fn form_findings(key: &str, findings: &mut Vec<Finding>) {
    if key.chars().any(char::is_control) {
        findings.push(Finding::error(
            FindingId::ControlCharacters,
            "the key contains control characters (a pasted escape sequence or a line break inside it); it cannot be sent in a header",
        ));
    }
    if key.chars().any(char::is_whitespace) {
        findings.push(Finding::error(
            FindingId::InternalWhitespace,
            "the key contains whitespace in the middle: two values pasted together or a line-wrapped copy",
        ));
    }
    if let Some((position, c)) = key.chars().enumerate().find(|(_, c)| !c.is_ascii()) {
        findings.push(Finding::error(
            FindingId::NonAscii,
            format!(
                "the key contains {} at character {}: keys are plain ASCII, so it came from a word processor, chat or web page copy",
                describe_char(c),
                position + 1
            ),
        ));
    }
    if ["...", "…", "**"].iter().any(|m| key.contains(m)) {
        findings.push(Finding::error(
            FindingId::MaskedCopy,
            "the key contains `...`, `…` or `**`: this is the masked form the dashboard shows, not the key; the full key is shown only once, when it is created, so create a new one",
        ));
    }
    if looks_like_placeholder(key) {
        findings.push(Finding::error(
            FindingId::Placeholder,
            "the key is a placeholder from a template or tutorial, or a variable that was never filled in; put a real key there",
        ));
    }
}

/// References to a secret manager that reach OPENAI_API_KEY as they are
/// when the program runs outside the tool that resolves them: how the
/// reference is written, the manager, and how it becomes the key.
const SECRET_REFERENCES: &[(&str, &str, &str)] = &[
    (
        "op://",
        "1Password",
        "run the program under `op run -- <command>` (or read it with `op read`)",
    ),
    (
        "arn:aws:secretsmanager:",
        "AWS Secrets Manager",
        "let the platform inject it (an ECS task definition's `secrets`, the Lambda secrets extension) or fetch it with `aws secretsmanager get-secret-value`",
    ),
    (
        "vault://",
        "HashiCorp Vault",
        "run the program under Vault Agent or `envconsul`, or fetch it with `vault kv get`",
    ),
    (
        "vault:",
        "HashiCorp Vault",
        "run the program under Vault Agent or `envconsul`, or fetch it with `vault kv get`",
    ),
    (
        "doppler://",
        "Doppler",
        "run the program under `doppler run -- <command>`",
    ),
    (
        "gcp:secretmanager:",
        "Google Secret Manager",
        "let the platform inject it (Cloud Run `--set-secrets`) or fetch it with `gcloud secrets versions access`",
    ),
    (
        "akv://",
        "Azure Key Vault",
        "let the platform resolve it (App Service with a managed identity) or fetch it with `az keyvault secret show`",
    ),
    (
        "@Microsoft.KeyVault(",
        "Azure Key Vault",
        "App Service resolves it only for an app whose managed identity may read the vault; elsewhere fetch it with `az keyvault secret show`",
    ),
    (
        "${{ secrets.",
        "GitHub Actions",
        "Actions expands `${{ secrets.… }}` only in a workflow file (a step's or job's `env:`); in a script, a compose file or a .env it stays as written",
    ),
];

fn secret_reference(value: &str) -> Option<Finding> {
    let google = value.starts_with("projects/") && value.contains("/secrets/");
    let (_, manager, how) = SECRET_REFERENCES
        .iter()
        .find(|(start, ..)| value.starts_with(start))
        .copied()
        .or(google.then_some((
            "",
            "Google Secret Manager",
            "let the platform inject it (Cloud Run `--set-secrets`) or fetch it with `gcloud secrets versions access`",
        )))?;
    Some(Finding::error(
        FindingId::SecretReference,
        format!(
            "the value is a {manager} reference, not a key: the program ran outside what resolves it; {how}"
        ),
    ))
}

/// "an Anthropic", "a Groq".
fn with_article(name: &str) -> String {
    let vowel = name.starts_with(['A', 'E', 'I', 'O', 'U', 'a', 'e', 'i', 'o', 'u']);
    format!("{} {name}", if vowel { "an" } else { "a" })
}

fn describe_char(c: char) -> String {
    let name = match c {
        '\u{200b}' => "a zero-width space",
        '\u{200c}' | '\u{200d}' => "a zero-width joiner",
        '\u{feff}' => "a byte-order mark",
        '\u{a0}' => "a non-breaking space",
        '\u{2018}' | '\u{2019}' => "a curly single quote",
        '\u{201c}' | '\u{201d}' => "a curly double quote",
        '\u{2013}' | '\u{2014}' => "a dash that is not `-`",
        '…' => "an ellipsis",
        _ => "a non-ASCII character",
    };
    format!("{name} (U+{:04X})", c as u32)
}

pub(crate) fn classify(key: &str) -> (KeyKind, Option<Provider>) {
    let is_hex = |s: &str| s.len() == 32 && s.chars().all(|c| c.is_ascii_hexdigit());
    // DeepSeek's and Azure's keys have no prefix of their own.
    if key.strip_prefix(keys::OPENAI_PREFIX).is_some_and(is_hex) {
        return (KeyKind::OtherProvider, Some(Provider::DeepSeek));
    }
    if is_hex(key) {
        return (KeyKind::OtherProvider, Some(Provider::AzureOpenAi));
    }
    match keys::prefix_of(key).map(|(_, issuer)| issuer) {
        Some(Issuer::Other(provider)) => (KeyKind::OtherProvider, Some(provider)),
        Some(Issuer::OpenAi(kind)) => (kind, None),
        Some(Issuer::Token) if key.matches('.').count() == 2 => (KeyKind::ChatgptToken, None),
        Some(Issuer::Token) | None => (KeyKind::Unknown, None),
    }
}

fn kind_findings(
    key: &str,
    kind: KeyKind,
    provider: Option<Provider>,
    base_is_openai: bool,
    findings: &mut Vec<Finding>,
) {
    match kind {
        KeyKind::OtherProvider => {
            let name = provider.map_or("another provider", Provider::name);
            if base_is_openai {
                findings.push(Finding::error(
                    FindingId::OtherProvider,
                    format!("this looks like {} key, not an OpenAI key; it was not sent to OpenAI", with_article(name)),
                ));
            } else {
                findings.push(Finding::info(
                    FindingId::OtherProvider,
                    format!("this looks like {} key; that can be right for the base URL in use", with_article(name)),
                ));
            }
        }
        KeyKind::Admin => findings.push(Finding::warning(
            FindingId::AdminKey,
            "an admin key works only with the Administration API (organization, projects, usage), not for models or completions; use a project key for API calls",
        )),
        KeyKind::Session => findings.push(Finding::warning(
            FindingId::SessionKey,
            "a `sess-` token is a browser session, not an API key; create an API key in the dashboard",
        )),
        KeyKind::ChatgptToken => findings.push(Finding::error(
            FindingId::ChatgptToken,
            "this is a ChatGPT sign-in token (a JWT, as in ~/.codex/auth.json), not an API key: the API answers it with 403 missing scopes; create an API key",
        )),
        KeyKind::Unknown if base_is_openai && !findings.iter().any(|f| f.id.stops_probe()) => {
            findings.push(Finding::error(
                FindingId::MissingSkPrefix,
                "the key does not start with `sk-` as every OpenAI API key does",
            ));
        }
        // OpenAI's form binds OpenAI's keys only: a gateway's own keys
        // (LiteLLM's virtual `sk-…`) start alike and are judged by the gateway.
        KeyKind::Legacy | KeyKind::Project | KeyKind::ServiceAccount => match truncation(key, kind) {
            Some(why) if base_is_openai => findings.push(Finding::error(FindingId::Truncated, why)),
            Some(_) => findings.push(Finding::info(
                FindingId::UnfamiliarKeyForm,
                "the key is not in the form of an OpenAI key; that is right for a gateway's own key (a LiteLLM virtual key starts with `sk-` too), and only the server at the base URL can judge it",
            )),
            None => {}
        },
        _ => {}
    }
}

/// Why a key of a marker-carrying kind looks cut short, if it does.
fn truncation(key: &str, kind: KeyKind) -> Option<String> {
    if key.starts_with(keys::UNDESCRIBED_PREFIX) {
        // Rare and of unknown shape: never judged on form alone.
        return None;
    }
    if let Some(bad) = key
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Some(format!(
            "the key contains `{bad}`, which OpenAI keys never do: it is damaged or not an OpenAI key"
        ));
    }
    let Some(at) = key.find(MARKER) else {
        return Some(format!(
            "the key has no `{MARKER}` marker, which every {} carries: it is cut short or not an OpenAI key",
            kind.describe()
        ));
    };
    let after = key.len() - at - MARKER.len();
    if kind == KeyKind::Legacy {
        let before = at - keys::OPENAI_PREFIX.len();
        if (before, after) != (20, 20) {
            return Some(format!(
                "a legacy key is `sk-` + 20 + `{MARKER}` + 20 characters (51 in all); this one has {before} before the marker and {after} after ({} in all)",
                key.len()
            ));
        }
    } else if after < 20 {
        return Some(format!(
            "only {after} characters follow the `{MARKER}` marker: the end of the key is missing"
        ));
    }
    None
}

#[cfg(test)]
mod tests;
