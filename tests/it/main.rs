//! bindery's integration tests: one binary, a module per feature.
//!
//! Fixture books are built once each and checked with EPUBCheck once each;
//! the tests that need a build share it (see `support`).
#![allow(
    clippy::disallowed_methods,
    reason = "tests are told by the environment where EPUBCheck and Chromium are and whether to write expected files"
)]

mod accessibility;
mod action;
mod architecture;
mod bad;
mod books;
mod catalogue;
mod check;
mod check_corpus;
mod check_epub;
mod cli;
mod confinement;
mod faults;
mod languages;
mod large;
mod limits;
mod markdown;
mod mdbook;
mod metadata;
mod migration;
mod native;
mod package;
mod pandoc;
mod properties;
mod publishing;
mod reading;
mod reproducible;
mod site;
mod spec;
mod stores;
mod support;
mod untrusted;
mod watch;
