//! AW011: an Argo kind with an `apiVersion` other than `argoproj.io/v1alpha1`.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports a Workflow, WorkflowTemplate, ClusterWorkflowTemplate or CronWorkflow whose
    /// `apiVersion` is not `argoproj.io/v1alpha1`, the only version Argo serves.
    ///
    /// ## Why is this bad?
    /// `kubectl apply` fails with "no matches for kind ... in version ...". A common cause is
    /// `argoproj.io/v1` or a missing group (`v1alpha1`).
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: argoproj.io/v1
    /// kind: Workflow
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: argoproj.io/v1alpha1
    /// kind: Workflow
    /// ```
    pub(crate) static RULE = ("AW011", "unsupported-api-version", Error, "an Argo kind with an unknown `apiVersion`");
}

pub(crate) fn diagnostic(span: Span, kind: &str, found: &str) -> Diagnostic {
    Diagnostic::new(
        &RULE,
        span,
        format!("`{found}` is not a served version of `{kind}`"),
    )
    .with_pointer("/apiVersion")
    .with_help("use `apiVersion: argoproj.io/v1alpha1`")
}
