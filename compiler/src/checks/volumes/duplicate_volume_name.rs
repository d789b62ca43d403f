//! AW802: two volumes with the same name in one pod.

use super::{claim_names, volume_names};
use crate::checks::CheckContext;
use crate::checks::scalar::literal_str;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;
use crate::model::view::View;
use crate::model::walk;
use crate::parse::NodeRef;

declare_rule! {
    /// ## What it does
    /// Reports a volume name declared twice: twice in `spec.volumes`, in both `spec.volumes` and
    /// `spec.volumeClaimTemplates`, or twice in one template's `volumes`.
    ///
    /// Argo rule: none (not checked by `argo lint`, §2.15). Fixes: FN-11.
    ///
    /// ## Why is this bad?
    /// Kubernetes rejects the pod (`spec.volumes[1].name: Duplicate value`), and the step fails
    /// at runtime.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   volumes:
    ///     - name: data
    ///       emptyDir: {}
    ///   volumeClaimTemplates:
    ///     - metadata:
    ///         name: data
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// spec:
    ///   volumes:
    ///     - name: scratch
    ///       emptyDir: {}
    ///   volumeClaimTemplates:
    ///     - metadata:
    ///         name: data
    /// ```
    pub(crate) static RULE = ("AW802", "duplicate-volume-name", Error, "a volume name declared twice");
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    let Some(spec) = obj.workflow_spec() else {
        return;
    };
    let mut workflow = volume_names(spec.node().get("volumes"));
    workflow.extend(claim_names(&spec));
    report(&workflow, out);
    for site in walk::templates(spec) {
        report(&volume_names(site.template.node().get("volumes")), out);
    }
}

fn report(names: &[NodeRef<'_>], out: &mut Vec<Diagnostic>) {
    for (i, node) in names.iter().enumerate() {
        let Some(name) = literal_str(*node) else {
            continue;
        };
        let Some(first) = names[..i].iter().find(|n| n.as_str() == Some(name)) else {
            continue;
        };
        out.push(
            Diagnostic::new(
                &RULE,
                node.span(),
                format!("volume `{name}` is declared twice"),
            )
            .with_pointer(node.pointer())
            .with_secondary(first.span(), "first declared here")
            .with_help("rename one of the volumes"),
        );
    }
}
