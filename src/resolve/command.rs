//! Another program asked a question (git: is the `.env` tracked?; systemctl:
//! which files make a unit?; reg: the registry's value), never for longer
//! than a deadline: a program that does not answer — or leaves a child
//! holding its output — is killed with everything it started, and what it
//! writes is read up to a bound.

use std::io::Read;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The most of a program's output that is read.
const MAX_OUTPUT_BYTES: u64 = 1024 * 1024;

/// A program's answer.
pub(crate) struct Answer {
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

/// How a program ended without an answer.
pub(crate) enum Ended {
    /// It could not be started (not installed, most often).
    NotStarted,
    /// It did not answer within the deadline, and was killed.
    TimedOut,
}

/// Runs `command` with no input, and its answer when it comes within `limit`.
pub(crate) fn run(mut command: Command, limit: Duration) -> Result<Answer, Ended> {
    // Its own process group, so that what it starts is killed with it.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|_| Ended::NotStarted)?;
    let deadline = Instant::now() + limit;
    let (stdout, stderr) = (child.stdout.take(), child.stderr.take());
    let (sender, output) = mpsc::channel();
    std::thread::spawn(move || {
        let errors = std::thread::spawn(move || read_bounded(stderr));
        let out = read_bounded(stdout);
        let _ = sender.send((out, errors.join().unwrap_or_default()));
    });
    // The pipes close when the program and all it started are done.
    let Ok((stdout, stderr)) = output.recv_timeout(deadline.saturating_duration_since(Instant::now())) else {
        return Err(kill(child));
    };
    loop {
        match child.try_wait() {
            Ok(Some(status)) => {
                return Ok(Answer {
                    status,
                    stdout,
                    stderr,
                });
            }
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(5)),
            _ => return Err(kill(child)),
        }
    }
}

fn read_bounded(pipe: Option<impl Read>) -> Vec<u8> {
    let mut text = Vec::new();
    if let Some(pipe) = pipe {
        let _ = pipe.take(MAX_OUTPUT_BYTES).read_to_end(&mut text);
    }
    text
}

fn kill(mut child: Child) -> Ended {
    #[cfg(unix)]
    // SAFETY: kill(2) has no memory effects; the child has not been reaped,
    // so its pid still names it and the group it leads.
    unsafe {
        libc::kill(-(child.id() as libc::pid_t), libc::SIGKILL);
    }
    let _ = child.kill();
    let _ = child.wait();
    Ended::TimedOut
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn sh(script: &str) -> Command {
        let mut command = Command::new("sh");
        command.args(["-c", script]);
        command
    }

    #[test]
    fn an_answer_is_taken_with_its_status_and_both_outputs() {
        let Ok(answer) = run(sh("echo out; echo err >&2; exit 3"), Duration::from_secs(5)) else {
            panic!("sh did not answer");
        };
        assert_eq!(answer.status.code(), Some(3));
        assert_eq!(answer.stdout, b"out\n");
        assert_eq!(answer.stderr, b"err\n");
        assert!(matches!(
            run(Command::new("/no/such/program"), Duration::from_secs(1)),
            Err(Ended::NotStarted)
        ));
    }

    #[test]
    fn a_program_that_hangs_or_leaves_a_child_holding_its_output_is_killed_in_time() {
        for script in [
            "exec sleep 30",
            "sleep 30 & echo started",
            "echo x; exec sleep 30",
        ] {
            let started = Instant::now();
            let ended = run(sh(script), Duration::from_millis(300));
            assert!(matches!(ended, Err(Ended::TimedOut)), "{script}");
            // A bound that tells a kill from a wait of 30 s, on a loaded machine too.
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "{script}: {:?}",
                started.elapsed()
            );
        }
    }

    #[test]
    fn endless_output_is_read_up_to_its_bound() {
        // Past the bound the pipe is closed: the writer ends (SIGPIPE).
        let Ok(answer) = run(sh("exec yes"), Duration::from_secs(5)) else {
            panic!("yes was not stopped by its closed pipe");
        };
        assert_eq!(answer.stdout.len() as u64, MAX_OUTPUT_BYTES);
        assert!(!answer.status.success());
    }
}
