//! The dependency graph of one DAG template: the one representation the DAG checks and the scope
//! model (which `tasks.X` a task may read: its ancestors) share.
//!
//! [`DagGraph::build`] indexes the tasks by name, turns `dependencies` items and `depends`
//! operands (read by [`crate::expr::depends::scan`], the one `depends` parser) into "depends
//! on" edges (each remembering where it was declared), keeps the names that resolve to no task,
//! and holds a petgraph [`DiGraph`] for cycle detection. Building is linear in the size of the
//! DAG. Ancestry (the transitive closure) is computed lazily, once per graph, with bitsets over
//! a topological order of the strongly connected components: checks that do not need it do not
//! pay its quadratic memory.
//!
//! Nothing here reports diagnostics; wrong shapes are skipped (the structural checks report them).

use std::cell::OnceCell;
use std::collections::HashMap;
use std::ops::Range;

use petgraph::graph::{DiGraph, NodeIndex};

use super::view::View;
use super::views::{DagTask, Template};
use crate::expr::Limits;
use crate::expr::depends::{self, Scan};
use crate::parse::NodeRef;

/// Budgets for reading `depends`: only the nesting depth is bounded (the document size already
/// bounds the length, and a fan-in task may list thousands of names).
fn depends_limits() -> Limits {
    Limits {
        max_len: usize::MAX,
        max_tokens: usize::MAX,
        max_depth: 64,
        ..Limits::default()
    }
}

/// Where a dependency is written: a `dependencies` item, or a name inside `depends`.
#[derive(Clone, Debug)]
pub(crate) struct DepRef<'a> {
    /// The scalar holding the name (`dependencies[i]` or `depends`).
    pub node: NodeRef<'a>,
    /// Byte range of the name inside the scalar's value (`None`: the whole scalar).
    pub range: Option<Range<usize>>,
    /// The name as written.
    pub name: &'a str,
    /// The `.Result` word, for `depends` operands that have one.
    pub result: Option<&'a str>,
    pub result_range: Option<Range<usize>>,
}

/// An edge: task `from` depends on task `to`.
#[derive(Clone, Debug)]
pub(crate) struct Edge<'a> {
    pub from: usize,
    pub to: usize,
    pub decl: DepRef<'a>,
}

/// A dependency naming no task.
#[derive(Clone, Debug)]
pub(crate) struct Unresolved<'a> {
    pub task: usize,
    pub decl: DepRef<'a>,
}

/// One task of the DAG.
#[derive(Clone, Copy, Debug)]
pub(crate) struct TaskNode<'a> {
    pub task: DagTask<'a>,
    pub name: Option<&'a str>,
}

/// The graph of one DAG template.
pub(crate) struct DagGraph<'a> {
    pub template: Template<'a>,
    pub tasks: Vec<TaskNode<'a>>,
    /// Name → index of the first task with that name.
    pub by_name: HashMap<&'a str, usize>,
    /// Every resolved dependency, in source order (task by task).
    pub edges: Vec<Edge<'a>>,
    pub unresolved: Vec<Unresolved<'a>>,
    /// The parsed `depends` of each task (`None` when it has none or it is not a string).
    pub depends: Vec<Option<(NodeRef<'a>, Scan)>>,
    /// Nodes are task indices; an edge `a → b` (weight: index into `edges`) means a depends on b.
    pub graph: DiGraph<(), usize>,
    /// The transitive closure, computed on the first ancestry query; `None` when the DAG is too
    /// large for one (see [`MAX_CLOSURE_BYTES`]).
    ancestry: OnceCell<Option<Ancestry>>,
}

impl std::fmt::Debug for DagGraph<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DagGraph")
            .field("tasks", &self.tasks.len())
            .field("edges", &self.edges.len())
            .field("unresolved", &self.unresolved.len())
            .finish_non_exhaustive()
    }
}

