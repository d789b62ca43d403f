//! AW851: an artifact `path` on a steps, dag or suspend template.

use super::{artifacts, is_leaf, singular};
use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;
use crate::model::walk;

declare_rule! {
    /// ## What it does
    /// Reports an input or output artifact with a `path` in a steps, dag or suspend template.
    /// These templates run no container, so there is no file system to place the artifact in:
    /// outputs take `from` or `fromExpression` instead.
    ///
    /// Argo rule: ARGO-IN-003, ARGO-OUT-004.
    ///
    /// ## Why is this bad?
    /// Argo rejects the workflow: `templates.T.outputs.artifacts.A.path only valid in
    /// container/script templates`.
    ///
    /// ## Example
    /// ```yaml
    /// - name: main
    ///   outputs:
    ///     artifacts:
    ///       - name: report
    ///         path: /tmp/report.txt
    ///   steps:
    ///     - - {name: build, template: build}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// - name: main
    ///   outputs:
    ///     artifacts:
    ///       - name: report
    ///         from: "{{steps.build.outputs.artifacts.report}}"
    ///   steps:
    ///     - - {name: build, template: build}
    /// ```
    pub(crate) static RULE = ("AW851", "artifact-path-on-non-leaf", Error, "an artifact path on a steps, dag or suspend template");
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    let Some(spec) = obj.workflow_spec() else {
        return;
    };
    for site in walk::templates(spec) {
        let Some(ty) = site.template.template_type() else {
            continue;
        };
        if is_leaf(ty) {
            continue;
        }
        for (io, a) in artifacts(&site.template) {
            let Some(path) = a
                .path()
                .filter(|p| p.as_str().is_some_and(|s| !s.is_empty()))
            else {
                continue;
            };
            let name = a.name().and_then(|n| n.as_str()).unwrap_or("");
            out.push(
                Diagnostic::new(
                    &RULE,
                    path.key_span(),
                    format!(
                        "{} artifact `{name}` has a path in a {} template",
                        singular(io),
                        ty.field()
                    ),
                )
                .with_pointer(path.pointer())
                .with_help(if io == "outputs" {
                    "use `from` to take the artifact of a step or task"
                } else {
                    "remove `path`: only templates that run a container place artifacts on disk"
                }),
            );
        }
    }
}
