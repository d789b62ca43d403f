//! Pictures of a workflow before it runs: the DAG or steps structure of a template as DOT,
//! Mermaid, or a self-contained SVG that Bosun lays out itself.
//!
//! [`build`](build::build) walks the compiler's model (the template registry, `DagGraph`, the
//! call walk) into a [`Graph`]: a tree of [`Block`]s (the drawn template, and every nested DAG or
//! steps template it calls, `templateRef`s included) whose items are [`Node`]s and sub-blocks,
//! with [`Edge`]s between items of the same block. Text emitters ([`dot`], [`mermaid`]) print it;
//! [`layout`] places it (a layered, Sugiyama-style layout, recursive over blocks) and [`svg`]
//! draws the result.
//!
//! Building is bounded: recursion through templates stops with a marker node, nesting is capped,
//! and a node budget caps the whole picture. Problems found on the way (missing templates, cycles,
//! unknown dependencies) are [`Note`]s, and are drawn as well.

pub mod build;
pub mod dot;
pub mod layout;
pub mod mermaid;
pub mod sample;
pub mod svg;

pub use build::{BuildError, GraphOptions, build};

use crate::model::{Classified, Object, classify};
use crate::parse::{Limits, parse_file};
use crate::resolve::{NoResolver, Origin, Registry};
use crate::source::{FileId, SourceFile, Span};

/// A workflow picture: the root block (index 0) and everything nested in it.
#[derive(Clone, Debug, Default)]
pub struct Graph {
    /// A title for the whole picture: `Workflow/hello-* · main`.
    pub title: String,
    pub blocks: Vec<Block>,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    pub notes: Vec<Note>,
}

/// A node or a block, as an endpoint of an edge or a member of a block.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Item {
    Node(usize),
    Block(usize),
}

/// What a block draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    /// The workflow around its entrypoint, exit handler and workflow-level hooks.
    Workflow,
    Dag,
    Steps,
}

/// A group of items drawn inside one frame: a DAG or steps template.
#[derive(Clone, Debug)]
pub struct Block {
    pub kind: BlockKind,
    /// First line of the frame's title (the task or step name, or the template name).
    pub label: String,
    /// Further title lines: the template, `when`, the loop.
    pub detail: Vec<String>,
    /// A loop marker (`×3`, `×?`), drawn as a badge.
    pub loop_marker: Option<String>,
    pub parent: Option<usize>,
    /// Members, in source order.
    pub items: Vec<Item>,
}

/// How a node is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeKind {
    /// A DAG task or a step running a leaf template.
    Call,
    /// A lifecycle hook.
    Hook,
    /// An `onExit` handler.
    Exit,
    /// The join between two parallel step groups.
    Junction,
    /// A template, task or reference that does not exist.
    Missing,
    /// A template already being expanded (recursion), not expanded again.
    Recursion,
    /// Items left out because the node budget ran out.
    Truncated,
}

/// A step of [`Graph::walk`].
#[derive(Clone, Copy, Debug)]
pub enum Visit<'g> {
    Node(usize, &'g Node),
    Open(usize, &'g Block),
    Close(usize, &'g Block),
}

/// One drawn box.
#[derive(Clone, Debug)]
pub struct Node {
    pub kind: NodeKind,
    /// The task or step name (first line).
    pub label: String,
    /// Further lines: the template, `when`, a complex `depends`, a problem.
    pub detail: Vec<String>,
    /// A loop marker (`×3`, `×?`).
    pub loop_marker: Option<String>,
    /// Whether the node runs only when a `when` condition holds.
    pub conditional: bool,
    pub block: usize,
}

/// What an edge means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EdgeKind {
    /// A DAG dependency or the order of step groups.
    Flow,
    /// From a call to one of its lifecycle hooks.
    Hook,
    /// From a call (or the workflow) to its exit handler.
    Exit,
    /// A dependency naming no task (to a missing node).
    Missing,
}

/// `from` runs before `to`; both are members of the same block.
#[derive(Clone, Debug)]
pub struct Edge {
    pub from: Item,
    pub to: Item,
    pub kind: EdgeKind,
    /// `Failed`, `!Succeeded`, `onExit`, a hook name; `None` for plain dependencies.
    pub label: Option<String>,
}

/// Something worth telling about the picture.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub message: String,
    pub span: Option<Span>,
}

impl Graph {
    /// The members of `block`.
    pub fn items(&self, block: usize) -> &[Item] {
        self.blocks.get(block).map_or(&[], |b| &b.items)
    }

    /// The edges between members of `block`, in creation order.
    pub fn edges_in(&self, block: usize) -> impl Iterator<Item = &Edge> {
        self.edges
            .iter()
            .filter(move |e| self.block_of(e.from) == Some(block))
    }

    /// The block an item is a member of (`None` for the root block).
    pub fn block_of(&self, item: Item) -> Option<usize> {
        match item {
            Item::Node(n) => self.nodes.get(n).map(|n| n.block),
            Item::Block(b) => self.blocks.get(b).and_then(|b| b.parent),
        }
    }