impl<'a> DagGraph<'a> {
    /// Builds the graph of a DAG template; `None` if the template has no `dag.tasks` list.
    pub(crate) fn build(template: Template<'a>) -> Option<Self> {
        let list = template.dag()?.tasks()?;
        if !list.node().is_seq() {
            return None;
        }
        let tasks: Vec<TaskNode<'a>> = list
            .iter()
            .map(|task| TaskNode {
                task,
                name: task.name().and_then(|n| n.as_str()),
            })
            .collect();
        let mut by_name = HashMap::with_capacity(tasks.len());
        for (i, t) in tasks.iter().enumerate() {
            if let Some(name) = t.name {
                by_name.entry(name).or_insert(i);
            }
        }
        let mut g = DagGraph {
            template,
            graph: DiGraph::with_capacity(tasks.len(), tasks.len()),
            depends: Vec::with_capacity(tasks.len()),
            tasks,
            by_name,
            edges: Vec::new(),
            unresolved: Vec::new(),
            ancestry: OnceCell::new(),
        };
        for _ in 0..g.tasks.len() {
            g.graph.add_node(());
        }
        let limits = &depends_limits();
        for i in 0..g.tasks.len() {
            let task = g.tasks[i].task;
            if let Some(deps) = task.dependencies() {
                for item in deps.iter() {
                    if let Some(name) = item.as_str() {
                        g.add(
                            i,
                            DepRef {
                                node: item,
                                range: None,
                                name,
                                result: None,
                                result_range: None,
                            },
                        );
                    }
                }
            }
            let parsed = task.depends().and_then(|node| {
                let text = node.as_str().filter(|t| !t.trim().is_empty())?;
                let parsed = depends::scan(text, limits);
                for r in &parsed.refs {
                    let name = r.task_range.range();
                    let result = r.result_range.map(|x| x.range());
                    g.add(
                        i,
                        DepRef {
                            node,
                            range: Some(name.clone()),
                            name: &text[name],
                            result: result.clone().map(|x| &text[x]),
                            result_range: result,
                        },
                    );
                }
                Some((node, parsed))
            });
            g.depends.push(parsed);
        }
        Some(g)
    }

    fn add(&mut self, task: usize, decl: DepRef<'a>) {
        match self.by_name.get(decl.name) {
            Some(&to) => {
                let e = self.edges.len();
                self.graph
                    .add_edge(NodeIndex::new(task), NodeIndex::new(to), e);
                self.edges.push(Edge {
                    from: task,
                    to,
                    decl,
                });
            }
            None => self.unresolved.push(Unresolved { task, decl }),
        }
    }

