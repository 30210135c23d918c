//! OpenAI does not serve the country, region or territory the request came
//! from.
//!
//! ## What it means
//! A 403 `unsupported_country_region_territory`: where the request appears
//! to come from decides, not the key.
//!
//! ## Usual causes
//! A VPN exit, a cloud region or a CI runner in an unsupported place.
//!
//! ## Example
//! `Error code: 403 - {'error': {'code': 'unsupported_country_region_territory',
//! 'message': 'Country, region, or territory not supported', …}}`

use crate::diagnose::{Evidence, Retry, Rule};
use crate::vocab::{DiagnosisId, Verdict};

pub(crate) const RULE: Rule = Rule {
    id: DiagnosisId::UnsupportedRegion,
    title: "Requests from this region are not supported",
    verdict: Verdict::Fix,
    retry: Retry::Never,
    steps: &[],
    when: |e| {
        e.status() == Some(403)
            && (e.code() == "unsupported_country_region_territory"
                || e.message_has(&["country, region, or territory"]))
    },
    doctor: |e, _| checklist(e),
    text: checklist,
};

fn checklist(_: &Evidence) -> Vec<String> {
    vec![
        "OpenAI refuses requests from the country, region or territory this request came from.".into(),
        "A VPN exit or a cloud region decides where you appear to be: run from a supported one (https://platform.openai.com/docs/supported-countries).".into(),
    ]
}
