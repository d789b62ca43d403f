//! The `workflow.*` variables of one object (argo-rules §1.3 `globalParams`, §3.2), built once
//! per object.
//!
//! Deviations from Argo's validator, each towards what the controller really provides:
//! - `workflow.outputs.parameters.<G>`/`.artifacts.<G>` exist for every `globalName` anywhere
//!   in the object, whatever the traversal order (FP-04);
//! - `workflow.status` and `workflow.duration` exist everywhere (the controller sets them
//!   while the workflow runs); `workflow.failures` only in exit handlers (see `exit` below);
//! - labels and annotations the controller injects (`workflows.argoproj.io/…`) are known
//!   (FP-07);
//! - in WorkflowTemplates and ClusterWorkflowTemplates, parameters, labels, annotations and
//!   global outputs come from whichever Workflow runs the template, so they are dynamic (Argo
//!   exempts `workflow.parameters*` the same way); the same holds for a Workflow that uses
//!   `workflowTemplateRef` until template references are resolved.

use super::tree::VarTree;
use crate::model::view::View;
use crate::model::views::{Root, Template, WorkflowSpec};
use crate::model::{Kind, Object};

/// Controller-injected label and annotation keys all start with this.
pub(crate) const ARGO_KEY_PREFIX: &str = "workflows.argoproj.io/";

/// Whether the object's templates may run inside other workflows (template mode).
pub(crate) fn template_mode(obj: &Object<'_>) -> bool {
    matches!(
        obj.kind,
        Kind::WorkflowTemplate | Kind::ClusterWorkflowTemplate
    )
}

fn add_keys(t: &mut VarTree, what: &str, map: Option<crate::parse::NodeRef<'_>>) {
    if let Some(m) = map {
        for (e, _) in m.entries() {
            t.leaf_at(&["workflow", what, e.key.as_ref()]);
        }
    }
}

/// Builds the `workflow.*` tree of an object. `any_template_ref` is true when some call goes
/// through `templateRef` (its callee may declare global outputs Bosun cannot see yet).
pub(crate) fn globals(
    obj: &Object<'_>,
    spec: WorkflowSpec<'_>,
    templates: &[Template<'_>],
    any_template_ref: bool,
) -> VarTree {
    let mut t = VarTree::new();
    for v in [
        "name",
        "namespace",
        "uid",
        "mainEntrypoint",
        "serviceAccountName",
        "status",
        "duration",
        "scheduledTime",
    ] {
        t.leaf_at(&["workflow", v]);
    }
    t.dynamic("workflow.creationTimestamp");
    let external = template_mode(obj) || spec.workflow_template_ref().is_some();
    if spec.priority().is_some_and(|p| !p.is_null()) {
        t.leaf("workflow.priority");
    }

    t.leaf("workflow.parameters")
        .leaf("workflow.parameters.json");
    if external {
        t.dynamic("workflow.parameters");
    } else if let Some(ps) = spec.arguments().and_then(|a| a.parameters()) {
        for p in ps.iter() {
            if let Some(name) = p.name().and_then(|n| n.as_str()) {
                t.leaf_at(&["workflow", "parameters", name]);
            }
        }
    }

    for what in ["labels", "annotations"] {
        t.leaf_at(&["workflow", what])
            .leaf_at(&["workflow", what, "json"]);
        if external {
            t.dynamic_at(&["workflow", what]);
        }
    }
    if !external {
        if obj.kind == Kind::Workflow {
            let meta = obj.root.get("metadata");
            add_keys(&mut t, "labels", meta.and_then(|m| m.get("labels")));
            add_keys(
                &mut t,
                "annotations",
                meta.and_then(|m| m.get("annotations")),
            );
        }
        if let Root::CronWorkflow(c) = obj.typed() {
            let meta = c
                .spec()
                .and_then(|s| s.workflow_metadata())
                .map(|m| m.node());
            add_keys(&mut t, "labels", meta.and_then(|m| m.get("labels")));
            add_keys(
                &mut t,
                "annotations",
                meta.and_then(|m| m.get("annotations")),
            );
        }
        if let Some(wm) = spec.workflow_metadata() {
            add_keys(&mut t, "labels", wm.node().get("labels"));
            add_keys(&mut t, "labels", wm.node().get("labelsFrom"));
            add_keys(&mut t, "annotations", wm.node().get("annotations"));
        }
    }

    t.map("workflow.outputs.parameters")
        .map("workflow.outputs.artifacts");
    if external || any_template_ref {
        t.dynamic("workflow.outputs");
    }
    for tmpl in templates {
        let Some(outputs) = tmpl.outputs() else {
            continue;
        };
        let params = crate::scope::items(outputs.parameters())
            .into_iter()
            .map(|p| p.global_name());
        let arts = crate::scope::items(outputs.artifacts())
            .into_iter()
            .map(|a| a.global_name());
        for (what, g) in params
            .map(|g| ("parameters", g))
            .chain(arts.map(|g| ("artifacts", g)))
        {
            let Some(g) = g.and_then(|g| g.as_str()) else {
                continue;
            };
            if g.contains("{{") {
                t.dynamic_at(&["workflow", "outputs", what]);
            } else {
                t.leaf_at(&["workflow", "outputs", what, g]);
            }
        }
    }
    t
}
