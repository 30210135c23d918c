//! The 401's echo: "Incorrect API key provided: sk-abc***wxyz." shows the
//! first 8 and last 4 characters of what the server received, `*` between,
//! at the same length. Compared with the key doctor sent, or judged by its
//! shape alone in an error text, it tells a wrong key from something that
//! was never a key.

use super::Evidence;

impl Evidence<'_> {
    /// The key the server echoed (first 8 and last 4 characters, `*` between)
    /// has an Azure key's shape: 32 characters, hexadecimal.
    pub(crate) fn echo_is_azure_key(&self) -> bool {
        let Some(echo) = self.echo() else {
            return false;
        };
        echo.chars().count() == 32
            && echo.chars().all(|c| c == '*' || c.is_ascii_hexdigit())
            && echo.chars().filter(char::is_ascii_hexdigit).count() >= 8
    }

    /// What an error text's masked echo shows was sent instead of a key (a
    /// placeholder, a URL, a variable's name, a wrapped key, another
    /// provider's key), when it shows that.
    pub(crate) fn echo_is_no_openai_key(&self) -> Option<String> {
        if self.doctor.is_some() {
            return None;
        }
        let echo = self.echo().filter(|echo| echo.contains('*'))?;
        masked_echo_words(echo)
    }

    /// What a 401 message says the server received: "Incorrect API key
    /// provided: sk-abc***wxyz." gives `sk-abc***wxyz`.
    fn echo(&self) -> Option<&str> {
        let echo = self
            .message()
            .split("provided: ")
            .nth(1)?
            .split_whitespace()
            .next()?;
        Some(echo.trim_end_matches('.'))
    }

    /// The 401 message echoes what the server received — first 8 and last 4
    /// characters, `*` between, same length — which shows whether the key
    /// checked here is the one that arrived. Without the key at hand, only
    /// an echo that is no key at all can be judged.
    pub(crate) fn echo_comparison(&self) -> Option<String> {
        let echo = self.echo()?;
        // Our own mask stands where the server put the whole key back.
        if echo.contains('…') {
            return Some("The server echoed the whole key back (masked here): OpenAI's own servers show only its first 8 and last 4 characters, so this answer may come from a proxy or another server.".into());
        }
        if !echo.contains('*') {
            return Some(if crate::inspect::looks_like_placeholder(echo) {
                format!(
                    "The server received the text `{}` instead of a key: a variable that was never set (JavaScript's `undefined`, a template left unfilled).",
                    crate::vocab::secret::mask(echo)
                )
            } else if self.doctor.is_some() {
                "The server received a value that is not the key checked here.".into()
            } else {
                format!(
                    "The server received `{}`, which is not an OpenAI key.",
                    crate::vocab::secret::mask(echo)
                )
            });
        }
        // Without the key at hand, a masked echo is judged by its shape
        // alone (`echo_is_no_openai_key`).
        let key = self.doctor?.sent_key()?;
        let (echo_len, key_len) = (echo.chars().count(), key.chars().count());
        let head = |s: &str| s.chars().take(8).collect::<String>();
        let tail = |s: &str| s.chars().rev().take(4).collect::<String>();
        Some(if echo_len != key_len {
            format!(
                "The server received a key of {echo_len} characters, but the key checked here has {key_len}: it was cut short or padded on the way, or something (a proxy, OPENAI_CUSTOM_HEADERS) sent another key."
            )
        } else if head(echo) == head(key) && tail(echo) == tail(key) {
            "The server received exactly this key (same start, end and length): the key itself is the problem.".into()
        } else {
            "The server received a different key of the same length: something between here and OpenAI replaced it.".into()
        })
    }
}

/// What the visible ends of a masked echo (`your-ope*******-key`) show
/// about what the program sent, when the key itself is not at hand.
fn masked_echo_words(echo: &str) -> Option<String> {
    let head = echo.split('*').next().unwrap_or_default();
    let tail = echo.rsplit('*').next().unwrap_or_default();
    let shown = format!("`{echo}`");
    let lower = head.to_ascii_lowercase();
    Some(
        if lower.starts_with("your") || lower.starts_with("<your") || lower.contains("-your") {
            format!(
                "The server received {shown}: a placeholder from a README or .env.example (\"your-openai-key\"), never replaced by a real key."
            )
        } else if lower.starts_with("http") {
            format!(
                "The server received {shown}: a URL, not a key — the key variable holds the base URL (OPENAI_API_KEY and OPENAI_BASE_URL swapped?)."
            )
        } else if head.starts_with("OPENAI_")
            || (tail.ends_with("_KEY") && head.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
        {
            format!(
                "The server received {shown}: the variable's name, not its value — a `$` is missing (`OPENAI_API_KEY` instead of `$OPENAI_API_KEY`), or a config file quoted the name."
            )
        } else if head.starts_with(['<', '{', '[', '"', '\'']) {
            format!(
                "The server received {shown}: the key with the brackets or quotes around it (`<sk-…>`, `{{sk-…}}`): put the bare key in the variable."
            )
        } else if let Some(provider) = crate::vocab::keys::other_provider(head) {
            format!(
                "The server received {shown}: a key from {provider}, which OpenAI's API never accepts. Point the base URL at {provider}'s API (if the program uses {provider}), or use an OpenAI key."
            )
        } else {
            return None;
        },
    )
}
