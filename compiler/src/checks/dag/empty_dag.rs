//! AW312: a DAG template with no tasks.

use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::dag::DagGraph;
use crate::model::view::View;

declare_rule! {
    /// ## What it does
    /// Reports a DAG template whose `tasks` list is empty.
    ///
    /// Argo rule: ARGO-DAG-002.
    ///
    /// ## Why is this bad?
    /// Argo refuses the workflow: `must have at least one task`.
    ///
    /// ## Example
    /// ```yaml
    /// - name: main
    ///   dag:
    ///     tasks: []
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// - name: main
    ///   dag:
    ///     tasks:
    ///       - {name: hello, template: hello}
    /// ```
    pub(crate) static RULE = ("AW312", "empty-dag", Error, "a DAG template without tasks");
}

pub(super) fn check(_ctx: &CheckContext<'_>, g: &DagGraph<'_>, out: &mut Vec<Diagnostic>) {
    if !g.tasks.is_empty() {
        return;
    }
    let Some(tasks) = g.template.dag().and_then(|d| d.tasks()) else {
        return;
    };
    let node = tasks.node();
    out.push(
        Diagnostic::new(&RULE, node.key_span(), "this DAG has no tasks")
            .with_pointer(node.pointer())
            .with_help("add at least one task"),
    );
}
