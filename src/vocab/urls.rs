//! URLs, parsed once — by the same parser that sends them (reqwest's `Url`)
//! — and shown from that parse: the host a report names is the host the
//! request goes to. The user and password never show; neither do the values
//! of query parameters named like credentials (`api-key=`, `sig=`, …).

use std::borrow::Cow;

use url::Url;

/// The endings of query (and fragment) parameter names whose value is a
/// credential: Azure's `subscription-key` and `api-key`, SAS signatures,
/// AWS's `X-Amz-Signature`, OAuth's tokens and codes, `auth`. Names are
/// compared without case, separators or a leading `x`, so `x-api-key`,
/// `subscription_key` and `access-token` count; masking a harmless value
/// now and then costs less than showing one secret.
const CREDENTIAL_ENDINGS: &[&str] = &[
    "key",
    "keys",
    "token",
    "tokens",
    "sig",
    "signature",
    "code",
    "password",
    "passwd",
    "pwd",
    "pass",
    "secret",
    "secrets",
    "auth",
    "authorization",
    "bearer",
    "jwt",
    "session",
    "sid",
    "cookie",
    "credential",
    "credentials",
];

/// Whether a query parameter's name says its value is a credential.
pub(crate) fn is_credential_parameter(name: &str) -> bool {
    let name = percent_encoding::percent_decode_str(name).decode_utf8_lossy();
    let plain: String = name
        .chars()
        .map(from_full_width)
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    CREDENTIAL_ENDINGS.iter().any(|ending| plain.ends_with(ending))
}

/// `ｋｅｙ` as `key`: full-width forms name the same parameter to a reader.
fn from_full_width(c: char) -> char {
    match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        _ => c,
    }
}

/// The separators of a query's parameters: `&`, `;` as older servers and
/// SAS-style strings use it, and a second `?` written by mistake.
const PARAMETER_SEPARATORS: [char; 3] = ['&', ';', '?'];

/// A credential in a URL, masked where the URL is shown.
pub(crate) const HIDDEN: &str = "***";

/// The URL as a report shows it: scheme, host, port and path from the parse,
/// `***@` where a user or password was, credential parameters as `name=***`.
/// A URL that does not parse shows as `scheme://…` and nothing more; one
/// with an `@` after its host shows no path (what stands before that `@`
/// may be a password that was meant to be percent-encoded). A text without
/// `://` is no URL with credentials, and shows as it is unless it holds `@`.
pub(crate) fn shown(text: &str) -> String {
    match Url::parse(text) {
        Ok(url) if url.has_host() => show(&url, text_has_path(text)),
        _ => unparsed(text),
    }
}

/// [`shown`] for a URL already parsed (the request's own).
pub(crate) fn shown_parsed(url: &Url) -> String {
    show(url, true)
}

fn unparsed(text: &str) -> String {
    match text.split_once("://") {
        Some((scheme, _)) if is_scheme(scheme) => format!("{scheme}://…"),
        Some(_) => "…".to_string(),
        None if text.contains('@') => "…".to_string(),
        None => text.to_string(),
    }
}

fn is_scheme(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && text.len() <= 16
}

/// Whether the text names a path, so that `https://host` shows without the
/// `/` the parser adds.
fn text_has_path(text: &str) -> bool {
    text.split_once("://")
        .is_some_and(|(_, rest)| rest.contains(['/', '?', '#']))
}

fn show(url: &Url, with_root: bool) -> String {
    let mut out = format!("{}://", url.scheme());
    if !url.username().is_empty() || url.password().is_some() {
        out.push_str(HIDDEN);
        out.push('@');
    }
    out.push_str(url.host_str().unwrap_or_default());
    if let Some(port) = url.port() {
        out.push_str(&format!(":{port}"));
    }
    if misplaced_at(url) {
        out.push_str("/…");
        return out;
    }
    let path = url.path();
    if with_root || path != "/" || url.query().is_some() || url.fragment().is_some() {
        out.push_str(path);
    }
    if let Some(query) = url.query() {
        out.push('?');
        out.push_str(&masked_parameters(query));
    }
    if let Some(fragment) = url.fragment() {
        out.push('#');
        out.push_str(&masked_parameters(fragment));
    }
    out
}

