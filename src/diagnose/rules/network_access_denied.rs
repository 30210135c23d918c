//! The Azure resource does not accept traffic from this network.
//!
//! ## What it means
//! A 403 about a private endpoint, disabled public access, a virtual network
//! or a firewall: the resource refused the request because of where it came
//! from, not because of the key. The same key works from an allowed network.
//!
//! ## Usual causes
//! A resource set to "Selected networks" or private endpoints only, called
//! from a laptop or a CI runner outside them; a private endpoint whose DNS
//! does not resolve to its private address.
//!
//! ## Example
//! `{"error":{"code":"403","message": "Traffic is not from an approved
//! private endpoint."}}`

use crate::diagnose::words::colon;
use crate::diagnose::{Evidence, Retry, Rule};
use crate::vocab::{DiagnosisId, Verdict};

pub(crate) const RULE: Rule = Rule {
    id: DiagnosisId::NetworkAccessDenied,
    title: "The Azure resource does not accept traffic from this network",
    verdict: Verdict::Fix,
    retry: Retry::Never,
    steps: &[],
    when: |e| {
        e.status() == Some(403)
            && e.message_has(&[
                "private endpoint",
                "public access is disabled",
                "virtual network",
                "firewall",
            ])
    },
    doctor: |e, _| checklist(e),
    text: checklist,
};

fn checklist(e: &Evidence) -> Vec<String> {
    vec![
        format!(
            "The resource refused the request because of where it came from, not because of the key{}",
            colon(e.message())
        ),
        "Its networking allows only selected networks or private endpoints (Azure portal: the resource's Networking page). Run from a network it allows (the VNet, through the private endpoint, whose DNS must resolve the endpoint to a private address), or add this machine's public address to the firewall's allowed ranges.".into(),
        "A new key will not help: the same key works from an allowed network.".into(),
    ]
}
