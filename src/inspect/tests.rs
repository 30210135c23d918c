use super::*;

const PROJECT: &str =
    "sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGhIjKlMnOpQrStT3BlbkFJAbCdEfGhIjKlMnOpQrStUvWxYz0123";
const LEGACY: &str = "sk-AbCdEfGhIjKlMnOpQrStT3BlbkFJAbCdEfGhIjKlMnOpQrSt";
const SVCACCT: &str = "sk-svcacct-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789T3BlbkFJAbCdEfGhIjKlMnOpQrStUvWxYz";
const ADMIN: &str = "sk-admin-AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGhIjKlMn";

fn ids(key: &str) -> Vec<FindingId> {
    inspect(key, true).findings.iter().map(|f| f.id).collect()
}

#[test]
fn well_formed_keys_have_no_findings() {
    for (key, kind) in [
        (PROJECT, KeyKind::Project),
        (LEGACY, KeyKind::Legacy),
        (SVCACCT, KeyKind::ServiceAccount),
    ] {
        let i = inspect(key, true);
        assert_eq!(i.kind, kind, "{key}");
        assert!(i.findings.is_empty(), "{key}: {:?}", i.findings);
        assert_eq!(i.sendable, Sendable::AsIs);
    }
    assert_eq!(LEGACY.len(), 51);
}

#[test]
fn lengths_are_not_judged_alone() {
    // Project keys come in many lengths; only the marker and the charset count.
    let short_project = "sk-proj-AbCdEfGhIjKlMnOpQrSt_-T3BlbkFJAbCdEfGhIjKlMnOpQrSt";
    assert!(ids(short_project).is_empty());
}

#[test]
fn trailing_newline_is_cleaned_and_named() {
    let i = inspect(&format!("{PROJECT}\n"), true);
    assert_eq!(
        ids(&format!("{PROJECT}\n")),
        vec![FindingId::SurroundingWhitespace]
    );
    assert!(i.findings[0].message.contains("newline"));
    assert_eq!(i.sendable, Sendable::Cleaned);
    assert_eq!(i.cleaned.expose(), PROJECT);
}

#[test]
fn quotes_and_bearer_are_cleaned() {
    let i = inspect(&format!("\"Bearer {PROJECT}\""), true);
    let found: Vec<_> = i.findings.iter().map(|f| f.id).collect();
    assert_eq!(found, vec![FindingId::SurroundingQuotes, FindingId::BearerPrefix]);
    assert_eq!(i.cleaned.expose(), PROJECT);
    assert_eq!(i.sendable, Sendable::Cleaned);
    assert_eq!(ids(&format!("'{PROJECT}'")), vec![FindingId::SurroundingQuotes]);
}

#[test]
fn values_that_cannot_be_sent_are_stopped() {
    let cases = [
        (
            format!("{}\u{200b}{}", &PROJECT[..20], &PROJECT[20..]),
            FindingId::NonAscii,
        ),
        (
            format!("{} {}", &PROJECT[..20], &PROJECT[20..]),
            FindingId::InternalWhitespace,
        ),
        (
            format!("{}\u{1b}{}", &PROJECT[..20], &PROJECT[20..]),
            FindingId::ControlCharacters,
        ),
        ("sk-proj-...wxyz".to_string(), FindingId::MaskedCopy),
        ("sk-proj-…wxyz".to_string(), FindingId::MaskedCopy),
        ("sk-proj-****wxyz".to_string(), FindingId::MaskedCopy),
        ("sk-xxxxxxxxxxxxxxxxxxxx".to_string(), FindingId::Placeholder),
        ("your-api-key".to_string(), FindingId::Placeholder),
        ("<OPENAI_API_KEY>".to_string(), FindingId::Placeholder),
        ("sk-invalid-key-for-demo".to_string(), FindingId::Placeholder),
        ("undefined".to_string(), FindingId::Placeholder),
        ("${OPENAI_API_KEY}".to_string(), FindingId::Placeholder),
    ];
    for (key, id) in cases {
        let i = inspect(&key, true);
        assert!(i.findings.iter().any(|f| f.id == id), "{key:?}: {:?}", i.findings);
        assert_eq!(i.sendable, Sendable::Nothing, "{key:?}");
    }
}