/// `a=1&key=abc;sig=x` → `a=1&key=***;sig=***`: each separator kept.
fn masked_parameters(query: &str) -> String {
    let mut out = String::with_capacity(query.len());
    for pair in query.split_inclusive(PARAMETER_SEPARATORS) {
        let (pair, separator) = match pair.strip_suffix(PARAMETER_SEPARATORS) {
            Some(p) => (p, &pair[p.len()..]),
            None => (pair, ""),
        };
        match pair.split_once('=') {
            Some((name, value)) if is_credential_parameter(name) && !value.is_empty() => {
                out.push_str(name);
                out.push('=');
                out.push_str(HIDDEN);
            }
            _ => out.push_str(pair),
        }
        out.push_str(separator);
    }
    out
}

/// An `@` after the host, in the path, query or fragment: as parsed, what
/// stands before it is no user and password (a raw `/`, `?` or `#` ended
/// the authority early), so the request would go to another host than the
/// text seems to name — `http://127.0.0.1:9/v1@api.openai.com/v1` goes to
/// 127.0.0.1.
pub(crate) fn misplaced_at(url: &Url) -> bool {
    url[url::Position::BeforePath..].contains('@')
}

/// The host and port as parsed, for sentences ("it would go to 127.0.0.1:9").
pub(crate) fn authority(url: &Url) -> String {
    match url.port() {
        Some(port) => format!("{}:{port}", url.host_str().unwrap_or_default()),
        None => url.host_str().unwrap_or_default().to_string(),
    }
}

/// The secrets a URL holds, as written and percent-decoded: its user and
/// password, and the values of its credential parameters. For a text that
/// does not parse, also what stands between `//` and the last `@` when it
/// is long enough to hunt for safely (for one that parses, the parse says
/// what the host is, and the host is never hidden).
pub(crate) fn credentials(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut push = |raw: &str| {
        if raw.is_empty() {
            return;
        }
        found.push(raw.to_string());
        let decoded = percent_encoding::percent_decode_str(raw).decode_utf8_lossy();
        if decoded != raw {
            found.push(decoded.into_owned());
        }
    };
    let parsed = Url::parse(text).ok();
    if let Some(url) = &parsed {
        push(url.username());
        push(url.password().unwrap_or_default());
        for part in [url.query(), url.fragment()].into_iter().flatten() {
            for pair in part.split(PARAMETER_SEPARATORS) {
                if let Some((name, value)) = pair.split_once('=')
                    && is_credential_parameter(name)
                {
                    push(value);
                    // `+` is a space in a form-encoded value.
                    push(&value.replace('+', " "));
                }
            }
        }
    }
    if parsed.is_none()
        && let Some(start) = text.find("//").map(|at| at + 2)
        && let Some(at) = text[start..].rfind('@')
    {
        let userinfo = &text[start..start + at];
        let (user, password) = userinfo.split_once(':').unwrap_or((userinfo, ""));
        for part in [userinfo, user, password] {
            // A short guess hunted as a word could hide ordinary words.
            if part.chars().count() >= 8 {
                push(part);
            }
        }
    }
    found.dedup();
    found
}

/// Every URL in a free text (a pasted log) that holds a credential, shown
/// as [`shown`] shows it; a URL runs from its scheme to the next space or
/// quote. URLs with nothing to hide are left exactly as written.
pub(crate) fn shown_in(text: &str) -> Cow<'_, str> {
    if !text.contains("://") {
        return Cow::Borrowed(text);
    }
    let bounds = |c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '`' | '<' | '>');
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut changed = false;
    while let Some(at) = rest.find("://") {
        let start = rest[..at]
            .char_indices()
            .rev()
            .find(|(_, c)| bounds(*c))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let end = rest[at..].find(bounds).map_or(rest.len(), |e| at + e);
        let candidate = &rest[start..end];
        out.push_str(&rest[..start]);
        if holds_credentials(candidate) {
            out.push_str(&shown(candidate));
            changed = true;
        } else {
            out.push_str(candidate);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(text)
    }
}

