//! AW860: a workflow-level executor plugin without what Argo requires.

use super::{at_key, has};
use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;
use crate::model::view::View;

declare_rule! {
    /// ## What it does
    /// Checks `spec.executorPlugins[*]` like Argo does: `metadata.name` is required, and the
    /// sidecar container needs at least one port, `resources.requests`, `resources.limits` and a
    /// `securityContext`. Every missing part is reported.
    ///
    /// Argo rule: ARGO-SPEC-001, ARGO-SPEC-002, ARGO-SPEC-003.
    ///
    /// ## Why is this bad?
    /// Argo rejects the workflow (`executor plugin metadata name is mandatory`, `at least one
    /// port is mandatory`, `resources requests are mandatory`, …): the controller talks to the
    /// plugin over its port and runs it next to every pod.
    ///
    /// ## Example
    /// ```yaml
    /// executorPlugins:
    ///   - metadata: {name: hello}
    ///     spec:
    ///       sidecar:
    ///         container:
    ///           name: hello
    ///           image: hello-plugin:1
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// executorPlugins:
    ///   - metadata: {name: hello}
    ///     spec:
    ///       sidecar:
    ///         container:
    ///           name: hello
    ///           image: hello-plugin:1
    ///           ports: [{containerPort: 4355}]
    ///           resources:
    ///             requests: {cpu: 100m, memory: 32Mi}
    ///             limits: {cpu: 200m, memory: 64Mi}
    ///           securityContext: {runAsNonRoot: true}
    /// ```
    pub(crate) static RULE = ("AW860", "incomplete-executor-plugin", Error, "a workflow-level executor plugin without a name, port, resources or security context");
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    let Some(plugins) = obj
        .workflow_spec()
        .and_then(|s| s.node().get("executorPlugins"))
    else {
        return;
    };
    for p in plugins.items().filter(|p| p.is_map()) {
        // A missing `metadata` is a missing required field (AW103).
        if let Some(meta) = p.get("metadata").filter(|m| m.is_map())
            && !has(meta, "name")
        {
            out.push(at_key(
                &RULE,
                meta,
                "executor plugin has no `metadata.name`".into(),
                "name the plugin in `metadata.name`",
            ));
        }
        let container = p
            .get("spec")
            .and_then(|s| s.get("sidecar"))
            .and_then(|s| s.get("container"))
            .filter(|c| c.is_map());
        let Some(c) = container else { continue };
        let name = c.get("name").and_then(|n| n.as_str()).unwrap_or("sidecar");
        let mut missing = Vec::new();
        if !has(c, "ports") {
            missing.push("at least one port (`ports`)");
        }
        let resources = c.get("resources").filter(|r| r.is_map());
        if !resources.is_some_and(|r| has(r, "requests")) {
            missing.push("`resources.requests`");
        }
        if !resources.is_some_and(|r| has(r, "limits")) {
            missing.push("`resources.limits`");
        }
        if !has(c, "securityContext") {
            missing.push("a `securityContext`");
        }
        if !missing.is_empty() {
            out.push(at_key(
                &RULE,
                c,
                format!(
                    "executor plugin container `{name}` needs {}",
                    missing.join(", ")
                ),
                "Argo requires a port, resource requests and limits and a security context for plugin sidecars",
            ));
        }
    }
}
