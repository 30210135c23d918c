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

    /// What an error text shows was sent instead of a key — a placeholder,
    /// a URL, a variable's name or `undefined`, a sentence, a key in
    /// brackets, another provider's key — when it shows that: then the key
    /// itself was never tried, and this leads the checklist.
    pub(crate) fn sent_instead_in_text(&self) -> Option<String> {
        if self.doctor.is_some() {
            return None;
        }
        if let Some(word) = self.sent_word {
            return Some(format!(
                "The request carried `Authorization: Bearer {word}` — {}",
                word_meaning(word)
            ));
        }
        let echo = self.echo()?;
        if echo.contains('*') {
            masked_echo_words(echo)
        } else {
            plain_echo_words(echo)
        }
    }

    /// What a 401 message says the server received: "Incorrect API key
    /// provided: sk-abc***wxyz." gives `sk-abc***wxyz`; "…provided: You are
    /// ****tep. You can find…" gives `You are ****tep`.
    fn echo(&self) -> Option<&str> {
        let after = self.message().split("provided: ").nth(1)?;
        let echo = match after.find(". You can find") {
            Some(end) => &after[..end],
            None => after.split_whitespace().next().unwrap_or_default(),
        };
        Some(echo.trim().trim_end_matches('.'))
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

/// A value that is a programming language's word for "nothing", a flag
/// or a header's own word, and what sending it means.
fn word_meaning(word: &str) -> String {
    match word.to_ascii_lowercase().as_str() {
        "undefined" => "JavaScript's `undefined`: the variable the program reads was never set where it runs (a .env not loaded, or, in a browser or a build, a variable the bundler does not expose: only REACT_APP_…, VITE_…, NEXT_PUBLIC_… names reach the code).".into(),
        "null" | "none" | "nil" => format!("`{word}`: the program read an unset setting and wrote it into the header as text."),
        "true" | "false" => format!("`{word}`: a flag or option parsed as a boolean took the key's place (e.g. `--api-key` given without its value)."),
        "bearer" => "the word `Bearer` itself: the program puts `Bearer ` in front of a value that already starts with it, or in front of nothing.".into(),
        _ => format!("`{word}`, which is not a key."),
    }
}

/// What an echo the server printed in full (it shows short values whole)
/// says was sent: a word, a placeholder, a variable's name, nothing.
fn plain_echo_words(echo: &str) -> Option<String> {
    let shown = |what: &str| format!("The server received {what} instead of a key");
    let word = echo.trim_matches(['\'', '"', '`']);
    if word.is_empty() || word.chars().all(|c| matches!(c, '.' | '…')) {
        return Some(format!(
            "{}: the program sent an empty value or `...`, a placeholder left in a .env or compose file (a commented-out line leaves the variable empty).",
            shown("nothing but dots")
        ));
    }
    // Only short words are shown whole: a random string may be part of a
    // secret, and a long run of letters may be a password.
    let is_word = (word.len() <= 20
        && word
            .chars()
            .all(|c| c.is_ascii_alphabetic() || matches!(c, '_' | '-' | '.')))
        || crate::inspect::looks_like_placeholder(word);
    if !is_word {
        return Some(format!(
            "The server received `{}`, which is not an OpenAI key (those start with `sk-`): the program read the key from the wrong place.",
            crate::vocab::secret::mask(word)
        ));
    }
    let lower = word.to_ascii_lowercase();
    Some(
        if ["undefined", "null", "none", "nil", "true", "false", "bearer"].contains(&lower.as_str()) {
            format!("{} — {}", shown(&format!("`{word}`")), word_meaning(word))
        } else if crate::inspect::looks_like_placeholder(word)
            || lower.contains("token")
            || lower.starts_with("no-")
        {
            format!(
                "{}: a placeholder from a README, a sample config or a default setting, never replaced by a real key.",
                shown(&format!("`{word}`"))
            )
        } else if word.contains('_') || word.chars().all(|c| c.is_ascii_uppercase()) {
            format!(
                "{}: a name, not a key — the config holds the variable's or setting's name where its value belongs (a `$` missing, or a name quoted).",
                shown(&format!("`{word}`"))
            )
        } else {
            format!(
                "{}: a word, not a key — the program read the wrong setting or file.",
                shown(&format!("`{word}`"))
            )
        },
    )
}

/// What the visible ends of a masked echo (`your-ope*******-key`) show
/// about what the program sent, when the key itself is not at hand.
fn masked_echo_words(echo: &str) -> Option<String> {
    let head = echo.split('*').next().unwrap_or_default();
    let tail = echo.rsplit('*').next().unwrap_or_default();
    let shown = format!("`{echo}`");
    let lower = head.to_ascii_lowercase();
    let tail_lower = tail.to_ascii_lowercase();
    Some(if head.contains(' ') {
        format!(
            "The server received {shown}: text with spaces in it — a sentence (a prompt, a message) was sent as the key, so the program passed its arguments in the wrong order or read the wrong setting."
        )
    } else if lower.starts_with("your")
        || lower.starts_with("<your")
        || lower.contains("-your")
        || lower.starts_with("fill")
        || lower.starts_with("insert")
        || lower.starts_with("replace")
        || tail_lower.ends_with("here")
    {
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
    } else if !head.is_empty() && !head.starts_with(crate::vocab::keys::OPENAI_PREFIX) {
        format!(
            "The server received {shown}, which is not an OpenAI key (those start with `{}`): a key of another service or of a relay. If the program talks to that relay, the relay refused its own key; if it talks to OpenAI, it needs an OpenAI key.",
            crate::vocab::keys::OPENAI_PREFIX
        )
    } else {
        return None;
    })
}