#[test]
fn smart_quotes_are_named() {
    let i = inspect(&format!("\u{201c}{PROJECT}\u{201d}"), true);
    let f = i
        .findings
        .iter()
        .find(|f| f.id == FindingId::NonAscii)
        .expect("non_ascii");
    assert!(f.message.contains("curly double quote (U+201C)"), "{}", f.message);
}

#[test]
fn other_providers_are_named_and_not_sent_to_openai() {
    for (key, name) in [
        ("sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789", "Anthropic"),
        ("sk-or-v1-0123456789abcdef0123456789abcdef", "OpenRouter"),
        ("gsk_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789", "Groq"),
        ("AIzaSyAbCdEfGhIjKlMnOpQrStUvWxYz012345", "Google (Gemini)"),
        ("hf_AbCdEfGhIjKlMnOpQrStUvWxYz01234567", "Hugging Face"),
        ("xai-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789", "xAI"),
        ("sk-0123456789abcdef0123456789abcdef", "DeepSeek"),
        ("0123456789abcdef0123456789abcdef", "Azure OpenAI"),
    ] {
        let i = inspect(key, true);
        assert_eq!(
            (i.kind, i.provider.map(crate::vocab::Provider::name)),
            (KeyKind::OtherProvider, Some(name)),
            "{key}"
        );
        let f = i
            .findings
            .iter()
            .find(|f| f.id == FindingId::OtherProvider)
            .unwrap();
        assert_eq!(f.severity, Severity::Error);
        assert_eq!(i.sendable, Sendable::Nothing);
    }
}

#[test]
fn another_providers_key_is_fine_for_another_base_url() {
    let i = inspect("sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789", false);
    assert_eq!(i.findings[0].severity, Severity::Info);
    assert_eq!(i.sendable, Sendable::AsIs);
}

#[test]
fn truncated_keys_are_caught_by_the_marker() {
    let cut = &PROJECT[..PROJECT.find(MARKER).unwrap() + 12];
    assert_eq!(ids(cut), vec![FindingId::Truncated]);
    let no_marker = "sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";
    assert_eq!(ids(no_marker), vec![FindingId::Truncated]);
    assert_eq!(ids(&LEGACY[..40]), vec![FindingId::Truncated]);
    assert_eq!(ids(&format!("{LEGACY}x")), vec![FindingId::Truncated]);
    // Truncation is for the server to confirm: the key is still sent.
    assert_eq!(inspect(cut, true).sendable, Sendable::AsIs);
}

#[test]
fn a_gateways_own_sk_key_is_not_judged_by_openais_form() {
    // LiteLLM's virtual keys start with `sk-` and carry no marker.
    for key in ["sk-litellm-AbCdEfGh0123456789", "sk-1234"] {
        assert_eq!(ids(key), vec![FindingId::Truncated], "{key}");
        let at_gateway = inspect(key, false);
        let severities: Vec<Severity> = at_gateway.findings.iter().map(|f| f.severity).collect();
        assert_eq!(
            severities,
            vec![Severity::Info],
            "{key}: {:?}",
            at_gateway.findings
        );
        assert!(!at_gateway.findings[0].message.contains("cut short"));
        assert_eq!(at_gateway.sendable, Sendable::AsIs);
    }
}

#[test]
fn sk_none_keys_are_not_judged_on_form() {
    assert!(ids("sk-None-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789").is_empty());
}

#[test]
fn admin_session_and_chatgpt_tokens() {
    assert_eq!(ids(ADMIN), vec![FindingId::AdminKey]);
    assert_eq!(inspect(ADMIN, true).kind, KeyKind::Admin);
    assert_eq!(
        ids("sess-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"),
        vec![FindingId::SessionKey]
    );
    let jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJl";
    let i = inspect(jwt, true);
    assert_eq!(i.kind, KeyKind::ChatgptToken);
    assert_eq!(ids(jwt), vec![FindingId::ChatgptToken]);
    assert_eq!(i.sendable, Sendable::Nothing);
}

