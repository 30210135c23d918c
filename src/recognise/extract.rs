//! Reading an error someone already has: keys to mask, the HTTP status, the
//! OpenAI error body (JSON, or the Python SDK's dict repr), the headers curl
//! prints, and the SDKs' exception names. In a log the last error is the one
//! that stopped the program, so every search prefers the last match. Every
//! scan is linear in the input or bounded, so a 5 MB log costs little.

use std::sync::LazyLock;

use regex::Regex;

use crate::vocab::{
    ApiError, BaseUrlProblem, MissingSetting, NetworkErrorKind, NetworkFailure, NotSent, Secrets,
};
use crate::vocab::{pasted, text, urls};

use super::literal;

/// How far past `{` an error body may reach; real ones are under 1 KiB.
const MAX_BODY_CHARS: usize = 64 * 1024;
/// Candidate bodies tried before giving up: a log may mention "error" a lot.
const MAX_BODY_CANDIDATES: usize = 32;
/// Masks every secret a pasted text can hold: keys and tokens
/// ([`pasted::mask`]) and the credentials in URLs.
pub(crate) fn mask_secrets(text: &str) -> String {
    urls::shown_in(&mask_keys(text)).into_owned()
}

/// Masks every key in the text, by context and by shape (see
/// [`pasted::mask`]).
pub(crate) fn mask_keys(text: &str) -> String {
    pasted::mask(text)
}

/// The SDK exception named in the text, if any, e.g. `RateLimitError`.
pub(crate) fn exception(text: &str) -> Option<&'static str> {
    const NAMES: &[&str] = &[
        "AuthenticationError",
        "PermissionDeniedError",
        "NotFoundError",
        "RateLimitError",
        "BadRequestError",
        "InvalidRequestError",
        "ContextWindowExceededError",
        "ConflictError",
        "UnprocessableEntityError",
        "InternalServerError",
        "ServiceUnavailableError",
        "APITimeoutError",
        "APIConnectionError",
        "AI_APICallError",
        "UnauthorizedException",
        "PermissionDeniedException",
        "NotFoundException",
        "RateLimitException",
        "BadRequestException",
        "InternalServerException",
        "ClientResultException",
        "RequestFailedException",
        "UnauthorizedError",
        "ForbiddenError",
        "TooManyRequestsError",
        "OpenAIError",
    ];
    NAMES
        .iter()
        .copied()
        .filter_map(|n| text.rfind(n).map(|at| (at, n)))
        .max()
        .map(|(_, n)| n)
}

/// The status an SDK exception class stands for.
pub(crate) fn status_of_exception(name: &str) -> Option<u16> {
    Some(match name {
        // 0.x raised InvalidRequestError for 400 and 404 alike: its message decides.
        "BadRequestError" | "ContextWindowExceededError" | "BadRequestException" => 400,
        "AuthenticationError" | "UnauthorizedException" | "UnauthorizedError" => 401,
        "PermissionDeniedError" | "PermissionDeniedException" | "ForbiddenError" => 403,
        "NotFoundError" | "NotFoundException" => 404,
        "ConflictError" => 409,
        "UnprocessableEntityError" => 422,
        "RateLimitError" | "RateLimitException" | "TooManyRequestsError" => 429,
        "InternalServerError" | "InternalServerException" => 500,
        "ServiceUnavailableError" => 503,
        _ => return None,
    })
}

/// The status an error code or type stands for when nothing else says.
/// Azure and Cloudflare put the status itself in `code` (`"403"`, `502`).
pub(crate) fn status_of_code(code: &str) -> Option<u16> {
    if code.len() == 3
        && let Ok(status) = code.parse::<u16>()
    {
        return (400..600).contains(&status).then_some(status);
    }
    Some(match code {
        "server_error" | "internal_error" => 500,
        "cf_bad_gateway" => 502,
        "invalid_api_key" | "mismatched_organization" | "mismatched_project" | "no_organization" => 401,
        "unsupported_country_region_territory" => 403,
        "model_not_found" => 404,
        "insufficient_quota" | "rate_limit_exceeded" | "billing_not_active" => 429,
        _ => return None,
    })
}

