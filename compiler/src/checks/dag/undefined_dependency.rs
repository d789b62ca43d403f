//! AW301: `dependencies` or `depends` naming a task that the DAG does not have.

use super::{dep_span, task_label};
use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::dag::DagGraph;
use crate::suggest::did_you_mean;

declare_rule! {
    /// ## What it does
    /// Reports a name in a task's `dependencies` list or `depends` expression that is not the
    /// name of a task of the same DAG.
    ///
    /// Argo rule: ARGO-DAG-003 (`sorting failed: invalid dependency`), ARGO-DAG-010.
    ///
    /// ## Why is this bad?
    /// Argo refuses the workflow. In `depends`, words such as `and`, `or` and `not` are read as
    /// task names: the operators are `&&`, `||` and `!`.
    ///
    /// ## Example
    /// ```yaml
    /// tasks:
    ///   - {name: build, template: build}
    ///   - {name: test, template: test, depends: biuld}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// tasks:
    ///   - {name: build, template: build}
    ///   - {name: test, template: test, depends: build}
    /// ```
    pub(crate) static RULE = ("AW301", "undefined-dependency", Error, "a dependency on a task that does not exist");
}

pub(super) fn check(ctx: &CheckContext<'_>, g: &DagGraph<'_>, out: &mut Vec<Diagnostic>) {
    for u in &g.unresolved {
        let name = u.decl.name;
        let d = Diagnostic::new(
            &RULE,
            dep_span(ctx, &u.decl),
            format!(
                "{} depends on `{name}`, which is not a task of this DAG",
                task_label(g, u.task)
            ),
        )
        .with_pointer(u.decl.node.pointer());
        let operator = match name {
            "and" | "AND" => Some("&&"),
            "or" | "OR" => Some("||"),
            "not" | "NOT" => Some("!"),
            _ => None,
        };
        out.push(match operator {
            Some(op) if u.decl.range.is_some() => {
                d.with_help(format!("`depends` writes \"{name}\" as `{op}`"))
            }
            _ => match did_you_mean(name, g.tasks.iter().filter_map(|t| t.name)) {
                Some(s) => d.with_help(format!("did you mean `{s}`?")),
                None => d.with_help("name a task of this DAG, or add the missing task"),
            },
        });
    }
}
