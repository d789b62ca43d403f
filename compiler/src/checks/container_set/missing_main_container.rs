//! AW817: a containerSet with inputs or outputs but no container named `main`.

use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;
use crate::model::view::View;
use crate::parse::NodeRef;

declare_rule! {
    /// ## What it does
    /// Reports a `containerSet` template that has input artifacts, output parameters or output
    /// artifacts but no container named `main`.
    ///
    /// Argo rule: ARGO-LEAF-009.
    ///
    /// ## Why is this bad?
    /// Argo loads input artifacts into, and collects outputs from, the `main` container. It
    /// rejects the workflow: `containerSet.containers must have a container named "main" for
    /// input or output`.
    ///
    /// ## Example
    /// ```yaml
    /// outputs:
    ///   parameters:
    ///     - {name: out, valueFrom: {path: /tmp/out}}
    /// containerSet:
    ///   containers:
    ///     - {name: build, image: golang:1.23}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// containerSet:
    ///   containers:
    ///     - {name: main, image: golang:1.23}
    /// ```
    pub(crate) static RULE = ("AW817", "missing-main-container", Error, "a containerSet with inputs or outputs but no `main` container");
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    for set in super::sets(obj) {
        if set.containers.is_empty() || set.index("main").is_some() {
            continue;
        }
        let t = set.template;
        let non_empty = |n: Option<NodeRef<'_>>| n.is_some_and(|n| n.items().len() > 0);
        let inputs = t.inputs().and_then(|i| i.node().get("artifacts"));
        let outputs = t.outputs().map(|o| o.node());
        let what = if non_empty(inputs) {
            "input artifacts"
        } else if non_empty(outputs.and_then(|o| o.get("parameters"))) {
            "output parameters"
        } else if non_empty(outputs.and_then(|o| o.get("artifacts"))) {
            "output artifacts"
        } else {
            continue;
        };
        out.push(
            Diagnostic::new(
                &RULE,
                set.list.key_span(),
                format!(
                    "the template has {what} but its containerSet has no container named `main`"
                ),
            )
            .with_pointer(set.list.pointer())
            .with_help("name the container that reads the inputs and writes the outputs `main`"),
        );
    }
}