/// `Error code: 429` (Python), `HTTP/1.1 401` (curl -i), `Error: 401 …` or
/// a line starting `401 Incorrect…` (Node), `"status": 429`, or a bare `429`.
pub(crate) fn status(text: &str) -> Option<u16> {
    let three_digits = |s: &str| -> Option<u16> {
        let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
        (digits.len() == 3)
            .then(|| digits.parse().ok())
            .flatten()
            .filter(|n| (100..600).contains(n))
    };
    let trimmed = text.trim();
    if trimmed.len() == 3 {
        return three_digits(trimmed);
    }
    for marker in [
        // A wrapper's words around the upstream status: that one decides
        // ("400 An error occurred when calling Azure OpenAI: Server responded with status 429").
        "responded with status ",
        "Error code: ",
        "status code: ",
        "status code ",
        "statusCode: ",
        "Status: ",
        "Statuscode: ",
        // 0.x: "HTTP code 502 from API (<!DOCTYPE html>…".
        "HTTP code ",
        "HTTP ",
        "unexpected status ",
        "code is ",
        // httpx: "Server error '502 Bad Gateway' for url …".
        "Server error '",
        "Client error '",
        // Cloudflare's error pages, flattened to text.
        "Error reference number: ",
        "Error code ",
        "resulted in a `",
        "\"status\": ",
        "'status': ",
        "status: ",
        "status_code=",
        "status=",
    ] {
        if let Some(n) = text
            .rfind(marker)
            .and_then(|at| three_digits(&text[at + marker.len()..]))
        {
            return Some(n);
        }
    }
    for line in text.lines().rev() {
        let line = line.trim_start();
        if let Some(rest) = line.strip_prefix("HTTP/")
            && let Some(n) = rest.split_whitespace().nth(1).and_then(three_digits)
        {
            return Some(n);
        }
        // Node: "Error: 401 Incorrect API key…", "AuthenticationError: 401 …", "401 Incorrect…";
        // 0.x's APIError: a line " 500 {'error': …} {headers}"; "API Error: 500 <html>".
        let after_colon = line.split_once("Error: ").map_or(line, |(_, r)| r);
        if let Some(n) = three_digits(after_colon)
            && after_colon[3..].starts_with(' ')
            && after_colon[4..].starts_with(|c: char| c.is_alphabetic() || matches!(c, '{' | '<'))
        {
            return Some(n);
        }
    }
    // An app's own words: "ChatGPT error 500: {…}", "OpenAI API error (429):".
    error_then_status(text)
}

/// The last `error 500` or `error (429)`, any case, followed by no other digit.
fn error_then_status(text: &str) -> Option<u16> {
    let lower = text.to_ascii_lowercase();
    lower.rmatch_indices("error ").find_map(|(at, word)| {
        let rest = &text[at + word.len()..];
        let rest = rest.strip_prefix('(').unwrap_or(rest);
        let digits = rest.get(..3)?;
        let after = rest[3..].chars().next();
        (digits.bytes().all(|b| b.is_ascii_digit())
            && after.is_none_or(|c| matches!(c, ':' | ')' | ' ' | '\n')))
        .then(|| digits.parse().ok())
        .flatten()
        .filter(|n| (400..600).contains(n))
    })
}

/// A status, its reason phrase, and the message after a colon, up to a
/// `, url:` a client adds after it.
static STATUS_REASON_MESSAGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)(?-u:\b)status [1-5][0-9]{2} [A-Z][A-Za-z ]{1,40}: ([^\n]+?)(?:, url: [^\n]*)?$")
        .expect("the pattern compiles")
});