    /// The index of the task called `name`.
    pub(crate) fn index(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).copied()
    }

    /// Whether the task uses `depends` (a non-empty string) or `dependencies` (a non-empty list):
    /// Argo's notion of "uses" for its DAG rules.
    pub(crate) fn uses_depends(&self, task: usize) -> bool {
        self.tasks[task]
            .task
            .depends()
            .and_then(|d| d.as_str())
            .is_some_and(|s| !s.is_empty())
    }

    pub(crate) fn uses_dependencies(&self, task: usize) -> bool {
        self.tasks[task]
            .task
            .dependencies()
            .is_some_and(|d| !d.is_empty())
    }

    /// The direct dependencies of a task (with repeats when declared twice).
    pub(crate) fn dependencies_of(&self, task: usize) -> impl Iterator<Item = usize> + '_ {
        self.graph
            .neighbors(NodeIndex::new(task))
            .map(|n| n.index())
    }

    /// Whether `ancestor` must complete before `task` can start (transitively). Direct
    /// dependencies answer without computing the closure; on a cycle every task of the cycle
    /// is an ancestor of every other (and of itself). In a DAG too large for its closure every
    /// task counts as an ancestor: references are then only checked for existence, which keeps
    /// memory bounded at the cost of missing ordering errors in DAGs of ~30,000+ tasks.
    pub(crate) fn is_ancestor(&self, ancestor: usize, task: usize) -> bool {
        if self.dependencies_of(task).any(|d| d == ancestor) {
            return true;
        }
        self.ancestry()
            .as_ref()
            .is_none_or(|a| a.contains(task, ancestor))
    }

    /// Every transitive dependency of `task`, by task index (in no particular order; `task`
    /// itself only when it is on a cycle).
    #[cfg(test)]
    pub(crate) fn ancestors(&self, task: usize) -> Vec<usize> {
        self.ancestry()
            .as_ref()
            .map(|a| a.of(task).collect())
            .unwrap_or_default()
    }

    /// Every task reachable from `starts` along "depends on" edges, starts included. Linear.
    pub(crate) fn reach(&self, starts: &[usize]) -> BitSet {
        let mut seen = BitSet::new(self.tasks.len());
        let mut stack: Vec<usize> = Vec::new();
        for &s in starts {
            if !seen.get(s) {
                seen.set(s);
                stack.push(s);
            }
        }
        while let Some(n) = stack.pop() {
            for d in self.dependencies_of(n) {
                if !seen.get(d) {
                    seen.set(d);
                    stack.push(d);
                }
            }
        }
        seen
    }

    /// The transitive closure, computed once on first use.
    fn ancestry(&self) -> &Option<Ancestry> {
        self.ancestry.get_or_init(|| {
            // The sets hold about tasks²/2 bits (one bit per lower rank).
            let n = self.tasks.len();
            let bytes = n.saturating_mul(n.div_ceil(64)).saturating_mul(4);
            (bytes <= MAX_CLOSURE_BYTES).then(|| Ancestry::build(self))
        })
    }
}

/// Largest ancestry closure built: 64 MiB, DAGs of up to about 32,000 tasks (a 4 MiB document
/// holds ~90,000; their closure would take ~500 MiB).
pub(crate) const MAX_CLOSURE_BYTES: usize = 64 << 20;

/// A fixed-size set of small integers.
#[derive(Clone, Debug)]
pub(crate) struct BitSet {
    words: Vec<u64>,
}

impl BitSet {
    pub(crate) fn new(len: usize) -> Self {
        BitSet {
            words: vec![0; len.div_ceil(64)],
        }
    }

    pub(crate) fn get(&self, i: usize) -> bool {
        self.words
            .get(i / 64)
            .is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    pub(crate) fn set(&mut self, i: usize) {
        if let Some(w) = self.words.get_mut(i / 64) {
            *w |= 1 << (i % 64);
        }
    }
}

/// Ancestor sets as bitsets over ranks. Tasks are ranked by strongly connected component in
/// petgraph's `tarjan_scc` order (dependencies before dependents), so a task's ancestors all
/// rank below its own component's end and each set needs only that many bits (about half of a
/// square matrix). The tasks of a cycle share one set: each other, themselves, and everything
/// the cycle depends on. Building is O(V + E·V/64); a query is one bit test.
struct Ancestry {
    /// Task index → rank.
    rank: Vec<usize>,
    /// Rank → task index.
    #[cfg(test)]
    order: Vec<usize>,
    /// Task index → bitset over ranks.
    sets: Vec<Vec<u64>>,
}

impl Ancestry {
    fn build(g: &DagGraph<'_>) -> Ancestry {
        let n = g.tasks.len();
        let sccs = petgraph::algo::tarjan_scc(&g.graph);
        let mut rank = vec![0; n];
        let mut order = Vec::with_capacity(n);
        for scc in &sccs {
            for v in scc {
                rank[v.index()] = order.len();
                order.push(v.index());
            }
        }
        let mut sets: Vec<Vec<u64>> = vec![Vec::new(); n];
        let mut lo = 0;
        for scc in &sccs {
            let hi = lo + scc.len();
            let cyclic = scc.len() > 1
                || g.dependencies_of(scc[0].index())
                    .any(|d| d == scc[0].index());
            let width = if cyclic { hi } else { lo };
            let mut set = vec![0u64; width.div_ceil(64)];
            for m in scc {
                for d in g.dependencies_of(m.index()) {
                    let dr = rank[d];
                    if dr >= lo {
                        continue; // inside the component: added below for cycles
                    }
                    set[dr / 64] |= 1 << (dr % 64);
                    for (w, x) in set.iter_mut().zip(&sets[d]) {
                        *w |= x;
                    }
                }
            }
            if cyclic {
                for r in lo..hi {
                    set[r / 64] |= 1 << (r % 64);
                }
            }
            for m in scc {
                sets[m.index()].clone_from(&set);
            }
            lo = hi;
        }
        Ancestry {
            rank,
            #[cfg(test)]
            order,
            sets,
        }
    }

