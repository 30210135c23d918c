//! This machine's address is not on the project's IP allowlist.
//!
//! ## What it means
//! A 401 or 403 that says the IP is not authorized: the key is fine, and the
//! project accepts requests only from the addresses it lists.
//!
//! ## Usual causes
//! A CI runner or a laptop on a new network (runners change addresses from
//! run to run); a VPN.
//!
//! ## Example
//! `Error code: 401 - IP not authorized for this project.`

use crate::diagnose::{Evidence, Retry, Rule};
use crate::vocab::{DiagnosisId, Verdict};

pub(crate) const RULE: Rule = Rule {
    id: DiagnosisId::IpNotAllowed,
    title: "This IP address is not allowed for the project",
    verdict: Verdict::Fix,
    retry: Retry::Never,
    steps: &[],
    when: |e| e.status_in(&[401, 403]) && e.message_has(&["ip not authorized", "ip address", "allowlist"]),
    doctor: |e, _| checklist(e),
    text: checklist,
};

fn checklist(_: &Evidence) -> Vec<String> {
    vec![
        "The project has an IP allowlist and this machine's public address is not on it.".into(),
        "Add the address in the project's settings (Security, IP allowlist) or run from an allowed network; CI runners change addresses from run to run.".into(),
    ]
}
