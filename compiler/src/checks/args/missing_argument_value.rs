//! AW425: a step, task or hook argument parameter without `value` or `valueFrom`.

use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;
use crate::model::walk::all_calls;

declare_rule! {
    /// ## What it does
    /// Reports an argument parameter of a step, DAG task or lifecycle hook that has neither
    /// `value` nor `valueFrom`. (The workflow's own `spec.arguments` may leave values out: they
    /// are supplied at submission.)
    ///
    /// Argo rule: ARGO-ARG-003, ARGO-ARG-006 (for step and task arguments).
    ///
    /// ## Why is this bad?
    /// The argument passes nothing, and it even wipes the input's `default`. Argo rejects the
    /// workflow: `arguments.x.value or arguments.x.valueFrom is required`.
    ///
    /// ## Example
    /// ```yaml
    /// - name: print
    ///   template: print
    ///   arguments:
    ///     parameters:
    ///       - name: message
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///   arguments:
    ///     parameters:
    ///       - name: message
    ///         value: hello
    /// ```
    pub(crate) static RULE = ("AW425", "missing-argument-value", Error, "a step or task argument parameter without a value");
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    let Some(spec) = obj.workflow_spec() else {
        return;
    };
    for call in all_calls(spec) {
        for p in super::argument_parameters(call.arguments) {
            if super::present(p, "value") || super::present(p, "valueFrom") {
                continue;
            }
            let Some(name) = super::name_of(p) else {
                continue;
            };
            let at = p.get("name").unwrap_or(p);
            out.push(
                Diagnostic::new(
                    &RULE,
                    at.span(),
                    format!("argument `{name}` has no `value` or `valueFrom`"),
                )
                .with_pointer(p.pointer())
                .with_help("pass a `value`, or remove the argument to use the input's default"),
            );
        }
    }
}
