//! AW009: a document is not one of the Argo kinds Bosun checks.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Notes a document of another kind (a ConfigMap, a Secret, a WorkflowEventBinding, ...) that
    /// Bosun skips. Bosun checks Workflow, WorkflowTemplate, ClusterWorkflowTemplate and
    /// CronWorkflow.
    ///
    /// ## Why is this bad?
    /// It is not: manifests often bundle a ConfigMap or an RBAC object with a workflow. The note
    /// (severity `info`) only says that the document was not checked, so a typo in `kind:`
    /// (`Worklfow`) does not go unnoticed.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// ```
    ///
    /// ## Use instead
    /// Nothing to change. Disable the note with `--ignore AW009`.
    pub(crate) static RULE = ("AW009", "unsupported-kind", Info, "a document of another kind is skipped");
}

pub(crate) fn diagnostic(span: Span, kind: &str, suggestion: Option<&str>) -> Diagnostic {
    let d = Diagnostic::new(
        &RULE,
        span,
        format!("`{kind}` is not an Argo workflow kind; skipped"),
    )
    .with_pointer("/kind");
    match suggestion {
        Some(s) => d.with_help(format!("did you mean `{s}`?")),
        None => d,
    }
}
