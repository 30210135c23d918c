//! `--format json`: one object on stdout; its schema is `schema/report-v1.json`.

use super::{Render, Report};

pub struct Json;

impl Render for Json {
    fn render(&self, report: &Report) -> String {
        // Serializing plain data with string keys cannot fail.
        let mut out =
            serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        out.push('\n');
        out
    }
}
