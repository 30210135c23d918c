//! The network settings around the request: the proxy the environment names
//! for the base URL (decided as reqwest decides it) and the certificates to
//! trust. Read here so the report can show them and the probe need not look.

use std::path::Path;

use hyper_util::client::proxy::matcher::Matcher;
use reqwest::Certificate;

use super::Env;
use super::files::{ReadError, read_file};
use crate::vocab::client::ProxyReading;
use crate::vocab::urls;
use crate::vocab::{ApiKey, Client, EnvVars, Finding, FindingId, Secrets};

/// Enough for any CA bundle.
const MAX_PEM_BYTES: u64 = 4 * 1024 * 1024;

/// The variables that decide which way the request goes and whom it trusts
/// on the way: a proxy (and whether Node reads one), and certificate
/// authorities. One a project's file sets can read what the request carries,
/// whatever host it goes to.
pub(crate) const ROUTE_VARIABLES: &[&str] = &[
    EnvVars::HTTPS_PROXY,
    EnvVars::HTTP_PROXY,
    EnvVars::ALL_PROXY,
    EnvVars::OPENAI_PROXY,
    EnvVars::NODE_USE_ENV_PROXY,
    EnvVars::NODE_OPTIONS,
    EnvVars::SSL_CERT_FILE,
    EnvVars::SSL_CERT_DIR,
    EnvVars::NODE_EXTRA_CA_CERTS,
];

#[derive(Debug, Clone, Default)]
pub struct Network {
    /// The proxy for the base URL, credentials masked, and the variable naming it.
    pub proxy: Option<Proxy>,
    /// `--ca-cert`: trusted in addition to the system's roots.
    pub extra_roots: Vec<Certificate>,
    /// The roots to verify with instead of the system's and
    /// `SSL_CERT_FILE`'s, where the client trusts a public bundle only.
    pub only_roots: Option<Vec<Certificate>>,
    /// The proxy or the roots are set by a project's file (a compose file,
    /// a unit file given by its path), in words: `HTTPS_PROXY in the compose
    /// service's environment`. Only what that file holds may go that way.
    pub chosen_by_project: Option<String>,
}

impl Network {
    /// Whether the request leaves the system's ordinary way: a proxy, or
    /// certificate authorities other than the system's.
    pub(crate) fn is_rerouted(&self) -> bool {
        self.proxy.is_some() || !self.extra_roots.is_empty() || self.only_roots.is_some()
    }
}

/// The proxy decided for the request, parsed once by the parser that shows
/// it. The probe hands exactly this to the HTTP client — the host and port,
/// and the user and password apart — and the client is told not to look at
/// the environment itself, so the report shows what was used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proxy {
    /// Scheme, host and port (and path), without user or password.
    pub url: url::Url,
    /// The user and password, percent-decoded, for `Proxy-Authorization`.
    pub credentials: Option<(ApiKey, ApiKey)>,
    pub variable: &'static str,
}

impl Proxy {
    /// As every report shows it.
    pub(crate) fn shown(&self) -> String {
        urls::shown_parsed(&self.url)
    }
}

pub(crate) fn resolve(
    env: &Env,
    base_url: &str,
    (ca_cert, proxy_flag): (Option<&Path>, Option<&str>),
    client: Client,
    secrets: &mut Secrets,
) -> (Network, Vec<Finding>) {
    let mut findings = Vec::new();
    let proxy = match proxy_flag {
        // The program's own agent: no variable and no client rule has a say.
        Some(flag) => {
            for credential in urls::credentials(&with_scheme(flag)) {
                secrets.add(&credential);
            }
            explicit_proxy(flag, base_url, PROXY_FLAG)
                .and_then(|p| clear_text_guard(p, base_url, &mut findings))
        }
        None => the_proxy(env, base_url, client, &mut findings),
    };
    proxy_credentials(env, secrets, &mut findings);
    if let Some(p) = &proxy {
        findings.push(Finding::info(
            FindingId::ProxyInUse,
            format!(
                "the request goes through the proxy {} (from {})",
                p.shown(),
                p.variable
            ),
        ));
    }
    let ignored_store = ignored_trust_store(env, client, &mut findings);
    if ignored_store.is_none() {
        trust_store(env, &mut findings);
    }
    let mut extra_roots = extra_roots(ca_cert, &mut findings);
    extra_roots.extend(client_extra_roots(env, client, &mut findings));
    let only_roots = public_roots_only(env, client, proxy.as_ref(), &mut findings).or(ignored_store);
    (
        Network {
            proxy,
            extra_roots,
            only_roots,
            chosen_by_project: None,
        },
        findings,
    )
}