    fn contains(&self, task: usize, ancestor: usize) -> bool {
        let (Some(set), Some(&r)) = (self.sets.get(task), self.rank.get(ancestor)) else {
            return false;
        };
        set.get(r / 64).is_some_and(|w| w & (1 << (r % 64)) != 0)
    }

    #[cfg(test)]
    fn of(&self, task: usize) -> impl Iterator<Item = usize> + '_ {
        self.sets[task]
            .iter()
            .enumerate()
            .flat_map(move |(wi, &w)| {
                (0..64)
                    .filter(move |b| w & (1 << b) != 0)
                    .map(move |b| self.order[wi * 64 + b])
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Classified, classify};
    use crate::parse::{Limits, parse_file};
    use crate::source::{FileId, SourceFile};

    fn with_graph(yaml: &str, f: impl FnOnce(&DagGraph<'_>)) {
        let file = SourceFile::new(FileId(0), "t.yaml", yaml.to_string());
        let docs = parse_file(&file, &Limits::default(), &mut Vec::new());
        let Classified::Argo(obj) = classify(&docs[0]) else {
            panic!("not argo")
        };
        let spec = obj.workflow_spec().expect("spec");
        let t = spec
            .templates()
            .expect("templates")
            .get(0)
            .expect("template");
        f(&DagGraph::build(t).expect("dag"));
    }

    const DIAMOND: &str = r#"
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: d}
spec:
  templates:
    - name: main
      dag:
        tasks:
          - {name: A, template: t}
          - {name: B, template: t, depends: A}
          - {name: C, template: t, dependencies: [A, ghost]}
          - {name: D, template: t, depends: "B.Succeeded && (C || !A)"}
          - {name: E, template: t}
"#;

    #[test]
    fn edges_unresolved_and_ancestry() {
        with_graph(DIAMOND, |g| {
            let edges: Vec<_> = g.edges.iter().map(|e| (e.from, e.to)).collect();
            assert_eq!(edges, [(1, 0), (2, 0), (3, 1), (3, 2), (3, 0)]);
            assert_eq!(g.unresolved.len(), 1);
            assert_eq!(g.unresolved[0].decl.name, "ghost");
            assert_eq!(g.edges[2].decl.result, Some("Succeeded"));
            let mut anc = g.ancestors(3);
            anc.sort();
            assert_eq!(anc, [0, 1, 2]);
            assert!(g.is_ancestor(0, 3));
            assert!(g.is_ancestor(0, 1));
            assert!(!g.is_ancestor(1, 2));
            assert!(!g.is_ancestor(4, 3));
            assert!(g.ancestors(4).is_empty());
        });
    }

    #[test]
    fn cyclic_graphs_still_answer_ancestry() {
        let cyclic = DIAMOND.replace(
            "{name: A, template: t}",
            "{name: A, template: t, depends: D}",
        );
        with_graph(&cyclic, |g| {
            // A → D → B → A: each is an ancestor of the others and of itself; C (on A) too.
            assert!(g.is_ancestor(3, 1));
            let mut anc = g.ancestors(1);
            anc.sort();
            assert_eq!(anc, [0, 1, 2, 3]);
            assert!(!g.is_ancestor(4, 1));
            assert!(g.ancestors(4).is_empty());
        });
    }
}
