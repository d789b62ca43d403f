//! Why a variable does not resolve where it is used: it exists nowhere (`undefined-variable`),
//! it exists elsewhere in the template but not in this field (`variable-out-of-scope`: a
//! sibling or later step, a task that is not an ancestor, `item` outside a loop, …), or it names
//! an output the callee does not declare (`undeclared-output`).
//!
//! Only runs for paths that failed to resolve, so it may be slower than the scope lookups.

use crate::expr::check::{Resolution, Scope};
use crate::scope::FieldScope;
use crate::scope::nodes::{NodeKind, Visibility};
use crate::scope::template::{TemplateScope, retry_tree};
use crate::source::Span;
use crate::suggest::did_you_mean;

/// Where a field sits, beyond its scope: what the explanations need.
#[derive(Clone, Copy)]
pub(crate) struct Place<'s, 'a> {
    pub tmpl: Option<&'s TemplateScope<'a>>,
    pub vis: Visibility,
    /// The step or task the field belongs to.
    pub this: Option<usize>,
    /// The field's step or task loops.
    pub looped: bool,
    /// In metrics.
    pub metrics: bool,
    /// Do not report unknown variables (e.g. the manifest of a child Workflow, whose tags are
    /// for the child).
    pub lenient: bool,
    /// For inline templates: the place of the step or task that declares them.
    pub outer: Option<&'s Place<'s, 'a>>,
}

impl<'s, 'a> Place<'s, 'a> {
    pub(crate) fn new(tmpl: Option<&'s TemplateScope<'a>>) -> Self {
        Place {
            tmpl,
            vis: Visibility::Nothing,
            this: None,
            looped: false,
            metrics: false,
            lenient: false,
            outer: None,
        }
    }
}

/// The verdict for one unresolved path.
pub(crate) enum Problem {
    Undefined {
        help: Option<String>,
    },
    OutOfScope {
        reason: String,
        help: Option<String>,
    },
    UndeclaredOutput {
        message: String,
        help: Option<String>,
        /// Where the callee is declared.
        decl: Option<Span>,
    },
}

fn dotted(path: &[&str]) -> String {
    path.join(".")
}

/// A did-you-mean for the first segment of `path` that does not resolve.
pub(crate) fn suggestion(path: &[&str], scope: &dyn Scope) -> Option<String> {
    let bad = (1..=path.len()).find(|&i| scope.resolve(&path[..i]) == Resolution::Unknown)?;
    let i = bad - 1;
    let cands = scope.children(&path[..i]);
    let s = did_you_mean(path[i], cands.iter().map(String::as_str))?;
    let mut fixed: Vec<&str> = path.to_vec();
    fixed[i] = s;
    Some(format!("did you mean `{}`?", dotted(&fixed)))
}

