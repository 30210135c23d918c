//! The network settings around the request: the proxy the environment names
//! for the base URL (decided as reqwest decides it) and the certificates to
//! trust. Read here so the report can show them and the probe need not look.

use std::path::Path;

use hyper_util::client::proxy::matcher::Matcher;
use reqwest::Certificate;

use super::Env;
use super::files::{ReadError, read_file};
use crate::vocab::secret;
use crate::vocab::{Client, Finding, FindingId, Secrets};

/// Enough for any CA bundle.
const MAX_PEM_BYTES: u64 = 4 * 1024 * 1024;

#[derive(Debug, Clone, Default)]
pub struct Network {
    /// The proxy for the base URL, credentials masked, and the variable naming it.
    pub proxy: Option<Proxy>,
    /// `--ca-cert`: trusted in addition to the system's roots.
    pub extra_roots: Vec<Certificate>,
}

/// The proxy decided for the request. The probe hands exactly this to the
/// HTTP client, which is told not to look at the environment itself, so the
/// report shows what was used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proxy {
    /// `scheme://host:port/` as the client will use it, without credentials.
    pub url: String,
    /// `Proxy-Authorization` from the URL's user and password (marked
    /// sensitive: `Debug` does not show it).
    pub auth: Option<http::HeaderValue>,
    pub variable: &'static str,
}

