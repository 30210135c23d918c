//! Diagnose: what was observed becomes one diagnosis with its checklist.
//! Each diagnosis is a [`Rule`] in a file of its own under `rules/`, named
//! after its id; [`registry::RULES`] lists them in the order they are tried.
//! This module holds the evidence they read and how a rule becomes a
//! [`Diagnosis`].
//!
//! The evidence is the same whether the probe made the request or `explain`
//! read about it in an error text; what only `doctor` knows (where the key
//! came from, what was sent, the options) is a separate, optional context,
//! so a checklist line can only use such a fact where it exists.

mod echo;
mod evidence;
mod meanings;
mod registry;
mod rules;
mod steps;
pub(crate) mod unseen;
mod words;

use serde::Serialize;
use strum::{EnumIter, IntoStaticStr};

use crate::inspect::Inspection;
use crate::plan::{PlanOptions, ProbeRequest};
use crate::resolve::Resolution;
use crate::vocab::client::Client;
use crate::vocab::{Body, DiagnosisId, ExitStatus, Finding, FindingId, Observed, Sdk, Severity, Verdict};

pub(crate) use evidence::Header;
use meanings::meanings_of_status;
pub use registry::RULES;
pub(crate) use steps::Step;
pub use unseen::{Unseen, UnseenId};

/// Everything a diagnosis may look at.
pub struct Evidence<'a> {
    pub observed: &'a Observed,
    /// The SDK whose error text this is, when the text says so.
    pub sdk: Option<Sdk>,
    /// `explain`: the other service the text is about, and where its
    /// credentials are made, when it is not OpenAI's.
    pub other_service: Option<(&'static str, &'static str)>,
    /// `explain`: whose words the text is in (an Azure, LangChain or Node
    /// text), so that the steps speak that client's settings.
    pub client: Option<Client>,
    /// `explain`: the word a request dump shows in place of a key
    /// (`Authorization: 'Bearer undefined'`).
    pub sent_word: Option<&'a str>,
    /// What only `doctor` knows; `explain` has none of it.
    pub doctor: Option<Context<'a>>,
}

/// The run around the request, as `doctor` knows it.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    pub resolution: &'a Resolution,
    pub inspection: Option<&'a Inspection>,
    /// The request, when one was made.
    pub request: Option<&'a ProbeRequest>,
    pub options: &'a PlanOptions<'a>,
    /// `doctor PROGRAM` on OpenAI's API: the models the program's code
    /// names that the key's model list (the one request's answer) lacks.
    pub models_missing: &'a [crate::vocab::program::ModelInCode],
    /// `doctor PROGRAM`: the models the code names that this run did not
    /// try (a gateway's, a deployment past the first).
    pub models_unchecked: &'a [crate::vocab::program::ModelInCode],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, EnumIter, IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Retry {
    /// Fix something first: the same request will fail the same way.
    Never,
    /// Wait, then retry (the server said how long, or will).
    After,
    /// A passing fault: retry later, with backoff.
    Later,
}

#[derive(Debug, Clone, Serialize)]
pub struct Diagnosis {
    pub id: DiagnosisId,
    pub title: &'static str,
    #[serde(skip)]
    pub verdict: Verdict,
    pub retry: Retry,
    pub retry_after_seconds: Option<u64>,
    pub checklist: Vec<String>,
    /// What a passing run rests on that it could not see (doctor); empty
    /// for a failing run and for explain.
    pub unseen: Vec<Unseen>,
    /// What `--strict` failed a passing run for.
    #[serde(skip)]
    pub strict_failures: Vec<StrictFailure>,
}

/// Why `--strict` failed a run that would pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StrictFailure {
    /// A warning, or an error the server overruled.
    Finding(FindingId),
    /// A pass that carries a warning of its own (a restricted key).
    Diagnosis(DiagnosisId),
    /// A pass that rests on something the run could not see.
    Unseen(UnseenId),
}

impl StrictFailure {
    pub(crate) fn name(self) -> &'static str {
        match self {
            StrictFailure::Finding(id) => id.name(),
            StrictFailure::Diagnosis(id) => id.name(),
            StrictFailure::Unseen(id) => id.name(),
        }
    }
}

/// `a, b`: the ids, as every format spells them.
pub(crate) fn strict_names(failures: &[StrictFailure]) -> String {
    failures.iter().map(|f| f.name()).collect::<Vec<_>>().join(", ")
}

