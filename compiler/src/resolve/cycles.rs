//! Cycles of unconditional calls that pass through a `templateRef`.
//!
//! Recursion is an Argo idiom (a template calls itself under a `when` until a condition
//! fails), so only calls that always run form edges: steps and DAG tasks without `when`,
//! `withParam`, `withSequence`, an empty `withItems`, or a result-dependent `depends`. Hooks and
//! exit handlers are left out. Nodes are templates of every object reachable from the run;
//! strongly connected components are found with an iterative Tarjan (no recursion, so a long
//! chain of templates cannot overflow the stack). Cycles made only of local `template:` calls
//! belong to the call-graph checks and are not reported here.

use std::collections::{HashMap, VecDeque};

use super::Origin;
use super::memo::{Memo, NodeKey as Key, node_key};
use super::registry::Resolution;
use crate::model::Object;
use crate::model::view::View;
use crate::model::views::Template;
use crate::model::walk::{Call, CallKind, calls_in, find_template};

/// Every `templateRef` on an unconditional cycle, with the cycle as text
/// (`` `a.x` → `b.y` → `a.x` ``).
#[derive(Debug, Default)]
pub(crate) struct Cycles {
    through: HashMap<Key, String>,
}

struct Graph<'a> {
    nodes: Vec<(Object<'a>, Template<'a>)>,
    ids: HashMap<Key, usize>,
    /// Edges: target node, and the `templateRef` node when the call is a reference.
    adj: Vec<Vec<(usize, Option<Key>)>>,
}

impl<'a> Graph<'a> {
    fn id(&mut self, obj: Object<'a>, t: Template<'a>) -> usize {
        let key = node_key(t.node());
        if let Some(&id) = self.ids.get(&key) {
            return id;
        }
        let id = self.nodes.len();
        self.nodes.push((obj, t));
        self.adj.push(Vec::new());
        self.ids.insert(key, id);
        id
    }

    fn label(&self, id: usize) -> String {
        let (obj, t) = self.nodes[id];
        format!(
            "`{}.{}`",
            obj.name().unwrap_or("?"),
            t.name_str().unwrap_or("?")
        )
    }
}

impl Cycles {
    pub(crate) fn through(&self, key: Key) -> Option<&str> {
        self.through.get(&key).map(String::as_str)
    }

    /// Finds the cycles among the templates of the linted `objects` and everything they reach.
    pub(crate) fn find<'a>(objects: &[(Object<'a>, Origin)], memo: &mut Memo<'_, 'a>) -> Cycles {
        let graph = build(objects, memo);
        let comp = tarjan(&graph.adj);
        let mut size = vec![0usize; graph.nodes.len()];
        for &c in &comp {
            size[c] += 1;
        }
        let mut through = HashMap::new();
        for (v, edges) in graph.adj.iter().enumerate() {
            for &(w, via) in edges {
                let Some(via) = via else { continue };
                if comp[v] != comp[w] || (size[comp[v]] == 1 && v != w) {
                    continue;
                }
                let mut path = vec![graph.label(v)];
                path.extend(path_within(&graph.adj, &comp, w, v).map(|p| graph.label(p)));
                through.entry(via).or_insert_with(|| path.join(" → "));
            }
        }
        Cycles { through }
    }
}

fn build<'a>(objects: &[(Object<'a>, Origin)], memo: &mut Memo<'_, 'a>) -> Graph<'a> {
    let mut g = Graph {
        nodes: Vec::new(),
        ids: HashMap::new(),
        adj: Vec::new(),
    };
    for &(obj, origin) in objects {
        if origin != Origin::Run {
            continue;
        }
        let templates = obj.workflow_spec().and_then(|s| s.templates());
        for t in templates
            .iter()
            .flat_map(|ts| ts.iter().collect::<Vec<_>>())
        {
            g.id(obj, t);
        }
    }
    let mut next = 0;
    while next < g.nodes.len() {
        let (obj, template) = g.nodes[next];
        for (to_obj, to, via) in unconditional_callees(memo, obj, template) {
            let id = g.id(to_obj, to);
            g.adj[next].push((id, via));
        }
        next += 1;
    }
    g
}

/// The templates `template` always calls, with the `templateRef` key when through a reference.
/// Inline templates are followed as part of their caller.
fn unconditional_callees<'a>(
    memo: &mut Memo<'_, 'a>,
    obj: Object<'a>,
    template: Template<'a>,
) -> Vec<(Object<'a>, Template<'a>, Option<Key>)> {
    let mut out = Vec::new();
    let mut stack = vec![template];
    let mut seen = 0usize;
    while let Some(t) = stack.pop() {
        seen += 1;
        if seen > 10_000 {
            break;
        }
        for call in calls_in(t) {
            if !matches!(call.kind, CallKind::Step { .. } | CallKind::Task { .. })
                || is_conditional(&call)
            {
                continue;
            }
            if let Some(inline) = call.inline {
                stack.push(inline);
            } else if let Some(tr) = call.template_ref {
                if let Resolution::Resolved(rt) = memo.resolve_template_ref(&obj, tr) {
                    out.push((rt.found.object, rt.template(), Some(node_key(tr.node()))));
                }
            } else if let Some(name) = call.template_name()
                && let Some(callee) = obj.workflow_spec().and_then(|s| find_template(s, name))
            {
                out.push((obj, callee, None));
            }
        }
    }
    out
}

