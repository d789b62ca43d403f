//! AG010: `bosun reverse` got a manifest a DAG file cannot express.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports what keeps `bosun reverse` from recovering a DAG file: a manifest that is not a
    /// Workflow, WorkflowTemplate or CronWorkflow, an entrypoint that is not a DAG, steps, a
    /// task that passes arguments or loops, a `depends` expression that is more than
    /// `a && b`, a task whose template is not a container, or a container with fields a DAG
    /// file has no place for (volumes, resources, environment variables other than the
    /// per-repo Secret).
    ///
    /// ## Why is this bad?
    /// A DAG file holds jobs, commands, dependencies and string options only; the rest would be
    /// lost, and `bosun gen` would not give the manifest back.
    ///
    /// ## Example
    /// ```yaml
    /// - name: fan-out
    ///   template: work
    ///   withItems: [a, b]
    /// ```
    ///
    /// ## Use instead
    /// One job per item in the DAG file, or keep the manifest as it is: not every workflow is
    /// a DAG of jobs.
    pub(crate) static RULE = ("AG010", "manifest-not-dag-shaped", Error, "`bosun reverse` got a manifest a DAG file cannot express");
}

pub(crate) fn diagnostic(span: Span, message: impl Into<String>, help: &str) -> Diagnostic {
    Diagnostic::new(&RULE, span, message).with_help(help.to_string())
}
