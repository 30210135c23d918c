//! `explain`: an error text the user already has → recognise → the same
//! diagnosis table as `doctor` → a report. Offline, and without a key.

use crate::diagnose::{self, Evidence};
use crate::recognise;
use crate::report::Report;
use crate::vocab::{Body, Observed};

/// The report for the text, or `None` when nothing in it was recognised.
/// A full key pasted in the text is masked before anything is read.
pub fn explain(text: &str) -> Option<Report> {
    let text = recognise::mask_keys(text);
    let recognised = recognise::recognise(&text)?;
    let diagnosis = diagnose::diagnose(&Evidence {
        observed: &recognised.observed,
        sdk: recognised.sdk,
        doctor: None,
    });
    let alternatives = match &recognised.observed {
        Observed::Answer(a) if a.error.is_none() && a.body == Body::Unseen => a
            .status
            .and_then(diagnose::meanings_of_status)
            .map(|(ids, _)| ids.to_vec())
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    Some(Report::explain(recognised, alternatives, diagnosis))
}

#[cfg(test)]
mod tests;