/// The message after the status when the SDK printed only the message:
/// `Error code: 401 - Incorrect API key…` (Python 3.x), `401 Incorrect…` (Node).
pub(crate) fn message_after_status(text: &str) -> Option<String> {
    let clean = |m: &str| {
        let m = m.trim();
        (!m.is_empty() && !m.starts_with('{')).then(|| text::escape_controls(m, false))
    };
    if let Some(at) = text.rfind("Error code: ") {
        let line = text[at..].lines().next()?;
        return line.split_once(" - ").and_then(|(_, m)| clean(m));
    }
    // "unexpected status 401 Unauthorized: missing api key, url: …" (Codex, Rust CLIs).
    if let Some(found) = STATUS_REASON_MESSAGE.captures_iter(text).last() {
        return clean(&found[1]);
    }
    text.lines().rev().find_map(|line| {
        let rest = line
            .trim_start()
            .split_once("Error: ")
            .map_or(line.trim_start(), |(_, r)| r);
        // An indented line is a stack frame or numbered source (Jupyter's
        // `    684  rbody, rcode…`), unless an error name stands before it.
        if line.starts_with([' ', '\t']) && !line.contains("Error: ") {
            return None;
        }
        let (code, message) = rest.split_once(' ')?;
        (code.len() == 3 && code.parse::<u16>().is_ok_and(|s| (100..600).contains(&s)))
            .then(|| clean(message))
            .flatten()
    })
}

/// The first OpenAI error object in the text, as JSON or as a Python dict.
pub(crate) fn error_body(text: &str) -> Option<(ApiError, BodyForm)> {
    // Node prints objects with bare keys: `error: { message: '…', code: … }`.
    if let Some(found) = text
        .rmatch_indices("error: {")
        .take(MAX_BODY_CANDIDATES)
        .find_map(|(at, _)| parse_js_error(&text[at + "error: ".len()..]))
    {
        return Some(found);
    }
    let mut candidates: Vec<usize> = ["\"error\"", "'error'"]
        .iter()
        .flat_map(|key| {
            text.rmatch_indices(key)
                .take(MAX_BODY_CANDIDATES)
                .map(|(at, _)| at)
        })
        .collect();
    candidates.sort_unstable_by(|a, b| b.cmp(a));
    for at in candidates.into_iter().take(MAX_BODY_CANDIDATES) {
        let Some(open) = text[..at].rfind('{') else {
            continue;
        };
        if let Some(found) = parse_body_at(&text[open..]) {
            return Some(found);
        }
    }
    None
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyForm {
    Json,
    PythonDict,
    /// Node's printing of an object: bare keys, single quotes.
    JsObject,
}

fn parse_body_at(text: &str) -> Option<(ApiError, BodyForm)> {
    let window = &text[..floor_char_boundary(text, MAX_BODY_CHARS)];
    // JSON: serde reads one value and ignores what follows.
    let mut stream = serde_json::Deserializer::from_str(window).into_iter::<serde_json::Value>();
    if let Some(Ok(value)) = stream.next()
        && let Some(error) = ApiError::from_json(&value, &Secrets::default())
    {
        return Some((error, BodyForm::Json));
    }
    let literal = &window[..matching_brace(window)?];
    let value = literal::python(literal)?;
    ApiError::from_json(&value, &Secrets::default()).map(|e| (e, BodyForm::PythonDict))
}

fn parse_js_error(text: &str) -> Option<(ApiError, BodyForm)> {
    let window = &text[..floor_char_boundary(text, MAX_BODY_CHARS)];
    let literal = &window[..matching_brace(window)?];
    let inner = literal::javascript(literal)?;
    let value = serde_json::json!({ "error": inner });
    ApiError::from_json(&value, &Secrets::default()).map(|e| (e, BodyForm::JsObject))
}

/// Where the `{` at the start closes, skipping braces inside quoted strings.
fn matching_brace(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(_), _) if escaped => escaped = false,
            (Some(_), '\\') => escaped = true,
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '{') => depth += 1,
            (None, '}') => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

fn floor_char_boundary(text: &str, max: usize) -> usize {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    end
}

/// A word a request dump shows sent in place of a key: `Authorization:
/// 'Bearer undefined'` (a JavaScript variable never set), `Bearer None`.
pub(crate) fn word_sent_as_key(text: &str) -> Option<&'static str> {
    const WORDS: &[&str] = &["undefined", "null", "None", "nil", "true", "false"];
    text.match_indices("Bearer ").find_map(|(at, marker)| {
        let rest = &text[at + marker.len()..];
        WORDS.iter().copied().find(|w| {
            rest.starts_with(w)
                && !rest[w.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
        })
    })
}

