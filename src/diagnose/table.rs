//! The diagnoses: one row each, tried in order, the first that matches wins.
//! A row reads the evidence (`e`); a fact only `doctor` has — where the key
//! is kept, the URL sent, the timeout — comes from `e.doctor`, so a sentence
//! that needs it can only be written when it is there.

use super::words::{
    Gateway, admin_key_only, capitalise, colon, dotenv_does_not_override, fork_secret_advice, gateway_words,
    in_parens, missing_credentials, quoted, with_code,
};
use super::{Header, Retry, Rule};
use crate::inspect::Sendable;
use crate::resolve::{KeySource, SourceState};
use crate::vocab::DiagnosisId as Id;
use crate::vocab::{
    BaseUrlProblem, Body, Client, FindingId, MissingSetting, NetworkErrorKind, NotSent, Sdk, Verdict,
};

const NEW_KEY: &str = "Create a new key at https://platform.openai.com/api-keys";
/// Azure OpenAI's current GA data-plane API version.
const AZURE_GA_VERSION: &str = "2024-10-21";
const AZURE_ENDPOINT_HOWTO: &str = "Set it to the resource's endpoint, `export AZURE_OPENAI_ENDPOINT=https://NAME.openai.azure.com/` (Azure portal: the resource's Keys and Endpoint page), or pass azure_endpoint= to the client (here: --azure-endpoint).";
const BILLING: &str = "https://platform.openai.com/settings/organization/billing";
const PYTHON_RETRIED: &str =
    "The Python SDK had already retried this twice (its default max_retries=2) before raising it.";

