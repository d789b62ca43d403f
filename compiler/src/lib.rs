//! Bosun's compiler: loads Argo Workflows manifests, type-checks them, and reports every problem
//! with a position, a stable code and a fix hint.
//!
//! The pipeline is [`load`] (bytes → [`source::SourceFile`]) → [`parse`] (text → positioned trees)
//! → [`model`] (typed views of the four Argo kinds) → [`checks`] → [`diagnostics::Diagnostic`]s,
//! which the CLI renders and the webhook turns into admission responses. [`lint::lint`] runs it
//! all. This crate does no network I/O and never panics on malformed input.

/// The checks and the registry of every rule.
pub mod checks;
/// The `bosun` command line.
pub mod cli;
/// Lint settings: rule selection, severities, limits.
pub mod config;
/// dagg compatibility: DAG files, Go templates, `bosun gen` and `bosun reverse`.
pub mod dagg;
/// Diagnostics: the data model and its renderers.
pub mod diagnostics;
/// Operational errors (Bosun could not run).
pub mod error;
/// Argo's expression languages: tags, expr, govaluate `when`, `depends`, sprig.
pub mod expr;
/// Pictures of workflows: DOT, Mermaid and SVG with Bosun's own layered layout.
pub mod graph;
/// The lint pipeline.
pub mod lint;
/// Reading files, directories and stdin.
pub mod load;
/// CronJob + `argo submit` → CronWorkflow.
pub mod migrate;
/// The Argo object model and typed views.
pub mod model;
/// Text → positioned YAML trees, with limits.
pub mod parse;
/// The policy file shared by `bosun lint --config` and the admission webhook.
pub mod policy;
/// templateRef and workflowTemplateRef resolution: the resolver trait and the run's registry.
pub mod resolve;
/// Which variables exist in each field of a workflow.
pub(crate) mod scope;
/// Source files, spans and line/column positions.
pub mod source;
/// Did-you-mean suggestions.
pub mod suggest;

pub use config::LintSettings;
pub use diagnostics::{Diagnostic, Severity};
pub use error::Error;
pub use lint::{Report, lint, lint_text, lint_with};
