//! No source holds a key, so the client could not be made and nothing was
//! sent.
//!
//! ## What it means
//! The program's client found no key when it was created: openai-python and
//! openai-node raise `Missing credentials…` then, before any request.
//!
//! ## Usual causes
//! `OPENAI_API_KEY` was never exported in the shell, service or CI job the
//! program runs in; the key is only in a `.env` the program does not load;
//! under Node, the key is in a `.env` one folder up, where Node's loaders do
//! not look; only `OPENAI_ADMIN_KEY` is set (the client is created, every model call
//! fails).
//!
//! ## Example
//! `openai.OpenAIError: The api_key client option must be set either by
//! passing api_key to the client or by setting the OPENAI_API_KEY
//! environment variable`

use crate::diagnose::words::client_flag;
use crate::diagnose::{Context, Evidence, Retry, Rule};
use crate::resolve::SourceState;
use crate::vocab::client::Service;
use crate::vocab::{Client, DiagnosisId, FindingId, NotSent, Verdict};

pub(crate) const RULE: Rule = Rule {
    id: DiagnosisId::KeyMissing,
    title: "No API key found",
    verdict: Verdict::Fix,
    retry: Retry::Never,
    steps: &[],
    when: |e| e.not_sent() == Some(&NotSent::NoKey),
    doctor,
    text,
};

fn doctor(_: &Evidence, d: Context) -> Vec<String> {
    let rules = d.resolution.client.rules();
    // With an admin key the client is created; the call fails instead.
    let mut list = vec![
        match d.resolution.settings.admin_key {
            Some(_) => format!("No source holds an API key. {}", rules.admin_key_only),
            None => format!("No source holds a key. {}.", rules.missing_credentials),
        },
        match (rules.service, &d.resolution.set_key_where) {
            (_, Some(there)) => there.clone(),
            (Service::Azure, None) => format!("{}; in CI, store it as a secret and map it into the job's environment.", rules.set_key),
            (Service::OpenAi, None) => "Set it for this shell with `export OPENAI_API_KEY=sk-…`, or pipe it in with --api-key-stdin; in CI, store it as a secret and map it into the job's environment.".to_string(),
        },
    ];
    // The program's code reads another variable: that one is to set.
    if let Some(crate::vocab::program::KeyInCode::Variable { variable, at, .. }) =
        d.resolution.program.as_ref().map(|p| &p.key)
    {
        list[1] = format!(
            "Set {variable}, the variable the program reads its key from ({at}), where the program runs; in CI, store it as a secret and map it into the job's environment."
        );
    }
    // The program's code loads its `.env` too late, or not at all: that
    // is why, whatever else is set.
    let dotenv_unused = d.resolution.findings.iter().find(|f| {
        matches!(
            f.id,
            FindingId::DotenvLoadedTooLate | FindingId::DotenvNeverLoaded
        )
    });
    if let Some(finding) = dotenv_unused {
        // The .env may hold one: none reaches the client when it is made.
        list[0] = list[0].replacen(
            "No source holds a key.",
            "No source the client reads when it is made holds a key.",
            1,
        );
        list.insert(1, finding.message.clone());
    }
    // Node reads ./.env only; the key the user meant may sit one folder up.
    if let Some(above) = &d.resolution.dotenv_out_of_reach {
        list.insert(
            1,
            format!(
                "A key is in {} ({}), which this program does not read from here: Node's dotenv and `node --env-file` load ./.env from the folder the program starts in. Start it from {}, or name the file: `node --env-file={} app.js`, or `dotenv.config({{ path: '{}' }})`.",
                above.relative,
                above.path.display(),
                above.folder().display(),
                above.relative,
                above.relative,
            ),
        );
    }
    // The Azure docs' own set-up passes a token provider in code (a program
    // read says whether it does).
    if rules.service == Service::Azure && d.resolution.program.is_none() {
        list.push("If the program passes azure_ad_token_provider= (or azure_ad_token=) in code, as Azure's documentation recommends, its credential is invisible here: test a token from the same identity with `az account get-access-token --resource https://cognitiveservices.azure.com --query accessToken -o tsv | openai-keycheck doctor --azure-ad-token-stdin`.".into());
    }
    for s in d
        .resolution
        .sources
        .iter()
        .filter(|s| matches!(s.state(), SourceState::Unreadable | SourceState::Invalid))
    {
        list.push(format!(
            "Fix {} ({}): {}.",
            s.source.label(),
            s.location,
            s.detail().unwrap_or("unreadable")
        ));
    }
    // The code computes its credential when it runs (a secret store, a
    // token provider): the client is not short of one, this run is.
    if let Some(crate::vocab::program::KeyInCode::NotFollowed { at, argument, token }) =
        d.resolution.program.as_ref().map(|p| &p.key)
    {
        let stdin = if *token {
            "--azure-ad-token-stdin"
        } else {
            "--api-key-stdin"
        };
        let program = d
            .resolution
            .program
            .as_ref()
            .and_then(|p| p.files.first())
            .map_or("PROGRAM", String::as_str);
        let example = if *token {
            format!(
                "`az account get-access-token --resource https://cognitiveservices.azure.com --query accessToken -o tsv | openai-keycheck doctor {program} {stdin}`"
            )
        } else {
            format!("`<the command that prints the key> | openai-keycheck doctor {program} {stdin}`")
        };
        return vec![
            format!(
                "The program computes its credential when it runs ({argument}= at {at}), which reading the code cannot follow, and no other source here holds one: the program itself may well have it, so this run cannot say whether it works."
            ),
            format!(
                "Give this check the credential the program computes, on standard input: {example}; it is read, never shown."
            ),
        ];
    }
    // A near miss of the key's name is the likeliest reason of all.
    if let Some(near_miss) = d
        .resolution
        .findings
        .iter()
        .find(|f| matches!(f.id, FindingId::NearMissVariable | FindingId::StreamlitSecretName))
    {
        list.insert(0, format!("{}.", near_miss.message));
    }
    list
}

fn text(e: &Evidence) -> Vec<String> {
    // A text that shows its client gets that client's words; any other the
    // Python SDK's, which most clients copy.
    let Some(client) = e.client else {
        return vec![
            "The SDK found no key when the client was constructed, so no request was made: 3.x raises `Missing credentials…`, 1.x `The api_key client option must be set…`.".into(),
            format!("{}.", Client::Python.rules().set_key),
            "Run `openai-keycheck doctor` where the program runs to see every place a key could come from.".into(),
        ];
    };
    vec![
        format!("{}.", client.rules().missing_credentials),
        format!("{}.", client.rules().set_key),
        format!(
            "Run `openai-keycheck doctor{}` where the program runs to see every place a key could come from.",
            client_flag(client)
        ),
    ]
}
