//! AG005: a job depends on a job the DAG file does not define.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports an entry of a job's `dependencies` that names no job of the DAG file, with the
    /// closest job name when there is one.
    ///
    /// ## Why is this bad?
    /// The generated DAG task depends on a task that does not exist, and Argo rejects the
    /// whole workflow when it is submitted.
    ///
    /// ## Example
    /// ```yaml
    /// jobs:
    ///   - {name: extract, commands: [bin/extract]}
    ///   - {name: load, commands: [bin/load], dependencies: [extarct]}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// jobs:
    ///   - {name: extract, commands: [bin/extract]}
    ///   - {name: load, commands: [bin/load], dependencies: [extract]}
    /// ```
    pub(crate) static RULE = ("AG005", "unknown-dependency", Error, "a job depends on a job the DAG file does not define");
}

pub(crate) fn diagnostic(span: Span, name: &str, suggestion: Option<&str>) -> Diagnostic {
    let d =
        Diagnostic::new(&RULE, span, format!("no job is named `{name}`")).with_label("unknown job");
    match suggestion {
        Some(s) => d.with_help(format!("did you mean `{s}`?")),
        None => d.with_help("dependencies name other jobs of this DAG file"),
    }
}
