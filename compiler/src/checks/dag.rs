//! DAG checks (AW301–AW312): dependencies and `depends` name existing tasks and parse, no cycles
//! or self-dependencies, Argo's rules on mixing fields, targets exist, and tasks that never run.
//!
//! The graph of each DAG template (inline ones included) is built once ([`DagGraph::build`]) and
//! handed to every rule of the group, each in its own file. Everything is linear in the size of
//! the DAG except did-you-mean hints, which only run for names that do not resolve.

mod continue_on_with_depends;
mod dependency_cycle;
mod duplicate_dependency;
mod empty_dag;
mod invalid_depends;
mod items_result_without_loop;
mod mixed_dependency_fields;
mod self_dependency;
mod task_name_starts_with_digit;
mod undefined_dependency;
mod undefined_target;
mod unreachable_task;

use crate::checks::CheckContext;
use crate::checks::scalar_span::value_span;
use crate::diagnostics::{Diagnostic, Rule};
use crate::model::dag::{DagGraph, DepRef};
use crate::model::{Object, walk};
use crate::source::Span;

/// The rules of this group, sorted by code.
pub(crate) static RULES: &[&Rule] = &[
    &undefined_dependency::RULE,
    &invalid_depends::RULE,
    &items_result_without_loop::RULE,
    &dependency_cycle::RULE,
    &self_dependency::RULE,
    &mixed_dependency_fields::RULE,
    &continue_on_with_depends::RULE,
    &task_name_starts_with_digit::RULE,
    &undefined_target::RULE,
    &duplicate_dependency::RULE,
    &unreachable_task::RULE,
    &empty_dag::RULE,
];

type CheckFn = fn(&CheckContext<'_>, &DagGraph<'_>, &mut Vec<Diagnostic>);

/// Each rule's check, in the order of [`RULES`].
const CHECKS: &[(&Rule, CheckFn)] = &[
    (&undefined_dependency::RULE, undefined_dependency::check),
    (&invalid_depends::RULE, invalid_depends::check),
    (
        &items_result_without_loop::RULE,
        items_result_without_loop::check,
    ),
    (&dependency_cycle::RULE, dependency_cycle::check),
    (&self_dependency::RULE, self_dependency::check),
    (
        &mixed_dependency_fields::RULE,
        mixed_dependency_fields::check,
    ),
    (
        &continue_on_with_depends::RULE,
        continue_on_with_depends::check,
    ),
    (
        &task_name_starts_with_digit::RULE,
        task_name_starts_with_digit::check,
    ),
    (&undefined_target::RULE, undefined_target::check),
    (&duplicate_dependency::RULE, duplicate_dependency::check),
    (&unreachable_task::RULE, unreachable_task::check),
    (&empty_dag::RULE, empty_dag::check),
];

/// Builds the graph of every DAG template of the object and runs the enabled rules on it.
pub(crate) fn run(ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    let Some(spec) = obj.workflow_spec() else {
        return;
    };
    let enabled: Vec<CheckFn> = CHECKS
        .iter()
        .filter(|(rule, _)| ctx.settings.rules.is_enabled(rule))
        .map(|(_, check)| *check)
        .collect();
    for site in walk::templates(spec) {
        let Some(graph) = DagGraph::build(site.template) else {
            continue;
        };
        for check in &enabled {
            check(ctx, &graph, out);
        }
    }
}

/// The span of a dependency as written: the `dependencies` item, or the name inside `depends`.
fn dep_span(ctx: &CheckContext<'_>, d: &DepRef<'_>) -> Span {
    match &d.range {
        Some(r) => value_span(ctx, d.node, (r.start, r.end)),
        None => d.node.span(),
    }
}

/// `task `a`` for messages, or `this task` when it has no name.
fn task_label(g: &DagGraph<'_>, task: usize) -> String {
    match g.tasks[task].name {
        Some(n) => format!("task `{n}`"),
        None => "this task".to_string(),
    }
}
