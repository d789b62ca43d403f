//! AW509: a Workflow with both `workflowTemplateRef` and its own `templates`.

use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;
use crate::model::view::View;

declare_rule! {
    /// ## What it does
    /// Reports a Workflow or CronWorkflow whose spec has a `workflowTemplateRef` and a
    /// non-empty `templates` list.
    ///
    /// Argo rule: ARGO-WFTREF-001.
    ///
    /// ## Why is this bad?
    /// The referenced WorkflowTemplate supplies the templates. Argo rejects the workflow:
    /// `Templates is invalid field in spec if workflow referred WorkflowTemplate reference`.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   workflowTemplateRef: {name: build}
    ///   templates:
    ///     - name: extra
    ///       container: {image: alpine:3.20}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// spec:
    ///   workflowTemplateRef: {name: build}
    /// ```
    pub(crate) static RULE = ("AW509", "templates-with-workflow-template-ref", Error, "a Workflow with both `workflowTemplateRef` and its own templates");
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    if !matches!(
        obj.kind,
        crate::model::Kind::Workflow | crate::model::Kind::CronWorkflow
    ) {
        return;
    }
    let Some(spec) = obj.workflow_spec() else {
        return;
    };
    let Some(wtr) = spec
        .node()
        .get("workflowTemplateRef")
        .filter(|w| !w.is_null())
    else {
        return;
    };
    let Some(ts) = spec.node().get("templates").filter(|t| t.items().len() > 0) else {
        return;
    };
    out.push(
        Diagnostic::new(
            &RULE,
            ts.key_span(),
            "`templates` cannot be set together with `workflowTemplateRef`",
        )
        .with_pointer(ts.pointer())
        .with_secondary(wtr.key_span(), "the templates come from this reference")
        .with_help(
            "move these templates into the referenced WorkflowTemplate, or drop the reference",
        ),
    );
}