/// Classifies an unresolved `path` used at `place`.
pub(crate) fn classify(path: &[&str], scope: &FieldScope<'_>, place: &Place<'_, '_>) -> Problem {
    let undefined = || Problem::Undefined {
        help: suggestion(path, scope),
    };
    let out = |reason: String| Problem::OutOfScope { reason, help: None };
    let tmpl = place.tmpl;
    match path {
        ["item", ..] if !place.looped => out(
            "`item` is only set in a step or task with `withItems`, `withParam` or `withSequence`"
                .into(),
        ),
        ["retries" | "lastRetry", ..]
            if retry_tree().resolve(path) != Resolution::Unknown
                && tmpl.is_some_and(|t| !t.has_retry) =>
        {
            out(format!("`{}` is only set in templates with a `retryStrategy`", dotted(path)))
        }
        ["status" | "duration" | "exitCode" | "resourcesDuration", ..] if !place.metrics => out(
            format!("`{}` is only set when the template's metrics are emitted", dotted(path)),
        ),
        ["workflow", "failures"] => out(
            "`workflow.failures` is only set in exit handlers (`spec.onExit`, `hooks.exit`)"
                .into(),
        ),
        ["pod", "name"] if tmpl.is_some_and(|t| !t.runs_pod) => out(
            "`pod.name` is only set in templates that run a pod (container, script, resource, data, containerSet)".into(),
        ),
        ["outputs", ..]
            if !place.metrics && tmpl.is_some_and(|t| t.metrics.resolve(path) != Resolution::Unknown) =>
        {
            out(format!("`{}` is only set in the template's metrics", dotted(path)))
        }
        [root @ ("steps" | "tasks"), name, rest @ ..] => {
            let nodes = tmpl
                .and_then(|t| t.nodes.as_ref())
                .filter(|n| n.kind.root() == *root);
            let Some(nodes) = nodes else {
                return match place.outer {
                    Some(outer) => classify(path, scope, outer),
                    None => undefined(),
                };
            };
            let Some(&j) = nodes.index.get(name) else {
                return undefined();
            };
            let node = &nodes.list[j];
            let known = rest.is_empty() || node.vars.resolve(rest) != Resolution::Unknown;
            if !known {
                return undeclared(path, node.callee_name.as_deref(), node.callee_decl, rest, &node.vars);
            }
            if nodes.visible(j, place.vis) {
                return undefined();
            }
            let this = place.this.and_then(|t| nodes.list.get(t));
            let (reason, help) = match (nodes.kind, this) {
                (NodeKind::Steps, Some(me)) if me.group == node.group => (
                    format!("step `{name}` runs in parallel with `{}` (same step group): its results are not available yet", me.name),
                    Some(format!("move `{name}` to an earlier step group")),
                ),
                (NodeKind::Steps, Some(me)) => (
                    format!("step `{name}` runs after `{}`", me.name),
                    Some(format!("move `{name}` to an earlier step group")),
                ),
                (NodeKind::Tasks, Some(me)) => (
                    format!("task `{name}` is not an ancestor of `{}`: nothing makes `{}` wait for it", me.name, me.name),
                    Some(format!("add `{name}` to the `depends` of `{}`", me.name)),
                ),
                (kind, None) => (
                    format!("`{root}.{name}` is only available inside the template's {}", match kind {
                        NodeKind::Steps => "steps",
                        NodeKind::Tasks => "tasks",
                    }),
                    None,
                ),
            };
            Problem::OutOfScope { reason, help }
        }
        _ => undefined(),
    }
}

/// `steps.X.outputs.parameters.nope`, `tasks.X.outputs.result` on a template without one.
fn undeclared(
    path: &[&str],
    callee: Option<&str>,
    decl: Option<Span>,
    rest: &[&str],
    vars: &crate::scope::tree::VarTree,
) -> Problem {
    let callee = callee.map_or_else(|| "its template".to_string(), |c| format!("template `{c}`"));
    let node = path.get(1).copied().unwrap_or_default();
    let cands = |prefix: &[&str]| vars.children(prefix);
    let (message, help) = match rest {
        ["outputs", "result"] | ["exitCode"] => (
            format!(
                "`{node}` has no `{}`: {callee} does not produce one (only container, script, data, http, plugin and containerSet templates do)",
                rest.join(".")
            ),
            None,
        ),
        ["outputs", kind @ ("parameters" | "artifacts"), name, ..] => {
            let c = cands(&["outputs", kind]);
            let what = if *kind == "parameters" {
                "parameter"
            } else {
                "artifact"
            };
            (
                format!("{callee} declares no output {what} `{name}`"),
                did_you_mean(name, c.iter().map(String::as_str))
                    .map(|s| format!("did you mean `{}.{node}.outputs.{kind}.{s}`?", path[0])),
            )
        }
        ["ip"] => (
            format!("`{node}` has no `ip`: {callee} is not a daemon (`daemon: true`)"),
            None,
        ),
        _ => {
            let bad = (1..=rest.len())
                .find(|&i| vars.resolve(&rest[..i]) == Resolution::Unknown)
                .unwrap_or(1)
                - 1;
            let c = cands(&rest[..bad]);
            let help = did_you_mean(rest[bad], c.iter().map(String::as_str)).map(|s| {
                let mut fixed: Vec<&str> = path.to_vec();
                fixed[2 + bad] = s;
                format!("did you mean `{}`?", fixed.join("."))
            });
            return Problem::Undefined { help };
        }
    };
    Problem::UndeclaredOutput {
        message,
        help,
        decl,
    }
}
