//! The organization the request names is not the key's, or the account
//! belongs to no organization.
//!
//! ## What it means
//! A key belongs to one organization; an `OpenAI-Organization` header that
//! names another breaks every call with 401. The header comes from
//! `OPENAI_ORG_ID` (or `organization=` in code), rarely needed at all.
//!
//! ## Usual causes
//! A stale `OPENAI_ORG_ID` from an old account or a tutorial; an
//! organization id copied from another workspace; an account that left its
//! only organization.
//!
//! ## Example
//! `Error code: 401 - {'error': {'message': 'OpenAI-Organization header
//! should match organization for API key', … 'code': 'mismatched_organization'}}`

use crate::diagnose::{Evidence, Header, Retry, Rule};
use crate::resolve::Origin;
use crate::vocab::{DiagnosisId, EnvVars, Verdict};

pub(crate) const RULE: Rule = Rule {
    id: DiagnosisId::OrganizationMismatch,
    title: "The organization does not match the key",
    verdict: Verdict::Fix,
    retry: Retry::Never,
    steps: &[],
    when: |e| {
        e.status_in(&[401, 403])
            && (matches!(
                e.code(),
                "mismatched_organization" | "no_organization" | "invalid_organization"
            ) || e.message_has(&["openai-organization", "member of an organization"]))
    },
    doctor: |e, d| {
        match d.sent_header(Header::Organization) {
        None if no_organization(e) => belongs_to_none(),
        Some(sent) => {
            let mut list = mismatch(format!(
                "The request carried {sent}, and the key does not belong to that organization."
            ));
            // Unset the variable the client read, not one it did not.
            if let Some(org) = &d.resolution.settings.org {
                list[1] = match org.origin {
                    Origin::Flag => "Leave out --org (a key already belongs to one organization, so it is rarely needed), or use a key created in that organization.".into(),
                    _ => format!(
                        "Unset {} (a key already belongs to one organization, so it is rarely needed), or use a key created in that organization.",
                        org.variable
                    ),
                };
            }
            list
        }
        None => mismatch("The server says the OpenAI-Organization header does not match the key, but this check sent none: something between here and OpenAI (a proxy, a gateway) added one.".into()),
    }
    },
    text: |e| {
        if no_organization(e) {
            return belongs_to_none();
        }
        // LangChain reads OPENAI_ORGANIZATION too (after OPENAI_ORG_ID).
        let variables = e.client_rules().map_or(EnvVars::OPENAI_ORG_ID.to_string(), |r| {
            r.organization_variables.join(" or ")
        });
        let mut list = mismatch(format!(
            "The request carried an OpenAI-Organization header (from {variables}, or organization= when the client was created) that is not the key's organization."
        ));
        if let Some(rules) = e.client_rules().filter(|r| r.organization_variables.len() > 1) {
            list[1] = format!(
                "Unset {} (a key already belongs to one organization, so it is rarely needed), or use a key created in that organization.",
                rules.organization_variables.join(" and ")
            );
        }
        if e.is_azure() {
            list.push("Azure OpenAI takes no organization at all: for an Azure deployment, remove the organization setting.".into());
        }
        list
    },
};

fn no_organization(e: &Evidence) -> bool {
    e.code() == "no_organization" || e.message_has(&["member of an organization"])
}

fn belongs_to_none() -> Vec<String> {
    vec![
        "The account behind the key belongs to no organization.".into(),
        "Create or join an organization at https://platform.openai.com, then create a key in it.".into(),
    ]
}

fn mismatch(first: String) -> Vec<String> {
    vec![
        first,
        "Unset OPENAI_ORG_ID (a key already belongs to one organization, so it is rarely needed), or use a key created in that organization.".into(),
    ]
}
