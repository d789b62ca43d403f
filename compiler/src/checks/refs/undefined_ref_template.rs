//! AW502: a reference names a template that the referenced (Cluster)WorkflowTemplate does not
//! define.

use super::{list, name_node, ref_calls};
use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;
use crate::parse::NodeRef;
use crate::resolve::{Found, Resolution, WorkflowTemplateResolution};
use crate::suggest::did_you_mean;

declare_rule! {
    /// ## What it does
    /// Reports a `templateRef.template` that the referenced WorkflowTemplate or
    /// ClusterWorkflowTemplate does not define, and, for a Workflow or CronWorkflow with
    /// `spec.workflowTemplateRef`, an `entrypoint`, `onExit` or workflow hook `template` that the
    /// referenced template does not define (with a `workflowTemplateRef` these names resolve in
    /// the referenced template).
    ///
    /// ## Why is this bad?
    /// Argo fails the step at run time with `template reference <name>.<template> not found`;
    /// for the entrypoint the Workflow cannot start at all.
    ///
    /// ## Example
    /// ```yaml
    /// templateRef:
    ///   name: build-tools
    ///   template: compiel
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// templateRef:
    ///   name: build-tools
    ///   template: compile
    /// ```
    pub(crate) static RULE = ("AW502", "undefined-ref-template", Error, "a template reference to a template its (Cluster)WorkflowTemplate does not define");
}

pub(crate) fn check(ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    for call in ref_calls(obj) {
        if let Resolution::MissingTemplate { found, name, node } = ctx.refs.resolve(obj, &call) {
            out.push(diagnostic(&found, &name, node));
        }
    }
    let Some((_, WorkflowTemplateResolution::Resolved(found))) =
        ctx.refs.workflow_template_ref(obj)
    else {
        return;
    };
    let Some(spec) = obj.workflow_spec() else {
        return;
    };
    let defined = found.template_names();
    let hooks: Vec<_> = spec
        .hooks()
        .map(|h| h.iter().filter_map(|(_, hook)| hook.template()).collect())
        .unwrap_or_default();
    for node in [spec.entrypoint(), spec.on_exit()]
        .into_iter()
        .flatten()
        .chain(hooks)
    {
        if let Some(name) = node.as_str().filter(|n| !n.contains("{{"))
            && !defined.contains(&name)
        {
            out.push(diagnostic(&found, name, node));
        }
    }
}

fn diagnostic(found: &Found<'_>, name: &str, node: NodeRef<'_>) -> Diagnostic {
    let defined = found.template_names();
    let mut d = Diagnostic::new(
        &RULE,
        node.span(),
        format!("template `{name}` is not defined in {}", found.label()),
    )
    .with_pointer(node.pointer());
    if let Some(n) = name_node(&found.object).filter(|_| found.origin.is_local()) {
        d = d.with_secondary(n.span(), format!("`{}` is defined here", found.name()));
    }
    if let Some(s) = did_you_mean(name, defined.iter().copied()) {
        return d.with_help(format!("did you mean `{s}`?"));
    }
    if defined.is_empty() {
        return d.with_note(format!("`{}` defines no templates", found.name()));
    }
    d.with_note(format!(
        "`{}` defines {}",
        found.name(),
        list(defined.iter().copied())
    ))
}
