//! AW212: an entrypoint, step, task, hook or exit handler naming a template that does not exist.

use std::collections::HashSet;

use super::Input;
use crate::checks::CheckContext;
use crate::checks::schema::has_template_tag;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::walk::CallKind;
use crate::parse::NodeRef;
use crate::suggest::did_you_mean;

declare_rule! {
    /// ## What it does
    /// Reports a local template name that no entry of `spec.templates` defines: in
    /// `entrypoint`, in a step's or task's `template`, in the `template` of a lifecycle hook
    /// (workflow, step or task `hooks`), and in `onExit` (workflow, step or task). References
    /// through `templateRef` are not checked here, and nothing is checked in a spec that uses
    /// `workflowTemplateRef` (its templates live in the referenced WorkflowTemplate). Names
    /// holding `{{...}}` are skipped.
    ///
    /// Argo rule: ARGO-SPEC-005, ARGO-SPEC-007, ARGO-TREF-005, ARGO-DAG-008, ARGO-STEP-005.
    /// Fixes: FN-09 (Argo never resolves hook templates nor step and task `onExit`).
    ///
    /// ## Why is this bad?
    /// Argo refuses the workflow for entrypoints, steps and tasks. For hooks and step or task
    /// exit handlers it does not even look: the workflow starts, and fails (or silently skips
    /// the notification) when the hook fires.
    ///
    /// ## Example
    /// ```yaml
    /// steps:
    ///   - - name: deploy
    ///       template: deploy
    ///       onExit: notfy
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// steps:
    ///   - - name: deploy
    ///       template: deploy
    ///       onExit: notify
    /// ```
    pub(crate) static RULE = ("AW212", "undefined-template", Error, "a reference to a template that is not defined");
}

pub(super) fn check(_ctx: &CheckContext<'_>, obj: &Input<'_>, out: &mut Vec<Diagnostic>) {
    let Some(spec) = obj.workflow_spec() else {
        return;
    };
    if spec.workflow_template_ref().is_some() {
        return;
    }
    let names: Vec<&str> = spec
        .templates()
        .map(|ts| ts.iter().filter_map(|t| t.name_str()).collect())
        .unwrap_or_default();
    let known: HashSet<&str> = names.iter().copied().collect();
    let mut check_name = |node: NodeRef<'_>, what: &str, can_ref: bool| {
        let Some(name) = node.as_str() else {
            return;
        };
        if name.is_empty() || known.contains(name) || has_template_tag(name) {
            return;
        }
        let d = Diagnostic::new(
            &RULE,
            node.span(),
            format!("{what} `{name}` is not defined in this workflow"),
        )
        .with_pointer(node.pointer());
        out.push(match did_you_mean(name, names.iter().copied()) {
            Some(s) => d.with_help(format!("did you mean `{s}`?")),
            None if names.is_empty() || !can_ref => d.with_help("add it to `spec.templates`"),
            None => d.with_help(
                "add it to `spec.templates`, or use `templateRef` to call a WorkflowTemplate",
            ),
        });
    };
    if let Some(entry) = spec.entrypoint() {
        check_name(entry, "entrypoint template", false);
    }
    for call in &obj.calls {
        let Some(node) = call.template else {
            continue;
        };
        let what = match call.kind {
            CallKind::Step { .. } | CallKind::Task { .. } => "template",
            CallKind::Hook => "hook template",
            CallKind::OnExit => "exit handler template",
        };
        check_name(node, what, call.kind != CallKind::OnExit);
    }
}
