//! The server rejected the key (401).
//!
//! ## What it means
//! The key is wrong, revoked or deleted, or belongs to a deleted project;
//! or no key reached the server at all. OpenAI's 401 echoes what it
//! received — the first 8 and last 4 characters — which is compared with
//! the key that was sent: it shows a truncated or padded key, leftover
//! quotes, or a literal `undefined` reaching the server. Other 401s (an
//! organization, a project, an IP allowlist, missing scopes) have rules of
//! their own, tried first.
//!
//! ## Usual causes
//! A stale key exported in a startup file, in front of a fresh one in
//! `.env`; a revoked key; a key of another service sent to OpenAI; a
//! gateway's own key sent to OpenAI (or the reverse).
//!
//! ## Example
//! `openai.AuthenticationError: Error code: 401 - {'error': {'message':
//! 'Incorrect API key provided: sk-proj-****6789. …', 'code': 'invalid_api_key'}}`

use crate::diagnose::words::{Gateway, NEW_KEY, answered_by_openai, colon, gateway_words};
use crate::diagnose::{Context, Evidence, Retry, Rule, Step};
use crate::resolve::KeySource;
use crate::vocab::{Client, DiagnosisId, Verdict};

pub(crate) const RULE: Rule = Rule {
    id: DiagnosisId::InvalidApiKey,
    title: "The key was rejected (401)",
    verdict: Verdict::Fix,
    retry: Retry::Never,
    steps: &[Step::BareStatus],
    when: |e| e.status() == Some(401) && e.may_be_the_api(),
    doctor,
    text,
};

const DO_NOT_RETRY: &str = "Do not retry with the same key: it will not start working, and repeated failures can trip IP rate limits.";

