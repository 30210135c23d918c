//! Checked offline (`--offline`): the key looks well-formed.
//!
//! ## What it means
//! Only the key's source and form were checked, and no error was found; no
//! request was made, so whether the key is valid is not known.
//!
//! ## Usual causes
//! `--offline`, chosen to check the form without the network (in a
//! pre-commit hook, say).
//!
//! ## Example
//! `openai-keycheck doctor --offline`

use crate::diagnose::{Evidence, Retry, Rule};
use crate::vocab::{DiagnosisId, NotSent, Verdict};

pub(crate) const RULE: Rule = Rule {
    id: DiagnosisId::Offline,
    title: "Checked offline: the key looks well-formed",
    verdict: Verdict::Pass,
    retry: Retry::Never,
    steps: &[],
    when: |e| e.not_sent() == Some(&NotSent::Offline),
    doctor: |e, _| checklist(e),
    text: checklist,
};

fn checklist(e: &Evidence) -> Vec<String> {
    vec![
        format!(
            "No request was made (--offline): the form of {} looks right, but only the server can say whether it is valid.",
            e.key_phrase()
        ),
        "Run without --offline to make one request to GET /models (free, no tokens used).".into(),
    ]
}
