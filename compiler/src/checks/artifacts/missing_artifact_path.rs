//! AW850: an artifact of a leaf template without a `path`.

use super::{artifacts, is_leaf, singular};
use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;
use crate::model::view::View;
use crate::model::walk;

declare_rule! {
    /// ## What it does
    /// Reports an input or output artifact without a `path` in a template that runs something
    /// (container, containerSet, script, resource, data, http, plugin).
    ///
    /// Argo rule: ARGO-IN-001, ARGO-OUT-003.
    ///
    /// ## Why is this bad?
    /// The path is where the artifact is placed before the step runs, or collected from after
    /// it. Argo rejects the workflow: `Artifact 'A' did not specify a path`.
    ///
    /// ## Example
    /// ```yaml
    /// outputs:
    ///   artifacts:
    ///     - name: report
    /// container:
    ///   image: alpine
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// outputs:
    ///   artifacts:
    ///     - name: report
    ///       path: /tmp/report.txt
    /// container:
    ///   image: alpine
    /// ```
    pub(crate) static RULE = ("AW850", "missing-artifact-path", Error, "an artifact of a leaf template without a path");
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    let Some(spec) = obj.workflow_spec() else {
        return;
    };
    for site in walk::templates(spec) {
        let Some(ty) = site.template.template_type() else {
            continue;
        };
        if !is_leaf(ty) {
            continue;
        }
        for (io, a) in artifacts(&site.template) {
            if !a.node().is_map()
                || a.path()
                    .is_some_and(|p| p.as_str().is_some_and(|s| !s.is_empty()))
            {
                continue;
            }
            let name = a.name().and_then(|n| n.as_str()).unwrap_or("");
            let span = a.name().map_or_else(|| a.span(), |n| n.span());
            out.push(
                Diagnostic::new(
                    &RULE,
                    span,
                    format!("{} artifact `{name}` has no path", singular(io)),
                )
                .with_pointer(a.node().child_pointer("path"))
                .with_help(format!(
                    "set `path` to where the {} template {} the artifact",
                    ty.field(),
                    if io == "inputs" { "reads" } else { "writes" }
                )),
            );
        }
    }
}