pub fn resolve(
    env: &Env,
    base_url: &str,
    ca_cert: Option<&Path>,
    client: Client,
    secrets: &mut Secrets,
) -> (Network, Vec<Finding>) {
    let mut findings = Vec::new();
    // langchain-openai hands OPENAI_PROXY to its HTTP client for every request.
    let langchain_proxy = env
        .text("OPENAI_PROXY")
        .filter(|v| client == Client::Langchain && !v.is_empty());
    let mut proxy = match langchain_proxy {
        Some(value) => explicit_proxy(value, base_url, "OPENAI_PROXY"),
        None => proxy_for(env, base_url),
    };
    // Node's fetch reads no proxy variable unless told to (Node 24 and later;
    // observed: openai-node 6.49 on Node 20 goes direct with HTTPS_PROXY set).
    let node_reads_proxies = env.text("NODE_USE_ENV_PROXY") == Some("1")
        || env
            .text("NODE_OPTIONS")
            .is_some_and(|o| o.contains("--use-env-proxy"));
    if client == Client::Node
        && !node_reads_proxies
        && let Some(p) = proxy.take()
    {
        findings.push(Finding::info(
            FindingId::ProxyBypassed,
            format!(
                "{} names the proxy {}, but openai-node's fetch uses no proxy variable (unless NODE_USE_ENV_PROXY=1, Node 24 and later): the program goes direct, and so does this check; where only the proxy leads out, give the client a proxy agent (`fetchOptions: {{ dispatcher: new ProxyAgent(…) }}` from undici)",
                p.variable, p.url
            ),
        ));
    }
    if let Some(value) = env.text("OPENAI_PROXY") {
        for credential in secret::url_credentials(value) {
            secrets.add(&credential);
        }
    }
    // Plain http carries the key in clear text to the first hop: that hop
    // must be this machine. A proxy elsewhere is passed by, as curl passes
    // by proxies for localhost (an https target is tunnelled, so it is safe).
    let target_is_plain_http = url::Url::parse(base_url).is_ok_and(|u| u.scheme() == "http");
    if let Some(p) =
        proxy.take_if(|p| target_is_plain_http && !url::Url::parse(&p.url).is_ok_and(|u| is_loopback(&u)))
    {
        findings.push(Finding::info(
            FindingId::ProxyBypassed,
            format!(
                "{} names the proxy {} for this plain-http request; the key would reach that machine in clear text, so the request goes direct instead (a program whose client uses the proxy would expose the key)",
                p.variable, p.url
            ),
        ));
    }
    for value in PROXY_VARIABLES.iter().filter_map(|name| env.text(name)) {
        for credential in secret::url_credentials(value) {
            secrets.add(&credential);
        }
    }
    for name in PROXY_VARIABLES {
        if let Some(value) = env.text(name).filter(|v| !v.is_empty() && !usable_proxy(v)) {
            findings.push(Finding::warning(
                FindingId::ProxyUnusable,
                format!(
                    "{name}={} is not a proxy URL that can be used (http://, https:// or socks5://host:port), so it is ignored and requests go direct",
                    secret::redact_url(value)
                ),
            ));
        }
    }
    if let Some(p) = &proxy {
        findings.push(Finding::info(
            FindingId::ProxyInUse,
            format!(
                "the request goes through the proxy {} (from {})",
                p.url, p.variable
            ),
        ));
    }
    for name in ["SSL_CERT_FILE", "SSL_CERT_DIR"] {
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
        let odd = name == "SSL_CERT_FILE" && kind.as_ref().is_ok_and(|k| !k.is_file());
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
    let extra_roots = match ca_cert.map(|path| (path, read_pem(path))) {
        None => Vec::new(),
        Some((_, Ok(certs))) => certs,
        Some((path, Err(why))) => {
            findings.push(Finding::error(
                FindingId::CaCertUnusable,
                format!("--ca-cert {} {why}", path.display()),
            ));
            Vec::new()
        }
    };
    (Network { proxy, extra_roots }, findings)
}

const PROXY_VARIABLES: &[&str] = &[
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
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
pub fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Whether reqwest's matcher accepts the value as a proxy at all.
fn usable_proxy(value: &str) -> bool {
    let matcher = Matcher::builder().all(value.to_string()).build();
    let probe: http::Uri = "https://api.openai.com/".parse().expect("a valid URI");
    matcher.intercept(&probe).is_some()
}

/// The variables reqwest reads, in its order, passed to the same matcher it
/// uses, so that NO_PROXY is honoured exactly as it will be.
fn proxy_for(env: &Env, base_url: &str) -> Option<Proxy> {
    let first = |names: &[&'static str]| {
        names
            .iter()
            .find_map(|n| env.text(n).filter(|v| !v.is_empty()).map(|v| (*n, v.to_string())))
    };
    let all = first(&["ALL_PROXY", "all_proxy"]);
    let https = first(&["HTTPS_PROXY", "https_proxy"]);
    let http = first(&["HTTP_PROXY", "http_proxy"]);
    let no = first(&["NO_PROXY", "no_proxy"])
        .map(|(_, v)| v)
        .unwrap_or_default();
    let value = |v: &Option<(&str, String)>| v.as_ref().map(|(_, s)| s.clone()).unwrap_or_default();
    let matcher = Matcher::builder()
        .all(value(&all))
        .https(value(&https))
        .http(value(&http))
        .no(no)
        .build();
    let uri: http::Uri = base_url.parse().ok()?;
    let variable = match uri.scheme_str() {
        Some("https") => https.or(all),
        _ => http.or(all),
    }
    .map_or("the environment", |(name, _)| name);
    proxy_from(&matcher, &uri, variable)
}

/// One proxy for every request, named by a client's own variable.
fn explicit_proxy(value: &str, base_url: &str, variable: &'static str) -> Option<Proxy> {
    let matcher = Matcher::builder().all(value.to_string()).build();
    proxy_from(&matcher, &base_url.parse().ok()?, variable)
}

fn proxy_from(matcher: &Matcher, uri: &http::Uri, variable: &'static str) -> Option<Proxy> {
    let intercept = matcher.intercept(uri)?;
    let auth = intercept.basic_auth().cloned().map(|mut value| {
        value.set_sensitive(true);
        value
    });
    Some(Proxy {
        // The matcher keeps the user and password apart from the URI.
        url: intercept.uri().to_string(),
        auth,
        variable,
    })
}

/// Why `--ca-cert` gave no certificate.
#[derive(Debug)]
pub enum PemError {
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
        let e = env(&[("HTTPS_PROXY", "http://user:secret@proxy.corp:3128")]);
        let proxy = proxy_for(&e, "https://api.openai.com/v1").unwrap();
        assert_eq!(proxy.variable, "HTTPS_PROXY");
        assert!(!proxy.url.contains("secret"), "{}", proxy.url);
        assert!(proxy.url.contains("proxy.corp:3128"));
        // base64 of user:secret, for the Proxy-Authorization header only.
        let auth = proxy.auth.clone().expect("credentials are kept for the request");
        assert_eq!(auth.to_str().unwrap(), "Basic dXNlcjpzZWNyZXQ=");
        assert!(auth.is_sensitive());
        assert!(!format!("{:?}", Some(&proxy)).contains("dXNlcjpzZWNyZXQ"));
    }

    #[test]
    fn no_proxy_is_honoured() {
        let e = env(&[
            ("HTTPS_PROXY", "http://proxy.corp:3128"),
            ("NO_PROXY", ".openai.com"),
        ]);
        assert_eq!(proxy_for(&e, "https://api.openai.com/v1"), None);
        let e = env(&[("ALL_PROXY", "http://proxy.corp:3128")]);
        assert_eq!(
            proxy_for(&e, "https://api.openai.com/v1").unwrap().variable,
            "ALL_PROXY"
        );
        assert_eq!(proxy_for(&env(&[]), "https://api.openai.com/v1"), None);
    }

    #[test]
    fn plain_http_goes_through_a_proxy_only_on_this_machine() {
        let decide = |proxy: &str| {
            let e = env(&[("HTTP_PROXY", proxy)]);
            let (network, findings) = resolve(
                &e,
                "http://127.0.0.1:4000/v1",
                None,
                Client::Python,
                &mut Secrets::default(),
            );
            (
                network.proxy.map(|p| p.url),
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
        let e = env(&[("HTTPS_PROXY", "http://10.1.2.3:3128")]);
        let (network, _) = resolve(
            &e,
            "https://api.openai.com/v1",
            None,
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
                &env(&[("SSL_CERT_FILE", value)]),
                "https://api.openai.com/v1",
                None,
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
            &env(&[("HTTPS_PROXY", "ftp://nope")]),
            "https://api.openai.com/v1",
            None,
            Client::Python,
            &mut Secrets::default(),
        );
        assert_eq!(
            findings.iter().map(|f| f.id).collect::<Vec<_>>(),
            [FindingId::ProxyUnusable]
        );
        let (_, findings) = resolve(
            &env(&[("HTTPS_PROXY", "proxy.corp:3128")]),
            "https://api.openai.com/v1",
            None,
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
            Some(&path),
            Client::Python,
            &mut Secrets::default(),
        );
        assert!(network.extra_roots.is_empty());
        assert_eq!(findings[0].id, FindingId::CaCertUnusable);
        let (_, findings) = resolve(
            &env(&[]),
            "https://api.openai.com/v1",
            Some(&dir.path().join("missing.pem")),
            Client::Python,
            &mut Secrets::default(),
        );
        assert!(findings[0].message.contains("could not be read"));
    }
}