pub const RULES: &[Rule] = &[
    Rule {
        id: Id::KeyMissing,
        title: "No API key found",
        verdict: Verdict::Fix,
        retry: Retry::Never,
        when: |e| e.not_sent() == Some(&NotSent::NoKey),
        checklist: |e| {
            let Some(d) = e.doctor else {
                return vec![
                    "The SDK found no key when the client was constructed, so no request was made: 3.x raises `Missing credentials…`, 1.x `The api_key client option must be set…`.".into(),
                    "Set OPENAI_API_KEY in the environment the program runs in (in CI, store it as a secret and map it into the job's environment), or pass api_key= when creating the client.".into(),
                    "Run `openai-keycheck doctor` where the program runs to see every place a key could come from.".into(),
                ];
            };
            let client = d.resolution.client;
            // With an admin key the client is created; the call fails instead.
            let mut list = vec![match d.resolution.settings.admin_key {
                Some(_) => format!("No source holds an API key. {}", admin_key_only(client)),
                None => format!("No source holds a key. {}.", missing_credentials(client)),
            }];
            list.extend([
                "Set it for this shell with `export OPENAI_API_KEY=sk-…`, or pipe it in with --api-key-stdin; in CI, store it as a secret and map it into the job's environment.".to_string(),
            ]);
            for s in d
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
        id: Id::KeyEmpty,
        title: "The API key is empty",
        verdict: Verdict::Fix,
        retry: Retry::Never,
        when: |e| e.not_sent() == Some(&NotSent::EmptyKey) || e.no_key_arrived_in_text(),
        checklist: |e| {
            if e.no_key_arrived_in_text() {
                return vec![
                    "The server received no key: the request had no Authorization header, or `Bearer ` with nothing after it. Almost always the program's OPENAI_API_KEY is empty or unset: openai-python 1.x sends no header when the variable is set but empty, and curl sends `Bearer ` when `$OPENAI_API_KEY` is not set in its shell.".into(),
                    "Check the variable where the program runs: `echo ${#OPENAI_API_KEY}` prints its length (0: empty or unset). In CI, map the secret into the step's environment; a secret is empty in a pull request from a fork.".into(),
                    "Run `openai-keycheck doctor` there to see every place a key could come from. Only if the key is set and not empty: a proxy or gateway between the program and OpenAI dropped the Authorization header.".into(),
                ];
            }
            if e.not_sent() == Some(&NotSent::EmptyKey) && e.doctor.is_none() {
                return vec![
                    "The HTTP library refused the header `Authorization: Bearer ` (nothing after `Bearer `), so nothing was sent: the key the program read is empty.".into(),
                    "Set OPENAI_API_KEY where the program runs and check it is not empty (`echo ${#OPENAI_API_KEY}` prints its length); an empty value still wins over a .env file, since load_dotenv() does not override a variable that exists.".into(),
                    "Run `openai-keycheck doctor` there to see every place a key could come from.".into(),
                ];
            }
            let used = e.doctor.and_then(|d| d.tested());
            let client = e.doctor.map(|d| d.resolution.client).unwrap_or_default();
            let mut list = vec![
                format!(
                    "{} is set but empty, and an empty value still wins over every later source.",
                    used.map_or("The key", |u| u.source.label())
                ),
                match (client, used.map(|u| u.source)) {
                    (Client::Python, _) => "The current Python SDK raises `Missing credentials…` when the client is constructed; openai-python 1.x sends no Authorization header and gets 401 \"You didn't provide an API key\".".to_string(),
                    // Observed with 3.57: `Bearer ` with nothing after it is refused by the HTTP layer.
                    (Client::Azure, Some(KeySource::AzureAdToken)) => "`AzureOpenAI()` takes the empty token over AZURE_OPENAI_API_KEY, then fails every call with `APIConnectionError: Connection error.` and sends nothing.".to_string(),
                    // An empty AZURE_OPENAI_API_KEY reaches OpenAI()'s own check.
                    (Client::Azure, _) => "`AzureOpenAI()` raises `OpenAIError: Missing credentials…` when it is created, before any request.".to_string(),
                    _ => format!("{}.", missing_credentials(client)),
                },
            ];
            let Some(d) = e.doctor else { return list };
            let variable = match used.map(|u| u.source) {
                Some(source @ (KeySource::AzureAdToken | KeySource::AzureApiKey)) => source.label(),
                _ => "OPENAI_API_KEY",
            };
            let why = match client {
                Client::Azure => {
                    "AzureOpenAI() reads AZURE_OPENAI_API_KEY only when AZURE_OPENAI_AD_TOKEN is not set at all"
                }
                _ => dotenv_does_not_override(client),
            };
            if let Some(hidden) = d.resolution.sources.iter().find(|s| s.state == SourceState::Set) {
                list.push(format!(
                    "It hides the key in {} ({}): {why}. Run `unset {variable}`, or put a value in the variable.",
                    hidden.source.label(),
                    hidden.location,
                ));
            }
            if used.is_some_and(|u| u.source == KeySource::Env) {
                // Where an empty variable comes from depends on where this runs.
                let ci = &d.resolution.ci;
                if ci.in_ci {
                    list.push(fork_secret_advice(ci));
                } else {
                    let empties: Vec<String> = d
                        .resolution
                        .shell_exports
                        .iter()
                        .filter(|x| x.empty)
                        .map(|x| x.place())
                        .collect();
                    if !empties.is_empty() {
                        list.push(format!(
                            "{} sets OPENAI_API_KEY to nothing: remove the line or put the key there, then open a new shell.",
                            empties.join(" and ")
                        ));
                    }
                    list.push("Other places an empty OPENAI_API_KEY comes from on a machine like this: docker compose expanding `${OPENAI_API_KEY}` to \"\" because the variable was not set in the shell that ran it; an IDE run configuration that defines it empty; an `export OPENAI_API_KEY=` typed earlier in this shell.".into());
                }
            }
            list
        },
    },
    Rule {
        id: Id::SettingMissing,
        title: "Azure OpenAI needs a setting that is missing",
        verdict: Verdict::Fix,
        retry: Retry::Never,
        when: |e| matches!(e.not_sent(), Some(NotSent::SettingMissing(_))),
        checklist: |e| {
            match e.not_sent() {
            Some(NotSent::SettingMissing(MissingSetting::ApiVersion)) => vec![
                "No API version is set, so `AzureOpenAI()` raises `ValueError: Must provide either the api_version argument or the OPENAI_API_VERSION environment variable` when it is created; no request was made.".into(),
                format!("Set one: `export OPENAI_API_VERSION={AZURE_GA_VERSION}` (the current GA version; a preview feature needs a preview version), or pass api_version= to the client (here: --api-version)."),
            ],
            Some(NotSent::SettingMissing(MissingSetting::Endpoint { empty: true })) => vec![
                "AZURE_OPENAI_ENDPOINT is set but empty: `AzureOpenAI()` is created, and every call fails with `APIConnectionError: Connection error.` before anything is sent.".into(),
                AZURE_ENDPOINT_HOWTO.into(),
            ],
            _ => vec![
                "No endpoint is set, so `AzureOpenAI()` raises `ValueError: Must provide one of the base_url or azure_endpoint arguments, or the AZURE_OPENAI_ENDPOINT environment variable` when it is created; no request was made.".into(),
                AZURE_ENDPOINT_HOWTO.into(),
            ],
        }
        },
    },
    Rule {
        id: Id::ClientMismatch,
        title: "The key is for the other service (OpenAI or Azure OpenAI)",
        verdict: Verdict::Fix,
        retry: Retry::Never,
        when: |e| {
            e.not_sent() == Some(&NotSent::ClientMismatch)
                || (e.not_sent() == Some(&NotSent::KeyUnsendable)
                    && e.doctor
                        .is_some_and(|d| d.inspection.is_some_and(|i| i.provider == Some("Azure OpenAI"))))
                || (e.status() == Some(401) && e.echo_is_azure_key())
        },
        checklist: |e| {
            if e.not_sent() == Some(&NotSent::ClientMismatch) {
                return vec![
                    format!("{} is an OpenAI key (sk-…), and this run follows AzureOpenAI(): an Azure resource accepts only its own keys (KEY1, KEY2) or an Entra ID token, so nothing was sent.", capitalise(&e.key_phrase())),
                    "If the program talks to api.openai.com, it should use OpenAI(), not AzureOpenAI(): run with --client python. Otherwise put the resource's key in AZURE_OPENAI_API_KEY (Azure portal: the resource's Keys and Endpoint page).".into(),
                ];
            }
            vec![
                format!("{} is an Azure OpenAI key (32 hexadecimal characters), and the request goes to OpenAI's API, which accepts only its own sk-… keys{}.", capitalise(&e.key_phrase()), if e.doctor.is_some() { ", so nothing was sent" } else { "" }),
                "If the program talks to Azure OpenAI, it should use AzureOpenAI() with AZURE_OPENAI_API_KEY, AZURE_OPENAI_ENDPOINT and OPENAI_API_VERSION (check it with --client azure). Otherwise create an OpenAI key at https://platform.openai.com/api-keys.".into(),
            ]
        },
    },
    Rule {
        id: Id::KeyMalformed,
        title: "The key is malformed",
        verdict: Verdict::Fix,
        retry: Retry::Never,
        when: |e| {
            e.not_sent() == Some(&NotSent::KeyUnsendable)
                || e.doctor.is_some_and(|d| {
                    d.inspection.is_some_and(|i| i.sendable == Sendable::Cleaned)
                        || (d.options.offline && d.has_error_findings())
                })
        },
        checklist: |e| {
            let Some(d) = e.doctor else {
                return vec![
                    "The HTTP library refused to send the Authorization header, so no request was made: the key holds a character a header cannot carry — almost always a newline at its end (`\\n` in `b'Bearer sk-…\\n'`), from `echo` into a file, a secret pasted with Enter, or a .env line with a stray quote.".into(),
                    "Strip it at its source (`printf %s \"$KEY\"` instead of `echo` when writing a key file; a secret pasted with a final newline, saved again without it), or `.strip()` it in code.".into(),
                    "Run `openai-keycheck doctor --offline` where the program runs: it shows the character and where the key came from.".into(),
                ];
            };
            let errors = d.error_findings();
            // A secret manager's reference is no key to fix: the program
            // must run where the reference is resolved.
            if let Some(reference) = errors.iter().find(|f| f.id == FindingId::SecretReference) {
                return vec![
                    format!(
                        "{} ({}).",
                        capitalise(&reference.message),
                        d.key_location().unwrap_or("its source")
                    ),
                    "Nothing was sent: the reference itself is no key.".into(),
                ];
            }
            let ids: Vec<&str> = errors.iter().map(|f| f.id.name()).collect();
            let mut list = vec![format!(
                "Fix the value where it is stored ({}); the problems are listed under Findings ({}).",
                d.key_location().unwrap_or("its source"),
                ids.join(", ")
            )];
            if let Some(s) = e.status() {
                list.push(if (200..300).contains(&s) {
                    format!("The cleaned key was accepted (HTTP {s}): only the stored value needs fixing.")
                } else {
                    format!(
                        "Even cleaned, the key was refused (HTTP {s}{}): run again once it is fixed to see the full diagnosis.",
                        with_code(e.code())
                    )
                });
            } else if let Some(f) = e.failure() {
                list.push(match &f.detail {
                    Some(detail) => format!("The cleaned key could not be tested: {detail}."),
                    None => "The cleaned key could not be tested.".into(),
                });
            } else {
                match e.not_sent() {
                    Some(NotSent::KeyUnsendable) => {
                        list.push("Nothing was sent: a value like this cannot be a working key.".into())
                    }
                    Some(NotSent::Offline) => list.push(
                        "Checked offline: run without --offline to test the key against the server.".into(),
                    ),
                    _ => {}
                }
            }
            list
        },
    },
    Rule {
        id: Id::InsecureBaseUrl,
        title: "The base URL would send the key unencrypted",
        verdict: Verdict::Fix,
        retry: Retry::Never,
        when: |e| matches!(e.not_sent(), Some(NotSent::BaseUrl(BaseUrlProblem::Insecure(_)))),
        checklist: |e| {
            let url = match e.not_sent() {
                Some(NotSent::BaseUrl(BaseUrlProblem::Insecure(url))) => url.as_str(),
                _ => "",
            };
            let origin = e
                .doctor
                .map(|d| format!(" (from {})", d.base_url_origin()))
                .unwrap_or_default();
            vec![
                format!("The base URL {url}{origin} is plain http to another machine: the key would cross the network in clear text, so nothing was sent."),
                "Use https://; plain http is allowed only to this machine (127.0.0.1, localhost, [::1]), e.g. a local proxy.".into(),
            ]
        },
    },
    Rule {
        id: Id::UntrustedBaseUrl,
        title: "The base URL comes only from a .env file",
        verdict: Verdict::Fix,
        retry: Retry::Never,
        when: |e| matches!(e.not_sent(), Some(NotSent::DotenvBaseUrl { .. })),
        checklist: |e| {
            let Some(d) = e.doctor else {
                return vec!["The base URL comes only from a .env file; nothing was sent.".into()];
            };
            let credentials = match e.not_sent() {
                Some(NotSent::DotenvBaseUrl { credentials }) => credentials.join(", "),
                _ => String::new(),
            };
            let settings = &d.resolution.settings;
            let file = d
                .resolution
                .sources
                .iter()
                .find(|s| s.source == KeySource::Dotenv)
                .and_then(|s| s.file.as_ref())
                .map_or_else(|| "the .env file".to_string(), |f| f.display().to_string());
            vec![
                format!(
                    "The base URL {} comes only from {} in {file}, and the request would carry what did not come from that file: {credentials}. Nothing was sent, so that a .env you did not write (a cloned repository, a shared folder) cannot send your credentials to its host.",
                    crate::vocab::urls::shown(&settings.base_url.value),
                    settings.base_url.variable,
                ),
                format!(
                    "If the file is yours, run again with --trust-env-file; or set {} in the environment, or keep every credential the request carries in that .env too.",
                    settings.base_url.variable
                ),
                "Your programs send them there whenever they load that .env (load_dotenv(), node --env-file): check the host before they do.".into(),
            ]
        },
    },
    Rule {
        id: Id::KeyOnlyInFile,
        title: "The key is only in a file the SDKs never read",
        verdict: Verdict::Fix,
        retry: Retry::Never,
        when: |e| {
            e.doctor.is_some_and(|d| {
                d.used().is_none()
                    && d.tested().is_some_and(|t| {
                        matches!(t.source, KeySource::OpenaiAuthJson | KeySource::CodexAuthJson)
                    })
            })
        },
        checklist: |e| {
            let Some(file) = e.doctor.and_then(|d| d.tested()) else {
                return vec!["No key reaches your programs.".into()];
            };
            let mut list = vec![format!(
                "No key reaches your programs: the SDKs take the api_key= argument or OPENAI_API_KEY (and a .env only when the program loads it), never {}; a program raises `Missing credentials…` when it creates its client.",
                file.location
            )];
            let key = e.key_phrase();
            list.push(match (e.not_sent(), e.status(), e.failure()) {
                (Some(NotSent::Offline), ..) => format!("{} was checked offline only.", capitalise(&key)),
                (_, Some(s), _) if (200..300).contains(&s) => {
                    format!("{} was tested and works (HTTP {s}).", capitalise(&key))
                }
                (_, Some(s), _) => format!(
                    "{} was tested and refused too (HTTP {s}{}): it will need fixing as well.",
                    capitalise(&key),
                    with_code(e.code())
                ),
                (_, None, Some(f)) => format!(
                    "{} could not be tested{}.",
                    capitalise(&key),
                    in_parens(f.detail.as_deref())
                ),
                _ => format!("{} was not sent.", capitalise(&key)),
            });
            let field = match file.source {
                KeySource::CodexAuthJson => ".OPENAI_API_KEY",
                _ => ".api_key // .OPENAI_API_KEY",
            };
            list.push(format!(
                "Give it to your programs: `export OPENAI_API_KEY=\"$(jq -r '{field}' {})\"` in your shell's startup file, or put it in the .env your program loads.",
                file.location
            ));
            list
        },
    },
    Rule {
        id: Id::Offline,
        title: "Checked offline: the key looks well-formed",
        verdict: Verdict::Pass,
        retry: Retry::Never,
        when: |e| e.not_sent() == Some(&NotSent::Offline),
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
        id: Id::NetworkError,
        title: "The request did not reach OpenAI",
        verdict: Verdict::Unreachable,
        retry: Retry::Later,
        when: |e| e.failure().is_some() || e.status() == Some(407),
        checklist: |e| {
            let (kind, detail) = match e.failure() {
                Some(f) => (f.kind, f.detail.clone()),
                None => (
                    NetworkErrorKind::Proxy,
                    Some("the proxy asked for credentials (407)".to_string()),
                ),
            };
            let words = detail.as_deref();
            let detail = in_parens(words);
            // The host and the timeout are doctor's to know; an error text
            // seldom says either.
            let host = e
                .doctor
                .map(|d| d.host())
                .or_else(|| e.failure().and_then(|f| f.address.clone()));
            let timeout = e.doctor.and_then(|d| d.request).map(|r| r.timeout.as_secs());
            // Through a proxy, this machine looks up and connects to the
            // proxy only: a failure there is the proxy's, not OpenAI's.
            let proxy = e
                .doctor
                .and_then(|d| d.request)
                .and_then(|r| r.proxy.as_ref())
                .map(|p| {
                    let host = p.url.host_str().unwrap_or_default();
                    let at = match p.url.port_or_known_default() {
                        Some(port) => format!("{host}:{port}"),
                        None => host.to_string(),
                    };
                    (at, p.variable)
                });
            if let Some((at, variable)) = proxy.as_ref().filter(|_| e.failure().is_some()) {
                let host = at.split(':').next().unwrap_or(at);
                let first = match kind {
                    NetworkErrorKind::Dns => Some(format!(
                        "The proxy's name {host} (from {variable}) could not be resolved{detail}: through a proxy this machine looks up only the proxy, so check {variable} and this machine's DNS, not OpenAI's name."
                    )),
                    NetworkErrorKind::Connect | NetworkErrorKind::Proxy => Some(format!(
                        "No connection to the proxy {at} (from {variable}){detail}: the proxy is down or {variable} names the wrong host or port (and NO_PROXY may need the API's host, if it should go direct)."
                    )),
                    NetworkErrorKind::Timeout => Some(format!(
                        "The proxy {at} (from {variable}) did not answer in time{detail}: it is slow or drops the connection; try again, or check it with `curl -x {at} https://api.openai.com/v1/models`."
                    )),
                    NetworkErrorKind::Tls => Some(format!(
                        "The TLS handshake through the proxy {at} (from {variable}) failed{detail}: a proxy that inspects TLS shows its own certificate; pass its CA with --ca-cert (or point SSL_CERT_FILE at a bundle that holds it)."
                    )),
                    _ => None,
                };
                if let Some(first) = first {
                    return vec![
                        first,
                        "The Python SDK reports every one of these as `APIConnectionError: Connection error.`; the key itself was not judged.".into(),
                    ];
                }
            }
            let first = match kind {
                NetworkErrorKind::Dns => format!(
                    "{} could not be resolved{detail}: check the network connection and DNS (in a container, its resolv.conf).",
                    host.as_deref()
                        .map_or("The API's host name".to_string(), |h| format!("The name {h}"))
                ),
                NetworkErrorKind::Connect => format!(
                    "No connection to {}{detail}: the network is down, a firewall blocks it, or the base URL's host or port is wrong.",
                    host.as_deref().unwrap_or("the API")
                ),
                NetworkErrorKind::Tls if e.doctor.is_some() => format!(
                    "The TLS handshake failed{detail}: usually a company proxy that inspects TLS: pass its CA with --ca-cert (or point SSL_CERT_FILE at a bundle that holds it), or update the system's certificates."
                ),
                NetworkErrorKind::Tls => format!(
                    "The TLS handshake failed{detail}: usually a company proxy that inspects TLS: give the program its CA (SSL_CERT_FILE pointing at a bundle that holds it; Node: NODE_EXTRA_CA_CERTS), or update the system's certificates."
                ),
                NetworkErrorKind::Timeout => match timeout {
                    Some(seconds) => format!(
                        "No answer within {seconds} s{detail}: a firewall dropping packets or a slow proxy; try again, or raise --timeout."
                    ),
                    None => format!(
                        "No answer in time{detail}: a firewall dropping packets, a slow proxy or network; try again, or raise the client's timeout (`timeout=` in the Python and Node SDKs)."
                    ),
                },
                NetworkErrorKind::Proxy => format!(
                    "The proxy failed{detail}: check HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY, and the proxy's credentials."
                ),
                NetworkErrorKind::Other => match words {
                    Some(words) => format!("The request failed: {}.", words.trim_end_matches('.')),
                    None => "The request failed before any HTTP answer.".into(),
                },
            };
            // As the fixtures of both SDKs show it.
            let sdk = match e.sdk {
                Some(Sdk::Node) => {
                    "openai-node reports every one of these as `APIConnectionError: Connection error.`, with the cause in its `cause` field"
                }
                _ => "The Python SDK reports every one of these as `APIConnectionError: Connection error.`",
            };
            let mut list = vec![first, format!("{sdk}; the key itself was not judged.")];
            if e.sdk == Some(Sdk::Python) && kind == NetworkErrorKind::Other {
                list.push("In Python this is also what a key with a trailing newline gives: the SDK refuses the header and sends nothing. Run `openai-keycheck doctor --offline` to check the key's form.".into());
            }
            list
        },
    },
    Rule {
        id: Id::Ok,
        title: "The key works (authenticated)",
        verdict: Verdict::Pass,
        retry: Retry::Never,
        when: |e| {
            (e.status().is_some_and(|s| (200..300).contains(&s)) && e.may_be_the_api())
                || e.deployment_answered()
        },
        checklist: |e| {
            if e.deployment_answered() {
                return vec![
                    format!(
                        "{} authenticated, and the deployment `{}` exists: the service checked both, then refused the empty request that was sent on purpose (400{}), so no model ran and nothing was billed.",
                        capitalise(&e.key_phrase()),
                        e.model_flag().unwrap_or_default(),
                        colon(e.message()).trim_end_matches('.')
                    ),
                    "This does not show quota or content-filter settings: a real request can still be refused for those.".into(),
                ];
            }
            let org = e.answer().and_then(|a| a.headers.organization.clone());
            let mut list = vec![format!(
                "{} authenticated{}.",
                capitalise(&e.key_phrase()),
                org.map(|o| format!(" for the organization {o}"))
                    .unwrap_or_default()
            )];
            list.push(format!("This shows the key is valid, not that it has credit: GET /models is free, so a 429 insufficient_quota can still come on paid calls. Check credit and spend limits at {BILLING}."));
            if e.doctor.is_some_and(|d| {
                d.used().is_some_and(|u| u.source == KeySource::Dotenv) && !d.tests_another_source()
            }) {
                list.push("Your program sees this key only if it loads .env before creating the client (load_dotenv(), node --env-file).".into());
            }
            list
        },
    },
    Rule {
        id: Id::RestrictedKey,
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
        id: Id::NetworkAccessDenied,
        title: "The Azure resource does not accept traffic from this network",
        verdict: Verdict::Fix,
        retry: Retry::Never,
        when: |e| {
            e.status() == Some(403)
                && e.message_has(&[
                    "private endpoint",
                    "public access is disabled",
                    "virtual network",
                    "firewall",
                ])
        },
        checklist: |e| {
            vec![
                format!("The resource refused the request because of where it came from, not because of the key{}", colon(e.message())),
                "Its networking allows only selected networks or private endpoints (Azure portal: the resource's Networking page). Run from a network it allows (the VNet, through the private endpoint, whose DNS must resolve the endpoint to a private address), or add this machine's public address to the firewall's allowed ranges.".into(),
                "A new key will not help: the same key works from an allowed network.".into(),
            ]
        },
    },
    Rule {
        id: Id::RoleMissing,
        title: "The Entra ID identity lacks an Azure OpenAI role",
        verdict: Verdict::Fix,
        retry: Retry::Never,
        when: |e| {
            e.status_in(&[401, 403])
                && (e.code() == "PermissionDenied" || e.message_has(&["principal does not have access"]))
        },
        checklist: |e| {
            vec![
                format!("The token authenticated, but its identity may not call this resource{}", colon(e.message())),
                "Assign the role \"Cognitive Services OpenAI User\" to the user, group or managed identity on the resource (Access control (IAM), Add role assignment); Owner or Contributor is not enough for data calls.".into(),
                "Role assignments take a few minutes to apply; then get a new token (`az account get-access-token --resource https://cognitiveservices.azure.com`).".into(),
            ]
        },
    },
    Rule {
        id: Id::IpNotAllowed,
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
        id: Id::AccountDisabled,
        title: "The account, organization or project is deactivated",
        verdict: Verdict::Fix,
        retry: Retry::Never,
        when: |e| {
            e.status_in(&[401, 403])
                && (e.code().contains("deactivated") || e.message_has(&["deactivated", "has been disabled"]))
        },
        checklist: |e| {
            vec![
                format!(
                    "The server says the account, organization or project behind {} is deactivated{}.",
                    e.key_phrase(),
                    in_parens(Some(e.code()).filter(|c| !c.is_empty()).map(|c| format!("code {c}")).as_deref())
                ),
                "An owner can check the organization's status and billing in the dashboard; otherwise contact OpenAI support. A new key will not help until it is reactivated.".into(),
            ]
        },
    },
    Rule {
        id: Id::OrganizationMismatch,
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
            let no_organization =
                e.code() == "no_organization" || e.message_has(&["member of an organization"]);
            // Outer `None`: not doctor; inner `None`: doctor sent no such header.
            let sent = e.doctor.map(|d| d.sent_header(Header::Organization));
            match (no_organization, sent) {
                (true, None | Some(None)) => vec![
                    "The account behind the key belongs to no organization.".into(),
                    "Create or join an organization at https://platform.openai.com, then create a key in it.".into(),
                ],
                (_, sent) => vec![
                    match sent {
                        Some(Some(sent)) => format!("The request carried {sent}, and the key does not belong to that organization."),
                        Some(None) => "The server says the OpenAI-Organization header does not match the key, but this check sent none: something between here and OpenAI (a proxy, a gateway) added one.".into(),
                        None => "The request carried an OpenAI-Organization header (from OPENAI_ORG_ID, or organization= when the client was created) that is not the key's organization.".into(),
                    },
                    "Unset OPENAI_ORG_ID (a key already belongs to one organization, so it is rarely needed), or use a key created in that organization.".into(),
                ],
            }
        },
    },
    Rule {
        id: Id::ProjectMismatch,
        title: "The project does not match the key",
        verdict: Verdict::Fix,
        retry: Retry::Never,
        when: |e| {
            e.status_in(&[401, 403])
                && (e.code() == "mismatched_project" || e.message_has(&["openai-project"]))
        },
        checklist: |e| {
            vec![
                match e.doctor.map(|d| d.sent_header(Header::Project)) {
                    Some(Some(sent)) => format!("The request carried {sent}, and the key does not belong to that project."),
                    Some(None) => "The server says the OpenAI-Project header does not match the key, but this check sent none: something between here and OpenAI (a proxy, a gateway) added one.".into(),
                    None => "The request carried an OpenAI-Project header (from OPENAI_PROJECT_ID, or project= when the client was created), and the key does not belong to that project.".into(),
                },
                "Unset OPENAI_PROJECT_ID (a project key already names its project; hosting dashboards sometimes inject one), or use a key from that project.".into(),
            ]
        },
    },
    Rule {
        id: Id::UnsupportedRegion,
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
        id: Id::DeploymentNotFound,
        title: "The Azure deployment does not exist",
        verdict: Verdict::Fix,
        retry: Retry::Never,
        when: |e| e.status() == Some(404) && e.code() == "DeploymentNotFound",
        checklist: |e| {
            let deployment = e
                .model_flag()
                .map_or("the deployment".to_string(), |m| format!("the deployment `{m}`"));
            vec![
                format!("The key and the endpoint work, but {deployment} does not exist on this resource."),
                "In Azure OpenAI, `model=` names a deployment, not a model: use the deployment's name exactly as it is shown in the Azure AI Foundry portal (Deployments), which may differ from the model's (e.g. `my-gpt-4o` for gpt-4o).".into(),
                "A deployment made in the last five minutes may not be visible yet: wait, then run again.".into(),
            ]
        },
    },
    Rule {
        id: Id::ApiVersionUnsupported,
        title: "The service does not accept this API version",
        verdict: Verdict::Fix,
        retry: Retry::Never,
        when: |e| {
            e.status_in(&[400, 404])
                && (e.message_has(&[
                    "api version not supported",
                    "api-version",
                    "unsupported api version",
                ]) || e.code() == "UnsupportedApiVersion")
        },
        checklist: |e| {
            let version = e
                .doctor
                .and_then(|d| d.resolution.settings.azure.as_ref())
                .and_then(|a| a.api_version.as_ref())
                .map(|v| format!(" `{}` (from {})", v.value, v.from_words()));
            let mut list = vec![format!(
                "The service rejected the API version{}{}",
                version.unwrap_or_default(),
                colon(e.message())
            )];
            list.push(format!("Use a version the service lists, e.g. `OPENAI_API_VERSION={AZURE_GA_VERSION}` (GA); preview features need a recent `-preview` version."));
            if e.doctor
                .is_some_and(|d| d.resolution.settings.base_url.value.contains("/openai/v1"))
            {
                list.push("The endpoint ends in /openai/v1, the v1 API, which takes no api-version: use OpenAI(base_url=\"https://NAME.openai.azure.com/openai/v1/\") instead of AzureOpenAI(), or give AzureOpenAI() the bare endpoint.".into());
            }
            list
        },
    },
    Rule {
        id: Id::ModelNotFound,
        title: "The model is not available to this key",
        verdict: Verdict::Fix,
        retry: Retry::Never,
        when: |e| {
            (e.status_in(&[400, 403, 404]) && e.code() == "model_not_found")
                || (e.status() == Some(404) && e.model_flag().is_some() && e.may_be_the_api())
                // Clients that print only the message: "The model `gpt-x` does not exist…".
                || (e.status_in(&[400, 403, 404])
                    && model_in(e.message()).is_some()
                    && e.message_has(&["does not exist", "does not have access to model"]))
        },
        checklist: |e| {
            let model = e
                .model_flag()
                .map(str::to_string)
                .or_else(|| model_in(e.message()));
            let mut list = vec![match model {
                Some(model) => format!("The model `{model}` does not exist, or this project may not use it."),
                None => "The model asked for does not exist, or this project may not use it.".into(),
            }];
            if !e.message().is_empty() {
                list.push(format!("The server said: {}", e.message()));
            }
            list.push(match e.model_flag() {
                Some(_) => "Check the exact model id, and the project's model access (Settings, Limits); run without --model to see that the key itself works.".into(),
                None => "Check the exact model id, and the project's model access (Settings, Limits).".into(),
            });
            list
        },
    },
    Rule {
        id: Id::BadRequest,
        title: "The request was refused (400); the key authenticated",
        verdict: Verdict::Fix,
        retry: Retry::Never,
        when: |e| e.status() == Some(400) && e.may_be_the_api(),
        checklist: |e| {
            let mut list = vec![format!(
                "The server accepted the key and refused the request itself{}",
                colon(e.message())
            )];
            list.push(bad_request_advice(e));
            if let Some(param) = e
                .answer()
                .and_then(|a| a.error.as_ref())
                .and_then(|a| a.param.as_deref())
            {
                list.push(format!("The parameter it names: `{param}`."));
            }
            list.push(
                "Nothing is wrong with the key: do not create a new one, and do not retry the same request."
                    .into(),
            );
            list
        },
    },
    Rule {
        id: Id::InvalidApiKey,
        title: "The key was rejected (401)",
        verdict: Verdict::Fix,
        retry: Retry::Never,
        when: |e| e.status() == Some(401) && e.may_be_the_api(),
        checklist: |e| {
            if e.message_has(&["didn't provide an api key"]) {
                // No key arrived: a new key would not arrive either.
                // (An error text saying so is key_empty.)
                return vec![
                    "The server received no key: something between here and OpenAI (a proxy or gateway) dropped the Authorization header.".into(),
                    "Check the proxy or gateway that the base URL or HTTPS_PROXY names: it must pass the Authorization header on.".into(),
                ];
            }
            if e.is_azure() {
                return azure_rejection(e);
            }
            // What arrived was no OpenAI key at all: a new key would be put
            // where the wrong value already is.
            if let Some(words) = e.echo_is_no_openai_key() {
                return vec![
                    words,
                    "Fix the value the program reads (OPENAI_API_KEY, a .env file, a secret, a config file) so that it holds the key itself; the key was never tried, so do not revoke or replace it for this.".into(),
                    "Run `openai-keycheck doctor` where the program runs: it shows which source wins and what it holds.".into(),
                ];
            }
            let mut list = vec![format!(
                "The server rejected {}: it is wrong, revoked or deleted, or belongs to a deleted project.",
                e.key_phrase()
            )];
            list.extend(e.echo_comparison());
            // The cheaper fixes first: another key already at hand.
            let shadowed = e.doctor.and_then(|d| d.shadowed_dotenv_key());
            if let (Some(d), Some(other)) = (e.doctor, shadowed) {
                list.push(format!(
                    "The .env file ({}) holds a different key ({}) that your program never sees: the exported OPENAI_API_KEY wins, and load_dotenv() does not override a variable that exists. Test that key: `openai-keycheck doctor --source dotenv`.",
                    other.location,
                    other.value.as_ref().map(|v| v.masked()).unwrap_or_default()
                ));
                list.push(format!(
                    "If it works, stop the shadowing: `unset OPENAI_API_KEY`{}, or let the .env win: `load_dotenv(override=True)` in Python, `dotenv.config({{ override: true }})` in Node.",
                    d.exported_in().map(|place| format!(" and remove its export in {place}")).unwrap_or_default()
                ));
            }
            let exported = e
                .doctor
                .and_then(|d| d.exported_in())
                .map(|place| format!(" (exported in {place})"))
                .unwrap_or_default();
            let new_key = match e.doctor.and_then(|d| d.key_location()) {
                Some(location) => format!("{NEW_KEY} and replace the value in {location}{exported}."),
                None => format!(
                    "{NEW_KEY} and replace the value where the program reads it (OPENAI_API_KEY, a .env file, a secret store)."
                ),
            };
            // Another server answered: a service with keys of its own, or a
            // gateway that may refuse its own upstream key.
            if let Some(host) = e
                .doctor
                .filter(|d| !d.resolution.settings.is_openai())
                .map(|d| d.host())
            {
                match gateway_words(&host) {
                    Gateway::Known { name, keys } => {
                        list.push(format!(
                            "The key was refused by {name}, your base URL, not by OpenAI: it takes its own keys (made at {keys}), not one from platform.openai.com."
                        ));
                        list.push("Do not retry with the same key: it will not start working.".into());
                        return list;
                    }
                    Gateway::Unknown(who) => list.push(format!(
                        "This answer came from {who}, your base URL, not from api.openai.com: if it is a gateway (LiteLLM, a company proxy), the key it refused may be one of its own (a virtual key it issued, or its key for OpenAI); check with whoever runs it before changing yours."
                    )),
                }
            }
            // Only part of a wrapped key was sent: the whole one may work.
            if e.doctor
                .and_then(|d| d.tested())
                .is_some_and(|t| t.continued_on.is_some())
            {
                // What the server compared was the first line alone.
                list.truncate(1);
                list.push(
                    "Join the lines and run again before anything else: the whole key may well work.".into(),
                );
                return list;
            }
            list.push(if shadowed.is_some() {
                format!(
                    "If neither key works: {}{}",
                    NEW_KEY.to_lowercase(),
                    &new_key[NEW_KEY.len()..]
                )
            } else {
                new_key
            });
            list.push("Do not retry with the same key: it will not start working, and repeated failures can trip IP rate limits.".into());
            list
        },
    },
    Rule {
        id: Id::PermissionDenied,
        title: "Permission denied (403)",
        verdict: Verdict::Fix,
        retry: Retry::Never,
        when: |e| e.status() == Some(403) && e.may_be_the_api(),
        checklist: |e| {
            let mut list = vec![
                format!("The key authenticated but may not do this{}", colon(e.message())),
                "Check the key's permissions (restricted keys), your role in the organization and project, and whether the feature is enabled for the organization.".into(),
            ];
            // Another server's refusal follows its rules, not OpenAI's.
            if let Some(host) = e
                .doctor
                .filter(|d| !d.resolution.settings.is_openai())
                .map(|d| d.host())
            {
                let who = match gateway_words(&host) {
                    Gateway::Known { name, .. } => name.to_string(),
                    Gateway::Unknown(who) => who,
                };
                list.insert(1, format!("This answer came from {who}, your base URL, not from api.openai.com: its permissions apply."));
            }
            list
        },
    },
    Rule {
        id: Id::QuotaExceeded,
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
        checklist: |e| {
            let mut list: Vec<String> = Vec::new();
            if e.sdk == Some(Sdk::Python) {
                list.push(PYTHON_RETRIED.into());
            }
            list.extend([
                "The organization or project has no credit left or reached a spend limit: this is billing, not a rate limit.".into(),
                "Retrying never helps (the SDK still retries it twice by default). Add credit or raise the limit, and check the project's budget.".into(),
                format!("Billing: {BILLING}; new credit can take a few minutes to apply."),
            ]);
            list
        },
    },
    Rule {
        id: Id::RateLimited,
        title: "Rate limited: retry later",
        verdict: Verdict::Retry,
        retry: Retry::After,
        when: |e| e.status() == Some(429),
        checklist: |e| {
            let wait = e
                .retry_after_seconds()
                .map_or("a little".to_string(), |s| format!("{s} s"));
            let mut list: Vec<String> = Vec::new();
            if e.sdk == Some(Sdk::Python) {
                list.push(PYTHON_RETRIED.into());
            }
            list.extend([
                format!("Too many requests for this key's organization or project right now{}", colon(e.message())),
                format!("Wait {wait} and try again; the SDK retries a 429 twice and honours retry-after up to 120 s."),
                "If one request is already too many, another program is using up the same limits: check Settings, Limits.".into(),
            ]);
            list
        },
    },
    Rule {
        id: Id::ServerError,
        title: "Server error: retry later",
        verdict: Verdict::Retry,
        retry: Retry::Later,
        when: |e| e.status().is_some_and(|s| s >= 500),
        checklist: |e| {
            let status = e.status().unwrap_or(500);
            let answer = e.answer();
            let page = answer.filter(|a| a.body == Body::NotJson);
            let elsewhere = e
                .doctor
                .filter(|d| !d.resolution.settings.is_openai())
                .map(|d| d.host());
            // Who answered: OpenAI only when the base URL is OpenAI's and the
            // body is OpenAI's JSON; a proxy's or gateway's page otherwise.
            if page.is_none() && elsewhere.is_none() {
                return vec![
                    format!(
                        "OpenAI answered {status}{}: a fault on their side, not with the key.",
                        quoted(e.message())
                    ),
                    "Retry in a minute with backoff, and check https://status.openai.com.".into(),
                ];
            }
            let who = match &elsewhere {
                Some(host) => match gateway_words(host) {
                    Gateway::Known { name, .. } => format!("{name} ({host}), your base URL,"),
                    Gateway::Unknown(who) => format!("{}, your base URL,", capitalise(&who)),
                },
                None => e.doctor.map_or_else(
                    || "The server".to_string(),
                    |d| format!("The server at {}", d.host()),
                ),
            };
            let what = match page {
                Some(a) => format!(
                    " with {} that is not an OpenAI error: the error page of a proxy, load balancer or gateway in front (nginx, Cloudflare, …)",
                    a.headers.content_type.as_deref().unwrap_or("a body")
                ),
                None => quoted(e.message()),
            };
            vec![
                format!("{who} answered {status}{what}: the fault is there, not with the key."),
                "Retry in a minute with backoff; if it lasts, look at that server's logs or status page (https://status.openai.com speaks only for OpenAI's own servers).".into(),
            ]
        },
    },
    Rule {
        id: Id::WrongBaseUrl,
        title: "The base URL does not lead to the OpenAI API",
        verdict: Verdict::Fix,
        retry: Retry::Never,
        when: |e| {
            matches!(e.not_sent(), Some(NotSent::BaseUrl(BaseUrlProblem::Invalid(_))))
                || e.status().is_some_and(|s| {
                    (300..400).contains(&s) || (s == 404 && e.model_flag().is_none()) || !e.may_be_the_api()
                })
        },
        checklist: |e| {
            if e.is_azure() && e.status() == Some(404) && e.may_be_the_api() {
                return vec![
                    format!("The endpoint answered 404{}: there is no Azure OpenAI API at this address.", colon(e.message()).trim_end_matches('.')),
                    "AZURE_OPENAI_ENDPOINT must be the bare resource URL, https://NAME.openai.azure.com/ (or NAME.cognitiveservices.azure.com), without /openai or /openai/v1: AzureOpenAI() adds /openai itself. For the /openai/v1/ API, use OpenAI(base_url=\"https://NAME.openai.azure.com/openai/v1/\") instead.".into(),
                    format!("If the endpoint is right, the API version may be too old for this operation (Azure answers that with 404 \"Resource not found\" too): try OPENAI_API_VERSION={AZURE_GA_VERSION}."),
                ];
            }
            if e.message_has(&["/v1/v1/"]) {
                return vec![
                    format!("The server answered{}: the path holds /v1 twice, so the base URL already ends in /v1 and something added another.", colon(e.message())),
                    "Remove one: with the SDKs, base_url / OPENAI_BASE_URL ends in /v1 (https://api.openai.com/v1) and the paths are added after it; a library or proxy that adds /v1 itself wants the base URL without it.".into(),
                ];
            }
            // "GET http://…/v1/models" when doctor sent it; an error text
            // seldom says which URL was asked.
            let sent = e.doctor.and_then(|d| d.request).map(|r| format!("GET {}", r.url));
            let request = sent.clone().unwrap_or_else(|| "The request".into());
            let answered = sent.unwrap_or_else(|| "The server".into());
            let answer = e.answer();
            let mut list = vec![match (e.not_sent(), answer) {
                (Some(NotSent::BaseUrl(BaseUrlProblem::Invalid(why))), _) => {
                    format!("The base URL is not usable: {why}.")
                }
                (_, Some(a)) if a.headers.location.is_some() => format!(
                    "{request} was redirected to {}: the key is not sent on to another address.",
                    a.headers.location.as_deref().unwrap_or("")
                ),
                (_, Some(a)) if a.body != Body::NotJson => format!(
                    "{answered} answered {}: there is no OpenAI API at this base URL; the usual cause is a missing `/v1`.",
                    status_words(a.status)
                ),
                (_, Some(a)) => format!(
                    "{answered} answered {} with {} that is not an OpenAI answer (always a JSON object): a captive portal, a proxy's login page or another web server answered, not the API.",
                    status_words(a.status),
                    a.headers.content_type.as_deref().unwrap_or("a body")
                ),
                _ => "The base URL does not answer like the OpenAI API.".into(),
            }];
            list.push(match e.doctor {
                Some(d) => format!(
                    "The base URL came from {}; OpenAI's is https://api.openai.com/v1 (with /v1).",
                    d.base_url_origin()
                ),
                None => "Check the base URL the program uses (base_url= or OPENAI_BASE_URL); OpenAI's is https://api.openai.com/v1 (with /v1).".into(),
            });
            list
        },
    },
    Rule {
        id: Id::UnexpectedResponse,
        title: "Unexpected response",
        verdict: Verdict::Fix,
        retry: Retry::Never,
        when: |_| true,
        checklist: |e| {
            let mut list = vec![match e.status() {
                Some(s) => format!("HTTP {s} was not expected for this request{}", colon(e.message())),
                None => format!(
                    "This error was not expected for this request{}",
                    colon(e.message())
                ),
            }];
            if e.doctor.is_some() {
                list.push("Run again with --verbose to see the response body and headers.".into());
            }
            list
        },
    },
];

