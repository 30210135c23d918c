//! `explain`: an error text the user already has → recognise → the same
//! diagnosis rules as `doctor` → a report. Offline, and without a key.
//!
//! The text is read as a stream, block by block, so a log of any size costs
//! bounded memory: every error in it is counted, and the last one decides.

use std::io::Read;

use crate::diagnose::{self, Diagnosis, Evidence, Occurrences};
use crate::recognise::scan;
use crate::recognise::{self, Recognised};
use crate::report::Report;

/// The report for the text, or `None` when nothing in it was recognised.
/// A full key pasted in the text is masked before anything is read.
pub fn explain(text: &str) -> Option<Report> {
    explain_stream(text.as_bytes()).expect("reading from memory does not fail")
}

/// [`explain`] for a file or standard input, read once, in bounded memory.
pub fn explain_stream(reader: impl Read) -> std::io::Result<Option<Report>> {
    let mut occurrences = Occurrences::default();
    let mut last: Option<(Recognised, Diagnosis)> = None;
    let scanned = scan::scan(reader, |block| {
        let Some(recognised) = recognise::recognise(&block.text) else {
            return;
        };
        let diagnosis = diagnosis_of(&recognised);
        occurrences.add(diagnosis.id, recognised.status, block.first_line, block.last_line);
        last = Some((recognised, diagnosis));
    })?;
    // A text with no line that reads like an error report (`429` alone, an
    // odd layout) is read whole, when it is small enough to be a paste.
    if last.is_none()
        && let Some(recognised) = scanned.whole.as_deref().and_then(recognise::recognise)
    {
        let diagnosis = diagnosis_of(&recognised);
        let lines = scanned.input.lines.max(1);
        occurrences.add(diagnosis.id, recognised.status, 1, lines);
        last = Some((recognised, diagnosis));
    }
    let Some((recognised, diagnosis)) = last else {
        return Ok(None);
    };
    let alternatives = diagnose::meanings_of_bare_status(&recognised.observed)
        .map(|(ids, _)| ids.to_vec())
        .unwrap_or_default();
    Ok(Some(Report::explain(
        recognised,
        alternatives,
        occurrences.0,
        scanned.input,
        diagnosis,
    )))
}

fn diagnosis_of(recognised: &Recognised) -> Diagnosis {
    diagnose::diagnose(&Evidence {
        observed: &recognised.observed,
        sdk: recognised.sdk,
        other_service: recognised.other_service.zip(recognised.other_service_keys),
        client: recognised.client,
        sent_word: recognised.sent_word.as_deref(),
        doctor: None,
    })
}

#[cfg(test)]
mod tests;
