//! AW812: a container without an image.

use crate::checks::CheckContext;
use crate::checks::pod::{Role, containers};
use crate::declare_rule;
use crate::diagnostics::{Diagnostic, Severity};
use crate::model::view::View;
use crate::model::walk;
use crate::model::{Kind, Object};
use crate::parse::NodeRef;

declare_rule! {
    /// ## What it does
    /// Reports a container without an `image`: the main `container` or `script` (unless
    /// `spec.templateDefaults` gives `container.image` or `script.image`), each container of a
    /// `containerSet`, init containers and sidecars.
    ///
    /// The templateDefaults of every kind count, ClusterWorkflowTemplate included. In a
    /// WorkflowTemplate or ClusterWorkflowTemplate a missing main image is a warning: the calling
    /// Workflow's `templateDefaults` may supply it.
    ///
    /// Argo rule: ARGO-LEAF-003, ARGO-LEAF-004 (extended to containerSet, init and sidecar
    /// containers). Fixes: FP-12.
    ///
    /// ## Why is this bad?
    /// Argo rejects the workflow (`templates.main.container.image may not be empty`); for the
    /// other containers Kubernetes rejects the pod at runtime.
    ///
    /// ## Example
    /// ```yaml
    /// - name: main
    ///   script:
    ///     command: [python]
    ///     source: print("hello")
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// - name: main
    ///   script:
    ///     image: python:3.12
    ///     command: [python]
    ///     source: print("hello")
    /// ```
    pub(crate) static RULE = ("AW812", "missing-image", Error, "a container without an image");
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    let Some(spec) = obj.workflow_spec() else {
        return;
    };
    let reusable = matches!(
        obj.kind,
        Kind::WorkflowTemplate | Kind::ClusterWorkflowTemplate
    );
    let defaults = spec.template_defaults().map(|d| d.node());
    let default_image = |field: &str| {
        defaults
            .and_then(|d| d.get(field))
            .and_then(|c| c.get("image"))
            .is_some_and(has_value)
    };
    for site in walk::templates(spec) {
        for c in containers(site.template) {
            let image = c.node.get("image");
            if image.is_some_and(has_value) {
                continue;
            }
            if c.role == Role::Main && default_image(c.field) {
                continue;
            }
            let span = match (image, c.role, c.node.get("name")) {
                (Some(i), _, _) => i.span(),
                (None, Role::Main, _) | (None, _, None) => c.node.key_span(),
                (None, _, Some(name)) => name.span(),
            };
            let pointer = image.map_or_else(|| c.node.child_pointer("image"), |i| i.pointer());
            let mut d = Diagnostic::new(&RULE, span, format!("{} has no image", c.describe()))
                .with_pointer(pointer)
                .with_help("set `image`, e.g. `image: alpine:3.20`");
            if c.role == Role::Main {
                d = d.with_note(format!(
                    "`spec.templateDefaults.{}.image` applies to every template",
                    c.field
                ));
                if reusable {
                    d = d.with_severity(Severity::Warning);
                }
            }
            out.push(d);
        }
    }
}

fn has_value(n: NodeRef<'_>) -> bool {
    !n.is_null() && n.as_str() != Some("")
}
