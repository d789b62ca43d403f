//! Which DAG tasks run before which: the transitive closure of `depends`/`dependencies`,
//! computed once per DAG as one bitset per task.
//!
//! This is a private stand-in until the `sem-graph` branch exposes its `DagGraph`; everything
//! else asks [`Ancestry::is_ancestor`] only, so swapping the implementation touches this file.
//! Building costs O(tasks + edges × tasks / 64); each query is O(1). Task names that do not
//! exist and cycles are reported by the graph checks; here they are ignored (a task on a cycle
//! simply sees the ancestors reachable before the cycle closes).
//!
//! The closure takes tasks² bits, so it is only built up to [`MAX_CLOSURE_BYTES`]: a 4 MiB
//! document holds 85,000 tasks, whose closure would take 900 MB. Larger DAGs get no closure
//! and their `tasks.X` references are checked for existence only (see `Nodes::visible`).

use std::collections::HashMap;

use crate::expr::{Limits, depends};
use crate::model::view::View;
use crate::model::views::DagTask;

/// The ancestors of every task of one DAG.
#[derive(Debug, Default)]
pub(crate) struct Ancestry {
    words: usize,
    bits: Vec<u64>,
}

/// Largest closure built: 64 MiB, DAGs of up to about 23,000 tasks.
pub(crate) const MAX_CLOSURE_BYTES: usize = 64 << 20;

impl Ancestry {
    /// Computes the closure for `tasks` (in document order); `index` maps names to positions.
    /// `None` when it would take more than [`MAX_CLOSURE_BYTES`].
    pub(crate) fn new(tasks: &[DagTask<'_>], index: &HashMap<&str, usize>) -> Option<Self> {
        let n = tasks.len();
        if n.saturating_mul(n.div_ceil(64)).saturating_mul(8) > MAX_CLOSURE_BYTES {
            return None;
        }
        let parents: Vec<Vec<usize>> = tasks.iter().map(|t| parents_of(*t, index)).collect();
        let words = n.div_ceil(64);
        let mut bits = vec![0u64; n * words];
        // Kahn's order so that parents are complete before their children.
        let mut indegree: Vec<usize> = parents.iter().map(Vec::len).collect();
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (c, ps) in parents.iter().enumerate() {
            for &p in ps {
                children[p].push(c);
            }
        }
        let mut queue: Vec<usize> = (0..n).filter(|&i| indegree[i] == 0).collect();
        let mut order = Vec::with_capacity(n);
        while let Some(i) = queue.pop() {
            order.push(i);
            for &c in &children[i] {
                indegree[c] -= 1;
                if indegree[c] == 0 {
                    queue.push(c);
                }
            }
        }
        let mut done = vec![false; n];
        for &i in &order {
            done[i] = true;
        }
        // Tasks on or after a cycle: process them in document order after the others.
        order.extend((0..n).filter(|&i| !done[i]));
        for &i in &order {
            for &p in &parents[i] {
                if p == i {
                    continue;
                }
                let (dst, src) = (i * words, p * words);
                for w in 0..words {
                    let v = bits[src + w];
                    bits[dst + w] |= v;
                }
                bits[dst + p / 64] |= 1 << (p % 64);
            }
        }
        Some(Ancestry { words, bits })
    }

    /// True when task `anc` must finish before task `of` starts.
    pub(crate) fn is_ancestor(&self, anc: usize, of: usize) -> bool {
        self.bits
            .get(of * self.words + anc / 64)
            .is_some_and(|w| w & (1 << (anc % 64)) != 0)
    }
}

/// The tasks a task waits for: `dependencies` names, or the task names of `depends`.
fn parents_of(task: DagTask<'_>, index: &HashMap<&str, usize>) -> Vec<usize> {
    let mut out = Vec::new();
    if let Some(deps) = task.dependencies() {
        for d in deps.iter() {
            if let Some(&i) = d.node().as_str().and_then(|n| index.get(n)) {
                out.push(i);
            }
        }
    }
    if let Some(src) = task.depends().and_then(|d| d.as_str()) {
        if let Ok(tree) = depends::parse(src, &Limits::default()) {
            for r in tree.refs() {
                if let Some(&i) = index.get(r.task.as_str()) {
                    out.push(i);
                }
            }
        }
    }
    out
}
