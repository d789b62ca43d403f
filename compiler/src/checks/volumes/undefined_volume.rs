//! AW801: a volume mount that names no declared volume.

use super::{claim_names, patched, volume_names};
use crate::checks::CheckContext;
use crate::checks::pod::containers;
use crate::checks::scalar::literal_str;
use crate::declare_rule;
use crate::diagnostics::{Diagnostic, Severity};
use crate::model::view::View;
use crate::model::views::Template;
use crate::model::walk;
use crate::model::{Kind, Object};
use crate::suggest::did_you_mean;

declare_rule! {
    /// ## What it does
    /// Checks that every `volumeMounts[*].name` and `volumeDevices[*].name` of a template's
    /// containers (main container, script, containerSet, init containers and sidecars) names a
    /// volume declared in the template's `volumes`, in `spec.volumes`, in
    /// `spec.templateDefaults.volumes`, or by `spec.volumeClaimTemplates`. Names holding a
    /// template tag, and templates whose pod is patched with `podSpecPatch`, are skipped.
    ///
    /// In a WorkflowTemplate or ClusterWorkflowTemplate the finding is a warning: a Workflow that
    /// references the template may declare the volume.
    ///
    /// Argo rule: none (not checked by `argo lint`). Fixes: FN-11.
    ///
    /// ## Why is this bad?
    /// `argo lint` accepts the workflow; the pod is then rejected by Kubernetes when the step
    /// runs (`volumeMounts[0].name: Not found: "workdir"`).
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   volumes:
    ///     - name: workdir
    ///       emptyDir: {}
    ///   templates:
    ///     - name: main
    ///       container:
    ///         image: alpine
    ///         volumeMounts:
    ///           - name: work-dir
    ///             mountPath: /work
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// spec:
    ///   volumes:
    ///     - name: workdir
    ///       emptyDir: {}
    ///   templates:
    ///     - name: main
    ///       container:
    ///         image: alpine
    ///         volumeMounts:
    ///           - name: workdir
    ///             mountPath: /work
    /// ```
    pub(crate) static RULE = ("AW801", "undefined-volume", Error, "a volume mount that names no declared volume");
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    let Some(spec) = obj.workflow_spec() else {
        return;
    };
    let reusable = matches!(
        obj.kind,
        Kind::WorkflowTemplate | Kind::ClusterWorkflowTemplate
    );
    let defaults = spec.template_defaults();
    let mut shared: Vec<&str> = volume_names(spec.node().get("volumes"))
        .into_iter()
        .chain(claim_names(&spec))
        .chain(volume_names(defaults.and_then(|d| d.node().get("volumes"))))
        .filter_map(|n| n.as_str())
        .collect();
    shared.sort_unstable();
    let sites = walk::templates(spec).into_iter().map(|s| s.template);
    for template in defaults.into_iter().chain(sites) {
        if patched(&spec, Some(&template)) {
            continue;
        }
        check_template(template, &shared, reusable, out);
    }
}

fn check_template(
    template: Template<'_>,
    shared: &[&str],
    reusable: bool,
    out: &mut Vec<Diagnostic>,
) {
    let own = volume_names(template.node().get("volumes"));
    let declared: Vec<&str> = shared
        .iter()
        .copied()
        .chain(own.iter().filter_map(|n| n.as_str()))
        .collect();
    for c in containers(template) {
        for mount in c
            .list("volumeMounts")
            .into_iter()
            .chain(c.list("volumeDevices"))
        {
            let Some(node) = mount.get("name") else {
                continue;
            };
            let Some(name) = literal_str(node) else {
                continue;
            };
            if declared.contains(&name) {
                continue;
            }
            let mut d = Diagnostic::new(
                &RULE,
                node.span(),
                format!("volume `{name}` is not declared"),
            )
            .with_label(format!("mounted by {}", c.describe()))
            .with_pointer(node.pointer());
            d = match did_you_mean(name, declared.iter().copied()) {
                Some(s) => d.with_help(format!("did you mean `{s}`?")),
                None => d.with_help(format!(
                    "declare `{name}` in `volumes` of the template or the workflow, or in `volumeClaimTemplates`"
                )),
            };
            if reusable {
                d = d
                    .with_severity(Severity::Warning)
                    .with_note("a Workflow that references this template may declare the volume");
            }
            out.push(d);
        }
    }
}