/// The proxy the client's request goes through, as the client picks it.
fn the_proxy(env: &Env, base_url: &str, client: Client, findings: &mut Vec<Finding>) -> Option<Proxy> {
    let rules = client.rules();
    // langchain-openai hands OPENAI_PROXY to its HTTP client for every request.
    let own_proxy = rules
        .own_proxy
        .and_then(|name| Some((name, env.text(name).filter(|v| !v.is_empty())?)));
    // httpx mounts the environment's proxy per scheme, and those mounts
    // outrank langchain-openai's `all://` one for OPENAI_PROXY.
    let mut proxy = proxy_for(env, base_url)
        .or_else(|| own_proxy.and_then(|(name, value)| explicit_proxy(value, base_url, name)));
    if let Some((name, value)) = own_proxy
        && let Err(why) = parse_proxy(value)
    {
        findings.push(unusable(name, &why));
    }
    // Node's fetch reads no proxy variable unless told to (Node 24 and later;
    // observed: openai-node 6.49 on Node 20 goes direct with HTTPS_PROXY set).
    let node_reads_proxies = env.text(EnvVars::NODE_USE_ENV_PROXY) == Some("1")
        || env
            .text(EnvVars::NODE_OPTIONS)
            .is_some_and(|o| o.contains("--use-env-proxy"));
    if rules.proxy_reading == ProxyReading::WhenNodeIsTold
        && !node_reads_proxies
        && let Some(p) = proxy.take()
    {
        findings.push(Finding::info(
            FindingId::ProxyBypassed,
            format!(
                "{} names the proxy {}, but openai-node's fetch uses no proxy variable (unless NODE_USE_ENV_PROXY=1, Node 24 and later): the program goes direct, and so does this check; where only the proxy leads out, give the client a proxy agent (`fetchOptions: {{ dispatcher: new ProxyAgent(…) }}` from undici)",
                p.variable,
                p.shown()
            ),
        ));
    }
    proxy.and_then(|p| clear_text_guard(p, base_url, findings))
}

/// The name a proxy from the command line goes by.
const PROXY_FLAG: &str = "--proxy";

/// `--proxy`'s value as a usage error would word it, when it is no usable
/// proxy (the message shows no password).
pub fn check_proxy_flag(value: &str) -> Result<(), String> {
    parse_proxy(value)
        .map(|_| ())
        .map_err(|why| format!("--proxy: {why}"))
}

/// Plain http carries the key in clear text to the first hop: that hop
/// must be this machine. A proxy elsewhere is passed by, as curl passes by
/// proxies for localhost (an https target is tunnelled, so it is safe).
fn clear_text_guard(p: Proxy, base_url: &str, findings: &mut Vec<Finding>) -> Option<Proxy> {
    let target_is_plain_http = url::Url::parse(base_url).is_ok_and(|u| u.scheme() == "http");
    if target_is_plain_http && !is_loopback(&p.url) {
        findings.push(Finding::info(
            FindingId::ProxyBypassed,
            format!(
                "{} names the proxy {} for this plain-http request; the key would reach that machine in clear text, so the request goes direct instead (a program whose client uses the proxy would expose the key)",
                p.variable,
                p.shown()
            ),
        ));
        return None;
    }
    Some(p)
}