/// The model a message names: "The model `gpt-x` does not exist…",
/// "…does not have access to model `gpt-x`".
fn model_in(message: &str) -> Option<String> {
    let after = &message[message.find("model `")? + "model `".len()..];
    let model = &after[..after.find('`')?];
    (!model.is_empty()).then(|| model.to_string())
}

/// What a 400's message points at.
fn bad_request_advice(e: &super::Evidence) -> String {
    let code = e.code();
    if code == "context_length_exceeded" || e.message_has(&["maximum context length", "context window"]) {
        "The messages (with the tools and the room kept for the answer, max_tokens) are longer than the model's context window: shorten or summarise the conversation, lower max_tokens, or use a model with a larger window.".into()
    } else if e.message_has(&[
        "unsupported parameter",
        "unrecognized request argument",
        "unsupported value",
    ]) {
        "The model does not take a parameter the request sent (newer models take `max_completion_tokens`, not `max_tokens`, and some a fixed `temperature`): drop or rename it, or update the SDK or library that adds it.".into()
    } else if e.message_has(&["'messages'", "messages"]) {
        "The `messages` list is malformed: it must be a non-empty list of {\"role\", \"content\"} objects, with tool results following the assistant message that called them.".into()
    } else {
        "Fix the request as the message says; the same request will be refused again.".into()
    }
}

