//! The positioned YAML tree: an arena of nodes, each with its span, parent and value.
//!
//! Values are already resolved the way Kubernetes reads manifests (YAML 1.1 scalars, aliases
//! expanded, merge keys applied, last duplicate key wins). Every node knows its parent, so the JSON
//! pointer of any node is computed in O(depth) without the caller tracking paths.

use std::fmt::Write as _;

use crate::source::Span;

/// Index of a node in its [`Tree`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub(crate) u32);

const NO_PARENT: u32 = u32::MAX;

/// One key/value pair of a mapping. Keys are always strings (Kubernetes converts YAML to JSON).
#[derive(Clone, Debug)]
pub struct Entry {
    pub key: Box<str>,
    pub key_span: Span,
    pub value: NodeId,
}

/// A resolved YAML value.
#[derive(Clone, Debug)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Box<str>),
    Seq(Vec<NodeId>),
    Map(Vec<Entry>),
}

impl Value {
    /// The JSON type name of the value, as used in messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Int(_) => "integer",
            Value::Float(_) => "number",
            Value::Str(_) => "string",
            Value::Seq(_) => "array",
            Value::Map(_) => "object",
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct NodeData {
    pub(crate) span: Span,
    pub(crate) parent: u32,
    /// Position in the parent's sequence or entry list.
    pub(crate) slot: u32,
    pub(crate) value: Value,
}

/// An arena holding one YAML document. The root is the first node pushed.
#[derive(Clone, Debug, Default)]
pub struct Tree {
    pub(crate) nodes: Vec<NodeData>,
    pub(crate) root: Option<NodeId>,
}

impl Tree {
    pub fn root(&self) -> Option<NodeRef<'_>> {
        self.root.map(|id| self.node(id))
    }

    pub fn node(&self, id: NodeId) -> NodeRef<'_> {
        NodeRef { tree: self, id }
    }

    /// Number of nodes in the arena (including any orphaned by duplicate keys).
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Resolves an RFC 6901 JSON pointer (`""` is the root).
    pub fn lookup(&self, pointer: &str) -> Option<NodeRef<'_>> {
        let mut node = self.root()?;
        if pointer.is_empty() {
            return Some(node);
        }
        let rest = pointer.strip_prefix('/')?;
        for raw in rest.split('/') {
            let seg = raw.replace("~1", "/").replace("~0", "~");
            node = match node.value() {
                Value::Map(_) => node.get(&seg)?,
                Value::Seq(items) => {
                    let i: usize = seg.parse().ok()?;
                    self.node(*items.get(i)?)
                }
                _ => return None,
            };
        }
        Some(node)
    }

    pub(crate) fn push(&mut self, span: Span, value: Value) -> NodeId {
        let id = NodeId(self.nodes.len() as u32);
        self.nodes.push(NodeData {
            span,
            parent: NO_PARENT,
            slot: 0,
            value,
        });
        id
    }

    pub(crate) fn set_parent(&mut self, child: NodeId, parent: NodeId, slot: usize) {
        let c = &mut self.nodes[child.0 as usize];
        c.parent = parent.0;
        c.slot = slot as u32;
    }
}

/// A cheap, copyable handle on a node of a [`Tree`].
#[derive(Clone, Copy)]
pub struct NodeRef<'a> {
    tree: &'a Tree,
    id: NodeId,
}

impl std::fmt::Debug for NodeRef<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "NodeRef({} {})",
            self.pointer(),
            self.value().type_name()
        )
    }
}

impl PartialEq for NodeRef<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.tree, other.tree) && self.id == other.id
    }
}

