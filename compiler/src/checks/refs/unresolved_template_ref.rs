//! AW501: a `templateRef` or `workflowTemplateRef` names a (Cluster)WorkflowTemplate that is
//! not defined.

use super::{name_node, ref_calls};
use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::{Diagnostic, Severity};
use crate::model::{Kind, Object};
use crate::parse::NodeRef;
use crate::resolve::{Registry, Resolution, Target, WorkflowTemplateResolution};

declare_rule! {
    /// ## What it does
    /// Reports a `templateRef` (in a step, a DAG task or a lifecycle hook) or a
    /// `spec.workflowTemplateRef` whose WorkflowTemplate or ClusterWorkflowTemplate is not
    /// defined. Every document of the run is searched: all files, directories and standard input,
    /// every document of multi-document files, and the library manifests given with
    /// `--templates DIR`. A WorkflowTemplate is looked up in the namespace of the referring object
    /// (documents without `metadata.namespace` share the namespace given with `--namespace`); a
    /// ClusterWorkflowTemplate is looked up by name when `clusterScope: true`.
    ///
    /// ## Why is this bad?
    /// The Workflow is accepted and then fails when it reaches the step, with
    /// `template reference <name>.<template> not found` (or `workflowtemplates.argoproj.io "x" not
    /// found` at submission). `argo lint` either reports templates that are defined in the same
    /// run as missing (FP-01, FP-03) or cannot see templates kept elsewhere (FP-02).
    ///
    /// ## Example
    /// ```yaml
    /// - name: greet
    ///   templateRef:
    ///     name: print-mesage
    ///     template: print
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// - name: greet
    ///   templateRef:
    ///     name: print-message
    ///     template: print
    /// ```
    ///
    /// ## Configuration
    /// `--allow-missing-refs` reports missing targets as warnings, for repositories that keep
    /// templates elsewhere; `--external-templates NAME,...` names templates that exist outside
    /// the linted files (a trailing `*` matches a prefix) so references to them are not reported.
    pub(crate) static RULE = ("AW501", "unresolved-template-ref", Error, "a template reference to a (Cluster)WorkflowTemplate that is not defined");
}

pub(crate) fn check(ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    let refs = ctx.refs;
    for call in ref_calls(obj) {
        if let Resolution::MissingObject { target, node } = refs.resolve(obj, &call) {
            let scope = call.template_ref.and_then(|t| t.cluster_scope());
            out.push(diagnostic(refs, obj, &target, node, scope));
        }
    }
    if let Some((wtr, WorkflowTemplateResolution::Missing { target, node })) =
        refs.workflow_template_ref(obj)
    {
        out.push(diagnostic(refs, obj, &target, node, wtr.cluster_scope()));
    }
}

fn diagnostic(
    refs: &Registry<'_>,
    obj: &Object<'_>,
    target: &Target,
    node: NodeRef<'_>,
    cluster_scope: Option<NodeRef<'_>>,
) -> Diagnostic {
    let label = match target {
        Target::Namespaced { namespace, .. } if !namespace.is_empty() => {
            format!("not found in namespace `{namespace}`")
        }
        _ => "not found".to_string(),
    };
    let mut d = Diagnostic::new(&RULE, node.span(), format!("{target} is not defined"))
        .with_pointer(node.pointer())
        .with_label(label);
    if refs.settings().allow_missing {
        d = d.with_severity(Severity::Warning);
    }
    if let Some(s) = refs.suggest(target) {
        return d.with_help(format!("did you mean `{s}`?"));
    }
    let name = target.name();
    if let Some(near) = refs.same_name_elsewhere(target).first() {
        let elsewhere = &near.object;
        if let Some(n) = name_node(elsewhere).filter(|_| near.origin.is_local()) {
            d = d.with_secondary(
                n.span(),
                format!("a {} of this name is defined here", elsewhere.kind.as_str()),
            );
        }
        return match (target, elsewhere.kind) {
            (Target::Namespaced { .. }, Kind::ClusterWorkflowTemplate) => d.with_help(format!(
                "`{name}` is a ClusterWorkflowTemplate: add `clusterScope: true`"
            )),
            (Target::Cluster { .. }, _) => {
                if let Some(scope) = cluster_scope {
                    d = d.with_secondary(scope.span(), "looked up among ClusterWorkflowTemplates");
                }
                d.with_help(format!(
                    "`{name}` is a WorkflowTemplate: remove `clusterScope: true`"
                ))
            }
            _ => d.with_help(format!(
                "a WorkflowTemplate `{name}` exists in namespace `{}`; references resolve in the namespace of the referring object (see `--namespace`)",
                refs.namespace_of(elsewhere)
            )),
        };
    }
    if let Some(ns) = obj.root.get("metadata").and_then(|m| m.get("namespace"))
        && matches!(target, Target::Namespaced { .. })
    {
        d = d.with_secondary(ns.span(), "references resolve in this namespace");
    } else if let (Target::Cluster { .. }, Some(scope)) = (target, cluster_scope) {
        d = d.with_secondary(scope.span(), "looked up among ClusterWorkflowTemplates");
    }
    d.with_help(if refs.settings().allow_missing {
        "lint it together with the manifest that defines it, or pass `--templates DIR`"
    } else {
        "lint it together with the manifest that defines it, pass `--templates DIR`, or `--allow-missing-refs` if it lives elsewhere"
    })
}
