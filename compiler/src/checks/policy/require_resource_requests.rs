//! BP004: a container without `resources.requests`, when the policy requires them.

use crate::checks::CheckContext;
use crate::checks::pod::containers;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;
use crate::model::walk;

declare_rule! {
    /// ## What it does
    /// Opt-in (policy `require.resourceRequests: true`). Reports every container (main
    /// container or script, containerSet containers, init containers, sidecars) without
    /// `resources.requests`.
    ///
    /// ## Why is this bad?
    /// Without requests the scheduler packs pods blindly: a heavy step lands on a full node,
    /// gets throttled or evicted, and its neighbours suffer too. Requests also make quotas and
    /// cost reports meaningful.
    ///
    /// ## Example
    /// ```yaml
    /// container:
    ///   image: python:3.12
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// container:
    ///   image: python:3.12
    ///   resources:
    ///     requests: {cpu: 500m, memory: 512Mi}
    /// ```
    pub(crate) static RULE = ("BP004", "require-resource-requests", Error, "resources.requests is required by policy");
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    let Some(spec) = obj.workflow_spec() else {
        return;
    };
    for site in walk::templates(spec) {
        for c in containers(site.template) {
            if c.node
                .get("resources")
                .and_then(|r| r.get("requests"))
                .is_some()
            {
                continue;
            }
            out.push(
                Diagnostic::new(
                    &RULE,
                    c.node.key_span(),
                    format!(
                        "{} has no resources.requests, which the policy requires",
                        c.describe()
                    ),
                )
                .with_pointer(c.node.pointer())
                .with_help("set resources.requests.cpu and .memory"),
            );
        }
    }
}