/// A user or password (an `@` after `://`), or a credential parameter.
fn holds_credentials(url: &str) -> bool {
    let after_scheme = url.split_once("://").map_or("", |(_, rest)| rest);
    after_scheme.contains('@')
        || after_scheme.split(['?', '&', '#', ';']).skip(1).any(|pair| {
            pair.split_once('=')
                .is_some_and(|(name, _)| is_credential_parameter(name))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_shows_the_host_it_goes_to() {
        for (text, expected) in [
            ("https://api.openai.com/v1", "https://api.openai.com/v1"),
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
            ("http://user:pw@proxy:8080/v1", "http://***@proxy:8080/v1"),
            ("http://user@proxy:8080/", "http://***@proxy:8080/"),
            // The spoof: the key goes to 127.0.0.1, and so says the report.
            ("http://127.0.0.1:9/v1@api.openai.com/v1", "http://127.0.0.1:9/…"),
            ("http://127.0.0.1:9\\@api.openai.com/", "http://127.0.0.1:9/…"),
            (
                "https://api.openai.com\t.evil.example/v1",
                "https://api.openai.com.evil.example/v1",
            ),
            ("https://аpi.openai.com/v1", "https://xn--pi-6kc.openai.com/v1"),
            ("http://[::1]:9/v1", "http://[::1]:9/v1"),
            // No parse, nothing but the scheme.
            ("https://u:KEY@127.0.0.1:99999/v1", "https://…"),
            ("https://user:S3CRETpa/ss@gw.corp/v1", "https://…"),
            ("http://u:pa#ss@proxy:3128", "http://…"),
            ("api.openai.com/v1", "api.openai.com/v1"),
            ("u:p@host", "…"),
            (
                "https://r.openai.azure.com/openai/models?api-version=2024-10-21&api-key=3f9a1c0e",
                "https://r.openai.azure.com/openai/models?api-version=2024-10-21&api-key=***",
            ),
            (
                "https://h/x?sig=abc%2Bdef&sv=1#access_token=t0k",
                "https://h/x?sig=***&sv=1#access_token=***",
            ),
        ] {
            assert_eq!(shown(text), expected, "{text}");
        }
    }

    #[test]
    fn credentials_are_found_parsed_or_not() {
        let found = credentials("https://user:S3CRETpa%2Fss@gw.corp/v1?Subscription-Key=k3y-k3y-k3y");
        for secret in ["user", "S3CRETpa%2Fss", "S3CRETpa/ss", "k3y-k3y-k3y"] {
            assert!(found.contains(&secret.to_string()), "{secret}: {found:?}");
        }
        let found = credentials("https://u:S3CRETpa/ss@gw.corp/v1");
        assert!(found.contains(&"u:S3CRETpa/ss".to_string()), "{found:?}");
        assert!(credentials("https://api.openai.com/v1").is_empty());
    }

    #[test]
    fn free_text_changes_only_where_a_credential_is() {
        let text = "ProxyError: http://bob:hunter2@proxy.corp:3128 (407), see https://platform.openai.com/{x}, mail a@b.c";
        assert_eq!(
            shown_in(text),
            "ProxyError: http://***@proxy.corp:3128 (407), see https://platform.openai.com/{x}, mail a@b.c"
        );
        assert_eq!(shown_in("é https://u:p@h/x'"), "é https://***@h/x'");
        assert_eq!(
            shown_in("GET https://r.example/a?subscription-key=abcdef0123 HTTP/1.1"),
            "GET https://r.example/a?subscription-key=*** HTTP/1.1"
        );
        assert_eq!(shown_in("no url @ here"), "no url @ here");
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            /// Whatever the characters and wherever they stand, the host
            /// shown is the host the parser (and so the request) uses, and
            /// no user or password survives.
            #[test]
            fn the_host_shown_is_the_host_sent(
                scheme in "(https?|socks5)",
                user in "[A-Za-z0-9._~-]{0,8}",
                password in "[A-Za-z0-9/#?@:%!$&'()*+,;=._~\\\\-]{8,24}",
                host in "(127\\.0\\.0\\.1|api\\.openai\\.com|[a-z]{1,8}\\.example|\\[::1\\])(:[0-9]{1,5})?",
                path in "[A-Za-z0-9/@?#%._-]{0,24}",
            ) {
                let text = format!("{scheme}://{user}:{password}@{host}{path}");
                let out = shown(&text);
                prop_assert!(!out.contains(&password), "{}", out);
                match Url::parse(&text) {
                    Ok(url) if url.has_host() => {
                        let host = url.host_str().unwrap();
                        let prefix = format!("{scheme}://");
                        let rest = out.strip_prefix(&prefix).unwrap();
                        let rest = rest.strip_prefix("***@").unwrap_or(rest);
                        prop_assert!(rest.starts_with(host), "{} does not show host {}", out, host);
                    }
                    _ => prop_assert_eq!(out, format!("{scheme}://…")),
                }
            }
        }
    }
}
