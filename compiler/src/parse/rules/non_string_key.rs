//! AW012: a mapping key is a collection or an unsupported scalar.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports a mapping key that is itself a mapping or a sequence (YAML's `? [a, b]: c`).
    ///
    /// ## Why is this bad?
    /// Kubernetes converts YAML to JSON, whose object keys are strings. A complex key cannot be
    /// converted, and `kubectl` rejects the file.
    ///
    /// ## Example
    /// ```yaml
    /// ? [a, b]
    /// : value
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// a-b: value
    /// ```
    pub(crate) static RULE = ("AW012", "complex-key", Error, "a mapping key is not a scalar");
}

pub(crate) fn diagnostic(span: Span) -> Diagnostic {
    Diagnostic::new(&RULE, span, "mapping key is not a scalar")
        .with_help("use a string key; this entry was ignored")
}