#[test]
fn missing_prefix_is_an_error_only_for_openai() {
    let key = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCdEf";
    assert_eq!(ids(key), vec![FindingId::MissingSkPrefix]);
    assert!(inspect(key, false).findings.is_empty());
}

#[test]
fn quotes_around_nothing_are_empty() {
    // Found by the property test below: a lone backtick became an empty key.
    for raw in ["`", "\"\"", "'' "] {
        let i = inspect(raw, true);
        assert!(
            i.findings.iter().any(|f| f.id == FindingId::Empty),
            "{raw:?}: {:?}",
            i.findings
        );
        assert_eq!(i.sendable, Sendable::Nothing, "{raw:?}");
    }
}

#[test]
fn empty_key() {
    let i = inspect("  ", true);
    assert_eq!(i.findings[0].id, FindingId::Empty);
    assert_eq!(i.sendable, Sendable::Nothing);
}

#[test]
fn a_real_key_is_never_a_placeholder() {
    // Random keys can contain any word; the marker rules them out of the check.
    let key = "sk-proj-yourHEREdemoExampleFakeAbCdEfGhT3BlbkFJAbCdEfGhIjKlMnOpQrStUvWxYz";
    assert!(ids(key).is_empty());
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any text at all: no panic, and nothing unsendable is ever sent.
        #[test]
        fn inspect_never_panics_and_never_sends_what_cannot_be_sent(raw in "\\PC{0,200}|[\\x00-\\x7f]{0,200}") {
            let i = inspect(&raw, true);
            let sent = i.cleaned.expose();
            if i.sendable != Sendable::Nothing {
                prop_assert!(!sent.is_empty());
                prop_assert!(sent.is_ascii());
                prop_assert!(!sent.chars().any(|c| c.is_control() || c.is_whitespace()));
            }
            prop_assert_eq!(i.sendable == Sendable::Cleaned, sent != raw && i.sendable != Sendable::Nothing);
        }

        /// Well-formed project keys of any length pass clean.
        #[test]
        fn project_keys_of_any_length_pass(head in "[A-Za-z0-9_-]{1,120}", tail in "[A-Za-z0-9_-]{20,120}") {
            let key = format!("sk-proj-{head}T3BlbkFJ{tail}");
            prop_assume!(!key.contains("..."));
            let i = inspect(&key, true);
            prop_assert!(i.findings.is_empty(), "{:?}", i.findings);
            prop_assert_eq!(i.kind, KeyKind::Project);
        }
    }
}

#[test]
fn secret_manager_references_are_named_not_sent() {
    for (value, manager) in [
        ("op://Private/OpenAI/credential", "1Password"),
        (
            "arn:aws:secretsmanager:eu-west-1:123456789012:secret:openai-AbCdEf",
            "AWS Secrets Manager",
        ),
        ("vault:secret/data/openai#key", "HashiCorp Vault"),
        ("vault://secret/openai", "HashiCorp Vault"),
        ("doppler://project/config/OPENAI_API_KEY", "Doppler"),
        (
            "gcp:secretmanager:projects/p/secrets/openai",
            "Google Secret Manager",
        ),
        (
            "projects/my-project/secrets/openai/versions/latest",
            "Google Secret Manager",
        ),
        ("akv://my-vault/openai", "Azure Key Vault"),
        (
            "@Microsoft.KeyVault(SecretUri=https://v.vault.azure.net/secrets/openai/)",
            "Azure Key Vault",
        ),
        ("${{ secrets.OPENAI_API_KEY }}", "GitHub Actions"),
    ] {
        let inspection = inspect(value, true);
        assert_eq!(ids(value), [FindingId::SecretReference], "{value}");
        assert!(inspection.findings[0].message.contains(manager), "{value}");
        assert_eq!(inspection.sendable, Sendable::Nothing);
    }
}
