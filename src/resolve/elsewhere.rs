//! Where the program runs when it is not this shell — a running process
//! (`--pid`), a systemd unit (`--unit`), a Compose service (`--compose`) —
//! and what each says of itself: its name, the client what it runs
//! suggests, and where a key must be set for it to get it.

use super::{Env, compose, process, unit};
use crate::vocab::Client;

/// `--pid` of a process whose environment this user cannot read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnreadableProcess {
    pub pid: u32,
    pub owner: process::Owner,
    /// Its command line, with anything shaped like a key masked.
    pub command: String,
}

/// Where the program runs, when it is not this shell.
#[derive(Debug)]
pub struct Elsewhere {
    pub runs_in: RunsIn,
    /// This shell's environment, to compare the key with.
    pub shell: Env,
}

impl Elsewhere {
    /// A variable of this place's environment that a project's file sets
    /// (not the shell, not the machine's own configuration): a compose
    /// file's text, or a unit file given by its path.
    pub(super) fn project_sets(&self, variable: &str) -> bool {
        match &self.runs_in {
            RunsIn::Compose(c) => c.env.text(variable).is_some() && !c.from_shell.contains(variable),
            RunsIn::Unit(u) => u.given_by_path && u.env.text(variable).is_some(),
            RunsIn::Process(_) => false,
        }
    }

    /// The settings a project's file sets here: a host it names is the
    /// project's choice, guarded as one a `.env` names.
    pub(super) fn project_settings(&self, client: Client) -> Vec<super::settings::SettingOverride> {
        let origin = match &self.runs_in {
            RunsIn::Compose(_) => super::settings::Origin::Compose,
            RunsIn::Unit(_) => super::settings::Origin::UnitFile,
            RunsIn::Process(_) => return Vec::new(),
        };
        let env = match &self.runs_in {
            RunsIn::Compose(c) => &c.env,
            RunsIn::Unit(u) => &u.env,
            RunsIn::Process(p) => &p.env,
        };
        super::settings::overrides(client, origin, |variable| {
            self.project_sets(variable)
                .then(|| env.text(variable).map(str::to_string))
                .flatten()
        })
    }

    /// The route variable a project's file sets, when the request takes
    /// another way than the system's: in words, for the guard.
    pub(super) fn route_chosen_by_project(&self, network: &super::network::Network) -> Option<String> {
        if !network.is_rerouted() {
            return None;
        }
        super::network::ROUTE_VARIABLES
            .iter()
            .find(|v| self.project_sets(v))
            .map(|v| format!("{v} in {}'s environment", self.runs_in.name()))
    }

    /// `--pid` of another user's process: what may be said of it.
    pub(super) fn unreadable_process(&self) -> Option<UnreadableProcess> {
        let RunsIn::Process(p) = &self.runs_in else {
            return None;
        };
        p.denied.as_ref().map(|owner| UnreadableProcess {
            pid: p.pid,
            owner: owner.clone(),
            command: p.command_line(),
        })
    }
}

#[derive(Debug)]
pub enum RunsIn {
    /// `--pid`: a running process, as it started.
    Process(process::Process),
    /// `--unit`: a systemd service, as systemd would start it.
    Unit(unit::Unit),
    /// `--compose`: a Compose service's container.
    Compose(compose::Compose),
}

impl RunsIn {
    /// `process 4242`, `app.service`.
    pub(crate) fn name(&self) -> String {
        match self {
            RunsIn::Process(p) => format!("process {}", p.pid),
            RunsIn::Unit(u) => u.name.clone(),
            RunsIn::Compose(c) => format!("the compose service `{}`", c.service),
        }
    }

    /// The client what it runs suggests (a Python interpreter, Node).
    pub(super) fn client(&self) -> Option<Client> {
        match self {
            RunsIn::Process(p) => process::client_of(p),
            RunsIn::Unit(u) => unit::client_of(u),
            RunsIn::Compose(_) => None,
        }
    }

    /// Where to set a key so that it gets it, as a sentence.
    pub(super) fn set_key_where(&self, variable: &str) -> String {
        match self {
            RunsIn::Process(p) => format!(
                "Set {variable} where process {} is started — its systemd unit, compose file, container or launcher — and restart it: a service never reads your shell's startup files, and a running process keeps the environment it started with.",
                p.pid
            ),
            RunsIn::Unit(u) => format!(
                "Set {variable} in {}: an `Environment={variable}=…` line or an `EnvironmentFile=` it reads (in a drop-in: `systemctl edit {}`), then `systemctl daemon-reload` and restart it; a service never reads your shell's startup files.",
                u.name, u.name
            ),
            RunsIn::Compose(c) => format!(
                "Pass {variable} to `{}`: under `environment:`, `- {variable}` (from the shell or the project's .env by interpolation: `{variable}: ${{{variable}}}`), or its file under `env_file:`; then `docker compose up -d` again: a container gets only what it is given.",
                c.service
            ),
        }
    }
}
