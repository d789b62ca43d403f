//! AW311: a task that never runs because no `target` needs it.

use super::undefined_target::targets;
use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::dag::DagGraph;

declare_rule! {
    /// ## What it does
    /// In a DAG with a `target`, reports each task that is neither a target nor a (transitive)
    /// dependency of one. Not checked when the target holds `{{...}}` or names an unknown task
    /// (AW309).
    ///
    /// Argo rule: none; dead-code detection.
    ///
    /// ## Why is this bad?
    /// Argo only runs the targets and what they depend on: the other tasks are dead code, and
    /// whoever added them probably expected them to run.
    ///
    /// ## Example
    /// ```yaml
    /// dag:
    ///   target: deploy
    ///   tasks:
    ///     - {name: build, template: build}
    ///     - {name: deploy, template: deploy, depends: build}
    ///     - {name: notify, template: notify, depends: build}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// dag:
    ///   target: deploy notify
    ///   tasks:
    ///     - {name: build, template: build}
    ///     - {name: deploy, template: deploy, depends: build}
    ///     - {name: notify, template: notify, depends: build}
    /// ```
    pub(crate) static RULE = ("AW311", "unreachable-task", Warning, "a DAG task that no target needs, so it never runs");
}

pub(super) fn check(_ctx: &CheckContext<'_>, g: &DagGraph<'_>, out: &mut Vec<Diagnostic>) {
    let Some(node) = g.template.dag().and_then(|d| d.target()) else {
        return;
    };
    let Some(list) = targets(node) else {
        return;
    };
    let starts: Option<Vec<usize>> = list.iter().map(|(n, _)| g.index(n)).collect();
    let Some(starts) = starts.filter(|s| !s.is_empty()) else {
        return;
    };
    let reached = g.reach(&starts);
    for (i, t) in g.tasks.iter().enumerate() {
        if reached.get(i) {
            continue;
        }
        let (Some(name), Some(name_node)) = (t.name, t.task.name()) else {
            continue;
        };
        out.push(
            Diagnostic::new(
                &RULE,
                name_node.span(),
                format!("task `{name}` never runs: no target depends on it"),
            )
            .with_pointer(name_node.pointer())
            .with_secondary(node.span(), "only these targets and their dependencies run")
            .with_help(format!("add `{name}` to `target`, or remove the task")),
        );
    }
}
