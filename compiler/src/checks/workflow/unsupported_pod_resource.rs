//! AW862: pod-level resources other than cpu, memory and hugepages, or with claims.

use super::at_key;
use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;
use crate::parse::NodeRef;

declare_rule! {
    /// ## What it does
    /// Reports `podResources` (of the workflow or of a template) whose `requests` or `limits`
    /// name a resource other than `cpu`, `memory` and `hugepages-*`, or that set `claims`.
    ///
    /// Argo rule: ARGO-SPEC-011, ARGO-TMPL-002 (resource names and claims; `podResources` on
    /// HTTP and plugin templates is AW810).
    ///
    /// ## Why is this bad?
    /// Kubernetes only supports those resources at pod level. Argo rejects the workflow:
    /// `"nvidia.com/gpu" is not a valid pod-level resource, only cpu, memory and hugepages-*
    /// are supported`.
    ///
    /// ## Example
    /// ```yaml
    /// podResources:
    ///   limits:
    ///     nvidia.com/gpu: 1
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// container:
    ///   resources:
    ///     limits:
    ///       nvidia.com/gpu: 1
    /// ```
    pub(crate) static RULE = ("AW862", "unsupported-pod-resource", Error, "pod-level resources other than cpu, memory and hugepages");
}

fn check_resources(pr: NodeRef<'_>, out: &mut Vec<Diagnostic>) {
    if let Some(claims) = pr.get("claims").filter(|c| !c.is_null()) {
        out.push(at_key(
            &RULE,
            claims,
            "`podResources.claims` is not supported for pod-level resources".into(),
            "request claims in the container's `resources`",
        ));
    }
    for list in ["requests", "limits"] {
        for (e, _) in pr.get(list).iter().flat_map(|m| m.entries()) {
            let name = &*e.key;
            if matches!(name, "cpu" | "memory") || name.starts_with("hugepages-") {
                continue;
            }
            out.push(
                Diagnostic::new(
                    &RULE,
                    e.key_span,
                    format!(
                        "`{name}` is not a pod-level resource (only cpu, memory and hugepages-*)"
                    ),
                )
                .with_pointer(format!(
                    "{}/{}",
                    pr.child_pointer(list),
                    name.replace('~', "~0").replace('/', "~1")
                ))
                .with_help("set it in the container's `resources`"),
            );
        }
    }
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    for pr in super::spec_and_templates(obj, "podResources") {
        check_resources(pr, out);
    }
}
