//! [`VarTree`]: a trie of variable names, the building block of every scope layer.
//!
//! Each node is an intermediate map, a leaf variable, or a dynamic subtree (anything below is
//! accepted: a `withParam` item, a parameterized `globalName`). Lookups cost the length of the
//! path, independent of how many variables exist.

use std::collections::BTreeMap;

use crate::expr::check::Resolution;

/// What a node of the trie is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum VarKind {
    /// An intermediate level only (`inputs`, `inputs.parameters` when declared only as a map).
    #[default]
    Map,
    /// A variable (a string unless `string` is false).
    Leaf { string: bool },
    /// Anything at or below this node resolves.
    Dynamic,
}

/// A trie of dotted variable names.
#[derive(Clone, Debug, Default)]
pub(crate) struct VarTree {
    kind: VarKind,
    children: BTreeMap<String, VarTree>,
}

impl VarTree {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    fn node_mut(&mut self, path: &[&str]) -> &mut VarTree {
        let mut node = self;
        for seg in path {
            node = node.children.entry((*seg).to_string()).or_default();
        }
        node
    }

    /// Adds a string variable at a dotted path (`inputs.parameters.x`).
    pub(crate) fn leaf(&mut self, dotted: &str) -> &mut Self {
        let path: Vec<&str> = dotted.split('.').collect();
        self.leaf_at(&path)
    }

    /// Adds a string variable at a path given as segments (names may contain dots).
    pub(crate) fn leaf_at(&mut self, path: &[&str]) -> &mut Self {
        let n = self.node_mut(path);
        if n.kind != VarKind::Dynamic {
            n.kind = VarKind::Leaf { string: true };
        }
        self
    }

    /// Accepts anything at or below a dotted path.
    pub(crate) fn dynamic(&mut self, dotted: &str) -> &mut Self {
        let path: Vec<&str> = dotted.split('.').collect();
        self.dynamic_at(&path)
    }

    /// Accepts anything at or below a path given as segments.
    pub(crate) fn dynamic_at(&mut self, path: &[&str]) -> &mut Self {
        self.node_mut(path).kind = VarKind::Dynamic;
        self
    }

    /// Adds an intermediate level (so `x` resolves as a map even with no children yet).
    pub(crate) fn map(&mut self, dotted: &str) -> &mut Self {
        let path: Vec<&str> = dotted.split('.').collect();
        self.node_mut(&path);
        self
    }

    /// The node at `path`, or the dynamic node above it.
    fn find(&self, path: &[&str]) -> Option<&VarTree> {
        let mut node = self;
        for seg in path {
            if node.kind == VarKind::Dynamic {
                return Some(node);
            }
            node = node.children.get(*seg)?;
        }
        Some(node)
    }

    /// How `path` resolves in this tree alone.
    pub(crate) fn resolve(&self, path: &[&str]) -> Resolution {
        let mut node = self;
        for seg in path {
            if node.kind == VarKind::Dynamic {
                return Resolution::Dynamic;
            }
            match node.children.get(*seg) {
                Some(n) => node = n,
                None => return Resolution::Unknown,
            }
        }
        match node.kind {
            VarKind::Dynamic => Resolution::Dynamic,
            _ if !node.children.is_empty() => Resolution::Map,
            VarKind::Leaf { string } => Resolution::Leaf { string },
            // An empty map that was declared (e.g. `inputs.parameters` with no parameter).
            VarKind::Map if path.is_empty() => Resolution::Unknown,
            VarKind::Map => Resolution::Map,
        }
    }

    /// The names directly below `prefix`.
    pub(crate) fn children(&self, prefix: &[&str]) -> Vec<String> {
        self.find(prefix)
            .map(|n| n.children.keys().cloned().collect())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_leaves_maps_and_dynamic_subtrees() {
        let mut t = VarTree::new();
        t.leaf("inputs.parameters")
            .leaf("inputs.parameters.x")
            .dynamic("item")
            .map("outputs");
        assert_eq!(t.resolve(&["inputs"]), Resolution::Map);
        assert_eq!(t.resolve(&["inputs", "parameters"]), Resolution::Map);
        assert_eq!(
            t.resolve(&["inputs", "parameters", "x"]),
            Resolution::Leaf { string: true }
        );
        assert_eq!(
            t.resolve(&["inputs", "parameters", "y"]),
            Resolution::Unknown
        );
        assert_eq!(t.resolve(&["item", "a", "b"]), Resolution::Dynamic);
        assert_eq!(t.resolve(&["outputs"]), Resolution::Map);
        assert_eq!(t.children(&["inputs", "parameters"]), vec!["x".to_string()]);
    }
}