/// Every proxy variable's user and password are secrets, and a value that
/// is no usable proxy is said to be so.
fn proxy_credentials(env: &Env, secrets: &mut Secrets, findings: &mut Vec<Finding>) {
    for value in PROXY_VARIABLES
        .iter()
        .chain(&[EnvVars::OPENAI_PROXY])
        .filter_map(|name| env.text(name))
    {
        for credential in urls::credentials(&with_scheme(value)) {
            secrets.add(&credential);
        }
    }
    for name in PROXY_VARIABLES {
        if let Some(Err(why)) = env.text(name).filter(|v| !v.is_empty()).map(parse_proxy) {
            findings.push(unusable(name, &why));
        }
    }
}

/// `SSL_CERT_FILE` and `SSL_CERT_DIR`: roots that replace the system's.
fn trust_store(env: &Env, findings: &mut Vec<Finding>) {
    for name in [EnvVars::SSL_CERT_FILE, EnvVars::SSL_CERT_DIR] {
        let Some(value) = env.text(name).filter(|v| !v.is_empty()) else {
            continue;
        };
        // Pointing at the system's own store changes nothing worth a word.
        if is_system_store(value) {
            continue;
        }
        // Only looked at, never opened: the HTTP client reads it, and a FIFO
        // there would hold the request until the deadline.
        let kind = std::fs::metadata(value).map(|m| m.file_type());
        let odd = name == EnvVars::SSL_CERT_FILE && kind.as_ref().is_ok_and(|k| !k.is_file());
        findings.push(if odd {
            Finding::warning(
                FindingId::CustomTrustStore,
                format!("{name}={value} is not a regular file (a pipe or a device?): reading certificates from it may never finish, and the request would time out"),
            )
        } else {
            Finding::info(
                FindingId::CustomTrustStore,
                format!("{name}={value}: certificates are trusted from there instead of the system's store"),
            )
        });
    }
}

/// `--ca-cert`: roots to trust besides the system's.
fn extra_roots(ca_cert: Option<&Path>, findings: &mut Vec<Finding>) -> Vec<Certificate> {
    match ca_cert.map(|path| (path, read_pem(path))) {
        None => Vec::new(),
        Some((_, Ok(certs))) => certs,
        Some((path, Err(why))) => {
            findings.push(Finding::error(
                FindingId::CaCertUnusable,
                format!("--ca-cert {} {why}", path.display()),
            ));
            Vec::new()
        }
    }
}

/// The client's own variable for more roots (Node's `NODE_EXTRA_CA_CERTS`):
/// trusted as the program trusts them; one Node cannot read is said, and
/// Node goes on without it, as this check does.
fn client_extra_roots(env: &Env, client: Client, findings: &mut Vec<Finding>) -> Vec<Certificate> {
    let Some((name, value)) = client
        .rules()
        .extra_ca_variable
        .and_then(|name| Some((name, env.text(name).filter(|v| !v.is_empty())?)))
    else {
        return Vec::new();
    };
    match read_pem(Path::new(value)) {
        Ok(certs) => {
            findings.push(Finding::info(
                FindingId::CustomTrustStore,
                format!("{name}={value}: trusted besides the built-in roots, as Node does"),
            ));
            certs
        }
        Err(why) => {
            findings.push(Finding::warning(
                FindingId::CustomTrustStore,
                format!("{name}={value} {why}: Node warns and goes on without it, and so does this check"),
            ));
            Vec::new()
        }
    }
}

const PROXY_VARIABLES: &[&str] = &[
    EnvVars::HTTPS_PROXY,
    "https_proxy",
    EnvVars::HTTP_PROXY,
    "http_proxy",
    EnvVars::ALL_PROXY,
    "all_proxy",
];

/// Where distributions keep the system's certificates.
const SYSTEM_STORES: &[&str] = &[
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/ssl/certs",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/pki/tls/certs",
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
    "/etc/ssl/cert.pem",
    "/etc/ssl/ca-bundle.pem",
];

