//! The servers' own sentences. Many pasted errors carry no status and no
//! body — `openai.error.RateLimitError: You exceeded your current quota…`,
//! a Go or PHP client's one-line message, an app's "Sorry, …" — and then the
//! sentence is what says which error it was. Each is a fixed part of an
//! OpenAI or Azure OpenAI message (see `tests/fixtures/*.json`), with the
//! status that message is sent with.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

/// (words of the message, the status it comes with)
const PHRASES: &[(&str, u16)] = &[
    ("Incorrect API key provided", 401),
    ("You didn't provide an API key", 401),
    ("You need to provide your API key in an Authorization header", 401),
    ("associated with a deactivated account", 401),
    ("account has been deactivated", 401),
    ("IP not authorized", 401),
    ("OpenAI-Organization header should match", 401),
    ("OpenAI-Project header should match", 401),
    ("Missing scopes", 401),
    ("must be a member of an organization", 401),
    ("Access denied due to invalid subscription key", 401),
    ("Access denied due to missing subscription key", 401),
    // A LiteLLM proxy refusing the key sent to it (one of its own).
    ("Invalid proxy server token passed", 401),
    ("Principal does not have access to API/Operation", 401),
    ("Access token is missing, invalid, audience is incorrect", 401),
    ("Country, region, or territory not supported", 403),
    ("Traffic is not from an approved private endpoint", 403),
    ("Public access is disabled", 403),
    ("A Virtual Network is configured for this resource", 403),
    ("Access denied due to Virtual Network/Firewall rules", 403),
    ("does not have access to model", 403),
    ("does not exist or you do not have access to it", 404),
    // Older wordings, still pasted from 0.x and apps built on it.
    ("That model does not exist", 404),
    ("The model: `", 404),
    ("The API deployment for this resource does not exist", 404),
    ("The API deployment for the resource does not exist", 404),
    ("Invalid URL (", 404),
    ("You exceeded your current quota", 429),
    ("Your account is not active, please check your billing", 429),
    // Sent with 400 by the images endpoint; a billing limit all the same.
    ("Billing hard limit has been reached", 429),
    ("Rate limit reached for", 429),
    ("This model's maximum context length is", 400),
    ("Unsupported parameter:", 400),
    ("Unsupported value:", 400),
    ("Unrecognized request argument supplied", 400),
    ("is not of type 'array' - 'messages'", 400),
    ("Invalid type for 'messages", 400),
    ("'messages' is a required property", 400),
    ("API version not supported", 400),
    // Azure: "Model o3 is enabled only for api versions 2024-12-01-preview and later".
    ("is enabled only for api version", 400),
    ("is enabled only for api-version", 400),
    // OpenAI, given an Azure API version: "Unsupported OpenAI-Version header provided: 2023-05-15."
    ("Unsupported OpenAI-Version header provided", 400),
    ("The server had an error while processing your request", 500),
    ("Internal server error", 500),
    // Cloudflare's pages in front of the API, flattened to text.
    ("The web server reported a bad gateway error", 502),
    (
        "unknown connection issue between Cloudflare and the origin web server",
        520,
    ),
    ("The engine is currently overloaded", 503),
    ("is currently overloaded with other requests", 503),
];

static SEARCH: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::new(PHRASES.iter().map(|(phrase, _)| phrase)).expect("the phrases compile")
});

/// The words of every sentence, for a search that looks for them all at once.
pub(crate) fn words() -> impl Iterator<Item = &'static str> {
    PHRASES.iter().map(|(phrase, _)| *phrase)
}

/// The last server sentence in the text: the message from its first word
/// to the end of its line, and the status it comes with.
pub(crate) fn last_message(text: &str) -> Option<(String, u16)> {
    last_on_a_line(text).or_else(|| {
        // A message a terminal or a log wrapped onto two lines.
        let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let (message, status) = last_on_a_line(&joined)?;
        Some((first_sentences(&message), status))
    })
}

/// The message cut after the sentence that follows the one holding the
/// phrase, since a joined text has no line end to stop at.
fn first_sentences(message: &str) -> String {
    let ends: Vec<usize> = message
        .match_indices(". ")
        .map(|(at, _)| at + 1)
        .take(2)
        .collect();
    match ends.as_slice() {
        [_, second, ..] => message[..*second].to_string(),
        _ => message.to_string(),
    }
}

fn last_on_a_line(text: &str) -> Option<(String, u16)> {
    SEARCH
        .find_iter(text)
        .last()
        .map(|m| (m.start(), PHRASES[m.pattern().as_usize()].1))
        .map(|(at, status)| {
            let start = sentence_start(text, at);
            let line = text[start..].lines().next().unwrap_or_default();
            (trim_message(line), status)
        })
}

/// Where the sentence holding the phrase at `at` begins: "The model `x`
/// does not exist…" after an exception's `: ` or a status's ` - `, within
/// the same line and a few words back.
fn sentence_start(text: &str, at: usize) -> usize {
    const WORDS_BACK: usize = 80;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let mut from = at.saturating_sub(WORDS_BACK).max(line_start);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let before = &text[from..at];
    [": ", " - ", "'", "\"", ". "]
        .iter()
        .filter_map(|b| before.rfind(b).map(|i| from + i + b.len()))
        .max()
        .unwrap_or(at)
}

/// A message as the sentence it is: without the quote, bracket or comma a
/// dump put after it (`message: 'Incorrect…',`).
fn trim_message(line: &str) -> String {
    let mut line = line.trim_end().trim_end_matches([',', ';']);
    loop {
        let unbalanced = |open: char, close: char| {
            line.ends_with(close) && line.matches(close).count() > line.matches(open).count()
        };
        if line.ends_with(['\'', '"', '`'])
            || unbalanced('(', ')')
            || unbalanced('{', '}')
            || unbalanced('[', ']')
        {
            line = line[..line.len() - 1].trim_end_matches([',', ';']);
        } else {
            break;
        }
    }
    line.chars().take(500).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_sentence_wins_and_is_cut_at_its_line() {
        let text = "Rate limit reached for gpt-4o\nerror, status code: 401, status: 401 Unauthorized, message: Incorrect API key provided: sk-abc***wxyz.\nmore";
        assert_eq!(
            last_message(text),
            Some(("Incorrect API key provided: sk-abc***wxyz.".to_string(), 401))
        );
        assert_eq!(
            last_message("    message: 'You exceeded your current quota, please check your plan.',"),
            Some((
                "You exceeded your current quota, please check your plan.".to_string(),
                429
            ))
        );
        assert_eq!(
            last_message("{'message': 'Invalid URL (GET /v1/v1/models)'}}").map(|m| m.0),
            Some("Invalid URL (GET /v1/v1/models)".to_string())
        );
        assert_eq!(
            last_message("openai.error.InvalidRequestError: The model `gpt-x` does not exist or you do not have access to it.").map(|m| m.0),
            Some("The model `gpt-x` does not exist or you do not have access to it.".to_string())
        );
        assert_eq!(
            last_message("RateLimitError: You exceeded your current\n    quota, please check your plan. Then more. And more.").map(|m| m.0),
            Some("You exceeded your current quota, please check your plan. Then more.".to_string())
        );
        assert_eq!(last_message("all good"), None);
    }
}
