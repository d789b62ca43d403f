//! `bosun migrate`: the pre-CronWorkflow pattern (a Kubernetes CronJob whose container runs
//! `argo submit` on a Workflow manifest) turned into a CronWorkflow.
//!
//! For every CronJob whose containers run `argo submit` (directly, or inside an `sh -c` script),
//! [`migrate`] parses the submit command line ([`submit`]), finds the submitted file
//! ([`locate`]: a ConfigMap volume among the inputs, or a file that only exists at run time
//! inside an image, which is reported as missing with the way to supply it), and builds the
//! CronWorkflow ([`convert`]): the CronJob's schedule and policies, the Workflow's spec with the
//! mappable submit flags applied, and a header comment saying what was carried over, what was
//! dropped and why. The caller lints the result.
//!
//! Nothing here does I/O or reads Secrets; every input is a parsed document.

mod convert;
mod locate;
pub mod shell;
pub mod submit;
pub mod yaml;

use crate::diagnostics::Severity;
use crate::parse::{Document, NodeRef};
use crate::source::Span;

/// A Workflow manifest supplied by the user (`--workflow FILE`) for CronJobs whose file cannot
/// be read.
#[derive(Clone, Debug)]
pub struct SuppliedWorkflow {
    /// How to name it in messages (the path).
    pub name: String,
    pub text: String,
}

/// Choices of the caller.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub workflow: Option<SuppliedWorkflow>,
    /// The CronWorkflow's name, instead of the derived one.
    pub name: Option<String>,
}

/// Something to tell about a migration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    pub message: String,
    pub span: Option<Span>,
}

impl Finding {
    fn new(severity: Severity, message: impl Into<String>, node: Option<NodeRef<'_>>) -> Self {
        Finding {
            severity,
            message: message.into(),
            span: node.map(|n| n.span()),
        }
    }
}

/// The migrated manifest.
#[derive(Clone, Debug)]
pub struct Output {
    /// The CronWorkflow's `metadata.name`.
    pub name: String,
    /// The manifest as YAML, with its explanatory header comment.
    pub yaml: String,
}

/// How one migration ended.
#[derive(Clone, Debug)]
pub enum Outcome {
    Migrated(Output),
    /// The submitted file cannot be read from the inputs.
    Missing {
        /// What is missing and where it lives.
        what: String,
        /// How to supply it.
        how: String,
    },
    /// The submitted file was found but holds no usable Workflow.
    Invalid(String),
}

/// One `argo submit` of one CronJob.
#[derive(Clone, Debug)]
pub struct Migration {
    /// `CronJob/name`.
    pub source: String,
    /// The CronJob document.
    pub span: Span,
    pub outcome: Outcome,
    pub findings: Vec<Finding>,
}

/// Everything `migrate` found.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub migrations: Vec<Migration>,
    /// CronJobs that run no `argo submit` (not migrated), and similar notes.
    pub notes: Vec<Finding>,
}

/// Migrates every CronJob of `docs` that runs `argo submit`.
pub fn migrate(docs: &[Document], options: &Options) -> Report {
    let mut report = Report::default();
    let mut taken: Vec<String> = Vec::new();
    let roots: Vec<NodeRef<'_>> = docs.iter().filter_map(|d| d.root()).collect();
    let configmaps: Vec<NodeRef<'_>> = roots
        .iter()
        .copied()
        .filter(|r| kind_of(*r) == Some("ConfigMap"))
        .collect();
    for root in roots
        .iter()
        .copied()
        .filter(|r| kind_of(*r) == Some("CronJob"))
    {
        let source = format!(
            "CronJob/{}",
            str_at(root, &["metadata", "name"]).unwrap_or("?")
        );
        let submits = locate::submits(root);
        if submits.is_empty() {
            report.notes.push(Finding::new(
                Severity::Info,
                format!("{source} does not run `argo submit`: nothing to migrate"),
                Some(root),
            ));
            continue;
        }
        for found in submits {
            let parsed = submit::parse(&found.args);
            let mut files: Vec<Option<String>> = parsed.files.iter().cloned().map(Some).collect();
            if files.is_empty() {
                // `argo submit --from workflowtemplate/x` needs no file.
                files.push(None);
            }
            for file in files {
                let migration = convert::one(
                    root,
                    &found,
                    &parsed,
                    file.as_deref(),
                    &configmaps,
                    options,
                    &source,
                    &mut taken,
                );
                report.migrations.push(migration);
            }
        }
    }
    report
}

fn kind_of(root: NodeRef<'_>) -> Option<&str> {
    root.get("kind")?.as_str()
}

/// The string at a path of keys.
fn str_at<'a>(node: NodeRef<'a>, path: &[&str]) -> Option<&'a str> {
    at(node, path)?.as_str()
}

/// The node at a path of keys.
fn at<'a>(node: NodeRef<'a>, path: &[&str]) -> Option<NodeRef<'a>> {
    path.iter().try_fold(node, |n, key| n.get(key))
}