/// `name: value` lines, as curl -i prints them.
pub(crate) fn header(text: &str, name: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let (n, v) = line.trim().split_once(':')?;
        n.trim()
            .eq_ignore_ascii_case(name)
            .then(|| text::escape_controls(v.trim(), false))
            .filter(|v| !v.is_empty())
    })
}

/// Longest line of the text quoted as a failure's detail.
const MAX_DETAIL_CHARS: usize = 300;
/// How many of the last lines that name a failure compete to be its detail.
const DETAIL_LINES: usize = 8;

/// A failure before any HTTP answer, as the SDKs and Node's runtime word it;
/// its detail is the last line that says so.
pub(crate) fn connection_failure(text: &str) -> Option<NetworkFailure> {
    const KINDS: &[(NetworkErrorKind, &[&str])] = &[
        (
            NetworkErrorKind::Timeout,
            &[
                "APITimeoutError",
                "Request timed out",
                "ETIMEDOUT",
                "ReadTimeout",
                "ConnectTimeout",
                // Windows: "A connection attempt failed because the connected party did not properly respond…", in any language.
                "WinError 10060",
                "SocketTimeoutException",
            ],
        ),
        (
            NetworkErrorKind::Dns,
            &[
                "ENOTFOUND",
                "getaddrinfo",
                "Name or service not known",
                "nodename nor servname",
                "EAI_AGAIN",
                "Temporary failure in name resolution",
                "ClientConnectorDNSError",
                "UnknownHostException",
                // curl, and PHP through it.
                "Could not resolve",
            ],
        ),
        (
            NetworkErrorKind::Tls,
            &[
                "CERTIFICATE_VERIFY_FAILED",
                "UNABLE_TO_GET_ISSUER_CERT",
                "SELF_SIGNED_CERT",
                "unable to verify the first certificate",
                "SSLError",
            ],
        ),
        (
            NetworkErrorKind::Proxy,
            &["ProxyError", "407 Proxy Authentication", "tunneling socket"],
        ),
        (
            NetworkErrorKind::Connect,
            &[
                "ECONNREFUSED",
                "ECONNRESET",
                "Connection refused",
                "Connection reset",
                "WinError 10061",
                "ENETUNREACH",
                "EHOSTUNREACH",
                "Network is unreachable",
                "No route to host",
                // aiohttp, urllib3, Java, desktop clients.
                "Cannot connect to host",
                "Connect call failed",
                "Failed to establish a new connection",
                "java.net.ConnectException",
                "Failed to connect to",
                "Connect error",
            ],
        ),
        (
            NetworkErrorKind::Other,
            // A browser's or Electron app's fetch: no detail at all.
            &["APIConnectionError", "Connection error.", "Failed to fetch"],
        ),
    ];
    let (kind, needles) = KINDS
        .iter()
        .find(|(_, needles)| needles.iter().any(|n| text.contains(n)))?;
    // Of the last lines that say so, the one with the most words:
    // `reason: getaddrinfo ENOTFOUND api.openai.com`, not `code: 'ENOTFOUND'`.
    let line = text
        .lines()
        .rev()
        .map(str::trim)
        // Source lines of a traceback or stack trace quote code, not the error.
        .filter(|l| !["raise ", "File \"", "at "].iter().any(|p| l.starts_with(p)))
        .filter(|l| needles.iter().any(|n| l.contains(n)))
        .take(DETAIL_LINES)
        .max_by_key(|l| l.len())
        .map(|l| text::escape_controls(&l.chars().take(MAX_DETAIL_CHARS).collect::<String>(), false))
        .filter(|l| !l.is_empty());
    Some(NetworkFailure {
        kind: *kind,
        detail: line,
        address: address(text, *kind),
    })
}

