//! AW211: a Workflow or CronWorkflow without `entrypoint`.

use super::Input;
use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Kind;
use crate::model::view::View;

declare_rule! {
    /// ## What it does
    /// Reports a Workflow or CronWorkflow whose spec has no `entrypoint` (or an empty one) and
    /// no `workflowTemplateRef` to take it from. WorkflowTemplates and ClusterWorkflowTemplates
    /// may omit it: the Workflow that uses them names the entrypoint.
    ///
    /// Argo rule: ARGO-SPEC-004.
    ///
    /// ## Why is this bad?
    /// Argo refuses the workflow with `spec.entrypoint is required`; a CronWorkflow fails on
    /// every scheduled run.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Workflow
    /// spec:
    ///   templates:
    ///     - name: main
    ///       container: {image: alpine:3.20}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// kind: Workflow
    /// spec:
    ///   entrypoint: main
    ///   templates:
    ///     - name: main
    ///       container: {image: alpine:3.20}
    /// ```
    pub(crate) static RULE = ("AW211", "missing-entrypoint", Error, "a Workflow or CronWorkflow without an entrypoint");
}

pub(super) fn check(_ctx: &CheckContext<'_>, obj: &Input<'_>, out: &mut Vec<Diagnostic>) {
    if !matches!(obj.kind, Kind::Workflow | Kind::CronWorkflow) {
        return;
    }
    let Some(spec) = obj.workflow_spec() else {
        return;
    };
    if !spec.node().is_map() || spec.workflow_template_ref().is_some() {
        return;
    }
    let entry = spec.entrypoint().filter(|e| !e.is_null());
    if entry.is_some_and(|e| e.as_str() != Some("")) {
        // A name (or a wrong type, which the structural checks report).
        return;
    }
    let first = spec
        .templates()
        .and_then(|t| t.get(0))
        .and_then(|t| t.name_str());
    let d = match entry {
        Some(e) => {
            Diagnostic::new(&RULE, e.span(), "`entrypoint` is empty").with_pointer(e.pointer())
        }
        None => Diagnostic::new(
            &RULE,
            spec.node().key_span(),
            "workflow has no `entrypoint`",
        )
        .with_pointer(spec.node().child_pointer("entrypoint")),
    };
    out.push(match first {
        Some(name) => d.with_help(format!(
            "name the template that runs first, e.g. `entrypoint: {name}`"
        )),
        None => d.with_help("name the template that runs first in `entrypoint`"),
    });
}
