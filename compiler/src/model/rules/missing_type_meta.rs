//! AW010: `apiVersion` or `kind` is missing or not a string.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports a document without a string `kind` or `apiVersion`.
    ///
    /// ## Why is this bad?
    /// The API server cannot tell what the object is and rejects it ("Object 'Kind' is missing").
    /// Bosun cannot tell which checks apply either, so the document is not checked further.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   generateName: hello-
    /// spec:
    ///   entrypoint: main
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: argoproj.io/v1alpha1
    /// kind: Workflow
    /// metadata:
    ///   generateName: hello-
    /// spec:
    ///   entrypoint: main
    /// ```
    pub(crate) static RULE = ("AW010", "missing-type-meta", Error, "`apiVersion` or `kind` is missing");
}

pub(crate) fn diagnostic(span: Span, field: &str, pointer: &str) -> Diagnostic {
    Diagnostic::new(&RULE, span, format!("document has no string `{field}`"))
        .with_pointer(pointer)
        .with_help(format!(
            "add `{field}:` (for Argo: `apiVersion: argoproj.io/v1alpha1`)"
        ))
}
