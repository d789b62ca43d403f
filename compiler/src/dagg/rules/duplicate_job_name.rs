//! AG004: two jobs of a DAG file have the same name.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports a job whose `name` was already used by an earlier job of the same DAG file.
    ///
    /// ## Why is this bad?
    /// Job names become DAG task names, and Argo requires them to be unique; dependencies on
    /// the name are ambiguous.
    ///
    /// ## Example
    /// ```yaml
    /// jobs:
    ///   - {name: train, commands: [bin/train]}
    ///   - {name: train, commands: [bin/train, --full]}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// jobs:
    ///   - {name: train, commands: [bin/train]}
    ///   - {name: train-full, commands: [bin/train, --full]}
    /// ```
    pub(crate) static RULE = ("AG004", "duplicate-job-name", Error, "two jobs of a DAG file have the same name");
}

pub(crate) fn diagnostic(span: Span, first: Span, name: &str) -> Diagnostic {
    Diagnostic::new(&RULE, span, format!("job `{name}` is defined twice"))
        .with_label("second definition")
        .with_secondary(first, "first defined here")
        .with_help("rename one of the jobs")
}
