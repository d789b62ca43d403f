//! AW428: a parameter with an empty `enum`.

use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;
use crate::model::view::View;
use crate::model::walk::templates;
use crate::parse::NodeRef;

declare_rule! {
    /// ## What it does
    /// Reports `enum: []` on a parameter: workflow arguments, step and task arguments, and
    /// template input parameters.
    ///
    /// Argo rule: ARGO-ARG-005 (arguments); the CRD's `MinItems: 1` for input parameters.
    ///
    /// ## Why is this bad?
    /// No value can satisfy an empty enum. Argo rejects the workflow: `enum should contain at
    /// least one value`.
    ///
    /// ## Example
    /// ```yaml
    /// parameters:
    ///   - name: env
    ///     value: dev
    ///     enum: []
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// parameters:
    ///   - name: env
    ///     value: dev
    ///     enum: [dev, prod]
    /// ```
    pub(crate) static RULE = ("AW428", "empty-parameter-enum", Error, "a parameter with an empty enum");
}

fn check_list(params: Vec<NodeRef<'_>>, out: &mut Vec<Diagnostic>) {
    for p in params {
        let Some(e) = p.get("enum").filter(|e| e.is_seq() && e.items().len() == 0) else {
            continue;
        };
        let name = super::name_of(p).unwrap_or_default();
        out.push(
            Diagnostic::new(
                &RULE,
                e.span(),
                format!("parameter `{name}` has an empty `enum`"),
            )
            .with_pointer(e.pointer())
            .with_help("list the allowed values, or remove `enum`"),
        );
    }
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    let Some(spec) = obj.workflow_spec() else {
        return;
    };
    check_list(super::every_argument_parameter(spec), out);
    for site in templates(spec) {
        let inputs = site.template.inputs().and_then(|i| i.parameters());
        check_list(
            crate::scope::items(inputs)
                .into_iter()
                .map(|p| p.node())
                .collect(),
            out,
        );
    }
}
