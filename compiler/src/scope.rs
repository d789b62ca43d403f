//! The scope model: which variables exist in each field of a workflow (argo-rules §3.4).
//!
//! Scopes are layered and built once: the object's `workflow.*` globals ([`globals`]), each
//! template's own variables ([`template::TemplateScope`]: inputs, pod-side output paths,
//! `pod.name`, retries, metrics-only names), its steps or tasks ([`nodes::Nodes`], with a
//! visibility rule per position: earlier step groups only, DAG ancestors only), and per-position
//! additions (loop `item`, `workflow.failures` in exit handlers). A [`FieldScope`] stacks
//! references to those layers for one field and implements [`Scope`] for the expression
//! checker; lookups cost the length of the path (plus one hash lookup and one bit test for
//! `steps.X`/`tasks.X`), never the number of variables.

pub(crate) mod globals;
pub(crate) mod nodes;
pub(crate) mod reach;
pub(crate) mod template;
pub(crate) mod tree;

use crate::expr::check::{Resolution, Scope};
use crate::parse::NodeRef;
use globals::ARGO_KEY_PREFIX;
use nodes::{Nodes, Visibility};
use tree::VarTree;

/// The variables visible in one field: trees consulted in order, the steps/tasks of the
/// enclosing template with a visibility rule, and the scope of the enclosing step or task for
/// inline templates.
#[derive(Default)]
pub(crate) struct FieldScope<'s> {
    pub trees: Vec<&'s VarTree>,
    pub nodes: Option<(&'s Nodes<'s>, Visibility)>,
    pub parent: Option<&'s FieldScope<'s>>,
    /// Identifiers made only of `_` stand for substituted tags (raw expression fields).
    pub placeholders: bool,
}

impl<'s> FieldScope<'s> {
    pub(crate) fn new(trees: Vec<&'s VarTree>) -> Self {
        FieldScope {
            trees,
            ..FieldScope::default()
        }
    }
}

impl Scope for FieldScope<'_> {
    fn resolve(&self, path: &[&str]) -> Resolution {
        match path {
            [] => return Resolution::Map,
            [p, ..] if self.placeholders && p.chars().all(|c| c == '_') => {
                return Resolution::Dynamic;
            }
            ["workflow", "labels" | "annotations", key, ..] if key.starts_with(ARGO_KEY_PREFIX) => {
                return Resolution::Leaf { string: true };
            }
            _ => {}
        }
        if let Some((nodes, vis)) = self.nodes
            && path[0] == nodes.kind.root()
            && path.len() > 1
        {
            let r = nodes.resolve(path, vis);
            if r != Resolution::Unknown {
                return r;
            }
        }
        for t in &self.trees {
            let r = t.resolve(path);
            if r != Resolution::Unknown {
                return r;
            }
        }
        if let Some((nodes, _)) = self.nodes
            && path == [nodes.kind.root()]
        {
            return Resolution::Map;
        }
        self.parent.map_or(Resolution::Unknown, |p| p.resolve(path))
    }

    fn children(&self, prefix: &[&str]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        if let Some((nodes, vis)) = self.nodes {
            out.extend(nodes.children(prefix, vis));
        }
        for t in &self.trees {
            out.extend(t.children(prefix));
        }
        if let Some(p) = self.parent {
            out.extend(p.children(prefix));
        }
        out.sort();
        out.dedup();
        out
    }
}

/// The `item` variables of a looped step or task: keys of map items for `withItems`, anything
/// for `withParam`, a plain value for `withSequence`.
pub(crate) fn item_tree(node: NodeRef<'_>) -> Option<VarTree> {
    let mut t = VarTree::new();
    if node.get("withParam").is_some_and(|n| !n.is_null()) {
        t.dynamic("item");
        return Some(t);
    }
    if node.get("withSequence").is_some_and(|n| !n.is_null()) {
        t.leaf("item");
        return Some(t);
    }
    let items = node.get("withItems").filter(|n| !n.is_null())?;
    t.leaf("item");
    for it in items.items() {
        if it.is_map() {
            for (e, _) in it.entries() {
                t.leaf_at(&["item", e.key.as_ref()]);
            }
        } else if it.is_seq() || it.as_str().is_some_and(|s| s.contains("{{")) {
            t.dynamic("item");
        }
    }
    if !items.is_seq() {
        t.dynamic("item");
    }
    Some(t)
}

/// The items of an optional sequence view.
pub(crate) fn items<'a, T: crate::model::view::View<'a> + 'a>(
    s: Option<crate::model::view::Seq<'a, T>>,
) -> Vec<T> {
    s.map(|s| s.iter().collect()).unwrap_or_default()
}
