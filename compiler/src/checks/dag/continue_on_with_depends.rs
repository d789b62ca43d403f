//! AW307: `continueOn` in a DAG that uses `depends`.

use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::dag::DagGraph;
use crate::model::view::View;

declare_rule! {
    /// ## What it does
    /// Reports `continueOn` on any task of a DAG in which some task uses `depends`.
    ///
    /// Argo rule: ARGO-DAG-007 (and the CRD's per-task CEL rule).
    ///
    /// ## Why is this bad?
    /// Argo refuses the workflow. With `depends`, a dependent states which results it accepts:
    /// `build.Failed`, `build.Errored`.
    ///
    /// ## Example
    /// ```yaml
    /// - {name: build, template: build, continueOn: {failed: true}}
    /// - {name: report, template: report, depends: build}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// - {name: build, template: build}
    /// - {name: report, template: report, depends: "build || build.Failed"}
    /// ```
    pub(crate) static RULE = ("AW307", "continue-on-with-depends", Error, "`continueOn` in a DAG that uses `depends`");
}

pub(super) fn check(_ctx: &CheckContext<'_>, g: &DagGraph<'_>, out: &mut Vec<Diagnostic>) {
    let Some(user) = (0..g.tasks.len()).find(|&i| g.uses_depends(i)) else {
        return;
    };
    let depends_span = g.tasks[user]
        .task
        .node()
        .entry("depends")
        .map(|e| e.key_span);
    for t in &g.tasks {
        let node = t.task.node();
        let Some(entry) = node.entry("continueOn") else {
            continue;
        };
        if node.get("continueOn").is_some_and(|n| n.is_null()) {
            continue;
        }
        let name = t.name.unwrap_or("TASK");
        let d = Diagnostic::new(
            &RULE,
            entry.key_span,
            "`continueOn` cannot be used in a DAG that uses `depends`",
        )
        .with_pointer(node.child_pointer("continueOn"))
        .with_help(format!(
            "remove it and accept the results in the dependents' `depends`, e.g. `{name}.Failed` or `{name}.Errored`"
        ));
        out.push(match depends_span {
            Some(s) => d.with_secondary(s, "`depends` used here"),
            None => d,
        });
    }
}
