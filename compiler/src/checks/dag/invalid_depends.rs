//! AW302: a `depends` expression that does not parse, or tests an unknown task result.

use crate::checks::CheckContext;
use crate::checks::scalar_span::value_span;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::expr::depends::RESULTS;
use crate::model::dag::DagGraph;
use crate::suggest::did_you_mean;

declare_rule! {
    /// ## What it does
    /// Parses each task's `depends`: task names, optionally followed by a result (`.Succeeded`,
    /// `.Failed`, `.Errored`, `.Skipped`, `.Omitted`, `.Daemoned`, `.AnySucceeded`,
    /// `.AllFailed`), combined with `&&`, `||`, `!` and parentheses. Reports the first syntax
    /// error and every unknown result.
    ///
    /// Argo rule: ARGO-DAG-009 (unknown results). Fixes: FN-02 for `depends` (Argo never parses
    /// the expression: `depends: "A &&"` passes `argo lint`).
    ///
    /// ## Why is this bad?
    /// Argo only discovers a broken expression when the task is about to be scheduled: the
    /// workflow fails with `unable to evaluate expression`, after the earlier tasks ran.
    ///
    /// ## Example
    /// ```yaml
    /// - name: report
    ///   template: report
    ///   depends: "test.Completed || (build.Failed"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// - name: report
    ///   template: report
    ///   depends: "test.Succeeded || build.Failed"
    /// ```
    pub(crate) static RULE = ("AW302", "invalid-depends", Error, "a `depends` expression that does not parse");
}

pub(super) fn check(ctx: &CheckContext<'_>, g: &DagGraph<'_>, out: &mut Vec<Diagnostic>) {
    for (node, parsed) in g.depends.iter().flatten() {
        let Some(text) = node.as_str() else {
            continue;
        };
        if let Err(e) = &parsed.tree {
            out.push(
                Diagnostic::new(
                    &RULE,
                    value_span(ctx, *node, (e.range.start, e.range.end)),
                    format!("`depends` does not parse: {}", e.message),
                )
                .with_pointer(node.pointer())
                .with_help("write task names combined with `&&`, `||`, `!` and parentheses"),
            );
        }
        for op in &parsed.refs {
            let Some(r) = op.result_range.map(|r| r.range()) else {
                continue;
            };
            let result = &text[r.clone()];
            if result.is_empty() || RESULTS.contains(&result) {
                continue;
            }
            let d = Diagnostic::new(
                &RULE,
                value_span(ctx, *node, (r.start, r.end)),
                format!(
                    "`{result}` is not a task result (in `{}`)",
                    &text[op.task_range.start..r.end]
                ),
            )
            .with_pointer(node.pointer());
            out.push(match did_you_mean(result, RESULTS.iter().copied()) {
                Some(s) => d.with_help(format!("did you mean `{s}`?")),
                None => d.with_note(format!(
                    "task results are {}",
                    RESULTS
                        .iter()
                        .map(|r| format!("`{r}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            });
        }
    }
}
