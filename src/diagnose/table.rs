//! The diagnoses: one row each, tried in order, the first that matches wins.
//! To add one: a row here (where it must win over the rows below it) and a
//! test with a real error body in `tests/`.

use super::words::{capitalise, colon, fork_secret_advice, with_code};
use super::{Retry, Rule, Verdict};
use crate::plan::{BaseUrlProblem, Skip};
use crate::probe::NetworkErrorKind;
use crate::resolve::{KeySource, SourceState};

const NEW_KEY: &str = "Create a new key at https://platform.openai.com/api-keys";
const BILLING: &str = "https://platform.openai.com/settings/organization/billing";

pub const RULES: &[Rule] = &[
    Rule {
        id: "key_missing",
        title: "No API key found",
        verdict: Verdict::Fix,
        retry: Retry::Never,
        when: |e| e.skip() == Some(&Skip::NoKey),
        checklist: |e| {
            let mut list = vec![
                "No source holds a key. The SDK fails when the client is constructed, before any request: 3.x raises `Missing credentials…`, 1.x `The api_key client option must be set…`.".to_string(),
                "Set it for this shell with `export OPENAI_API_KEY=sk-…`, or pipe it in with --api-key-stdin; in CI, store it as a secret and map it into the job's environment.".to_string(),
            ];
            for s in e
                .resolution
                .sources
                .iter()
                .filter(|s| matches!(s.state, SourceState::Unreadable | SourceState::Invalid))
            {
                list.push(format!(
                    "Fix {} ({}): {}.",
                    s.source.label(),
                    s.location,
                    s.detail.as_deref().unwrap_or("unreadable")
                ));
            }
            list
        },
    },
    Rule {
        id: "key_empty",
        title: "The API key is empty",
        verdict: Verdict::Fix,
        retry: Retry::Never,
        when: |e| e.skip() == Some(&Skip::EmptyKey),
        checklist: |e| {
            let used = e.used().map_or("The key", |u| u.source.label());
            let mut list = vec![
                format!("{used} is set but empty, and an empty value still wins over every later source."),
                "The current Python SDK raises `Missing credentials…` when the client is constructed; openai-python 1.x sends no Authorization header and gets 401 \"You didn't provide an API key\".".to_string(),
            ];
            if let Some(hidden) = e.resolution.sources.iter().find(|s| s.state == SourceState::Set) {
                list.push(format!(
                    "It hides the key in {} ({}): python-dotenv's load_dotenv() does not override an existing variable. Run `unset OPENAI_API_KEY`, or put the key in the variable.",
                    hidden.source.label(), hidden.location
                ));
            }
            if e.used().is_some_and(|u| u.source == KeySource::Env) {
                list.push(fork_secret_advice(e));
            }
            list
        },
    },
    Rule {
        id: "key_malformed",
        title: "The key is malformed",
        verdict: Verdict::Fix,
        retry: Retry::Never,
        when: |e| {
            e.skip() == Some(&Skip::KeyUnsendable)
                || e.inspection
                    .is_some_and(|i| i.sendable == crate::inspect::Sendable::Cleaned)
                || (e.offline && e.has_error_findings())
        },
        checklist: |e| {
            let ids: Vec<String> = e.error_findings().iter().map(|f| f.id.name()).collect();
            let mut list = vec![format!(
                "Fix the value where it is stored ({}); the problems are listed under Findings ({}).",
                e.key_location(),
                ids.join(", ")
            )];
            match (e.skip(), e.outcome()) {
                (Some(Skip::KeyUnsendable), _) => list.push("Nothing was sent: a value like this cannot be a working key.".into()),
                (Some(Skip::Offline), _) => list.push("Checked offline: run without --offline to test the key against the server.".into()),
                (_, Some(o)) => list.push(match (o.status, &o.network_error) {
                    (Some(s), None) if (200..300).contains(&s) => format!("The cleaned key was accepted (HTTP {s}): only the stored value needs fixing."),
                    (Some(s), None) => format!("Even cleaned, the key was refused (HTTP {s}{}): run again once it is fixed to see the full diagnosis.", with_code(e.code())),
                    (_, Some(n)) => format!("The cleaned key could not be tested: {}.", n.detail),
                    (None, None) => "The cleaned key could not be tested.".into(),
                }),
                _ => {}
            }
            list
        },
    },
    Rule {
        id: "insecure_base_url",
        title: "The base URL would send the key unencrypted",
        verdict: Verdict::Fix,
        retry: Retry::Never,
        when: |e| matches!(e.skip(), Some(Skip::BaseUrl(BaseUrlProblem::Insecure(_)))),
        checklist: |e| {
            vec![
            format!("The base URL {} (from {}) is plain http to another machine: the key would cross the network in clear text, so nothing was sent.", crate::secret::redact_url(e.base_url()), e.base_url_origin()),
            "Use https://; plain http is allowed only to this machine (127.0.0.1, localhost, [::1]), e.g. a local proxy.".into(),
        ]
        },
    },
    Rule {
        id: "offline",
        title: "Checked offline: the key looks well-formed",
        verdict: Verdict::Pass,
        retry: Retry::Never,
        when: |e| e.skip() == Some(&Skip::Offline),
        checklist: |e| {
            vec![
                format!(
                    "No request was made (--offline): the form of {} looks right, but only the server can say whether it is valid.",
                    e.key_phrase()
                ),
                "Run without --offline to make one request to GET /models (free, no tokens used).".into(),
            ]
        },
    },
    Rule {
        id: "network_error",
        title: "The request did not reach OpenAI",
        verdict: Verdict::Unreachable,
        retry: Retry::Later,
        when: |e| e.outcome().is_some_and(|o| o.network_error.is_some()) || e.status() == Some(407),
        checklist: |e| {
            let error = e.outcome().and_then(|o| o.network_error.as_ref());
            let detail = error.map_or("the proxy asked for credentials (407)".to_string(), |n| {
                n.detail.clone()
            });
            let host = reqwest::Url::parse(e.base_url())
                .ok()
                .and_then(|u| u.host_str().map(str::to_string))
                .unwrap_or_default();
            let first = match error.map_or(NetworkErrorKind::Proxy, |n| n.kind) {
                NetworkErrorKind::Dns => format!(
                    "The name {host} could not be resolved ({detail}): check the network connection and DNS (in a container, its resolv.conf)."
                ),
                NetworkErrorKind::Connect => format!(
                    "No connection to {host} ({detail}): the network is down, a firewall blocks it, or the base URL's host or port is wrong."
                ),
                NetworkErrorKind::Tls => format!(
                    "The TLS handshake failed ({detail}): usually a company proxy that inspects TLS: pass its CA with --ca-cert (or point SSL_CERT_FILE at a bundle that holds it), or update the system's certificates."
                ),
                NetworkErrorKind::Timeout => format!(
                    "No answer within {} s ({detail}): a firewall dropping packets or a slow proxy; try again, or raise --timeout.",
                    e.timeout_seconds
                ),
                NetworkErrorKind::Proxy => format!(
                    "The proxy failed ({detail}): check HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY, and the proxy's credentials."
                ),
                NetworkErrorKind::Other => format!("The request failed: {detail}."),
            };
            vec![
                first,
                "The Python SDK reports every one of these as `APIConnectionError: Connection error.`; the key itself was not judged.".into(),
            ]
        },
    },
    Rule {
        id: "ok",
        title: "The key works (authenticated)",
        verdict: Verdict::Pass,
        retry: Retry::Never,
        when: |e| e.status().is_some_and(|s| (200..300).contains(&s)) && e.is_json(),
        checklist: |e| {
            let org = e.outcome().and_then(|o| o.headers.organization.clone());
            let mut list = vec![format!(
                "{} authenticated{}.",
                capitalise(&e.key_phrase()),
                org.map(|o| format!(" for the organization {o}"))
                    .unwrap_or_default()
            )];
            list.push(format!("This shows the key is valid, not that it has credit: GET /models is free, so a 429 insufficient_quota can still come on paid calls. Check credit and spend limits at {BILLING}."));
            if e.used().is_some_and(|u| u.source == KeySource::Dotenv) {
                list.push("Your program sees this key only if it loads .env before creating the client (load_dotenv(), node --env-file).".into());
            }
            list
        },
    },
    Rule {
        id: "restricted_key",
        title: "The key works but lacks a permission",
        verdict: Verdict::PassWithWarning,
        retry: Retry::Never,
        when: |e| {
            e.status_in(&[401, 403]) && (e.message_has(&["missing scopes"]) || e.code() == "missing_scope")
        },
        checklist: |e| {
            let scope = e
                .message()
                .split("Missing scopes:")
                .nth(1)
                .and_then(|s| s.split_whitespace().next())
                .map(|s| s.trim_end_matches('.').to_string());
            vec![
                format!("{} is valid but restricted: it lacks the scope {}.", capitalise(&e.key_phrase()), scope.as_deref().unwrap_or("named in the message")),
                "GET /models needs the permission \"Models: Read\"; your own calls need theirs (chat and responses need \"Model capabilities: Write\"). Edit the key's permissions under API keys, or use a key with All permissions.".into(),
                "Your role must allow it too: Reader, Writer or Owner in the organization, Member or Owner in the project.".into(),
            ]
        },
    },
    Rule {
        id: "ip_not_allowed",
        title: "This IP address is not allowed for the project",
        verdict: Verdict::Fix,
        retry: Retry::Never,
        when: |e| {
            e.status_in(&[401, 403]) && e.message_has(&["ip not authorized", "ip address", "allowlist"])
        },
        checklist: |_| {
            vec![
            "The project has an IP allowlist and this machine's public address is not on it.".into(),
            "Add the address in the project's settings (Security, IP allowlist) or run from an allowed network; CI runners change addresses from run to run.".into(),
        ]
        },
    },
    Rule {
        id: "account_disabled",
        title: "The account, organization or project is deactivated",
        verdict: Verdict::Fix,
        retry: Retry::Never,
        when: |e| {
            e.status_in(&[401, 403])
                && (e.code().contains("deactivated") || e.message_has(&["deactivated", "has been disabled"]))
        },
        checklist: |e| {
            vec![
            format!("The server says the account, organization or project behind {} is deactivated{}.", e.key_phrase(), with_code(e.code())),
            "An owner can check the organization's status and billing in the dashboard; otherwise contact OpenAI support. A new key will not help until it is reactivated.".into(),
        ]
        },
    },
    Rule {
        id: "organization_mismatch",
        title: "The organization does not match the key",
        verdict: Verdict::Fix,
        retry: Retry::Never,
        when: |e| {
            e.status_in(&[401, 403])
                && (matches!(
                    e.code(),
                    "mismatched_organization" | "no_organization" | "invalid_organization"
                ) || e.message_has(&["openai-organization", "member of an organization"]))
        },
        checklist: |e| {
            match e.sent_header("OpenAI-Organization", "OPENAI_ORG_ID") {
            Some(sent) => vec![
                format!("The request carried {sent}, and the key does not belong to that organization."),
                "Unset OPENAI_ORG_ID (a key already belongs to one organization, so it is rarely needed), or use a key created in that organization.".into(),
            ],
            None => vec![
                "The account behind the key belongs to no organization.".into(),
                "Create or join an organization at https://platform.openai.com, then create a key in it.".into(),
            ],
        }
        },
    },
    Rule {
        id: "project_mismatch",
        title: "The project does not match the key",
        verdict: Verdict::Fix,
        retry: Retry::Never,
        when: |e| {
            e.status_in(&[401, 403])
                && (e.code() == "mismatched_project" || e.message_has(&["openai-project"]))
        },
        checklist: |e| {
            vec![
            format!(
                "The request carried {}, and the key does not belong to that project.",
                e.sent_header("OpenAI-Project", "OPENAI_PROJECT_ID").unwrap_or_else(|| "an OpenAI-Project header".into())
            ),
            "Unset OPENAI_PROJECT_ID (a project key already names its project; hosting dashboards sometimes inject one), or use a key from that project.".into(),
        ]
        },
    },
    Rule {
        id: "unsupported_region",
        title: "Requests from this region are not supported",
        verdict: Verdict::Fix,
        retry: Retry::Never,
        when: |e| {
            e.status() == Some(403)
                && (e.code() == "unsupported_country_region_territory"
                    || e.message_has(&["country, region, or territory"]))
        },
        checklist: |_| {
            vec![
            "OpenAI refuses requests from the country, region or territory this request came from.".into(),
            "A VPN exit or a cloud region decides where you appear to be: run from a supported one (https://platform.openai.com/docs/supported-countries).".into(),
        ]
        },
    },
    Rule {
        id: "model_not_found",
        title: "The model is not available to this key",
        verdict: Verdict::Fix,
        retry: Retry::Never,
        when: |e| {
            (e.status_in(&[400, 403, 404]) && e.code() == "model_not_found")
                || (e.status() == Some(404) && e.model.is_some() && e.is_json())
        },
        checklist: |e| {
            vec![
            format!("The model `{}` does not exist or this project may not use it: {}", e.model.unwrap_or("?"), e.message()),
            "Check the exact model id, and the project's model access (Settings, Limits); run without --model to see that the key itself works.".into(),
        ]
        },
    },
    Rule {
        id: "invalid_api_key",
        title: "The key was rejected (401)",
        verdict: Verdict::Fix,
        retry: Retry::Never,
        when: |e| e.status() == Some(401) && e.is_json(),
        checklist: |e| {
            let mut list = Vec::new();
            if e.message_has(&["didn't provide an api key"]) {
                list.push("The server received no key: something between here and OpenAI (a proxy or gateway) dropped the Authorization header.".to_string());
            } else {
                list.push(format!("The server rejected {}: it is wrong, revoked or deleted, or belongs to a deleted project.", e.key_phrase()));
                list.extend(e.echo_comparison());
            }
            list.push(format!(
                "{NEW_KEY} and replace the value in {}.",
                e.key_location()
            ));
            list.push("Do not retry with the same key: it will not start working, and repeated failures can trip IP rate limits.".into());
            list
        },
    },
    Rule {
        id: "permission_denied",
        title: "Permission denied (403)",
        verdict: Verdict::Fix,
        retry: Retry::Never,
        when: |e| e.status() == Some(403) && e.is_json(),
        checklist: |e| {
            vec![
            format!("The key authenticated but may not do this: {}", e.message()),
            "Check the key's permissions (restricted keys), your role in the organization and project, and whether the feature is enabled for the organization.".into(),
        ]
        },
    },
    Rule {
        id: "quota_exceeded",
        title: "Quota exceeded: billing, not a rate limit",
        verdict: Verdict::Fix,
        retry: Retry::Never,
        when: |e| {
            e.status() == Some(429)
                && (e.error_type() == "insufficient_quota"
                    || ["quota", "billing", "credit", "spend", "usage_limit"]
                        .iter()
                        .any(|w| e.code().contains(w))
                    || e.message_has(&["exceeded your current quota", "billing details"]))
        },
        checklist: |_| {
            vec![
            "The organization or project has no credit left or reached a spend limit: this is billing, not a rate limit.".into(),
            "Retrying never helps (the SDK still retries it twice by default). Add credit or raise the limit, and check the project's budget.".into(),
            format!("Billing: {BILLING}; new credit can take a few minutes to apply."),
        ]
        },
    },
    Rule {
        id: "rate_limited",
        title: "Rate limited: retry later",
        verdict: Verdict::Retry,
        retry: Retry::After,
        when: |e| e.status() == Some(429),
        checklist: |e| {
            let wait = e
                .retry_after_seconds()
                .map_or("a little".to_string(), |s| format!("{s} s"));
            vec![
                format!("Too many requests for this key's organization or project right now{}", colon(e.message())),
                format!("Wait {wait} and try again; the SDK retries a 429 twice and honours retry-after up to 120 s."),
                "If one request is already too many, another program is using up the same limits: check Settings, Limits.".into(),
            ]
        },
    },
    Rule {
        id: "server_error",
        title: "OpenAI server error: retry later",
        verdict: Verdict::Retry,
        retry: Retry::Later,
        when: |e| e.status().is_some_and(|s| s >= 500),
        checklist: |e| {
            vec![
                format!(
                    "OpenAI answered {}{}: a fault on their side, not with the key.",
                    e.status().unwrap_or(500),
                    colon(e.message())
                ),
                "Retry in a minute with backoff, and check https://status.openai.com.".into(),
            ]
        },
    },
    Rule {
        id: "wrong_base_url",
        title: "The base URL does not lead to the OpenAI API",
        verdict: Verdict::Fix,
        retry: Retry::Never,
        when: |e| {
            matches!(e.skip(), Some(Skip::BaseUrl(BaseUrlProblem::Invalid(_))))
                || e.status().is_some_and(|s| {
                    (300..400).contains(&s) || (s == 404 && e.model.is_none()) || !e.is_json()
                })
        },
        checklist: |e| {
            let mut list = vec![match (e.skip(), e.outcome()) {
                (Some(Skip::BaseUrl(BaseUrlProblem::Invalid(why))), _) => {
                    format!("The base URL is not usable: {why}.")
                }
                (_, Some(o)) if o.headers.location.is_some() => format!(
                    "GET {} was redirected to {}: the key is not sent on to another address.",
                    o.url,
                    o.headers.location.as_deref().unwrap_or("")
                ),
                (_, Some(o)) if o.body_is_json => format!(
                    "GET {} answered 404: there is no OpenAI API at this base URL; the usual cause is a missing `/v1`.",
                    o.url
                ),
                (_, Some(o)) => format!(
                    "GET {} answered {} with {} that is not an OpenAI answer (always a JSON object): a captive portal, a proxy's login page or another web server answered, not the API.",
                    o.url,
                    o.status.unwrap_or(0),
                    o.headers.content_type.as_deref().unwrap_or("a body")
                ),
                _ => "The base URL does not answer like the OpenAI API.".into(),
            }];
            list.push(format!(
                "The base URL came from {}; OpenAI's is https://api.openai.com/v1 (with /v1).",
                e.base_url_origin()
            ));
            list
        },
    },
    Rule {
        id: "unexpected_response",
        title: "Unexpected response",
        verdict: Verdict::Fix,
        retry: Retry::Never,
        when: |_| true,
        checklist: |e| {
            vec![
                format!(
                    "HTTP {} was not expected for this request{}",
                    e.status().map_or("?".into(), |s| s.to_string()),
                    colon(e.message())
                ),
                "Run again with --verbose to see the response body and headers.".into(),
            ]
        },
    },
];
