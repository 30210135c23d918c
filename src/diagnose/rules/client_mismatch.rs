//! The key is for the other service: an OpenAI key for Azure OpenAI, or an
//! Azure key for OpenAI's API.
//!
//! ## What it means
//! An Azure OpenAI resource accepts only its own keys (KEY1, KEY2, 32
//! hexadecimal characters, sent as `api-key`) or an Entra ID token; OpenAI's
//! API accepts only its own `sk-…` keys. Such a key is not sent.
//!
//! ## Usual causes
//! A program that uses `OpenAI()` where it meant `AzureOpenAI()` (or the
//! reverse); an Azure key left in `OPENAI_API_KEY`; an
//! `AZURE_OPENAI_ENDPOINT` set to `https://api.openai.com` (the Azure
//! client's key would go there as `api-key`, which OpenAI ignores).
//!
//! ## Example
//! `Error code: 401 - … Incorrect API key provided: 3f9a1c0e************0e2c`
//! (the echo is 32 hexadecimal characters: an Azure key reached OpenAI).

use crate::diagnose::words::capitalise;
use crate::diagnose::{Evidence, Retry, Rule};
use crate::resolve::KeySource;
use crate::vocab::{DiagnosisId, NotSent, Provider, Verdict};

pub(crate) const RULE: Rule = Rule {
    id: DiagnosisId::ClientMismatch,
    title: "The key is for the other service (OpenAI or Azure OpenAI)",
    verdict: Verdict::Fix,
    retry: Retry::Never,
    steps: &[],
    when: |e| {
        matches!(
            e.not_sent(),
            Some(NotSent::ClientMismatch | NotSent::AzureEndpointIsOpenai)
        ) || (e.not_sent() == Some(&NotSent::KeyUnsendable)
            && e.doctor.is_some_and(|d| {
                d.inspection
                    .is_some_and(|i| i.provider == Some(Provider::AzureOpenAi))
            }))
            || (e.status() == Some(401) && e.echo_is_azure_key())
    },
    doctor: |e, _| {
        match e.not_sent() {
            Some(NotSent::ClientMismatch) => return openai_key_for_azure(e),
            Some(NotSent::AzureEndpointIsOpenai) => return azure_endpoint_is_openai(e),
            _ => {}
        }
        azure_key_for_openai(e, ", so nothing was sent")
    },
    text: |e| azure_key_for_openai(e, ""),
};

fn openai_key_for_azure(e: &Evidence) -> Vec<String> {
    vec![
        format!(
            "{} is an OpenAI key (sk-…), and this run follows AzureOpenAI(): an Azure resource accepts only its own keys (KEY1, KEY2) or an Entra ID token, so nothing was sent.",
            capitalise(&e.key_phrase())
        ),
        "If the program talks to api.openai.com, it should use OpenAI(), not AzureOpenAI(): run with --client python. Otherwise put the resource's key in AZURE_OPENAI_API_KEY (Azure portal: the resource's Keys and Endpoint page).".into(),
    ]
}

fn azure_endpoint_is_openai(e: &Evidence) -> Vec<String> {
    // A token goes as Bearer, a resource key as `api-key`.
    let token = e.doctor.is_some_and(|d| {
        d.tested().is_some_and(|t| t.source == KeySource::AzureAdToken)
            || (d.resolution.flag_is_token && d.tested().is_some_and(|t| t.source == KeySource::Flag))
    });
    let how = if token {
        "as `Authorization: Bearer`, a token OpenAI does not take"
    } else {
        "as an `api-key` header, which OpenAI ignores (it answers \"You didn't provide an API key\")"
    };
    // openai-node's AzureOpenAI took OPENAI_BASE_URL before the endpoint.
    if let Some(d) = e.doctor
        && let Some(variable) = d.resolution.client.rules().azure_base_url_variable
        && d.resolution.settings.base_url.variable == variable
    {
        return vec![
            format!(
                "{} is {}, OpenAI's API, and openai-node's AzureOpenAI takes it before AZURE_OPENAI_ENDPOINT: it would send {} there {how}, under Azure's URL layout, which OpenAI does not serve. Nothing was sent.",
                d.resolution.settings.base_url.origin_words(),
                crate::vocab::urls::shown(&d.resolution.settings.base_url.value),
                e.key_phrase()
            ),
            format!(
                "Unset {variable} where the program runs (a leftover of an OpenAI set-up); AZURE_OPENAI_ENDPOINT is then used. Passing `endpoint` to the client does not help while it is set: openai-node then throws `baseURL and endpoint are mutually exclusive`."
            ),
        ];
    }
    vec![
        format!(
            "The Azure endpoint is {}, OpenAI's API, not an Azure resource: AzureOpenAI() would send {} there {how}, under Azure's URL layout, which OpenAI does not serve. Nothing was sent.",
            e.doctor.map(|d| d.host()).unwrap_or_default(),
            e.key_phrase()
        ),
        "If the program talks to OpenAI's API, it should use OpenAI() with OPENAI_API_KEY (check it with --client python). Otherwise set AZURE_OPENAI_ENDPOINT (or azure_endpoint=) to the resource's endpoint, https://NAME.openai.azure.com/ (Azure portal: the resource's Keys and Endpoint page).".into(),
    ]
}

fn azure_key_for_openai(e: &Evidence, nothing_sent: &str) -> Vec<String> {
    vec![
        format!(
            "{} is an Azure OpenAI key (32 hexadecimal characters), and the request goes to OpenAI's API, which accepts only its own sk-… keys{nothing_sent}.",
            capitalise(&e.key_phrase())
        ),
        "If the program talks to Azure OpenAI, it should use AzureOpenAI() with AZURE_OPENAI_API_KEY, AZURE_OPENAI_ENDPOINT and OPENAI_API_VERSION (check it with --client azure). Otherwise create an OpenAI key at https://platform.openai.com/api-keys.".into(),
    ]
}