    /// Visits the members of the root block depth-first in source order: each node, and each
    /// nested block as an opening (before its members) and a closing, with the nesting depth
    /// (1 for the root's members). Iterative, so deep nesting cannot exhaust the stack.
    pub fn walk(&self, mut visit: impl FnMut(Visit<'_>, usize)) {
        // (block, next member index)
        let mut stack: Vec<(usize, usize)> = vec![(0, 0)];
        while let Some(&(block, i)) = stack.last() {
            let depth = stack.len();
            let Some(&item) = self.items(block).get(i) else {
                stack.pop();
                if let Some(b) = (block != 0).then(|| self.blocks.get(block)).flatten() {
                    visit(Visit::Close(block, b), depth - 1);
                }
                continue;
            };
            if let Some(top) = stack.last_mut() {
                top.1 += 1;
            }
            match item {
                Item::Node(n) => {
                    if let Some(node) = self.nodes.get(n) {
                        visit(Visit::Node(n, node), depth);
                    }
                }
                Item::Block(b) => {
                    // A block is entered once, from its parent (malformed graphs cannot loop).
                    if let Some(sub) = self.blocks.get(b).filter(|s| s.parent == Some(block))
                        && stack.len() <= self.blocks.len()
                    {
                        visit(Visit::Open(b, sub), depth);
                        stack.push((b, 0));
                    }
                }
            }
        }
    }

    /// Nodes and blocks drawn, the root block excluded.
    pub fn size(&self) -> usize {
        self.nodes.len() + self.blocks.len().saturating_sub(1)
    }
}

impl Node {
    /// The text lines of the node: the label (with its loop marker), then the details.
    pub fn lines(&self) -> Vec<String> {
        title_lines(&self.label, self.loop_marker.as_deref(), &self.detail)
    }
}

impl Block {
    /// The title lines of the frame: the label (with its loop marker), then the details.
    pub fn lines(&self) -> Vec<String> {
        title_lines(&self.label, self.loop_marker.as_deref(), &self.detail)
    }
}

fn title_lines(label: &str, loop_marker: Option<&str>, detail: &[String]) -> Vec<String> {
    let first = match loop_marker {
        Some(m) => format!("{label} {m}"),
        None => label.to_string(),
    };
    std::iter::once(first)
        .chain(detail.iter().cloned())
        .filter(|l| !l.is_empty())
        .collect()
}

/// The object to draw among the run's objects: in the first file that holds one, the first
/// Workflow or CronWorkflow (else the first object); with `template`, the first such object
/// that has it (or runs a WorkflowTemplate, where it may be).
pub fn choose_object<'a>(
    objects: &[(Object<'a>, Origin)],
    template: Option<&str>,
) -> Option<Object<'a>> {
    let run: Vec<Object<'a>> = objects
        .iter()
        .filter(|(_, o)| *o == Origin::Run)
        .map(|(obj, _)| *obj)
        .filter(|obj| match template {
            Some(t) => obj.workflow_spec().is_some_and(|s| {
                crate::model::walk::find_template(s, t).is_some()
                    || s.workflow_template_ref().is_some()
            }),
            None => true,
        })
        .collect();
    let first_file = run.first()?.doc.file;
    let in_first: Vec<Object<'a>> = run
        .iter()
        .copied()
        .filter(|o| o.doc.file == first_file)
        .collect();
    in_first
        .iter()
        .find(|o| build::is_runnable(o.kind))
        .or(in_first.first())
        .copied()
}

/// Builds the picture of the object [`choose_object`] picks in one text (for tests, benchmarks
/// and tools; the CLI also reads other files for references).
pub fn build_text(
    text: &str,
    template: Option<&str>,
    options: &GraphOptions,
) -> Result<Graph, BuildError> {
    let file = SourceFile::new(FileId(0), "<text>", text.to_string());
    let docs = parse_file(&file, &Limits::default(), &mut Vec::new());
    let objects: Vec<(Object<'_>, Origin)> = docs
        .iter()
        .filter_map(|d| match classify(d) {
            Classified::Argo(obj) => Some((obj, Origin::Run)),
            _ => None,
        })
        .collect();
    let chosen = choose_object(&objects, template).ok_or(BuildError::NoObject)?;
    let refs = crate::config::RefSettings::default();
    let registry = Registry::new(objects, &refs, &NoResolver);
    build(&chosen, &registry, template, options)
}

/// Cuts `text` to at most `max` characters, ending with `…` when cut.
pub fn ellipsize(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ellipsize_counts_characters() {
        assert_eq!(ellipsize("abc", 3), "abc");
        assert_eq!(ellipsize("abcd", 3), "ab…");
        assert_eq!(ellipsize("日本語です", 4), "日本語…");
        assert_eq!(ellipsize("x", 0), "…");
    }
}
