//! AW008: a document's root is not a mapping.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports a YAML document whose top level is a sequence or a scalar instead of a mapping
    /// with `apiVersion`, `kind`, `metadata` and `spec`.
    ///
    /// ## Why is this bad?
    /// Every Kubernetes object is a mapping; `kubectl apply` rejects anything else. It usually
    /// means the indentation of the whole file is off, or a list of objects was written without
    /// `kind: List`.
    ///
    /// ## Example
    /// ```yaml
    /// - apiVersion: argoproj.io/v1alpha1
    ///   kind: Workflow
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: argoproj.io/v1alpha1
    /// kind: Workflow
    /// ```
    pub(crate) static RULE = ("AW008", "root-not-mapping", Error, "a document's top level is not a mapping");
}

pub(crate) fn diagnostic(span: Span, found: &str) -> Diagnostic {
    Diagnostic::new(
        &RULE,
        span,
        format!("document is a {found}, but a Kubernetes object must be a mapping"),
    )
    .with_pointer("")
    .with_help("write the object as a mapping with `apiVersion`, `kind`, `metadata` and `spec`")
}