/// "404"; an error text may show an answer without its status.
fn status_words(status: Option<u16>) -> String {
    status.map_or_else(|| "without a status".to_string(), |s| s.to_string())
}

/// A 401 from Azure OpenAI: a key from another resource (or region), or a
/// token for the wrong audience or out of date.
fn azure_rejection(e: &super::Evidence) -> Vec<String> {
    let token = e
        .doctor
        .and_then(|d| d.tested())
        .is_some_and(|t| t.source == KeySource::AzureAdToken)
        || e.message_has(&["access token"]);
    if token {
        return vec![
            format!("The resource rejected the Entra ID token{}", colon(e.message())),
            "Tokens last about an hour and must be for the audience https://cognitiveservices.azure.com: get a new one with `az account get-access-token --resource https://cognitiveservices.azure.com --query accessToken -o tsv`, or let the program use azure_ad_token_provider so it never expires.".into(),
            "The token must come from the tenant the resource belongs to.".into(),
        ];
    }
    let endpoint = e
        .doctor
        .and_then(|d| d.resolution.settings.azure.as_ref())
        .and_then(|a| a.endpoint.as_ref())
        .map(|v| format!(" ({})", crate::vocab::urls::shown(&v.value)))
        .unwrap_or_default();
    vec![
        format!("The resource rejected {}{}", e.key_phrase(), colon(e.message())),
        format!("Copy KEY1 or KEY2 from the Keys and Endpoint page of the very resource the endpoint names{endpoint}, in the Azure portal: a key of another resource, or of the same name in another region, is refused with this same message."),
        "Check the endpoint's name and region too: https://NAME.openai.azure.com/ with the resource's own NAME (a custom subdomain, not the region name).".into(),
        "An OpenAI key (sk-…) never works here, nor an Azure key with api.openai.com. Do not retry with the same key.".into(),
    ]
}
