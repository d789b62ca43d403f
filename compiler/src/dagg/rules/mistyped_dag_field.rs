//! AG002: a DAG file field has the wrong type.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports a DAG file field whose YAML type is not the one dagg reads: `name` and `command`
    /// are strings, `commands` and `dependencies` are lists of strings, `option` is a mapping
    /// of strings, `jobs` is a list of mappings, and the file itself is one mapping.
    ///
    /// ## Why is this bad?
    /// dagg decodes the file into Go structs: a mistyped field stops it with a decoding error
    /// that names no line, or (for a number where a string is expected) is silently converted.
    /// Options are strings in the template (`{{ .Option.retries }}`), so a nested mapping there
    /// cannot be used.
    ///
    /// ## Example
    /// ```yaml
    /// jobs:
    ///   - name: load
    ///     commands: bin/load
    ///     dependencies: extract
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// jobs:
    ///   - name: load
    ///     commands: [bin/load]
    ///     dependencies: [extract]
    /// ```
    pub(crate) static RULE = ("AG002", "mistyped-dag-field", Error, "a DAG file field has the wrong type");
}

pub(crate) fn diagnostic(span: Span, field: &str, expected: &str, found: &str) -> Diagnostic {
    Diagnostic::new(
        &RULE,
        span,
        format!("`{field}` must be {expected}, found {found}"),
    )
    .with_label(format!("expected {expected}"))
}