/// The host (and port) a network error names: `ECONNREFUSED 127.0.0.1:3999`,
/// `getaddrinfo ENOTFOUND api.example.com`, Python's `host='localhost', port=8000`.
fn address(text: &str, kind: NetworkErrorKind) -> Option<String> {
    let token_after = |marker: &str| {
        text.rfind(marker).and_then(|at| {
            let token: String = text[at + marker.len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | ':' | '-' | '[' | ']'))
                .collect();
            let token = token.trim_end_matches(['.', ':']).to_string();
            (!token.is_empty()).then_some(token)
        })
    };
    let python = || {
        let at = text.rfind("host='")?;
        let host = text[at + 6..].split('\'').next()?;
        let port = text[at..]
            .split("port=")
            .nth(1)
            .map(|p| p.chars().take_while(char::is_ascii_digit).collect::<String>())
            .filter(|p| !p.is_empty());
        Some(match port {
            Some(port) => format!("{host}:{port}"),
            None => host.to_string(),
        })
    };
    match kind {
        NetworkErrorKind::Connect => token_after("ECONNREFUSED ")
            .or_else(|| token_after("ECONNRESET "))
            .or_else(|| token_after("Cannot connect to host "))
            .or_else(|| token_after("Failed to connect to "))
            .or_else(python),
        NetworkErrorKind::Dns => token_after("ENOTFOUND ")
            .or_else(|| token_after("EAI_AGAIN "))
            .or_else(|| token_after("Cannot connect to host "))
            .or_else(|| token_after("Could not resolve host: "))
            .or_else(|| token_after("Could not resolve: "))
            .or_else(python),
        NetworkErrorKind::Timeout => token_after("ETIMEDOUT ").or_else(python),
        _ => None,
    }
}

/// The clients' words for "no key was found", raised before any request.
pub(crate) const MISSING_KEY: &[&str] = &[
    "The api_key client option must be set",
    "Missing credentials",
    "OPENAI_API_KEY environment variable is missing or empty",
    "No API key provided",
    "The OPENAI_API_KEY environment variable is missing",
    "Did not find openai_api_key",
    "Did not find OPENAI_API_KEY",
    "apiKey must be provided",
    // The AI SDK's AI_LoadAPIKeyError.
    "OpenAI API key is missing",
    // LlamaIndex.
    "No API key found for OpenAI",
    // CLIs and apps: Codex, Go tools, chatgpt-web, the `chatgpt` npm package.
    "Missing OpenAI API key",
    "missing environment variable: OPENAI_API_KEY",
    "Missing OPENAI_API_KEY",
    "ChatGPT invalid apiKey",
];

/// The clients' words for a setting they cannot be made without, raised
/// before any request: openai-python's `AzureOpenAI()`, openai-node's,
/// LangChain's, and 0.x with `api_type = "azure"`.
pub(crate) const MISSING_SETTING: &[(&str, MissingSetting)] = &[
    (
        "Must provide either the `api_version` argument",
        MissingSetting::ApiVersion,
    ),
    (
        "Must provide either the api_version argument",
        MissingSetting::ApiVersion,
    ),
    (
        "OPENAI_API_VERSION environment variable is missing or empty",
        MissingSetting::ApiVersion,
    ),
    ("Did not find openai_api_version", MissingSetting::ApiVersion),
    (
        "An API version is required for the Azure API type",
        MissingSetting::ApiVersion,
    ),
    (
        "Must provide one of the `base_url` or `azure_endpoint` arguments",
        MissingSetting::Endpoint { empty: false },
    ),
    (
        "Must provide one of the base_url or azure_endpoint arguments",
        MissingSetting::Endpoint { empty: false },
    ),
];

/// httpx's words for a URL without a scheme: the base URL is empty or
/// lacks `https://` (openai-python 1.x and 3.x send nothing).
pub(crate) const SCHEMELESS_URL: &str = "Request URL is missing an 'http://' or 'https://' protocol";

/// What openai-python raises when the answer was a string (HTML, text)
/// where it wanted a JSON object: a base URL that is not the API.
pub(crate) const NOT_JSON_ANSWER: &str = "'str' object has no attribute '_set_private_attributes'";

pub(crate) fn answered_not_json(text: &str) -> bool {
    text.contains(NOT_JSON_ANSWER)
}

