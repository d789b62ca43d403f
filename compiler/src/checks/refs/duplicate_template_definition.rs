//! AW508: two documents define the same (Cluster)WorkflowTemplate.

use super::name_node;
use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;

declare_rule! {
    /// ## What it does
    /// Reports a WorkflowTemplate defined twice in the same namespace, or a
    /// ClusterWorkflowTemplate defined twice, across all the documents of the run. References
    /// resolve to the first definition.
    ///
    /// ## Why is this bad?
    /// Applied together, the later manifest silently replaces the earlier one, so references
    /// get whichever was applied last. `argo lint --offline` aborts the whole run on it
    /// (`duplicate WorkflowTemplate found`).
    ///
    /// ## Example
    /// ```yaml
    /// kind: WorkflowTemplate
    /// metadata: {name: build}
    /// ---
    /// kind: WorkflowTemplate
    /// metadata: {name: build}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// kind: WorkflowTemplate
    /// metadata: {name: build}
    /// ---
    /// kind: WorkflowTemplate
    /// metadata: {name: build-legacy}
    /// ```
    pub(crate) static RULE = ("AW508", "duplicate-template-definition", Error, "a (Cluster)WorkflowTemplate defined twice");
}

pub(crate) fn check(ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    let Some(first) = ctx.refs.duplicate_of(obj) else {
        return;
    };
    let Some(node) = name_node(obj) else {
        return;
    };
    let name = obj.name().unwrap_or_default();
    let ns = ctx.refs.namespace_of(obj);
    let place = if obj.kind.is_namespaced() && !ns.is_empty() {
        format!(" in namespace `{ns}`")
    } else {
        String::new()
    };
    let mut d = Diagnostic::new(
        &RULE,
        node.span(),
        format!("{} `{name}` is defined twice{place}", obj.kind.as_str()),
    )
    .with_pointer(node.pointer())
    .with_help("rename one of them: applied together, the later one replaces the earlier");
    if let Some(first_name) = name_node(&first) {
        d = d.with_secondary(first_name.span(), "first defined here");
    }
    out.push(d);
}
