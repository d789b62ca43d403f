//! AW507: templates that always call each other in a cycle through `templateRef`.

use super::ref_calls;
use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;
use crate::model::view::View;

declare_rule! {
    /// ## What it does
    /// Reports a `templateRef` on a cycle of calls that always run: steps and DAG tasks without
    /// `when`, without a loop that can be empty (`withParam`, `withSequence`, an empty
    /// `withItems`) and without a result-dependent `depends`. Recursion under a condition, the
    /// usual Argo idiom, is not reported; cycles made only of local `template:` calls are left
    /// to the call-graph checks.
    ///
    /// ## Why is this bad?
    /// The workflow recurses until it hits a node, depth or deadline limit and fails, after
    /// scheduling pods at every level. Argo's lint follows each reference once and never notices.
    ///
    /// ## Example
    /// ```yaml
    /// # WorkflowTemplate a, template main:
    /// steps:
    ///   - - name: next
    ///       templateRef: {name: b, template: main}
    /// # WorkflowTemplate b, template main:
    /// steps:
    ///   - - name: back
    ///       templateRef: {name: a, template: main}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// steps:
    ///   - - name: back
    ///       templateRef: {name: a, template: main}
    ///       when: "{{inputs.parameters.depth}} < 3"
    /// ```
    pub(crate) static RULE = ("AW507", "template-ref-cycle", Error, "templates that always call each other in a cycle through templateRef");
}

pub(crate) fn check(ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    for call in ref_calls(obj) {
        let Some(tr) = call.template_ref else {
            continue;
        };
        let Some(cycle) = ctx.refs.cycle_through(tr) else {
            continue;
        };
        let at = tr.template().unwrap_or(tr.node());
        out.push(
            Diagnostic::new(
                &RULE,
                at.span(),
                format!("templates call each other without end: {cycle}"),
            )
            .with_pointer(at.pointer())
            .with_label("this reference is on the cycle")
            .with_help("add a `when` that ends the recursion, or break the cycle"),
        );
    }
}
