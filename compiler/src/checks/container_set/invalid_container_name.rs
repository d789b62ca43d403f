//! AW818: a containerSet container or sidecar with an invalid, duplicate or reserved name.

use crate::checks::CheckContext;
use crate::checks::names::syntax::field_name;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;
use crate::model::view::View;
use crate::model::walk;
use crate::parse::NodeRef;

declare_rule! {
    /// ## What it does
    /// Reports containerSet container names that are not of the form
    /// `^[a-zA-Z0-9][-a-zA-Z0-9]*$` (at most 128 characters) or used twice in the set, and
    /// containerSet containers or sidecars named `wait` or `supervisor` or starting with
    /// `artifact-plugin-`, which Argo reserves for its own containers.
    ///
    /// Argo rule: ARGO-NAME-008, ARGO-NAME-011, ARGO-LEAF-015.
    ///
    /// ## Why is this bad?
    /// Argo rejects the workflow (`containerSet.containers[0].name: 'A_1' is invalid`,
    /// `"wait" is a reserved Argo container name`): the pod would have two containers with one
    /// name, or one Kubernetes refuses.
    ///
    /// ## Example
    /// ```yaml
    /// sidecars:
    ///   - {name: wait, image: alpine:3.20}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// sidecars:
    ///   - {name: waiter, image: alpine:3.20}
    /// ```
    pub(crate) static RULE = ("AW818", "invalid-container-name", Error, "a containerSet container or sidecar name that is invalid, repeated or reserved");
}

fn reserved(name: &str) -> bool {
    matches!(name, "wait" | "supervisor") || name.starts_with("artifact-plugin-")
}

fn report(out: &mut Vec<Diagnostic>, at: NodeRef<'_>, message: String, help: &str) {
    out.push(
        Diagnostic::new(&RULE, at.span(), message)
            .with_pointer(at.pointer())
            .with_help(help.to_string()),
    );
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    for set in super::sets(obj) {
        for (i, &(name, c)) in set.containers.iter().enumerate() {
            // A missing name is a missing required field (AW103).
            let Some(name) = name else { continue };
            let at = c.get("name").unwrap_or(c);
            if let Err(why) = field_name(name) {
                report(
                    out,
                    at,
                    format!("containerSet container name `{name}` is invalid: {why}"),
                    "use letters, digits and `-`, starting with a letter or a digit",
                );
            } else if set.index(name).is_some_and(|first| first < i) {
                report(
                    out,
                    at,
                    format!("containerSet container name `{name}` is used twice"),
                    "give each container of the set its own name",
                );
            } else if reserved(name) {
                report(
                    out,
                    at,
                    format!("`{name}` is a container name Argo reserves"),
                    "rename the container",
                );
            }
        }
    }
    let Some(spec) = obj.workflow_spec() else {
        return;
    };
    for site in walk::templates(spec) {
        let sidecars = site.template.node().get("sidecars");
        for s in sidecars.iter().flat_map(|l| l.items()) {
            if let Some(n) = s.get("name").filter(|n| n.as_str().is_some_and(reserved)) {
                report(
                    out,
                    n,
                    format!(
                        "`{}` is a container name Argo reserves",
                        n.as_str().unwrap_or_default()
                    ),
                    "rename the sidecar",
                );
            }
        }
    }
}
