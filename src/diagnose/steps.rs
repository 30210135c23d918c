//! Lines that are no one diagnosis's own: said around a rule's checklist,
//! each by a named step. The registry frames every rule with
//! [`before_every_rule`] and [`after_every_rule`]; a rule names in its
//! `steps` the ones only it can need ([`Step`]).

use super::{Evidence, Retry, Rule};
use crate::plan::CredentialRole;
use crate::vocab::{DiagnosisId, ExitStatus, NetworkErrorKind, Verdict};

/// A step a rule asks for by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// An error text that gives a status and nothing else (`explain 429`):
    /// the status has several meanings, so the checklist starts with how to
    /// tell them apart, and when one of them is never worth a retry, the run
    /// counts as "fix" until the error's code says otherwise.
    BareStatus,
    /// A name that does not resolve under Azure's resource domains: the
    /// resource is misspelt or gone, so the run needs a fix, not a retry.
    AzureResourceName,
}

/// The domains an Azure OpenAI resource's name lives under.
const AZURE_RESOURCE_DOMAINS: &[&str] = &[".openai.azure.com", ".cognitiveservices.azure.com"];

/// What the steps make of a rule's verdict and checklist.
pub(crate) struct Framed {
    pub verdict: Verdict,
    pub retry: Retry,
    pub before: Vec<String>,
    pub after: Vec<String>,
}

/// The rule's verdict and the lines around its checklist.
pub(crate) fn frame(rule: &Rule, e: &Evidence, rules: &[&Rule]) -> Framed {
    let mut framed = Framed {
        verdict: rule.verdict,
        retry: rule.retry,
        before: Vec::new(),
        after: Vec::new(),
    };
    let mut unknown_code = None;
    for step in rule.steps {
        match step {
            Step::BareStatus => unknown_code = bare_status(rule, e, rules, &mut framed),
            Step::AzureResourceName => azure_resource_name(e, &mut framed),
        }
    }
    framed.before.extend(before_every_rule(e));
    framed.after.extend(after_every_rule(rule, e));
    framed.after.extend(unknown_code);
    framed
}

/// [`Step::BareStatus`]: the line that tells the meanings apart goes first;
/// the line that says why this counts as a fix goes last.
fn bare_status(rule: &Rule, e: &Evidence, rules: &[&Rule], framed: &mut Framed) -> Option<String> {
    // What the text shows was sent says more than the status's meanings.
    if e.sent_instead_in_text().is_some() {
        return None;
    }
    let (meanings, how_to_tell) = super::meanings_of_bare_status(e.observed)?;
    framed.before.push(how_to_tell.to_string());
    let never_retried = |id: &DiagnosisId| rules.iter().any(|r| r.id == *id && r.retry == Retry::Never);
    let never = meanings
        .iter()
        .find(|id| **id != rule.id && never_retried(id))
        .filter(|_| framed.retry != Retry::Never)?;
    (framed.verdict, framed.retry) = (Verdict::Fix, Retry::Never);
    Some(format!(
        "Until the error's code is known, this counts as needing a fix (exit {}), not a retry: if it is {never}, retrying never helps.",
        ExitStatus::Fix.code()
    ))
}

/// [`Step::AzureResourceName`]: Azure's DNS always knows a resource that
/// exists, so an unknown name there is the name's fault, not the network's.
fn azure_resource_name(e: &Evidence, framed: &mut Framed) {
    let Some(d) = e.doctor else { return };
    let host = d.host();
    let dns = e.failure().is_some_and(|f| f.kind == NetworkErrorKind::Dns);
    let through_a_proxy = d.request.is_some_and(|r| r.proxy.is_some());
    if !dns || through_a_proxy || !AZURE_RESOURCE_DOMAINS.iter().any(|domain| host.ends_with(domain)) {
        return;
    }
    (framed.verdict, framed.retry) = (Verdict::Fix, Retry::Never);
    let name = host.split('.').next().unwrap_or_default();
    framed.before.push(format!(
        "No Azure resource is named `{name}`: {host} does not resolve, and Azure resolves the name of every resource that exists. The name in AZURE_OPENAI_ENDPOINT is misspelt, or the resource was deleted or moved; copy the endpoint from the resource's Keys and Endpoint page in the Azure portal. (Only if other names fail to resolve too is it this machine's DNS.)"
    ));
}

/// What a doctor run says before any rule's own lines: facts about what
/// was tested that change how the rest reads.
pub(crate) fn before_every_rule(e: &Evidence) -> Vec<String> {
    [wrapped_key(e), another_source(e), sent_instead_of_key(e)]
        .into_iter()
        .flatten()
        .collect()
}

/// What every failing rule ends with.
pub(crate) fn after_every_rule(rule: &Rule, e: &Evidence) -> Option<String> {
    request_id(rule, e)
}

/// A key wrapped onto two lines of a .env: joining them comes first.
fn wrapped_key(e: &Evidence) -> Option<String> {
    let d = e.doctor?;
    let tested = d.tested()?;
    let next = tested.continued_on?;
    Some(format!(
        "The key in {} continues on line {next}, which does not parse: it was wrapped onto two lines, and only the first was read. Join the two lines into one; the rest of this checklist is about the part that was read.",
        tested.location
    ))
}

/// Which key was tested, when it is not the one programs use (`--source`).
fn another_source(e: &Evidence) -> Option<String> {
    let d = e
        .doctor
        .filter(|d| d.resolution.source_flag.is_some() && d.tests_another_source())?;
    Some(format!(
        "This run tested {} (--source); your programs use {}.",
        d.key_phrase(),
        d.used()
            .map_or("no key at all".to_string(), |u| u.source.label().to_string())
    ))
}

/// What the request carried instead of the key, and whose it is.
fn sent_instead_of_key(e: &Evidence) -> Option<String> {
    let d = e.doctor?;
    let instead = d.sent_instead_of_key()?;
    let replaced = d.tested().map_or("the key".to_string(), |t| {
        format!("the key from {}", t.source.label())
    });
    Some(match instead.role {
        CredentialRole::GatewayKey => format!(
            "The request carried {}, as langchain-openai does through LangSmith's gateway: it replaces {replaced}, which was not sent.",
            instead.describe()
        ),
        _ => format!(
            "The request carried {}, as the SDKs (Python 3.x, Node 6.x) do: it replaces {replaced}, which was not sent, and whoever owns that credential's account sees your programs' requests. Remove that line from OPENAI_CUSTOM_HEADERS unless it is meant to win.",
            instead.describe()
        ),
    })
}

/// A request id helps support with a failed request, not a passing one.
fn request_id(rule: &Rule, e: &Evidence) -> Option<String> {
    let id = e.answer()?.headers.request_id.as_ref()?;
    let passing =
        ExitStatus::from(rule.verdict).is_success() || e.status().is_some_and(|s| (200..300).contains(&s));
    (!passing).then(|| {
        format!(
            "If you contact {} support, quote the request id {id}.",
            super::words::service_name(e)
        )
    })
}
