//! AW102: a value has the wrong type for its field.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports a value whose type does not match its field: a number where a list is expected,
    /// a quoted number where Kubernetes wants an integer, a mapping where a string is expected.
    ///
    /// YAML reads unquoted `yes`, `no`, `on`, `off`, `true`, numbers and `~` as booleans,
    /// numbers and null, so `version: 1.10` is the number `1.1` and `country: no` is `false`.
    /// Strings holding an Argo template tag (`"{{inputs.parameters.n}}"`) are accepted for
    /// numbers and booleans: Argo substitutes them before decoding.
    ///
    /// ## Why is this bad?
    /// Argo and Kubernetes decode manifests into typed Go structs. A type mismatch makes the
    /// whole object fail to decode (`cannot unmarshal number into Go struct field ... of type
    /// []string`), so the workflow is rejected or errors when it starts.
    ///
    /// ## Example
    /// ```yaml
    /// - name: deploy
    ///   template: deploy
    ///   dependencies: build
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// - name: deploy
    ///   template: deploy
    ///   dependencies: [build]
    /// ```
    pub(crate) static RULE = ("AW102", "wrong-type", Error, "a value whose type does not match its field");
}

pub(crate) fn diagnostic(
    span: Span,
    pointer: String,
    place: &str,
    expected: &str,
    found: &str,
    help: Option<String>,
) -> Diagnostic {
    let d = Diagnostic::new(&RULE, span, format!("{place} should be {expected}"))
        .with_label(format!("found {found}"))
        .with_pointer(pointer);
    match help {
        Some(h) => d.with_help(h),
        None => d,
    }
}
