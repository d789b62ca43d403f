//! AW816: containerSet containers that depend on each other in a cycle.

use petgraph::graph::{DiGraph, NodeIndex};

use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;

declare_rule! {
    /// ## What it does
    /// Reports containers of a `containerSet` whose `dependencies` form a cycle (a container
    /// depending on itself included), with the ordered cycle `a → b → a`.
    ///
    /// Argo rule: ARGO-LEAF-008.
    ///
    /// ## Why is this bad?
    /// No container of the cycle can ever start. Argo rejects the workflow:
    /// `containerSet.containers dependency cycle detected: a->b->a`.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - {name: a, image: alpine:3.20, dependencies: [b]}
    ///   - {name: b, image: alpine:3.20, dependencies: [a]}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// containers:
    ///   - {name: a, image: alpine:3.20}
    ///   - {name: b, image: alpine:3.20, dependencies: [a]}
    /// ```
    pub(crate) static RULE = ("AW816", "container-dependency-cycle", Error, "containerSet containers that depend on each other in a cycle");
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    for set in super::sets(obj) {
        let n = set.containers.len();
        let mut g: DiGraph<(), crate::parse::NodeRef<'_>> = DiGraph::with_capacity(n, n);
        for _ in 0..n {
            g.add_node(());
        }
        for i in 0..n {
            for (dep, node) in set.dependencies(i) {
                if let Some(j) = set.index(dep) {
                    g.add_edge(NodeIndex::new(i), NodeIndex::new(j), node);
                }
            }
        }
        for scc in petgraph::algo::tarjan_scc(&g) {
            let start = scc.iter().map(|v| v.index()).min().unwrap_or(0);
            let in_scc = |v: usize| scc.iter().any(|m| m.index() == v);
            let cyclic =
                scc.len() > 1 || g.contains_edge(NodeIndex::new(start), NodeIndex::new(start));
            if !cyclic {
                continue;
            }
            // Walk inside the component until a container repeats: that closes a cycle.
            let mut path: Vec<(usize, crate::parse::NodeRef<'_>)> = Vec::new();
            let mut at = start;
            let cycle_start = loop {
                if let Some(k) = path.iter().position(|(v, _)| *v == at) {
                    break k;
                }
                let Some(e) = g
                    .edges(NodeIndex::new(at))
                    .find(|e| in_scc(petgraph::visit::EdgeRef::target(e).index()))
                else {
                    break path.len();
                };
                path.push((at, *e.weight()));
                at = petgraph::visit::EdgeRef::target(&e).index();
            };
            let cycle = &path[cycle_start..];
            let Some(&(_, first)) = cycle.first() else {
                continue;
            };
            let name = |i: usize| set.containers[i].0.unwrap_or("?");
            let mut names: Vec<&str> = cycle.iter().map(|(v, _)| name(*v)).collect();
            names.push(name(cycle[0].0));
            let mut d = Diagnostic::new(
                &RULE,
                first.span(),
                format!("containerSet dependency cycle: {}", names.join(" → ")),
            )
            .with_pointer(first.pointer());
            for (k, &(_, node)) in cycle.iter().enumerate().skip(1) {
                d = d.with_secondary(
                    node.span(),
                    format!("`{}` depends on `{}`", names[k], names[k + 1]),
                );
            }
            out.push(d.with_help("remove one of these dependencies"));
        }
    }
}
