//! AW305: a task that depends on itself.

use super::dep_span;
use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::dag::DagGraph;

declare_rule! {
    /// ## What it does
    /// Reports a task whose `dependencies` or `depends` names the task itself.
    ///
    /// Argo rule: ARGO-DAG-003 (`sorting failed: graph with cycle`), ARGO-DAG-012.
    ///
    /// ## Why is this bad?
    /// Argo refuses the workflow: the task would wait for itself forever. Usually another task
    /// with a similar name was meant.
    ///
    /// ## Example
    /// ```yaml
    /// - {name: test, template: test, depends: test}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// - {name: test, template: test, depends: build}
    /// ```
    pub(crate) static RULE = ("AW305", "self-dependency", Error, "a task that depends on itself");
}

pub(super) fn check(ctx: &CheckContext<'_>, g: &DagGraph<'_>, out: &mut Vec<Diagnostic>) {
    for e in g.edges.iter().filter(|e| e.from == e.to) {
        out.push(
            Diagnostic::new(
                &RULE,
                dep_span(ctx, &e.decl),
                format!("task `{}` depends on itself", e.decl.name),
            )
            .with_pointer(e.decl.node.pointer())
            .with_help("remove this dependency, or name the task it should wait for"),
        );
    }
}
