//! AW854: an input artifact with `from`.

use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;
use crate::model::view::View;
use crate::model::walk;

declare_rule! {
    /// ## What it does
    /// Reports `from` on a template's input artifact (`inputs.artifacts[*].from`).
    ///
    /// Argo rule: ARGO-IN-004.
    ///
    /// ## Why is this bad?
    /// `from` says which step's output an *argument* comes from; an input declaration receives
    /// its value from the caller's arguments. Argo rejects the workflow:
    /// `inputs.artifacts.A.from not valid in inputs`.
    ///
    /// ## Example
    /// ```yaml
    /// inputs:
    ///   artifacts:
    ///     - name: data
    ///       path: /tmp/data
    ///       from: "{{steps.gen.outputs.artifacts.data}}"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// # in the template
    /// inputs:
    ///   artifacts:
    ///     - name: data
    ///       path: /tmp/data
    /// # in the calling step
    /// arguments:
    ///   artifacts:
    ///     - name: data
    ///       from: "{{steps.gen.outputs.artifacts.data}}"
    /// ```
    pub(crate) static RULE = ("AW854", "input-artifact-with-from", Error, "an input artifact declaration with `from`");
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    let Some(spec) = obj.workflow_spec() else {
        return;
    };
    for site in walk::templates(spec) {
        let inputs = site.template.inputs().and_then(|i| i.artifacts());
        for a in crate::scope::items(inputs) {
            let Some(from) = a.node().get("from").filter(|f| !f.is_null()) else {
                continue;
            };
            let name = a.name().and_then(|n| n.as_str()).unwrap_or_default();
            out.push(
                Diagnostic::new(
                    &RULE,
                    from.key_span(),
                    format!("input artifact `{name}` has `from`, which only arguments may have"),
                )
                .with_pointer(from.pointer())
                .with_help(
                    "remove `from` here and pass the artifact in the caller's `arguments.artifacts`",
                ),
            );
        }
    }
}
