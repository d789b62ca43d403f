//! AW303: `.AnySucceeded` or `.AllFailed` on a dependency that does not loop.

use super::{dep_span, task_label};
use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::dag::DagGraph;

declare_rule! {
    /// ## What it does
    /// Reports `depends` operands `X.AnySucceeded` and `X.AllFailed` where task `X` has none of
    /// `withItems`, `withParam` and `withSequence`.
    ///
    /// Argo rule: ARGO-DAG-011.
    ///
    /// ## Why is this bad?
    /// Argo refuses the workflow: these results summarise the iterations of a loop, and a task
    /// without a loop has none.
    ///
    /// ## Example
    /// ```yaml
    /// - {name: fetch, template: fetch}
    /// - {name: merge, template: merge, depends: fetch.AnySucceeded}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// - {name: fetch, template: fetch, withItems: [eu, us]}
    /// - {name: merge, template: merge, depends: fetch.AnySucceeded}
    /// ```
    pub(crate) static RULE = ("AW303", "items-result-without-loop", Error, "`.AnySucceeded` or `.AllFailed` on a task without a loop");
}

pub(super) fn check(ctx: &CheckContext<'_>, g: &DagGraph<'_>, out: &mut Vec<Diagnostic>) {
    for e in &g.edges {
        let Some(result) = e.decl.result else {
            continue;
        };
        if !matches!(result, "AnySucceeded" | "AllFailed") {
            continue;
        }
        let dep = g.tasks[e.to].task;
        let loops = dep.with_items().is_some()
            || dep.with_param().is_some()
            || dep.with_sequence().is_some();
        if loops {
            continue;
        }
        let mut decl = e.decl.clone();
        if let (Some(n), Some(r)) = (&e.decl.range, &e.decl.result_range) {
            decl.range = Some(n.start..r.end);
        }
        out.push(
            Diagnostic::new(
                &RULE,
                dep_span(ctx, &decl),
                format!(
                    "`{}.{result}` needs a loop, but {} has no `withItems`, `withParam` or `withSequence`",
                    e.decl.name,
                    task_label(g, e.to)
                ),
            )
            .with_pointer(e.decl.node.pointer())
            .with_help(format!(
                "use `{}.Succeeded` or `{}.Failed`, or make `{}` loop",
                e.decl.name, e.decl.name, e.decl.name
            )),
        );
    }
}