/// langchain-openai sends through OPENAI_PROXY with an HTTP client of its
/// own, which verifies with certifi's public bundle and ignores
/// `SSL_CERT_FILE` and `SSL_CERT_DIR` (observed, `tests/agreement.rs`): the
/// check then verifies with the system's public roots alone, as near to
/// certifi's as this machine holds, and says so.
/// A custom store the environment names (`SSL_CERT_FILE`, `SSL_CERT_DIR`)
/// that the client does not read: Node verifies with its own bundled
/// public roots unless told `--use-openssl-ca` (observed: openai-node 6.49
/// on Node 20 fails with UNABLE_TO_VERIFY_LEAF_SIGNATURE where
/// `SSL_CERT_FILE` alone names the CA). The check then verifies with the
/// system's public roots, as near as it gets to Node's.
fn ignored_trust_store(env: &Env, client: Client, findings: &mut Vec<Finding>) -> Option<Vec<Certificate>> {
    let openssl_ca = env
        .text(EnvVars::NODE_OPTIONS)
        .is_some_and(|o| o.contains("--use-openssl-ca"));
    if client.rules().reads_trust_store || openssl_ca {
        return None;
    }
    let named = [EnvVars::SSL_CERT_FILE, EnvVars::SSL_CERT_DIR]
        .into_iter()
        .find(|name| {
            env.text(name)
                .is_some_and(|v| !v.is_empty() && !is_system_store(v))
        })?;
    findings.push(Finding::warning(
        FindingId::CustomTrustStore,
        format!(
            "{named} is set, but Node ignores it (unless NODE_OPTIONS has --use-openssl-ca): a Node program trusts its bundled public roots and {}, so a certificate only {named} holds fails it, and this check verifies with the system's public roots instead. Name the CA in {} where the program runs",
            EnvVars::NODE_EXTRA_CA_CERTS,
            EnvVars::NODE_EXTRA_CA_CERTS
        ),
    ));
    Some(system_roots())
}

/// The system's own store, as the roots a client with a public bundle has.
fn system_roots() -> Vec<Certificate> {
    SYSTEM_STORES
        .iter()
        .find_map(|path| read_pem(Path::new(path)).ok())
        .unwrap_or_default()
}

fn public_roots_only(
    env: &Env,
    client: Client,
    proxy: Option<&Proxy>,
    findings: &mut Vec<Finding>,
) -> Option<Vec<Certificate>> {
    let own = client.rules().own_proxy?;
    proxy.filter(|p| p.variable == own)?;
    let named = [EnvVars::SSL_CERT_FILE, EnvVars::SSL_CERT_DIR]
        .into_iter()
        .find(|name| {
            env.text(name)
                .is_some_and(|v| !v.is_empty() && !is_system_store(v))
        })?;
    let roots = system_roots();
    findings.push(Finding::warning(
        FindingId::CustomTrustStore,
        format!(
            "{named} is set, but langchain-openai's client for {own} verifies with certifi's public bundle and ignores it: a certificate only {named} holds fails the program, and this check verifies with the system's public roots instead. Use HTTPS_PROXY (httpx's own proxy honours {named}), or add the CA to certifi's bundle"
        ),
    ));
    Some(roots)
}

fn is_system_store(value: &str) -> bool {
    let resolved = |p: &str| std::fs::canonicalize(p).ok();
    let Some(value) = resolved(value) else {
        return false;
    };
    SYSTEM_STORES
        .iter()
        .filter_map(|p| resolved(p))
        .any(|p| p == value)
}

/// Whether a URL's host is this machine: `localhost`, 127.0.0.0/8, `[::1]`.
pub(crate) fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

fn unusable(variable: &str, why: &str) -> Finding {
    Finding::warning(
        FindingId::ProxyUnusable,
        format!("{variable} cannot be used as a proxy: {why}; it is ignored, and requests go direct"),
    )
}

/// The schemes the request can go through.
const PROXY_SCHEMES: &[&str] = &["http", "https"];

