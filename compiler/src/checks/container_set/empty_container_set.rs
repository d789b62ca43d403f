//! AW814: a containerSet without containers.

use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;

declare_rule! {
    /// ## What it does
    /// Reports a `containerSet` whose `containers` list is empty.
    ///
    /// Argo rule: ARGO-LEAF-005.
    ///
    /// ## Why is this bad?
    /// There is nothing to run. Argo rejects the workflow: `containerSet.containers must have at
    /// least one container`.
    ///
    /// ## Example
    /// ```yaml
    /// containerSet:
    ///   containers: []
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// containerSet:
    ///   containers:
    ///     - name: main
    ///       image: alpine:3.20
    /// ```
    pub(crate) static RULE = ("AW814", "empty-container-set", Error, "a containerSet without containers");
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    for set in super::sets(obj) {
        if set.list.items().len() == 0 {
            out.push(
                Diagnostic::new(&RULE, set.list.span(), "`containerSet.containers` is empty")
                    .with_pointer(set.list.pointer())
                    .with_help("add at least one container"),
            );
        }
    }
}
