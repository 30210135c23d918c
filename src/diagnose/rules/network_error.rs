//! The request got no HTTP answer: name resolution, the connection, TLS, a
//! proxy or the time allowed failed.
//!
//! ## What it means
//! The key itself was not judged: nothing came back to judge it by.
//! `probe.network_error` says which step failed (`dns`, `connect`, `tls`,
//! `proxy`, `timeout`, `other`); a 407 from a proxy counts here too.
//! Through a proxy, this machine looks up and connects to the proxy only.
//!
//! ## Usual causes
//! No network or DNS (a container's `resolv.conf`); a firewall; a company
//! proxy that needs `HTTPS_PROXY`, or that inspects TLS and needs its CA
//! (`--ca-cert`, `SSL_CERT_FILE`); a local server that is not running; the
//! wrong host or port in the base URL.
//!
//! ## Example
//! `openai.APIConnectionError: Connection error.` (caused by
//! `httpx.ConnectError: [Errno 111] Connection refused`)

use crate::diagnose::words::in_parens;
use crate::diagnose::{Context, Evidence, Retry, Rule, Step};
use crate::vocab::client::ProxyReading;
use crate::vocab::{Client, DiagnosisId, FindingId, NetworkErrorKind, Sdk, Verdict};

pub(crate) const RULE: Rule = Rule {
    id: DiagnosisId::NetworkError,
    title: "The request did not reach the server",
    verdict: Verdict::Unreachable,
    retry: Retry::Later,
    steps: &[Step::AzureResourceName],
    when: |e| e.failure().is_some() || e.status() == Some(407),
    doctor,
    text,
};

/// What failed, and the words that came with it.
fn failure(e: &Evidence) -> (NetworkErrorKind, Option<String>) {
    match e.failure() {
        Some(f) => (f.kind, f.detail.clone()),
        None => (
            NetworkErrorKind::Proxy,
            Some("the proxy asked for credentials (407)".to_string()),
        ),
    }
}

fn doctor(e: &Evidence, d: Context) -> Vec<String> {
    let mut list = direct_or_through_proxy(e, d);
    // Node went direct past a proxy the environment names: where only the
    // proxy leads out, the program's own agent is what decides.
    let bypassed = d.resolution.client.rules().proxy_reading == ProxyReading::WhenNodeIsTold
        && d.request.is_some_and(|r| r.proxy.is_none())
        && d.resolution
            .findings
            .iter()
            .any(|f| f.id == FindingId::ProxyBypassed);
    if bypassed {
        list.insert(0, "The environment names a proxy that openai-node does not use (see proxy_bypassed), so this request went direct, as the program's does. If the program gives its client a proxy agent (`fetchOptions: { dispatcher: new ProxyAgent(URL) }`), check through it: `openai-keycheck doctor --client node --proxy URL`. If it does not, it fails as this check did: give it the agent, or on Node 24 and later set NODE_USE_ENV_PROXY=1.".into());
    }
    list
}

fn direct_or_through_proxy(e: &Evidence, d: Context) -> Vec<String> {
    let (kind, words) = failure(e);
    let detail = in_parens(words.as_deref());
    // Through a proxy, this machine looks up and connects to the proxy
    // only: a failure there is the proxy's, not OpenAI's.
    let proxy = d.request.and_then(|r| r.proxy.as_ref()).map(|p| {
        let host = p.url.host_str().unwrap_or_default();
        let at = match p.url.port_or_known_default() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_string(),
        };
        (at, p.variable)
    });
    if let Some((at, variable)) = proxy.as_ref().filter(|_| e.failure().is_some())
        && let Some(first) = at_the_proxy(kind, at, variable, &detail, &ca_advice(d))
    {
        return vec![first, not_judged(d.resolution.client.rules().connection_error)];
    }
    let host = d.host();
    // Nothing listening on this machine: the local server is not running.
    if kind == NetworkErrorKind::Connect
        && matches!(host.as_str(), "localhost" | "127.0.0.1" | "::1" | "[::1]")
    {
        let at = d
            .request
            .and_then(|r| r.url.to_send().port_or_known_default())
            .map(|port| format!("{host}:{port}"));
        return vec![
            format!(
                "Nothing answers at {}{detail}: is the local server (Ollama, LM Studio, vLLM, a LiteLLM proxy) running, and on this port?",
                at.unwrap_or(host)
            ),
            not_judged(d.resolution.client.rules().connection_error),
        ];
    }
    let first = match kind {
        NetworkErrorKind::Tls => format!(
            "The TLS handshake failed{detail}: usually a company proxy that inspects TLS: {}, or update the system's certificates.",
            ca_advice(d)
        ),
        NetworkErrorKind::Timeout => match d.request.map(|r| r.timeout.as_secs()) {
            Some(seconds) => format!(
                "No answer within {seconds} s{detail}: a firewall dropping packets or a slow proxy; try again, or raise --timeout."
            ),
            None => no_answer_in_time(&detail),
        },
        _ => first_line(kind, Some(&host), words.as_deref(), &detail),
    };
    vec![first, not_judged(d.resolution.client.rules().connection_error)]
}