/// A proxy variable's value with the `http://` that clients assume when it
/// has no scheme (`proxy.corp:3128`).
fn with_scheme(value: &str) -> std::borrow::Cow<'_, str> {
    if value.contains("://") {
        value.into()
    } else {
        format!("http://{value}").into()
    }
}

/// The one parse of a proxy URL: the same parser shows it and gives the
/// client its host, port, user and password. A user or password holding a
/// raw `/`, `?`, `#` or `@` ends the authority early, so that what looks
/// like a password would be taken for a host (and looked up in DNS): such a
/// value is refused, never guessed.
pub(crate) fn parse_proxy(value: &str) -> Result<(url::Url, Option<(ApiKey, ApiKey)>), String> {
    let text = with_scheme(value);
    let shown = urls::shown(&text);
    let mut url = url::Url::parse(&text).map_err(|e| {
        let hint = if text.contains('@') {
            "; a user or password with `/`, `?`, `#` or `@` in it must be percent-encoded (%2F, %3F, %23, %40)"
        } else {
            ""
        };
        format!("`{shown}` is not a URL ({e}){hint}")
    })?;
    let authority = text.split_once("://").map_or("", |(_, rest)| rest);
    let authority = &authority[..authority.find(['/', '?', '#']).unwrap_or(authority.len())];
    if authority.matches('@').count() > 1 {
        return Err(format!(
            "`{shown}`: its user or password holds a raw `@`, which parsers read differently; percent-encode it as %40"
        ));
    }
    if urls::misplaced_at(&url) {
        return Err(format!(
            "`{shown}` has an `@` after its host: its user or password holds a raw `/`, `?`, `#` or `@`, so as written the proxy would be `{}`; percent-encode them (%2F, %3F, %23, %40)",
            urls::authority(&url)
        ));
    }
    if !PROXY_SCHEMES.contains(&url.scheme()) {
        return Err(format!(
            "`{shown}` uses `{}:`; this check goes through http:// and https:// proxies only",
            url.scheme()
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("`{shown}` has no host"));
    }
    let decode = |s: &str| ApiKey::new(percent_encoding::percent_decode_str(s).decode_utf8_lossy());
    let credentials = (!url.username().is_empty() || url.password().is_some())
        .then(|| (decode(url.username()), decode(url.password().unwrap_or_default())));
    let _ = url.set_username("");
    let _ = url.set_password(None);
    Ok((url, credentials))
}

/// Which variable names the proxy for the base URL, decided by the matcher
/// reqwest uses (so NO_PROXY is honoured exactly as it would be); the
/// matcher sees only whether each variable is set, never its value.
fn proxy_for(env: &Env, base_url: &str) -> Option<Proxy> {
    let first = |names: &[&'static str]| {
        names
            .iter()
            .find_map(|n| env.text(n).filter(|v| !v.is_empty()).map(|v| (*n, v.to_string())))
    };
    let all = first(&[EnvVars::ALL_PROXY, "all_proxy"]);
    let https = first(&[EnvVars::HTTPS_PROXY, "https_proxy"]);
    let http = first(&[EnvVars::HTTP_PROXY, "http_proxy"]);
    let no = first(&[EnvVars::NO_PROXY, "no_proxy"])
        .map(|(_, v)| v)
        .unwrap_or_default();
    let placeholder = |v: &Option<(&str, String)>| {
        v.as_ref()
            .map_or_else(String::new, |_| "http://proxy.invalid:1".to_string())
    };
    let matcher = Matcher::builder()
        .all(placeholder(&all))
        .https(placeholder(&https))
        .http(placeholder(&http))
        .no(no)
        .build();
    let uri: http::Uri = base_url.parse().ok()?;
    matcher.intercept(&uri)?;
    let (variable, value) = match uri.scheme_str() {
        Some("https") => https.or(all),
        _ => http.or(all),
    }?;
    let (url, credentials) = parse_proxy(&value).ok()?;
    Some(Proxy {
        url,
        credentials,
        variable,
    })
}

/// One proxy for every request, named by a client's own variable.
fn explicit_proxy(value: &str, base_url: &str, variable: &'static str) -> Option<Proxy> {
    url::Url::parse(base_url).ok()?;
    let (url, credentials) = parse_proxy(value).ok()?;
    Some(Proxy {
        url,
        credentials,
        variable,
    })
}

/// Why `--ca-cert` gave no certificate.
#[derive(Debug)]
pub(crate) enum PemError {
    Read(ReadError),
    NotPem,
    NoCertificate,
}

impl std::fmt::Display for PemError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PemError::Read(e) => write!(f, "could not be read: {e}"),
            PemError::NotPem => f.write_str("is not PEM"),
            PemError::NoCertificate => {
                f.write_str("holds no certificate (expected -----BEGIN CERTIFICATE-----)")
            }
        }
    }
}

