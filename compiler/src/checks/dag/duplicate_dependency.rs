//! AW310: the same dependency written twice for one task.

use std::collections::HashSet;

use super::{dep_span, task_label};
use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::dag::DagGraph;

declare_rule! {
    /// ## What it does
    /// Reports a name repeated in a task's `dependencies`, and an operand repeated verbatim in
    /// its `depends` (`a && a`; `a.Succeeded || a.Failed` is fine).
    ///
    /// Argo rule: none; a clarity check.
    ///
    /// ## Why is this bad?
    /// It changes nothing at runtime, so it usually hides a mistake: another task was meant.
    ///
    /// ## Example
    /// ```yaml
    /// - {name: deploy, template: deploy, dependencies: [build, build]}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// - {name: deploy, template: deploy, dependencies: [build, test]}
    /// ```
    pub(crate) static RULE = ("AW310", "duplicate-dependency", Warning, "the same dependency written twice for one task");
}

pub(super) fn check(ctx: &CheckContext<'_>, g: &DagGraph<'_>, out: &mut Vec<Diagnostic>) {
    let decls = g
        .edges
        .iter()
        .map(|e| (e.from, &e.decl))
        .chain(g.unresolved.iter().map(|u| (u.task, &u.decl)));
    let mut all: Vec<_> = decls.collect();
    // Source order within each task.
    all.sort_by_key(|(t, d)| (*t, d.node.span().start, d.range.as_ref().map(|r| r.start)));
    let mut seen = HashSet::new();
    let mut task = usize::MAX;
    for (t, d) in all {
        if t != task {
            seen.clear();
            task = t;
        }
        let in_depends = d.range.is_some();
        if seen.insert((in_depends, d.name, d.result)) {
            continue;
        }
        let written = match d.result {
            Some(r) => format!("{}.{r}", d.name),
            None => d.name.to_string(),
        };
        out.push(
            Diagnostic::new(
                &RULE,
                dep_span(ctx, d),
                format!("{} lists `{written}` twice", task_label(g, t)),
            )
            .with_pointer(d.node.pointer())
            .with_help("remove the repeat, or name the task that was meant"),
        );
    }
}