fn text(e: &Evidence) -> Vec<String> {
    let (kind, words) = failure(e);
    let detail = in_parens(words.as_deref());
    // An error text seldom says the host; a connection error may.
    let host = e.failure().and_then(|f| f.address.clone());
    let first = match kind {
        NetworkErrorKind::Tls => format!(
            "The TLS handshake failed{detail}: usually a company proxy that inspects TLS: give the program its CA (SSL_CERT_FILE pointing at a bundle that holds it; Node: NODE_EXTRA_CA_CERTS), or update the system's certificates."
        ),
        NetworkErrorKind::Timeout => no_answer_in_time(&detail),
        _ => first_line(kind, host.as_deref(), words.as_deref(), &detail),
    };
    // As the fixtures of the clients show it.
    let client = match (e.client, e.sdk) {
        (Some(client), _) => client,
        (None, Some(Sdk::Node)) => Client::Node,
        (None, _) => Client::Python,
    };
    let mut list = vec![first, not_judged(client.rules().connection_error)];
    list.extend(client.rules().network_check.map(str::to_string));
    if e.sdk == Some(Sdk::Python) && kind == NetworkErrorKind::Other {
        list.push("In Python this is also what a key with a trailing newline gives: the SDK refuses the header and sends nothing. Run `openai-keycheck doctor --offline` to check the key's form.".into());
    }
    list
}

/// How to give the program the CA it lacks, in its client's terms: Node
/// reads NODE_EXTRA_CA_CERTS only, and langchain-openai's client for
/// OPENAI_PROXY trusts certifi's bundle only.
fn ca_advice(d: Context) -> String {
    let rules = d.resolution.client.rules();
    if let Some(extra) = rules.extra_ca_variable.filter(|_| !rules.reads_trust_store) {
        return format!(
            "give the program its CA with {extra}=ca.pem where it runs (this check reads the same variable under --client {})",
            <&str>::from(d.resolution.client)
        );
    }
    if d.resolution.settings.network.only_roots.is_some()
        && let Some(own) = rules.own_proxy
    {
        return format!(
            "through {own} alone the program trusts certifi's public bundle only, so SSL_CERT_FILE and --ca-cert cannot help it: use HTTPS_PROXY instead (httpx then honours SSL_CERT_FILE), or pass the client an http_client that verifies with the CA"
        );
    }
    "point SSL_CERT_FILE at a bundle that holds its CA where the program runs (check it here with the same variable, or --ca-cert)".into()
}

/// The first line for a failure at the proxy, or `None` where the proxy
/// is not to blame.
fn at_the_proxy(
    kind: NetworkErrorKind,
    at: &str,
    variable: &str,
    detail: &str,
    ca_advice: &str,
) -> Option<String> {
    let host = at.split(':').next().unwrap_or(at);
    match kind {
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
            "The TLS handshake through the proxy {at} (from {variable}) failed{detail}: a proxy that inspects TLS shows its own certificate; {ca_advice}."
        )),
        _ => None,
    }
}

/// The first line that reads the same for a run and a text.
fn first_line(kind: NetworkErrorKind, host: Option<&str>, words: Option<&str>, detail: &str) -> String {
    match kind {
        NetworkErrorKind::Dns => format!(
            "{} could not be resolved{detail}: check the network connection and DNS (in a container, its resolv.conf).",
            host.map_or("The API's host name".to_string(), |h| format!("The name {h}"))
        ),
        NetworkErrorKind::Connect => format!(
            "No connection to {}{detail}: the network is down, a firewall blocks it, or the base URL's host or port is wrong.",
            host.unwrap_or("the API")
        ),
        NetworkErrorKind::Proxy => format!(
            "The proxy failed{detail}: check HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY, and the proxy's credentials."
        ),
        _ => match words {
            Some(words) => format!("The request failed: {}.", words.trim_end_matches('.')),
            None => "The request failed before any HTTP answer.".into(),
        },
    }
}

fn no_answer_in_time(detail: &str) -> String {
    format!(
        "No answer in time{detail}: a firewall dropping packets, a slow proxy or network; try again, or raise the client's timeout (`timeout=` in the Python and Node SDKs)."
    )
}

/// How the client shows this, and that the key was not judged.
fn not_judged(connection_error: &str) -> String {
    format!("{connection_error}; the key itself was not judged.")
}
