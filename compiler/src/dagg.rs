//! dagg compatibility: DAG files, Go templates, and manifest generation and recovery.
//!
//! dagg (seeds 000 and 004) turns a short "DAG file" (a name, options such as `team` and
//! `schedule`, and jobs with a name, a command, dependencies and options such as `repo`) into an
//! Argo manifest by rendering a Go `text/template`. This module reads DAG files with positions
//! ([`file`]), runs the same templates ([`template`], an own implementation of the part of Go's
//! `text/template` dagg templates use), compiles DAG files to modern manifests without a
//! template ([`compile`]), drives `bosun gen` ([`generate`]: render or compile, lint, map the
//! manifest's problems back to DAG-file lines) and recovers DAG files from DAG-shaped manifests
//! ([`reverse`]). Its own problems have `AG` codes ([`rules`]).

pub mod compile;
pub mod file;
pub mod generate;
pub mod reverse;
pub mod rules;
pub mod template;
pub mod yaml;

pub use file::{DagFile, Job, Options, Spanned};