impl<'a> NodeRef<'a> {
    fn data(&self) -> &'a NodeData {
        &self.tree.nodes[self.id.0 as usize]
    }

    pub fn id(&self) -> NodeId {
        self.id
    }

    pub fn tree(&self) -> &'a Tree {
        self.tree
    }

    pub fn span(&self) -> Span {
        self.data().span
    }

    pub fn value(&self) -> &'a Value {
        &self.data().value
    }

    pub fn type_name(&self) -> &'static str {
        self.value().type_name()
    }

    pub fn as_str(&self) -> Option<&'a str> {
        match self.value() {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self.value() {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.value() {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value(), Value::Null)
    }

    pub fn is_map(&self) -> bool {
        matches!(self.value(), Value::Map(_))
    }

    pub fn is_seq(&self) -> bool {
        matches!(self.value(), Value::Seq(_))
    }

    pub fn is_scalar(&self) -> bool {
        !matches!(self.value(), Value::Map(_) | Value::Seq(_))
    }

    /// A scalar rendered as Go's `%v` would after JSON decoding into `interface{}`
    /// (`true`, `42`, `1.5`, strings verbatim). `None` for null and collections.
    pub fn scalar_text(&self) -> Option<String> {
        match self.value() {
            Value::Bool(b) => Some(b.to_string()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(format_float(*f)),
            Value::Str(s) => Some(s.to_string()),
            _ => None,
        }
    }

    /// The value of `key` in this mapping.
    pub fn get(&self, key: &str) -> Option<NodeRef<'a>> {
        self.entry(key).map(|e| self.tree.node(e.value))
    }

    /// The entry for `key` in this mapping (key span included).
    pub fn entry(&self, key: &str) -> Option<&'a Entry> {
        match self.value() {
            Value::Map(entries) => entries.iter().find(|e| &*e.key == key),
            _ => None,
        }
    }

    /// Mapping entries in source order (empty for non-mappings).
    pub fn entries(&self) -> impl Iterator<Item = (&'a Entry, NodeRef<'a>)> + 'a {
        let tree = self.tree;
        let entries: &'a [Entry] = match self.value() {
            Value::Map(entries) => entries,
            _ => &[],
        };
        entries.iter().map(move |e| (e, tree.node(e.value)))
    }

    /// Sequence items in order (empty for non-sequences).
    pub fn items(&self) -> impl ExactSizeIterator<Item = NodeRef<'a>> + 'a {
        let tree = self.tree;
        let items: &'a [NodeId] = match self.value() {
            Value::Seq(items) => items,
            _ => &[],
        };
        items.iter().map(move |&id| tree.node(id))
    }

    pub fn parent(&self) -> Option<NodeRef<'a>> {
        let p = self.data().parent;
        (p != NO_PARENT).then(|| self.tree.node(NodeId(p)))
    }

    /// The key under which this node sits in its parent mapping.
    pub fn parent_entry(&self) -> Option<&'a Entry> {
        let parent = self.parent()?;
        match parent.value() {
            Value::Map(entries) => entries.get(self.data().slot as usize),
            _ => None,
        }
    }

    /// The position of this node in its parent sequence (`None` for mapping values and the root).
    pub fn index_in_parent(&self) -> Option<usize> {
        self.parent()
            .filter(|p| p.is_seq())
            .map(|_| self.data().slot as usize)
    }

    /// The span of this node's key when it is a mapping value, else its own span.
    pub fn key_span(&self) -> Span {
        self.parent_entry()
            .map(|e| e.key_span)
            .unwrap_or_else(|| self.span())
    }

    /// The RFC 6901 JSON pointer of this node (`""` for the root).
    pub fn pointer(&self) -> String {
        let mut segments: Vec<String> = Vec::new();
        let mut node = *self;
        while let Some(parent) = node.parent() {
            let slot = node.data().slot as usize;
            match parent.value() {
                Value::Map(entries) => {
                    let key = entries.get(slot).map(|e| &*e.key).unwrap_or("");
                    segments.push(key.replace('~', "~0").replace('/', "~1"));
                }
                _ => segments.push(slot.to_string()),
            }
            node = parent;
        }
        let mut out = String::new();
        for seg in segments.iter().rev() {
            let _ = write!(out, "/{seg}");
        }
        out
    }

    /// The JSON pointer of `key` under this node, whether or not the key exists.
    pub fn child_pointer(&self, key: &str) -> String {
        format!(
            "{}/{}",
            self.pointer(),
            key.replace('~', "~0").replace('/', "~1")
        )
    }

    /// Converts the subtree to a `serde_json::Value` (for hand-off to other libraries).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self.value() {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Value::Str(s) => J::String(s.to_string()),
            Value::Seq(_) => J::Array(self.items().map(|n| n.to_json()).collect()),
            Value::Map(_) => J::Object(
                self.entries()
                    .map(|(e, n)| (e.key.to_string(), n.to_json()))
                    .collect(),
            ),
        }
    }
}

/// Formats a float the way Go's `strconv.FormatFloat(f, 'g', -1, 64)` does for common values
/// (integral floats without a fraction, as JSON round-trips them through sigs.k8s.io/yaml).
pub fn format_float(f: f64) -> String {
    if f.is_infinite() {
        return if f > 0.0 { "+Inf" } else { "-Inf" }.to_string();
    }
    if f.is_nan() {
        return "NaN".to_string();
    }
    if f.fract() == 0.0 && f.abs() < 1e21 {
        return format!("{}", f as i128);
    }
    format!("{f}")
}
