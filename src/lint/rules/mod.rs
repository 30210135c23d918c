//! The rules, one file each: its id, severity, message, why and fix, and
//! the check that reads a file's facts. The order here is the order of the
//! reference page; a newcomer adds a rule by adding a file and a line.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use super::fix::Fix;
pub(crate) use crate::program::File;
use crate::program::imports::LocalImport;
use crate::vocab::{LintRuleId, Severity};

pub mod browser_exposed_key;
pub mod client_before_dotenv;
pub mod empty_key_default;
pub mod env_set_after_client;
pub mod hardcoded_key;
pub mod key_in_logs;
pub mod legacy_module_api;
pub mod parse_error;
pub mod retry_on_auth_error;
pub mod wrong_variable_name;

/// One rule.
pub struct LintRule {
    pub id: LintRuleId,
    pub severity: Severity,
    /// What the trap is, in one line.
    pub summary: &'static str,
    /// Why it fails, for the reference and `--format json`.
    pub why: &'static str,
    /// What to do instead.
    pub fix: &'static str,
    pub(crate) check: fn(&File, &Project) -> Vec<Spot>,
    /// What the rule finds in the tree as a whole (the `.env` files), once.
    pub(crate) check_project: fn(&Project) -> Vec<Spot>,
}

/// For the rules that look at one file at a time only.
pub(crate) fn nothing_more(_: &Project) -> Vec<Spot> {
    Vec::new()
}

pub const RULES: &[&LintRule] = &[
    &client_before_dotenv::RULE,
    &env_set_after_client::RULE,
    &legacy_module_api::RULE,
    &wrong_variable_name::RULE,
    &retry_on_auth_error::RULE,
    &hardcoded_key::RULE,
    &browser_exposed_key::RULE,
    &key_in_logs::RULE,
    &empty_key_default::RULE,
    &parse_error::RULE,
];

/// What the whole tree says, for the rules that look past one file.
#[derive(Debug, Default)]
pub(crate) struct Project {
    /// Every variable a `.env` file in the tree defines: where (the file
    /// and the 1-based line).
    pub dotenv: BTreeMap<String, Vec<(PathBuf, usize)>>,
    /// Every variable some code reads from the environment.
    pub read_in_code: std::collections::BTreeSet<String>,
    /// Some code creates a client that takes its key from the environment.
    pub client_reads_environment: bool,
    /// The local imports that load the `.env` or create a client when
    /// they run: by the importing file and the import's offset.
    pub local_imports: HashMap<(PathBuf, u32), LocalImport>,
}

/// Where a rule fired, and what it says there.
pub(crate) struct Spot {
    /// A byte offset in the file checked, or a line in another file (a `.env`).
    pub at: At,
    pub message: String,
    /// The edit that removes the trap, where one can be written.
    pub fix: Option<Fix>,
}

pub(crate) enum At {
    Offset(u32),
    Line(PathBuf, usize),
}
