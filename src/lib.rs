//! openai-keycheck: resolve (and read the program) → inspect → plan → probe
//! → diagnose → report.
//!
//! The modules in the order they may use each other: each one uses only
//! those above it (`tests/layers.rs` checks it).

pub mod vocab;

pub mod resolve;

pub mod program;

pub mod inspect;

pub mod plan;

pub mod probe;

pub mod recognise;

pub mod diagnose;

pub mod report;

pub mod doctor;

pub mod explain;

pub mod lint;

pub mod cli;

pub mod generate;
