//! AG003: a DAG file key that dagg does not read.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports a key of the DAG file or of a job that is not one of `name`, `option`, `jobs`
    /// (file) or `name`, `command`, `commands`, `dependencies`, `option` (job), with the closest
    /// known key when there is one.
    ///
    /// ## Why is this bad?
    /// dagg ignores unknown keys: a misspelt `dependency:` leaves the job without its
    /// dependencies and it starts with the first jobs of the run.
    ///
    /// ## Example
    /// ```yaml
    /// - name: load
    ///   commands: [bin/load]
    ///   dependency: [extract]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// - name: load
    ///   commands: [bin/load]
    ///   dependencies: [extract]
    /// ```
    pub(crate) static RULE = ("AG003", "unknown-dag-field", Warning, "a DAG file key that dagg does not read");
}

pub(crate) fn diagnostic(span: Span, key: &str, suggestion: Option<&str>) -> Diagnostic {
    let d = Diagnostic::new(&RULE, span, format!("unknown key `{key}`"))
        .with_label("dagg ignores this key");
    match suggestion {
        Some(s) => d.with_help(format!("did you mean `{s}`?")),
        None => d,
    }
}