/// Every sentence a client raises on its own (nothing was sent, or it
/// could not read the answer), for the scanner.
pub(crate) fn client_failure_words() -> impl Iterator<Item = &'static str> {
    MISSING_KEY
        .iter()
        .copied()
        .chain(MISSING_SETTING.iter().map(|(words, _)| *words))
        .chain([SCHEMELESS_URL, NOT_JSON_ANSWER])
}

/// What stopped the client before it sent anything, as its last such error
/// says: no key, a missing setting, a base URL without a scheme.
pub(crate) fn not_sent(text: &str) -> Option<NotSent> {
    let last = |words: &str| text.rfind(words);
    let missing_key = MISSING_KEY
        .iter()
        .filter_map(|w| last(w))
        .max()
        .map(|at| (at, NotSent::NoKey));
    let missing_setting = MISSING_SETTING
        .iter()
        .filter_map(|(w, setting)| last(w).map(|at| (at, NotSent::SettingMissing(*setting))))
        .max_by_key(|(at, _)| *at);
    let schemeless = last(SCHEMELESS_URL).map(|at| {
        (
            at,
            NotSent::BaseUrl(BaseUrlProblem::Invalid(
                "the request URL has no `http://` or `https://` (httpx's UnsupportedProtocol): the base URL is empty or lacks its scheme".into(),
            )),
        )
    });
    [missing_key, missing_setting, schemeless]
        .into_iter()
        .flatten()
        .max_by_key(|(at, _)| *at)
        .map(|(_, reason)| reason)
}

/// The HTTP libraries' words for a header they refuse to send, as the real
/// clients printed them for a key read with its newline (`sdk/*_key_newline.txt`):
/// h11 (openai-python ≥ 1, LangChain, LiteLLM, LlamaIndex), requests (0.x),
/// Node's http (openai-node 3.x, axios), node-fetch (4.x), undici.
pub(crate) const REFUSED_HEADER: &[&str] = &[
    "Illegal header value b",
    "Invalid leading whitespace, reserved character(s), or return character(s) in header value",
    "Invalid character in header content",
    "is not a legal HTTP header value",
    "is an invalid header value",
];

