//! AW217: a lifecycle hook other than `exit` without an `expression`.

use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;
use crate::model::walk::{CallKind, all_calls};

declare_rule! {
    /// ## What it does
    /// Reports a lifecycle hook (of the workflow, a step or a DAG task) that is not the `exit`
    /// hook and has no `expression`, or an empty one.
    ///
    /// Argo rule: ARGO-SPEC-008, ARGO-STEP-006; DAG task hooks too (FN-09: Argo does not check
    /// them).
    ///
    /// ## Why is this bad?
    /// The expression says when the hook runs; without it the hook never runs. Argo rejects
    /// workflow and step hooks (`hooks.running Expression required`) but lets task hooks through.
    ///
    /// ## Example
    /// ```yaml
    /// hooks:
    ///   running:
    ///     template: notify
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// hooks:
    ///   running:
    ///     expression: workflow.status == "Running"
    ///     template: notify
    /// ```
    pub(crate) static RULE = ("AW217", "missing-hook-expression", Error, "a lifecycle hook other than `exit` without an expression");
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    let Some(spec) = obj.workflow_spec() else {
        return;
    };
    for call in all_calls(spec) {
        if call.kind != CallKind::Hook || !call.node.is_map() {
            continue;
        }
        let Some(entry) = call.node.parent_entry() else {
            continue;
        };
        if &*entry.key == "exit" {
            continue;
        }
        let expr = call.node.get("expression");
        if expr.is_some_and(|e| e.as_str().is_some_and(|s| !s.trim().is_empty()) || e.is_map()) {
            continue;
        }
        out.push(
            Diagnostic::new(
                &RULE,
                entry.key_span,
                format!("hook `{}` has no `expression`", entry.key),
            )
            .with_pointer(call.node.pointer())
            .with_help("add an `expression` saying when the hook runs, e.g. `workflow.status == \"Running\"`"),
        );
    }
}
