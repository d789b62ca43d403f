//! AW309: a DAG `target` naming a task that does not exist.

use crate::checks::CheckContext;
use crate::checks::scalar_span::value_span;
use crate::checks::schema::has_template_tag;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::dag::DagGraph;
use crate::parse::NodeRef;
use crate::suggest::did_you_mean;

declare_rule! {
    /// ## What it does
    /// Reports each space-separated name of a DAG's `target` that is not a task of the DAG. A
    /// `target` holding `{{...}}` is not checked (its value is only known at runtime).
    ///
    /// Argo rule: ARGO-DAG-014. Avoids FP-16 (Argo checks a substituted placeholder as if it
    /// were a task name).
    ///
    /// ## Why is this bad?
    /// Argo refuses the workflow: `target 'deplyo' is not defined`. Targets are separated by
    /// spaces; `a,b` is one (unknown) name.
    ///
    /// ## Example
    /// ```yaml
    /// dag:
    ///   target: deplyo
    ///   tasks:
    ///     - {name: deploy, template: deploy}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// dag:
    ///   target: deploy
    ///   tasks:
    ///     - {name: deploy, template: deploy}
    /// ```
    pub(crate) static RULE = ("AW309", "undefined-target", Error, "a DAG target that is not a task");
}

/// The names of a `target` with their byte ranges; `None` when it is dynamic or not a string.
pub(super) fn targets<'a>(node: NodeRef<'a>) -> Option<Vec<(&'a str, usize)>> {
    let text = node.as_str()?;
    if has_template_tag(text) {
        return None;
    }
    Some(
        text.split(' ')
            .scan(0usize, |at, part| {
                let start = *at;
                *at += part.len() + 1;
                Some((part, start))
            })
            .filter(|(p, _)| !p.is_empty())
            .collect(),
    )
}

pub(super) fn check(ctx: &CheckContext<'_>, g: &DagGraph<'_>, out: &mut Vec<Diagnostic>) {
    let Some(node) = g.template.dag().and_then(|d| d.target()) else {
        return;
    };
    let Some(list) = targets(node) else {
        return;
    };
    for (name, start) in list {
        if g.index(name).is_some() {
            continue;
        }
        let d = Diagnostic::new(
            &RULE,
            value_span(ctx, node, (start, start + name.len())),
            format!("target `{name}` is not a task of this DAG"),
        )
        .with_pointer(node.pointer());
        let parts: Vec<&str> = name.split(',').filter(|p| !p.is_empty()).collect();
        out.push(
            if parts.len() > 1 && parts.iter().all(|p| g.index(p).is_some()) {
                d.with_help(format!(
                    "separate targets with spaces: `{}`",
                    parts.join(" ")
                ))
            } else {
                match did_you_mean(name, g.tasks.iter().filter_map(|t| t.name)) {
                    Some(s) => d.with_help(format!("did you mean `{s}`?")),
                    None => d.with_help("name tasks of this DAG, separated by spaces"),
                }
            },
        );
    }
}
