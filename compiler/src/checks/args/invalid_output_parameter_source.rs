//! AW423: an output parameter without exactly one source.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports output parameters with both `value` and `valueFrom`, with neither, or whose
    /// `valueFrom` names zero or several of `path`, `jqFilter`, `jsonPath`, `parameter`,
    /// `expression` and `supplied` (`default` and `configMapKeyRef` are not sources).
    ///
    /// ## Why is this bad?
    /// Argo rejects the workflow (`has both valueFrom and value specified`, `multiple valueFrom
    /// types specified`), or cannot tell where the value comes from.
    ///
    /// ## Example
    /// ```yaml
    /// outputs:
    ///   parameters:
    ///     - name: result
    ///       valueFrom:
    ///         path: /tmp/result
    ///         jsonPath: "{.status}"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///     - name: result
    ///       valueFrom:
    ///         path: /tmp/result
    /// ```
    pub(crate) static RULE = ("AW423", "invalid-output-parameter-source", Error, "an output parameter without exactly one source");
}

pub(crate) fn diagnostic(span: Span, pointer: String, message: String, help: &str) -> Diagnostic {
    Diagnostic::new(&RULE, span, message)
        .with_pointer(pointer)
        .with_help(help)
}