/// Whether a step or task may not run: `when`, a loop that can be empty, or a `depends` on a
/// particular result.
fn is_conditional(call: &Call<'_>) -> bool {
    let node = call.node;
    let set = |k: &str| node.get(k).is_some_and(|n| !n.is_null());
    set("when")
        || set("withParam")
        || set("withSequence")
        || node.get("withItems").is_some_and(|n| n.items().len() == 0)
        || node
            .get("depends")
            .and_then(|d| d.as_str())
            .is_some_and(|d| d.contains(['.', '|', '!']))
}

/// Strongly connected components (component id per node), iterative Tarjan.
fn tarjan(adj: &[Vec<(usize, Option<Key>)>]) -> Vec<usize> {
    let n = adj.len();
    let mut index: Vec<Option<usize>> = vec![None; n];
    let mut low = vec![0usize; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<usize> = Vec::new();
    let mut comp = vec![usize::MAX; n];
    let (mut counter, mut comps) = (0usize, 0usize);
    for start in 0..n {
        if index[start].is_some() {
            continue;
        }
        let mut frames: Vec<(usize, usize)> = vec![(start, 0)];
        index[start] = Some(counter);
        low[start] = counter;
        counter += 1;
        stack.push(start);
        on_stack[start] = true;
        while let Some(frame) = frames.last_mut() {
            let (v, i) = *frame;
            if let Some(&(w, _)) = adj[v].get(i) {
                frame.1 += 1;
                match index[w] {
                    None => {
                        index[w] = Some(counter);
                        low[w] = counter;
                        counter += 1;
                        stack.push(w);
                        on_stack[w] = true;
                        frames.push((w, 0));
                    }
                    Some(iw) if on_stack[w] => low[v] = low[v].min(iw),
                    Some(_) => {}
                }
                continue;
            }
            frames.pop();
            if let Some(&(u, _)) = frames.last() {
                low[u] = low[u].min(low[v]);
            }
            if Some(low[v]) == index[v] {
                while let Some(x) = stack.pop() {
                    on_stack[x] = false;
                    comp[x] = comps;
                    if x == v {
                        break;
                    }
                }
                comps += 1;
            }
        }
    }
    comp
}

/// Nodes on a shortest path from `from` to `to` inside their component, both included.
fn path_within(
    adj: &[Vec<(usize, Option<Key>)>],
    comp: &[usize],
    from: usize,
    to: usize,
) -> impl Iterator<Item = usize> {
    let mut prev: HashMap<usize, usize> = HashMap::new();
    let mut queue = VecDeque::from([from]);
    let mut found = from == to;
    while let Some(v) = queue.pop_front() {
        if found {
            break;
        }
        for &(w, _) in &adj[v] {
            if comp[w] != comp[from] || w == from || prev.contains_key(&w) {
                continue;
            }
            prev.insert(w, v);
            if w == to {
                found = true;
                break;
            }
            queue.push_back(w);
        }
    }
    let mut path = vec![to];
    let mut cur = to;
    while cur != from {
        match prev.get(&cur) {
            Some(&p) => {
                path.push(p);
                cur = p;
            }
            None => break,
        }
    }
    path.reverse();
    path.into_iter()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tarjan_groups_cycles_and_keeps_chains_apart() {
        // 0 → 1 → 2 → 0, 2 → 3, 3 → 3
        let adj = vec![
            vec![(1, None)],
            vec![(2, None)],
            vec![(0, None), (3, None)],
            vec![(3, None)],
        ];
        let comp = tarjan(&adj);
        assert_eq!(comp[0], comp[1]);
        assert_eq!(comp[1], comp[2]);
        assert_ne!(comp[2], comp[3]);
        let path: Vec<_> = path_within(&adj, &comp, 1, 0).collect();
        assert_eq!(path, [1, 2, 0]);
    }

    #[test]
    fn tarjan_handles_a_long_chain_without_recursion() {
        let n = 200_000;
        let adj: Vec<_> = (0..n)
            .map(|i| {
                if i + 1 < n {
                    vec![(i + 1, None)]
                } else {
                    vec![]
                }
            })
            .collect();
        let comp = tarjan(&adj);
        assert_eq!(
            comp.iter().collect::<std::collections::HashSet<_>>().len(),
            n
        );
    }
}
