//! AW424: an output parameter source the template's type cannot provide.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::walk::TemplateType;
use crate::parse::NodeRef;

declare_rule! {
    /// ## What it does
    /// Reports an output parameter whose `valueFrom` source does not fit the template type:
    /// container, containerSet and script templates need `path`; resource templates need
    /// `jqFilter` or `jsonPath`; steps and DAG templates need `parameter` or `expression`.
    /// Other template types are not restricted.
    ///
    /// Argo rule: ARGO-OUT-008, ARGO-OUT-009, ARGO-OUT-010.
    ///
    /// ## Why is this bad?
    /// The template cannot produce the value that way (a container has no step outputs to
    /// read, a steps template has no file system). Argo rejects the workflow, e.g.
    /// `outputs.parameters.P.path must be specified for Container templates`.
    ///
    /// ## Example
    /// ```yaml
    /// outputs:
    ///   parameters:
    ///     - name: result
    ///       valueFrom:
    ///         path: /tmp/result   # in a steps template
    /// steps: [...]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///     - name: result
    ///       valueFrom:
    ///         parameter: "{{steps.build.outputs.parameters.result}}"
    /// ```
    pub(crate) static RULE = ("AW424", "unsupported-output-source", Error, "an output parameter source the template type cannot provide");
}

/// The `valueFrom` sources a template type accepts (`None`: any).
pub(crate) fn accepted(ty: TemplateType) -> Option<&'static [&'static str]> {
    match ty {
        TemplateType::Container | TemplateType::ContainerSet | TemplateType::Script => {
            Some(&["path"])
        }
        TemplateType::Resource => Some(&["jqFilter", "jsonPath"]),
        TemplateType::Steps | TemplateType::Dag => Some(&["parameter", "expression"]),
        _ => None,
    }
}

/// Output parameter `name` of a `ty` template uses the sources `given` (`valueFrom` is `vf`).
pub(crate) fn check(
    ty: TemplateType,
    name: &str,
    vf: NodeRef<'_>,
    given: &[&str],
    out: &mut Vec<Diagnostic>,
) {
    let Some(ok) = accepted(ty) else { return };
    if given.is_empty() || given.iter().any(|g| ok.contains(g)) {
        return;
    }
    let at = vf.get(given[0]).unwrap_or(vf);
    let list = |xs: &[&str]| {
        xs.iter()
            .map(|x| format!("`{x}`"))
            .collect::<Vec<_>>()
            .join(" or ")
    };
    out.push(
        Diagnostic::new(
            &RULE,
            at.key_span(),
            format!(
                "output parameter `{name}` of a {} template cannot come from {}",
                ty.field(),
                list(given)
            ),
        )
        .with_pointer(at.pointer())
        .with_help(format!("use {} in `valueFrom`", list(ok))),
    );
}
