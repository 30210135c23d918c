//! Sentences and small text helpers the checklists share.

pub(crate) const NEW_KEY: &str = "Create a new key at https://platform.openai.com/api-keys";
/// Azure OpenAI's current GA data-plane API version.
pub(crate) const AZURE_GA_VERSION: &str = "2024-10-21";
pub(crate) const AZURE_ENDPOINT_HOWTO: &str = "Set it to the resource's endpoint, `export AZURE_OPENAI_ENDPOINT=https://NAME.openai.azure.com/` (Azure portal: the resource's Keys and Endpoint page), or pass azure_endpoint= to the client (here: --azure-endpoint).";
pub(crate) const BILLING: &str = "https://platform.openai.com/settings/organization/billing";
pub(crate) const PYTHON_RETRIED: &str =
    "The Python SDK had already retried this twice (its default max_retries=2) before raising it.";

/// An empty OPENAI_API_KEY in CI is most often a secret GitHub withheld.
pub(crate) fn fork_secret_advice(ci: &crate::resolve::CiContext) -> String {
    let event = ci.event_name.as_deref().unwrap_or("");
    let guard = "Run the check on push, or only for branches of this repository (`if: github.event.pull_request.head.repo.full_name == github.repository`), or keep the key in an environment with required reviewers; `pull_request_target` does pass secrets, but runs with them in the base repository: never check out and run the fork's code there.";
    if ci.github_actions && event.starts_with("pull_request") {
        format!(
            "This run was triggered by `{event}`: GitHub passes no secrets to runs for pull requests from forks, so the secret arrives as an empty variable. {guard}"
        )
    } else if ci.github_actions {
        format!(
            "In GitHub Actions an empty OPENAI_API_KEY usually means a pull request from a fork (no secrets are passed to those runs), a run started by Dependabot (it gets Dependabot secrets, not Actions secrets), or a secret name that does not match `${{{{ secrets.OPENAI_API_KEY }}}}`. {guard}"
        )
    } else {
        "In CI an empty variable usually means the secret is not given to this job: a pull request from a fork, a bot's run, a protected variable on an unprotected branch, or a name that does not match the secret's.".into()
    }
}

pub(crate) enum Gateway {
    /// A service with keys of its own, and where they are made.
    Known { name: &'static str, keys: &'static str },
    /// Words for a server this table does not know.
    Unknown(String),
}

pub(crate) fn gateway_words(host: &str) -> Gateway {
    match crate::vocab::gateways::for_host(host) {
        Some(g) => Gateway::Known {
            name: g.name,
            keys: g.keys,
        },
        None if matches!(host, "localhost" | "127.0.0.1" | "::1" | "[::1]") => {
            Gateway::Unknown(format!("the server on this machine ({host})"))
        }
        None => Gateway::Unknown(host.to_string()),
    }
}

/// Where the service that answered keeps credit and spend limits: OpenAI's
/// billing page for OpenAI (and for a pasted text, which most often is
/// OpenAI's), a known service's own, none for a server the table does not
/// know (a local one has no billing).
pub(crate) fn billing_page(e: &super::Evidence) -> Option<&'static str> {
    use crate::vocab::gateways::for_host;
    if e.is_azure() {
        return for_host(".openai.azure.com").map(|g| g.billing);
    }
    let Some(d) = e.doctor else {
        return e.other_service.is_none().then_some(BILLING);
    };
    match for_host(&d.host()) {
        Some(g) => Some(g.billing),
        None => answered_by_openai(e).then_some(BILLING),
    }
}

/// Whether OpenAI's API answered, itself or through a proxy: its host, or
/// an answer tagged as it tags its own (a `req_…` request id, the
/// organization header).
pub(crate) fn answered_by_openai(e: &super::Evidence) -> bool {
    let tagged = e.answer().is_some_and(|a| {
        a.headers.organization.is_some()
            || a.headers
                .request_id
                .as_deref()
                .is_some_and(|id| id.starts_with("req_"))
    });
    tagged || e.doctor.is_some_and(|d| d.host() == "api.openai.com")
}

/// Who answered, for a sentence about its support: Azure, OpenAI, a known
/// service by name, or the host.
pub(crate) fn service_name(e: &super::Evidence) -> String {
    if e.is_azure() {
        return "Azure".into();
    }
    let Some(d) = e.doctor else {
        return e.other_service.map_or("OpenAI", |(name, _)| name).into();
    };
    let host = d.host();
    match crate::vocab::gateways::for_host(&host) {
        Some(g) => g.name.into(),
        None if answered_by_openai(e) => "OpenAI".into(),
        None => format!("{host}'s"),
    }
}

pub(crate) fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// ` (“the server's words”)`, or nothing: for a message inside a sentence,
/// whatever punctuation it ends with.
pub(crate) fn quoted(message: &str) -> String {
    let message = message.trim().trim_end_matches(['.', '!']);
    if message.is_empty() {
        String::new()
    } else {
        format!(" (“{message}”)")
    }
}

pub(crate) fn colon(message: &str) -> String {
    if message.is_empty() {
        ".".into()
    } else {
        format!(": {message}")
    }
}

pub(crate) fn with_code(code: &str) -> String {
    if code.is_empty() {
        String::new()
    } else {
        format!(", {code}")
    }
}

/// ` (detail)`, or nothing when there are no words to add.
pub(crate) fn in_parens(detail: Option<&str>) -> String {
    detail.map(|d| format!(" ({d})")).unwrap_or_default()
}

/// ` --client azure`: the doctor flag for a client other than the default.
pub(crate) fn client_flag(client: crate::vocab::Client) -> String {
    if client == crate::vocab::Client::default() {
        return String::new();
    }
    let name: &'static str = client.into();
    format!(" --client {name}")
}
