//! `--pid` names another user's process: its environment cannot be read,
//! so nothing was checked.
//!
//! ## What it means
//! Linux lets only a process's own user (and root) read its environment,
//! working folder and program (`/proc/PID/environ`, `cwd`, `exe`); its
//! command line is anyone's. The key and settings that process runs with
//! are unknown, so no verdict on them is given and no request was made.
//!
//! ## Usual causes
//! A service running as its own user (`www-data`, `app`) checked from a
//! login shell; a container's process seen from the host by another user.
//!
//! ## Example
//! `openai-keycheck doctor --pid 4242`, where process 4242 runs as
//! `www-data`.

use crate::diagnose::{Context, Evidence, Retry, Rule};
use crate::vocab::{DiagnosisId, NotSent, Verdict};

pub(crate) const RULE: Rule = Rule {
    id: DiagnosisId::ProcessUnreadable,
    title: "The process's environment cannot be read",
    verdict: Verdict::Fix,
    retry: Retry::Never,
    steps: &[],
    when: |e| e.not_sent() == Some(&NotSent::ProcessUnreadable),
    doctor,
    text,
};

fn doctor(e: &Evidence, d: Context) -> Vec<String> {
    let Some(process) = &d.resolution.process_unreadable else {
        return text(e);
    };
    let pid = process.pid;
    // `#1001` starts a comment in a shell: quoted, it reaches sudo.
    let user = match process.owner.sudo_user() {
        user if user.starts_with('#') => format!("'{user}'"),
        user => user,
    };
    let whose = match &process.owner.name {
        Some(name) => format!("user `{name}`"),
        None => format!("uid {}", process.owner.uid),
    };
    vec![
        format!(
            "Process {pid} (`{}`) runs as {whose}: its environment, working folder and program can be read only by that user and root, so the key and settings it runs with were not checked, and no request was made.",
            process.command
        ),
        format!("Check it as that user: `sudo -u {user} openai-keycheck doctor --pid {pid}` (or as root: `sudo openai-keycheck doctor --pid {pid}`)."),
        "Or check it where it is started from, which needs no permission on the process: `--unit NAME` for a systemd service, `--compose SERVICE` for a Compose service.".into(),
    ]
}

fn text(_: &Evidence) -> Vec<String> {
    vec![
        "The process's environment could not be read (another user's process), so nothing of it was checked."
            .into(),
        "Run the check as that process's user, or as root: `sudo -u USER openai-keycheck doctor --pid PID`."
            .into(),
    ]
}
