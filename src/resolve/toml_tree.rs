//! Reading a TOML document's tree (`toml`'s parser, without serde): the few
//! values lint's settings and manifests and Streamlit's secrets need, each
//! with its line for messages.

use toml::de::{DeTable, DeValue};

pub(crate) use toml::Spanned;

/// The document, or why it is not TOML (with its line and column).
pub(crate) fn parse(text: &str) -> Result<Spanned<DeTable<'_>>, String> {
    DeTable::parse(text).map_err(|e| {
        let at = e.span().map_or(String::new(), |span| {
            let (line, column) = line_and_column(text, span.start);
            format!(" (line {line}, column {column})")
        });
        format!("not valid TOML{at}: {}", e.message().trim_end())
    })
}

/// The table at this key, if it is one.
pub(crate) fn table<'a, 'i>(table: &'a DeTable<'i>, key: &str) -> Option<&'a DeTable<'i>> {
    match table.get(key).map(Spanned::get_ref) {
        Some(DeValue::Table(t)) => Some(t),
        _ => None,
    }
}

/// A string value.
pub(crate) fn string<'a>(value: &'a DeValue<'_>) -> Option<&'a str> {
    match value {
        DeValue::String(s) => Some(s.as_ref()),
        _ => None,
    }
}

/// The strings of an array value, each with where it is; none if it is
/// not an array of strings.
pub(crate) fn strings<'a>(value: &'a DeValue<'_>) -> Option<Vec<(&'a str, std::ops::Range<usize>)>> {
    let DeValue::Array(items) = value else {
        return None;
    };
    items
        .iter()
        .map(|item| Some((string(item.get_ref())?, item.span())))
        .collect()
}

/// 1-based line and column of a byte offset.
pub(crate) fn line_and_column(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..text.floor_char_boundary(at.min(text.len()))];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}