fn read_pem(path: &Path) -> Result<Vec<Certificate>, PemError> {
    let bytes = read_file(path, MAX_PEM_BYTES).map_err(PemError::Read)?;
    let certs = Certificate::from_pem_bundle(&bytes).map_err(|_| PemError::NotPem)?;
    if certs.is_empty() {
        return Err(PemError::NoCertificate);
    }
    Ok(certs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &[(&str, &str)]) -> Env {
        vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn the_https_proxy_is_shown_without_credentials() {
        let e = env(&[(EnvVars::HTTPS_PROXY, "http://user:s%2Fecret@proxy.corp:3128")]);
        let proxy = proxy_for(&e, "https://api.openai.com/v1").unwrap();
        assert_eq!(proxy.variable, EnvVars::HTTPS_PROXY);
        assert_eq!(proxy.shown(), "http://proxy.corp:3128/");
        assert_eq!(proxy.url.as_str(), "http://proxy.corp:3128/");
        // Decoded, for the Proxy-Authorization header only.
        let (user, password) = proxy
            .credentials
            .clone()
            .expect("credentials are kept for the request");
        assert_eq!((user.expose(), password.expose()), ("user", "s/ecret"));
        assert!(!format!("{:?}", Some(&proxy)).contains("ecret"));
    }

    #[test]
    fn a_password_that_ends_the_authority_early_is_refused_not_guessed() {
        for value in [
            "http://u:S3cr3tPassw0rd/x@127.0.0.1:9",
            "http://u:123/x@127.0.0.1:9",
            "http://u:pa#ss@proxy:3128",
            "http://u:pa?ss@proxy:3128",
            "u:S3cr3t/x@proxy:3128",
            "http://u:p@ss@proxy:3128",
        ] {
            let why = parse_proxy(value).expect_err(value);
            assert!(!why.contains("S3cr3t") && !why.contains("pa#ss"), "{why}");
            assert!(why.contains("percent-encode"), "{value}: {why}");
            let e = env(&[(EnvVars::HTTPS_PROXY, value)]);
            assert_eq!(proxy_for(&e, "https://api.openai.com/v1"), None, "{value}");
        }
        // Encoded, the same password is fine.
        let (url, credentials) = parse_proxy("http://u:S3cr3t%2Fx@[::1]:9").unwrap();
        assert_eq!(url.as_str(), "http://[::1]:9/");
        assert_eq!(credentials.unwrap().1.expose(), "S3cr3t/x");
    }

    #[test]
    fn no_proxy_is_honoured() {
        let e = env(&[
            (EnvVars::HTTPS_PROXY, "http://proxy.corp:3128"),
            (EnvVars::NO_PROXY, ".openai.com"),
        ]);
        assert_eq!(proxy_for(&e, "https://api.openai.com/v1"), None);
        let e = env(&[(EnvVars::ALL_PROXY, "http://proxy.corp:3128")]);
        assert_eq!(
            proxy_for(&e, "https://api.openai.com/v1").unwrap().variable,
            EnvVars::ALL_PROXY
        );
        assert_eq!(proxy_for(&env(&[]), "https://api.openai.com/v1"), None);
    }

    #[test]
    fn plain_http_goes_through_a_proxy_only_on_this_machine() {
        let decide = |proxy: &str| {
            let e = env(&[(EnvVars::HTTP_PROXY, proxy)]);
            let (network, findings) = resolve(
                &e,
                "http://127.0.0.1:4000/v1",
                (None, None),
                Client::Python,
                &mut Secrets::default(),
            );
            (
                network.proxy.map(|p| p.shown()),
                findings.iter().map(|f| f.id).collect::<Vec<_>>(),
            )
        };
        assert_eq!(
            decide("http://10.1.2.3:3128"),
            (None, vec![FindingId::ProxyBypassed])
        );
        assert_eq!(
            decide("https://proxy.corp:3128"),
            (None, vec![FindingId::ProxyBypassed])
        );
        assert_eq!(
            decide("http://127.0.0.1:3128"),
            (Some("http://127.0.0.1:3128/".into()), vec![FindingId::ProxyInUse])
        );
        // An https target is tunnelled: a proxy elsewhere sees no key.
        let e = env(&[(EnvVars::HTTPS_PROXY, "http://10.1.2.3:3128")]);
        let (network, _) = resolve(
            &e,
            "https://api.openai.com/v1",
            (None, None),
            Client::Python,
            &mut Secrets::default(),
        );
        assert!(network.proxy.is_some());
    }

    #[test]
    fn the_systems_own_store_is_no_custom_trust_store() {
        let dir = tempfile::tempdir().unwrap();
        let own = dir.path().join("corp.pem");
        std::fs::write(&own, "x").unwrap();
        let ids = |value: &str| {
            let (_, findings) = resolve(
                &env(&[(EnvVars::SSL_CERT_FILE, value)]),
                "https://api.openai.com/v1",
                (None, None),
                Client::Python,
                &mut Secrets::default(),
            );
            findings.iter().map(|f| f.id).collect::<Vec<_>>()
        };
        assert_eq!(ids(own.to_str().unwrap()), [FindingId::CustomTrustStore]);
        let system = SYSTEM_STORES.iter().find(|p| Path::new(p).is_file());
        let system = system.expect("a Linux machine has one of the system stores");
        assert!(ids(system).is_empty(), "{system}");
    }

    #[test]
    fn an_unusable_proxy_is_named() {
        let (_, findings) = resolve(
            &env(&[(EnvVars::HTTPS_PROXY, "ftp://nope")]),
            "https://api.openai.com/v1",
            (None, None),
            Client::Python,
            &mut Secrets::default(),
        );
        assert_eq!(
            findings.iter().map(|f| f.id).collect::<Vec<_>>(),
            [FindingId::ProxyUnusable]
        );
        let (_, findings) = resolve(
            &env(&[(EnvVars::HTTPS_PROXY, "proxy.corp:3128")]),
            "https://api.openai.com/v1",
            (None, None),
            Client::Python,
            &mut Secrets::default(),
        );
        assert_eq!(
            findings.iter().map(|f| f.id).collect::<Vec<_>>(),
            [FindingId::ProxyInUse]
        );
    }

    #[test]
    fn a_bad_ca_cert_is_a_finding() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ca.pem");
        std::fs::write(&path, "not a certificate").unwrap();
        let (network, findings) = resolve(
            &env(&[]),
            "https://api.openai.com/v1",
            (Some(path.as_path()), None),
            Client::Python,
            &mut Secrets::default(),
        );
        assert!(network.extra_roots.is_empty());
        assert_eq!(findings[0].id, FindingId::CaCertUnusable);
        let (_, findings) = resolve(
            &env(&[]),
            "https://api.openai.com/v1",
            (Some(dir.path().join("missing.pem").as_path()), None),
            Client::Python,
            &mut Secrets::default(),
        );
        assert!(findings[0].message.contains("could not be read"));
    }
}
