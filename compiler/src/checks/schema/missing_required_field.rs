//! AW103: an object lacks a field its type requires.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports an object without a field that its type requires: a DAG task or parameter
    /// without `name`, a resource template without `action`, a volume mount without
    /// `mountPath`. A field set to null (`name:` with nothing after it) counts as missing.
    ///
    /// Fields that Argo's API schema marks as required but that Argo fills in itself are not
    /// reported; in particular a container's `image` may come from `spec.templateDefaults`.
    ///
    /// ## Why is this bad?
    /// Argo or Kubernetes rejects the object, usually only when the workflow runs and reaches
    /// the faulty template, with an error far from the cause.
    ///
    /// ## Example
    /// ```yaml
    /// inputs:
    ///   parameters:
    ///     - value: "3"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// inputs:
    ///   parameters:
    ///     - name: replicas
    ///       value: "3"
    /// ```
    pub(crate) static RULE = ("AW103", "missing-required-field", Error, "an object without a field its type requires");
}

pub(crate) fn diagnostic(
    span: Span,
    pointer: String,
    field: &str,
    ty_name: &str,
    field_doc: &str,
) -> Diagnostic {
    let d = Diagnostic::new(
        &RULE,
        span,
        format!("`{ty_name}` is missing required field `{field}`"),
    )
    .with_pointer(pointer)
    .with_help(format!("add `{field}`"));
    if field_doc.is_empty() {
        d
    } else {
        d.with_note(format!("`{field}`: {field_doc}"))
    }
}