impl Diagnosis {
    /// The one place a diagnosis becomes an exit status.
    pub(crate) fn exit_status(&self) -> ExitStatus {
        if self.strict_failures.is_empty() {
            self.verdict.into()
        } else {
            ExitStatus::Fix
        }
    }
}

/// The errors of one kind in an input, in the order they first appeared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Occurrence {
    pub id: DiagnosisId,
    pub status: Option<u16>,
    pub first_line: u64,
    pub last_line: u64,
    pub count: u64,
}

/// Counts errors by diagnosis and status; a handful of entries however
/// long the input.
#[derive(Debug, Default)]
pub(crate) struct Occurrences(pub Vec<Occurrence>);

impl Occurrences {
    pub(crate) fn add(&mut self, id: DiagnosisId, status: Option<u16>, first_line: u64, last_line: u64) {
        match self.0.iter_mut().find(|o| o.id == id && o.status == status) {
            Some(o) => {
                o.count += 1;
                o.last_line = last_line;
            }
            None => self.0.push(Occurrence {
                id,
                status,
                first_line,
                last_line,
                count: 1,
            }),
        }
    }
}

/// One diagnosis: when it applies, what it is called, what to do. A fact
/// only `doctor` has comes from its [`Context`], so the checklist for a run
/// and the one for an error text are separate functions, and neither can
/// state a fact it was not given.
pub struct Rule {
    pub id: DiagnosisId,
    pub title: &'static str,
    pub verdict: Verdict,
    pub retry: Retry,
    /// Steps only this rule needs, said around its checklist ([`Step`]).
    pub steps: &'static [Step],
    /// Whether the evidence is this rule's; the first rule in the registry
    /// for which it holds decides.
    pub when: fn(&Evidence) -> bool,
    /// The checklist after a doctor run.
    pub doctor: fn(&Evidence, Context) -> Vec<String>,
    /// The checklist for an error text (`explain`).
    pub text: fn(&Evidence) -> Vec<String>,
}

impl Rule {
    /// The checklist for this evidence, by what it knows.
    fn checklist(&self, e: &Evidence) -> Vec<String> {
        match e.doctor {
            Some(d) => (self.doctor)(e, d),
            None => (self.text)(e),
        }
    }
}

/// The diagnoses an answer known only by its status could mean (no body,
/// no message: `explain 429`), and how to tell them apart.
pub(crate) fn meanings_of_bare_status(observed: &Observed) -> Option<(&'static [DiagnosisId], &'static str)> {
    observed
        .answer()
        .filter(|a| a.error.is_none() && a.body == Body::Unseen)
        .and_then(|a| a.status)
        .and_then(meanings_of_status)
}

pub(crate) fn diagnose(evidence: &Evidence) -> Diagnosis {
    let rule = registry::rule_for(evidence);
    let framed = steps::frame(rule, evidence, RULES);
    let mut checklist = framed.before;
    checklist.extend(rule.checklist(evidence));
    checklist.extend(framed.after);
    let unseen = match evidence.doctor {
        Some(d) if ExitStatus::from(framed.verdict).is_success() => unseen::of(d),
        _ => Vec::new(),
    };
    checklist.extend(unseen.iter().map(Unseen::line));
    Diagnosis {
        id: rule.id,
        title: rule.title,
        verdict: framed.verdict,
        retry: framed.retry,
        retry_after_seconds: (framed.retry == Retry::After)
            .then(|| evidence.retry_after_seconds())
            .flatten(),
        checklist,
        unseen,
        strict_failures: Vec::new(),
    }
}

/// `--strict`: warnings, and errors the server overruled, fail a passing
/// run; so does a pass that carries a warning (a restricted key).
pub(crate) fn apply_strict(diagnosis: &mut Diagnosis, findings: &[Finding]) {
    if !ExitStatus::from(diagnosis.verdict).is_success() {
        return;
    }
    let mut failures: Vec<StrictFailure> = findings
        .iter()
        .filter(|f| f.severity != Severity::Info)
        .map(|f| StrictFailure::Finding(f.id))
        .collect();
    if diagnosis.verdict == Verdict::PassWithWarning {
        failures.push(StrictFailure::Diagnosis(diagnosis.id));
    }
    failures.extend(diagnosis.unseen.iter().map(|u| StrictFailure::Unseen(u.id)));
    failures.dedup();
    if failures.is_empty() {
        return;
    }
    diagnosis.checklist.push(format!(
        "--strict: {} count as a failure; fix them or drop --strict.",
        strict_names(&failures)
    ));
    diagnosis.strict_failures = failures;
}

#[cfg(test)]
mod tests;
