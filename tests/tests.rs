//! The integration tests, as one binary (it links once): each module runs
//! the built binary, or the library, against what it promises.
//!
//! A test that needs what a fresh machine may lack (fish, zsh, network
//! namespaces) is marked `ignored` with the reason when it is missing;
//! `.ci/run` sets `OPENAI_KEYCHECK_REQUIRE_ALL=1`, which runs them all.

mod common;

mod advice;
mod agreement;
mod azure;
mod ci;
mod completions;
mod compose;
mod corpus;
mod diagnoses;
mod docs;
mod doctor;
mod explain;
mod layers;
mod leaks;
mod lint;
mod names;
mod network;
mod process;
mod program;
mod readme;
mod schema;
mod sdk;
mod security;
mod snapshots;