/// The HTTP library refused the Authorization header, so nothing was sent:
/// the key holds a character a header cannot carry (a newline, most often),
/// or is empty (`b'Bearer '`: nothing after `Bearer`).
pub(crate) fn unsendable_key(text: &str) -> Option<NotSent> {
    let refused = REFUSED_HEADER.iter().any(|m| text.contains(m));
    let authorization = text.contains("Bearer") || text.to_ascii_lowercase().contains("\"authorization\"");
    if !(refused && authorization) {
        return None;
    }
    let after_bearer = text.rfind("Bearer").map(|at| {
        text[at + "Bearer".len()..]
            .split(['\'', '"', '\n'])
            .next()
            .unwrap_or_default()
    });
    Some(match after_bearer {
        Some(value) if value.trim().is_empty() => NotSent::EmptyKey,
        _ => NotSent::KeyUnsendable,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_in_their_usual_places() {
        assert_eq!(
            status("openai.RateLimitError: Error code: 429 - {'error': {}}"),
            Some(429)
        );
        assert_eq!(status("HTTP/2 401 \ncontent-type: application/json"), Some(401));
        assert_eq!(status("HTTP/1.1 403 Forbidden"), Some(403));
        assert_eq!(
            status("Error: 401 Incorrect API key provided: sk-abc***xyz"),
            Some(401)
        );
        assert_eq!(status("AuthenticationError: 401 Incorrect API key"), Some(401));
        assert_eq!(status(" 429\n"), Some(429));
        assert_eq!(status("Retrying in 1000 ms"), None);
        // Where apps and older clients write it.
        assert_eq!(
            status("openai.error.APIError: HTTP code 502 from API ()"),
            Some(502)
        );
        assert_eq!(
            status("gtp api status code not equals 200,code is 401"),
            Some(401)
        );
        assert_eq!(
            status("unexpected status 401 Unauthorized: missing api key"),
            Some(401)
        );
        assert_eq!(
            status("Server error '502 Bad Gateway' for url 'http://localhost:8000/v1'"),
            Some(502)
        );
        assert_eq!(
            status("Bad gateway. {} \n 500 {'error': {'message': 'x'}} {'Date': 'y'}"),
            Some(500)
        );
        assert_eq!(status("ChatGPTError: ChatGPT error 500: {"), Some(500));
        assert_eq!(status("OpenAI API error (429): {\"error\": 1}"), Some(429));
        assert_eq!(status("error 4040 in the log"), None);
        assert_eq!(status("4290"), None);
    }

    #[test]
    fn the_last_thing_that_stopped_the_client_decides() {
        assert_eq!(
            not_sent("OpenAI API key is missing. Pass it using the 'apiKey' parameter"),
            Some(NotSent::NoKey)
        );
        assert_eq!(
            not_sent(
                "Missing credentials. Please pass one of `api_key`…\nValueError: Must provide one of the `base_url` or `azure_endpoint` arguments"
            ),
            Some(NotSent::SettingMissing(MissingSetting::Endpoint { empty: false }))
        );
        assert_eq!(
            not_sent(
                "Did not find openai_api_version, please add an environment variable `OPENAI_API_VERSION`"
            ),
            Some(NotSent::SettingMissing(MissingSetting::ApiVersion))
        );
        assert!(matches!(
            not_sent(
                "httpx.UnsupportedProtocol: Request URL is missing an 'http://' or 'https://' protocol."
            ),
            Some(NotSent::BaseUrl(BaseUrlProblem::Invalid(_)))
        ));
        assert_eq!(not_sent("openai.RateLimitError: Error code: 429"), None);
    }

    #[test]
    fn every_http_library_refusing_the_header() {
        for (text, reason) in [
            (
                "h11._util.LocalProtocolError: Illegal header value b'Bearer sk-x\\n'",
                NotSent::KeyUnsendable,
            ),
            (
                "h11._util.LocalProtocolError: Illegal header value b'Bearer '",
                NotSent::EmptyKey,
            ),
            (
                "Invalid leading whitespace, reserved character(s), or return character(s) in header value: 'Bearer sk-x\\n'",
                NotSent::KeyUnsendable,
            ),
            (
                "Invalid leading whitespace, reserved character(s), or return character(s) in header value: 'Bearer '",
                NotSent::EmptyKey,
            ),
            (
                "TypeError [ERR_INVALID_CHAR]: Invalid character in header content [\"Authorization\"]",
                NotSent::KeyUnsendable,
            ),
            (
                "cause: TypeError: Bearer sk-x\n   is not a legal HTTP header value",
                NotSent::KeyUnsendable,
            ),
        ] {
            assert_eq!(unsendable_key(text), Some(reason), "{text}");
        }
        // Another header refused is not the key's fault.
        assert_eq!(
            unsendable_key("Invalid character in header content [\"x-trace\"]"),
            None
        );
    }

    #[test]
    fn bodies_nested_past_any_error_are_not_parsed() {
        // Within the window, deep enough to exhaust a parser's recursion.
        let js = format!(
            "AuthenticationError: 401 status code\n  error: {}1{}",
            "{ a: ".repeat(6000),
            " }".repeat(6000)
        );
        assert_eq!(error_body(&js), None);
        let python = format!(
            "Error code: 401 - {{'a': {}{}}}",
            "[".repeat(30000),
            "]".repeat(30000)
        );
        assert_eq!(error_body(&python), None);
        // Nesting no bracket count sees: arrow functions, brackets in a
        // regular expression or a comment.
        let arrows = format!(
            "AuthenticationError: 401 status code\n  error: {{ message: {}1 }}",
            "a=>".repeat(15000)
        );
        // (read, without a crash: nothing in it is an error's words)
        assert!(error_body(&arrows).is_none_or(|(error, _)| error.message.is_none() && error.code.is_none()));
        let regex = format!(
            "AuthenticationError: 401 status code\n  error: {{ a: /'/, b: {}1{}, c: /'/ }}",
            "[".repeat(20000),
            "]".repeat(20000)
        );
        // (read as far as 32 levels, the rest null: no error's words either)
        assert!(error_body(&regex).is_none_or(|(error, _)| error.message.is_none() && error.code.is_none()));
        let comment = format!(
            "Error code: 401 - {{'error': # '\n {}1{} # '\n}}",
            "[".repeat(20000),
            "]".repeat(20000)
        );
        assert_eq!(error_body(&comment), None);
        // A real body nests a few levels and is read.
        let node = "AuthenticationError: 401 Incorrect API key provided\n  error: { message: 'Incorrect API key provided', type: 'invalid_request_error', param: null, code: 'invalid_api_key' },";
        assert!(error_body(node).is_some());
    }

    #[test]
    fn python_dict_repr_bodies() {
        let text = r#"openai.AuthenticationError: Error code: 401 - {'error': {'message': "You didn't provide an API key. {see docs}", 'type': 'invalid_request_error', 'param': None, 'code': None}}"#;
        let (error, form) = error_body(text).unwrap();
        assert_eq!(form, BodyForm::PythonDict);
        assert!(error.message.unwrap().starts_with("You didn't provide"));
        assert_eq!(error.code, None);
    }

    #[test]
    fn json_bodies_with_text_around() {
        let text = "prefix {\"not\": 1} then {\"error\": {\"message\": \"m\", \"type\": \"t\", \"param\": null, \"code\": \"c\"}} trailing }";
        let (error, form) = error_body(text).unwrap();
        assert_eq!((form, error.code.as_deref()), (BodyForm::Json, Some("c")));
    }

    proptest::proptest! {
        /// A pasted key is masked whether written plain, as JSON or Python
        /// escapes, or glued to a word or `%20`.
        #[test]
        fn any_key_however_written_is_masked(
            body in "[A-Za-z0-9]{30,80}",
            prefix in "(sk-proj-|sk-admin-|sk-svcacct-|sk-)",
            glue in "(|key_|Bearer%20|x=)",
        ) {
            let key = format!("{prefix}{body}");
            let json: String = key.chars().map(|c| format!("\\u{:04x}", c as u32)).collect();
            let python: String = key.chars().map(|c| format!("\\x{:02x}", c as u32)).collect();
            for written in [key.clone(), json, python] {
                let out = mask_keys(&format!("provided: {glue}{written}."));
                proptest::prop_assert!(!out.contains(&body[..24]), "{}", out);
            }
        }
    }

    #[test]
    fn keys_are_masked_however_they_were_written() {
        let key = "sk-admin-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789wxyz";
        let json: String = key.chars().map(|c| format!("\\u{:04x}", c as u32)).collect();
        let python: String = key.chars().map(|c| format!("\\x{:02x}", c as u32)).collect();
        for text in [
            format!("{{\"k\": \"{json}\"}}"),
            format!("b'{python}'"),
            format!("key_{key}"),
            format!("Authorization: Bearer%20{key}"),
        ] {
            let out = mask_keys(&text);
            assert!(!out.contains(&key[9..]), "{text} -> {out}");
            assert!(out.contains("sk-admin-…wxyz"), "{text} -> {out}");
        }
        // Words that merely contain a prefix stay as they are.
        let words = "the task-management-component-of-the-system and \\n escapes \\u00e9";
        assert_eq!(mask_keys(words), words);
    }

    #[test]
    fn keys_are_masked_and_masks_left_alone() {
        let key = "sk-proj-AbCdEfGhIjKlMnOpQrStT3BlbkFJuvwxyzABCDEFGHIJKLMNwxyz";
        let out = mask_keys(&format!("key={key}, echo: sk-abc***wxyz."));
        assert_eq!(out, "key=sk-proj-…wxyz, echo: sk-abc***wxyz.");
    }

    #[test]
    fn braces_inside_strings_do_not_count() {
        assert_eq!(matching_brace("{'a': '}', 'b': {\"c\": \"{\"}} rest"), Some(27));
        assert_eq!(matching_brace("{ never closed"), None);
    }
}
