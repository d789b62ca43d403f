//! AW506: a template reference whose name is only known at run time.

use super::ref_calls;
use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;
use crate::parse::NodeRef;
use crate::resolve::{Resolution, WorkflowTemplateResolution};

declare_rule! {
    /// ## What it does
    /// Reports, as information, a `templateRef` or `workflowTemplateRef` whose `name` or
    /// `template` holds a `{{...}}` tag Bosun cannot substitute. A
    /// `{{workflow.parameters.NAME}}` tag whose parameter has a literal `value` is substituted
    /// and the reference is checked like a literal one (as Argo does); other tags (inputs,
    /// items, expressions) leave the reference dynamic.
    ///
    /// ## Why is this bad?
    /// Nothing about a dynamic reference can be checked before it runs: that the template
    /// exists, which inputs it requires, which outputs it produces. Argo skips such references
    /// silently (FN-14); this rule makes the gap visible.
    ///
    /// ## Example
    /// ```yaml
    /// templateRef:
    ///   name: "{{inputs.parameters.toolkit}}"
    ///   template: build
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// templateRef:
    ///   name: go-toolkit
    ///   template: build
    /// ```
    pub(crate) static RULE = ("AW506", "dynamic-template-ref", Info, "a template reference whose target is only known at run time");
}

pub(crate) fn check(ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    for call in ref_calls(obj) {
        if let Resolution::Dynamic { node, tag } = ctx.refs.resolve(obj, &call) {
            out.push(diagnostic(node, &tag));
        }
    }
    if let Some((_, WorkflowTemplateResolution::Dynamic { node, tag })) =
        ctx.refs.workflow_template_ref(obj)
    {
        out.push(diagnostic(node, &tag));
    }
}

fn diagnostic(node: NodeRef<'_>, tag: &str) -> Diagnostic {
    Diagnostic::new(
        &RULE,
        node.span(),
        format!("template reference through `{tag}` is only known at run time"),
    )
    .with_pointer(node.pointer())
    .with_note("the referenced template, its inputs and its outputs are not checked")
    .with_help(
        "use a literal name, or a workflow parameter with a literal `value`, to have it checked",
    )
}
