//! AG001: a field the DAG file must have is missing.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports a DAG file without a `name`, without `jobs`, or with a job that has no `name` or
    /// neither `command` nor `commands`. For `bosun gen` without a template it also reports a job
    /// without a `repo` option (on the job or on the DAG file), since the image and the Secret
    /// are derived from it.
    ///
    /// ## Why is this bad?
    /// dagg renders missing fields as empty strings: the generated manifest has a workflow
    /// without a name or a container without a command, and Argo rejects it (or runs the
    /// image's default entrypoint) far from the line that needs fixing.
    ///
    /// ## Example
    /// ```yaml
    /// name: nightly
    /// jobs:
    ///   - name: extract
    ///     option: {repo: etl}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// name: nightly
    /// jobs:
    ///   - name: extract
    ///     commands: [bin/extract, --since, yesterday]
    ///     option: {repo: etl}
    /// ```
    pub(crate) static RULE = ("AG001", "missing-dag-field", Error, "a field the DAG file must have is missing");
}

pub(crate) fn diagnostic(span: Span, what: &str, help: &str) -> Diagnostic {
    Diagnostic::new(&RULE, span, format!("{what} is missing")).with_help(help.to_string())
}
