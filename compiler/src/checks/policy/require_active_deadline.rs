//! BP001: a Workflow or CronWorkflow without `activeDeadlineSeconds`, when the policy requires it.

use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::view::View;
use crate::model::{Kind, Object};

declare_rule! {
    /// ## What it does
    /// Opt-in (policy `require.activeDeadlineSeconds: true`). Reports a Workflow or CronWorkflow
    /// whose workflow spec has no `activeDeadlineSeconds`. WorkflowTemplates and
    /// ClusterWorkflowTemplates are not reported (the workflows that run them carry the
    /// deadline), nor are Workflows that run a `workflowTemplateRef` (they inherit the
    /// template's).
    ///
    /// ## Why is this bad?
    /// Without a deadline a stuck step keeps its pods, and the workflow holds its quota, until
    /// someone notices. Teams that watch "the workflow failed" rather than "the workflow is
    /// still running" (see the seed blog posts) rely on a deadline turning a hang into a
    /// failure.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Workflow
    /// spec:
    ///   entrypoint: main
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// kind: Workflow
    /// spec:
    ///   entrypoint: main
    ///   activeDeadlineSeconds: 5400
    /// ```
    pub(crate) static RULE = ("BP001", "require-active-deadline", Error, "activeDeadlineSeconds is required by policy");
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    if !matches!(obj.kind, Kind::Workflow | Kind::CronWorkflow) {
        return;
    }
    let Some(spec) = obj.workflow_spec() else {
        return;
    };
    let node = spec.node();
    if node.get("activeDeadlineSeconds").is_some() || spec.workflow_template_ref().is_some() {
        return;
    }
    out.push(
        Diagnostic::new(
            &RULE,
            node.key_span(),
            "activeDeadlineSeconds is required by policy",
        )
        .with_pointer(node.pointer())
        .with_help("set activeDeadlineSeconds (seconds) to bound the workflow's run time"),
    );
}