fn doctor(e: &Evidence, d: Context) -> Vec<String> {
    if let Some(list) = no_key_arrived(e).or_else(|| e.is_azure().then(|| azure_rejection(e))) {
        return list;
    }
    let mut list = rejected(e);
    // The cheaper fixes first: another key already at hand.
    let shadowed = d.shadowed_dotenv_key();
    if let Some(other) = shadowed {
        list.push(format!(
            "The .env file ({}) holds a different key ({}) that your program never sees: the exported OPENAI_API_KEY wins, and load_dotenv() does not override a variable that exists. Test that key: `openai-keycheck doctor --source dotenv`.",
            other.location,
            other.value().map(|v| v.masked()).unwrap_or_default()
        ));
        list.push(format!(
            "If it works, stop the shadowing: `unset OPENAI_API_KEY`{}, or let the .env win: `load_dotenv(override=True)` in Python, `dotenv.config({{ override: true }})` in Node.",
            d.exported_in().map(|place| format!(" and remove its export in {place}")).unwrap_or_default()
        ));
    }
    // The environment is all a run sees; a key in code outranks it.
    list.push("If the program passes a key in its code (api_key= in Python and LangChain, apiKey in Node), that key is the one it sends, not this one: test it with `--api-key-stdin`.".into());
    let exported = d
        .exported_in()
        .map(|place| format!(" (exported in {place})"))
        .unwrap_or_default();
    let new_key = match d.key_location() {
        Some(location) => format!("{NEW_KEY} and replace the value in {location}{exported}."),
        None => format!(
            "{NEW_KEY} and replace the value where the program reads it (OPENAI_API_KEY, a .env file, a secret store)."
        ),
    };
    // Another server answered: a service with keys of its own, or a
    // gateway that may refuse its own upstream key.
    if !d.resolution.settings.is_openai() {
        match gateway_words(&d.host()) {
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
        // Untagged by OpenAI: the server judged the key itself, and a key
        // from platform.openai.com is no answer to that.
        if !answered_by_openai(e) {
            list[0] = format!(
                "The server rejected {}: it is not one that server accepts, or it was revoked or has expired there.",
                e.key_phrase()
            );
            list.push(match d.key_location() {
                Some(location) => format!("Get a key that server accepts (a LiteLLM proxy's admin UI or `/key/generate`; a local server's own settings) and replace the value in {location}{exported}."),
                None => "Get a key that server accepts (a LiteLLM proxy's admin UI or `/key/generate`; a local server's own settings) and replace the value where the program reads it.".into(),
            });
            list.push(DO_NOT_RETRY.into());
            return list;
        }
    }
    // Only part of a wrapped key was sent: the whole one may work.
    if d.tested().is_some_and(|t| t.continued_on.is_some()) {
        // What the server compared was the first line alone.
        list.truncate(1);
        list.push("Join the lines and run again before anything else: the whole key may well work.".into());
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
    list.push(DO_NOT_RETRY.into());
    list
}

fn text(e: &Evidence) -> Vec<String> {
    if let Some(list) = no_key_arrived(e).or_else(|| e.is_azure().then(|| azure_rejection(e))) {
        return list;
    }
    // A LiteLLM proxy refused the key sent to it: its own, not OpenAI's.
    if e.message_has(&["invalid proxy server token"]) {
        return vec![
            "The LiteLLM proxy refused the key the program sent it: the proxy takes the virtual keys it issues (or its master key), not an OpenAI key, and never passed this request on to OpenAI.".into(),
            "Use a key the proxy issued (its admin UI, or `/key/generate` with the master key) in the program's setting for the proxy's key; check that the key was not deleted or expired on the proxy. The OpenAI key lives in the proxy's own config.".into(),
        ];
    }
    // What arrived was no OpenAI key at all: a new key would be put where
    // the wrong value already is.
    if let Some(words) = e.sent_instead_in_text() {
        return vec![
            words,
            "Fix the value the program reads (OPENAI_API_KEY, a .env file, a secret, a config file) so that it holds the key itself; the key was never tried, so do not revoke or replace it for this.".into(),
            "Run `openai-keycheck doctor` where the program runs: it shows which source wins and what it holds.".into(),
        ];
    }
    let mut list = rejected(e);
    list.push(format!(
        "{NEW_KEY} and replace the value where the program reads it ({}).",
        e.client_rules().unwrap_or(Client::Python.rules()).key_read_from
    ));
    list.push(DO_NOT_RETRY.into());
    list
}

/// "You didn't provide an API key" after a request that carried one: a new
/// key would not arrive either. (An error text saying so is `key_empty`.)
fn no_key_arrived(e: &Evidence) -> Option<Vec<String>> {
    e.message_has(&["didn't provide an api key"]).then(|| {
        vec![
            "The server received no key: something between here and OpenAI (a proxy or gateway) dropped the Authorization header.".into(),
            "Check the proxy or gateway that the base URL or HTTPS_PROXY names: it must pass the Authorization header on.".into(),
        ]
    })
}

/// The rejection, and what the server's echo shows of what it received.
fn rejected(e: &Evidence) -> Vec<String> {
    let mut list = vec![format!(
        "The server rejected {}: it is wrong, revoked or deleted, or belongs to a deleted project.",
        e.key_phrase()
    )];
    list.extend(e.echo_comparison());
    list
}

/// A 401 from Azure OpenAI: a key from another resource (or region), or a
/// token for the wrong audience or out of date.
fn azure_rejection(e: &Evidence) -> Vec<String> {
    let token = e.doctor.is_some_and(|d| {
        d.tested().is_some_and(|t| t.source == KeySource::AzureAdToken)
            || (d.resolution.flag_is_token && d.tested().is_some_and(|t| t.source == KeySource::Flag))
    }) || e.message_has(&["access token"]);
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
        format!(
            "Copy KEY1 or KEY2 from the Keys and Endpoint page of the very resource the endpoint names{endpoint}, in the Azure portal: a key of another resource, or of the same name in another region, is refused with this same message."
        ),
        "Check the endpoint's name and region too: https://NAME.openai.azure.com/ with the resource's own NAME (a custom subdomain, not the region name).".into(),
        "An OpenAI key (sk-…) never works here, nor an Azure key with api.openai.com. Do not retry with the same key.".into(),
    ]
}
