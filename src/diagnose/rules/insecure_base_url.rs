//! The base URL is plain http to another machine: the key would cross the
//! network in clear text, so nothing was sent.
//!
//! ## What it means
//! Plain `http://` is allowed only to this machine (127.0.0.1, localhost,
//! [::1]): a local gateway or proxy. Anywhere else the key, and every
//! prompt, could be read on the way.
//!
//! ## Usual causes
//! A typo (`http://` for `https://`) in `OPENAI_BASE_URL` or `--base-url`; a
//! gateway on another machine served without TLS.
//!
//! ## Example
//! `OPENAI_BASE_URL=http://gateway.example/v1 openai-keycheck doctor`

use crate::diagnose::{Evidence, Retry, Rule};
use crate::vocab::{BaseUrlProblem, DiagnosisId, NotSent, Verdict};

pub(crate) const RULE: Rule = Rule {
    id: DiagnosisId::InsecureBaseUrl,
    title: "The base URL would send the key unencrypted",
    verdict: Verdict::Fix,
    retry: Retry::Never,
    steps: &[],
    when: |e| matches!(e.not_sent(), Some(NotSent::BaseUrl(BaseUrlProblem::Insecure(_)))),
    doctor: |e, d| checklist(e, &format!(" (from {})", d.base_url_origin())),
    text: |e| checklist(e, ""),
};

fn checklist(e: &Evidence, origin: &str) -> Vec<String> {
    let url = match e.not_sent() {
        Some(NotSent::BaseUrl(BaseUrlProblem::Insecure(url))) => url.as_str(),
        _ => "",
    };
    vec![
        format!(
            "The base URL {url}{origin} is plain http to another machine: the key would cross the network in clear text, so nothing was sent."
        ),
        "Use https://; plain http is allowed only to this machine (127.0.0.1, localhost, [::1]), e.g. a local proxy.".into(),
    ]
}
