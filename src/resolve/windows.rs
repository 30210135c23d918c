//! Windows: a key set with `setx` (or in System Properties) is written to the
//! user's registry (`HKCU\Environment`) at once, but only terminals, editors
//! and services started after it get it; one opened before still has the
//! old value, or none. The registry is read with `reg query` (plain std, so
//! this compiles and its decisions are tested everywhere; only the call is
//! Windows's).

use super::Env;
use crate::vocab::{ApiKey, Finding, FindingId};

/// The user's value of `variable` in the registry, where there is one.
#[cfg(windows)]
pub(crate) fn user_variable(variable: &str) -> Option<String> {
    let mut reg = std::process::Command::new("reg");
    reg.args(["query", r"HKCU\Environment", "/v", variable]);
    let answer = super::command::run(reg, std::time::Duration::from_secs(5)).ok()?;
    parse_reg_query(&String::from_utf8_lossy(&answer.stdout), variable)
}

#[cfg(not(windows))]
pub(crate) fn user_variable(_variable: &str) -> Option<String> {
    None
}

/// `reg query`'s answer: a line `    NAME    REG_SZ    value` (or
/// `REG_EXPAND_SZ`) under the key's path. (Called on Windows, tested
/// everywhere.)
#[cfg_attr(not(windows), allow(dead_code))]
pub(crate) fn parse_reg_query(output: &str, variable: &str) -> Option<String> {
    output.lines().find_map(|line| {
        let mut parts = line.trim_start().splitn(3, "    ");
        let name = parts.next()?;
        let kind = parts.next()?.trim();
        let value = parts.next()?.trim_end_matches(['\r', '\n']);
        (name.eq_ignore_ascii_case(variable) && kind.starts_with("REG_")).then(|| value.trim().to_string())
    })
}

/// What a terminal opened before the key was set misses: the registry's
/// value differs from this shell's, or the shell has none.
pub(crate) fn registry_differs(env: &Env, variable: &str, registry: Option<&str>) -> Option<Finding> {
    let registry = registry.filter(|v| !v.is_empty())?;
    let shell = env.text(variable).filter(|v| !v.is_empty());
    if shell == Some(registry) {
        return None;
    }
    let saved = ApiKey::new(registry.to_string()).masked();
    let here = match shell {
        Some(value) => format!("holds another ({})", ApiKey::new(value.to_string()).masked()),
        None => "has none".to_string(),
    };
    Some(Finding::warning(
        FindingId::RegistryKeyDiffers,
        format!(
            "{variable} is set for your user in the registry (HKCU\\Environment, where setx writes it: {saved}), but this terminal {here}: it was opened before the key was set. Open a new terminal, and restart the editor or service that starts the program"
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::{parse_reg_query, registry_differs};
    use crate::resolve::Env;

    const OUTPUT: &str = "\r\nHKEY_CURRENT_USER\\Environment\r\n    OPENAI_API_KEY    REG_SZ    sk-proj-Registry0123456789abcdefghij\r\n\r\n";

    #[test]
    fn reg_query_is_read() {
        assert_eq!(
            parse_reg_query(OUTPUT, "OPENAI_API_KEY").as_deref(),
            Some("sk-proj-Registry0123456789abcdefghij")
        );
        assert_eq!(parse_reg_query(OUTPUT, "OPENAI_BASE_URL"), None);
        assert_eq!(
            parse_reg_query(
                "ERROR: The system was unable to find the specified registry key or value.\r\n",
                "OPENAI_API_KEY"
            ),
            None
        );
    }

    #[test]
    fn a_terminal_opened_before_setx_is_told_to_open_a_new_one() {
        let registry = "sk-proj-Registry0123456789abcdefghij";
        let none = Env::default();
        let said = registry_differs(&none, "OPENAI_API_KEY", Some(registry)).unwrap();
        assert!(
            said.message.contains("this terminal has none") && said.message.contains("Open a new terminal")
        );
        assert!(!said.message.contains(registry));
        let old: Env = [("OPENAI_API_KEY", "sk-proj-OldValue0123456789abcdefghijk")]
            .into_iter()
            .collect();
        assert!(
            registry_differs(&old, "OPENAI_API_KEY", Some(registry))
                .unwrap()
                .message
                .contains("holds another")
        );
        let same: Env = [("OPENAI_API_KEY", registry)].into_iter().collect();
        assert!(registry_differs(&same, "OPENAI_API_KEY", Some(registry)).is_none());
        assert!(registry_differs(&none, "OPENAI_API_KEY", None).is_none());
    }
}
