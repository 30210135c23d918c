//! Decides nothing about the program: it only tells the test suite what this
//! machine has, so that a test needing something a fresh machine may lack is
//! marked `ignored`, with the reason, instead of failing or passing silently.
//!
//! | cfg              | set when                                                        |
//! |------------------|-----------------------------------------------------------------|
//! | `has_fish`       | `fish` is on PATH                                               |
//! | `has_zsh`        | `zsh` is on PATH                                                |
//! | `has_netns`      | `unshare` is on PATH, and this is root or user namespaces exist |
//! | `has_registries` | `OPENAI_KEYCHECK_SKIP_SDK` is not set                           |
//! | `has_docker_compose` | `docker-compose` (Debian's, 1.29) is on PATH                |
//!
//! `OPENAI_KEYCHECK_REQUIRE_ALL=1` (set by `.ci/run`) sets every one of them,
//! so a missing tool fails its tests there instead of skipping them.

use std::path::Path;

const REQUIRE_ALL: &str = "OPENAI_KEYCHECK_REQUIRE_ALL";
const SKIP_SDK: &str = "OPENAI_KEYCHECK_SKIP_SDK";

fn main() {
    for cfg in [
        "has_fish",
        "has_zsh",
        "has_netns",
        "has_registries",
        "has_docker_compose",
    ] {
        println!("cargo::rustc-check-cfg=cfg({cfg})");
    }
    println!("cargo::rerun-if-env-changed=PATH");
    println!("cargo::rerun-if-env-changed={REQUIRE_ALL}");
    println!("cargo::rerun-if-env-changed={SKIP_SDK}");
    println!("cargo::rerun-if-changed=build.rs");

    let all = std::env::var_os(REQUIRE_ALL).is_some_and(|v| !v.is_empty() && v != "0");
    let path = std::env::var_os("PATH").unwrap_or_default();
    let on_path = |name: &str| std::env::split_paths(&path).any(|dir| dir.join(name).is_file());
    let have = [
        ("has_fish", on_path("fish")),
        ("has_zsh", on_path("zsh")),
        (
            "has_netns",
            on_path("unshare") && (is_root() || user_namespaces()),
        ),
        ("has_registries", std::env::var_os(SKIP_SDK).is_none()),
        ("has_docker_compose", on_path("docker-compose")),
    ];
    for (cfg, present) in have {
        if all || present {
            println!("cargo::rustc-cfg={cfg}");
        }
    }
}

/// Root, read from the kernel rather than a crate (a build script of its own
/// is no place for dependencies).
fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status").is_ok_and(|status| {
        status
            .lines()
            .find_map(|l| l.strip_prefix("Uid:"))
            .and_then(|ids| ids.split_whitespace().nth(1))
            == Some("0")
    })
}

/// Whether an unprivileged user may make a user namespace (and in it, a
/// network namespace).
fn user_namespaces() -> bool {
    let read = |p: &str| std::fs::read_to_string(Path::new(p)).ok();
    let max = read("/proc/sys/user/max_user_namespaces").and_then(|v| v.trim().parse::<u64>().ok());
    let debian_gate = read("/proc/sys/kernel/unprivileged_userns_clone").map(|v| v.trim() != "0");
    max.is_some_and(|m| m > 0) && debian_gate.unwrap_or(true)
}
