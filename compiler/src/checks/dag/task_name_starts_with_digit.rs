//! AW308: a task name starting with a digit in a DAG that uses dependencies.

use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::dag::DagGraph;

declare_rule! {
    /// ## What it does
    /// Reports a task whose name starts with a digit when any task of the DAG uses `depends`, or
    /// the task itself uses `dependencies` (Argo's exact condition).
    ///
    /// Argo rule: ARGO-DAG-005.
    ///
    /// ## Why is this bad?
    /// Argo refuses the workflow: `depends` is evaluated as an expression, where `5a` is not a
    /// name.
    ///
    /// ## Example
    /// ```yaml
    /// - {name: 1-build, template: build}
    /// - {name: test, template: test, depends: 1-build}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// - {name: build-1, template: build}
    /// - {name: test, template: test, depends: build-1}
    /// ```
    pub(crate) static RULE = ("AW308", "task-name-starts-with-digit", Error, "a task name starting with a digit in a DAG with dependencies");
}

pub(super) fn check(_ctx: &CheckContext<'_>, g: &DagGraph<'_>, out: &mut Vec<Diagnostic>) {
    let any_depends = (0..g.tasks.len()).any(|i| g.uses_depends(i));
    for (i, t) in g.tasks.iter().enumerate() {
        let Some(name) = t.name else {
            continue;
        };
        if !name.starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        if !(any_depends || g.uses_dependencies(i)) {
            continue;
        }
        let Some(node) = t.task.name() else {
            continue;
        };
        out.push(
            Diagnostic::new(
                &RULE,
                node.span(),
                format!("task name `{name}` starts with a digit, which `depends` cannot refer to"),
            )
            .with_pointer(node.pointer())
            .with_help(format!("start the name with a letter, e.g. `task-{name}`")),
        );
    }
}
