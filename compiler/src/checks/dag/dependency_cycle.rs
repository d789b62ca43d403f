//! AW304: tasks that depend on each other in a cycle.
//!
//! Cycles are found with Tarjan's strongly connected components (petgraph), then one ordered
//! cycle per component is recovered with a breadth-first search inside it, starting from the
//! component's first task in the document. Linear in the size of the DAG.

use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;

use super::dep_span;
use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::dag::DagGraph;

declare_rule! {
    /// ## What it does
    /// Reports every group of tasks whose `dependencies`/`depends` form a cycle, with one full
    /// cycle path in order (`a → b → c → a`, read "a depends on b, which depends on c, which
    /// depends on a") and a label on each dependency of the cycle. A task that depends on
    /// itself is AW305.
    ///
    /// Argo rule: ARGO-DAG-003 (`sorting failed: graph with cycle`), ARGO-DAG-012.
    ///
    /// ## Why is this bad?
    /// Argo refuses the workflow, and its message names no task: the cycle must be found by
    /// hand.
    ///
    /// ## Example
    /// ```yaml
    /// - {name: build, template: build, depends: test}
    /// - {name: test, template: test, depends: build}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// - {name: build, template: build}
    /// - {name: test, template: test, depends: build}
    /// ```
    pub(crate) static RULE = ("AW304", "dependency-cycle", Error, "tasks that depend on each other in a cycle");
}

const NONE: usize = usize::MAX;

pub(super) fn check(ctx: &CheckContext<'_>, g: &DagGraph<'_>, out: &mut Vec<Diagnostic>) {
    let sccs = petgraph::algo::tarjan_scc(&g.graph);
    if sccs.iter().all(|c| c.len() < 2) {
        return;
    }
    let n = g.tasks.len();
    // Component id of each task in a cyclic component; edge used to reach each task.
    let mut component = vec![NONE; n];
    let mut via = vec![NONE; n];
    let mut cycles: Vec<Vec<usize>> = Vec::new();
    for (id, scc) in sccs.iter().enumerate().filter(|(_, c)| c.len() > 1) {
        for m in scc {
            component[m.index()] = id;
        }
        let start = scc.iter().map(|m| m.index()).min().unwrap_or(0);
        if let Some(path) = cycle_from(g, start, id, &component, &mut via) {
            cycles.push(path);
        }
    }
    cycles.sort_by_key(|p| g.edges[p[0]].from);
    for path in cycles {
        report(ctx, g, &path, out);
    }
}

/// The edges of a shortest cycle through `start` within its component.
fn cycle_from(
    g: &DagGraph<'_>,
    start: usize,
    id: usize,
    component: &[usize],
    via: &mut [usize],
) -> Option<Vec<usize>> {
    let mut queue = std::collections::VecDeque::from([start]);
    let mut visited = vec![start];
    via[start] = NONE;
    let mut closing = None;
    'search: while let Some(u) = queue.pop_front() {
        for e in g.graph.edges(NodeIndex::new(u)) {
            let v = e.target().index();
            if component[v] != id {
                continue;
            }
            if v == start {
                closing = Some(*e.weight());
                break 'search;
            }
            if via[v] == NONE && v != start {
                via[v] = *e.weight();
                visited.push(v);
                queue.push_back(v);
            }
        }
    }
    let mut path = vec![closing?];
    let mut at = g.edges[path[0]].from;
    while at != start {
        let e = via[at];
        if e == NONE {
            break;
        }
        path.push(e);
        at = g.edges[e].from;
    }
    for v in visited {
        via[v] = NONE;
    }
    path.reverse();
    Some(path)
}

fn report(ctx: &CheckContext<'_>, g: &DagGraph<'_>, path: &[usize], out: &mut Vec<Diagnostic>) {
    let name = |t: usize| g.tasks[t].name.unwrap_or("?");
    let mut names: Vec<&str> = path.iter().map(|&e| name(g.edges[e].from)).collect();
    names.push(name(g.edges[path[0]].from));
    let first = &g.edges[path[0]];
    let mut d = Diagnostic::new(
        &RULE,
        dep_span(ctx, &first.decl),
        format!("dependency cycle: {}", names.join(" → ")),
    )
    .with_pointer(first.decl.node.pointer())
    .with_label(format!(
        "`{}` depends on `{}`",
        name(first.from),
        name(first.to)
    ));
    for &e in &path[1..] {
        let edge = &g.edges[e];
        d = d.with_secondary(
            dep_span(ctx, &edge.decl),
            format!("`{}` depends on `{}`", name(edge.from), name(edge.to)),
        );
    }
    out.push(
        d.with_note(
            "`a → b` means that task `a` waits for task `b`; no task of a cycle can ever start",
        )
        .with_help("remove one of these dependencies"),
    );
}
