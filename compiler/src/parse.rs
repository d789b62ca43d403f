//! YAML/JSON text → positioned trees, one per document of the stream.
//!
//! Parsing never fails: syntax errors, alias bombs, excessive nesting and oversized documents
//! become [`Diagnostic`]s and the affected document is dropped, while earlier documents are kept.
//! Work is linear in the input and bounded by [`Limits`]: the tree is built iteratively from
//! granit-parser's event stream (no recursion on input depth), aliases are copied under a node
//! budget, and a document stops being built once it passes the size limit.

pub mod rules;
mod scalar;
mod tree;

use std::collections::HashMap;

use granit_parser::{ErrorKind, Event, Parser, ScalarStyle, ScanError, Span as YSpan};

pub use scalar::resolve_plain;
pub use tree::{Entry, NodeId, NodeRef, Tree, Value, format_float};

use crate::diagnostics::Diagnostic;
use crate::source::{FileId, SourceFile, Span};

/// Bounds on the input, so that hostile files cost bounded time and memory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Files larger than this are not parsed (AW007).
    pub max_file_bytes: usize,
    /// Documents larger than this are dropped (AW007).
    pub max_document_bytes: usize,
    /// Deepest allowed nesting of mappings and sequences (AW006).
    pub max_depth: usize,
    /// Most nodes that alias expansion may copy into one document (AW005).
    pub max_alias_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 32 << 20,
            max_document_bytes: 4 << 20,
            max_depth: 100,
            max_alias_nodes: 250_000,
        }
    }
}

/// One YAML document of a file.
#[derive(Debug)]
pub struct Document {
    pub file: FileId,
    /// Position in the file's stream (0-based, counting empty documents).
    pub index: u32,
    /// From the document's first to its last event.
    pub span: Span,
    pub tree: Tree,
}

impl Document {
    pub fn root(&self) -> Option<NodeRef<'_>> {
        self.tree.root()
    }
}

/// Parses every document of `file`. Diagnostics go to `out`; documents that could not be read
/// completely are left out of the result.
pub fn parse_file(file: &SourceFile, limits: &Limits, out: &mut Vec<Diagnostic>) -> Vec<Document> {
    let text = file.text();
    if text.len() > limits.max_file_bytes {
        out.push(rules::input_too_large::file_diagnostic(
            Span::point(file.id(), 0),
            text.len() as u64,
            limits.max_file_bytes,
        ));
        return Vec::new();
    }
    let mut builder = Builder::new(file, limits);
    let mut parser = Parser::new_from_str(text);
    loop {
        match parser.next_event() {
            None => break,
            Some(Ok((event, span))) => {
                if builder.event(event, span, out) {
                    break;
                }
            }
            Some(Err(err)) => {
                // A document already stopped for depth makes the scanner hit its own recursion
                // limit too; one diagnostic is enough.
                let repeated =
                    builder.mode == Mode::Skipping && err.info().contains("recursion limit");
                if !repeated {
                    out.push(scan_error_diagnostic(file, &err, limits));
                }
                break;
            }
        }
    }
    builder.docs
}

fn scan_error_diagnostic(file: &SourceFile, err: &ScanError, limits: &Limits) -> Diagnostic {
    let m = err.marker();
    let offset = m
        .byte_offset()
        .map_or_else(|| file.offset_of(m.line(), m.col()), |b| b as u32);
    let end = file.text()[offset.min(file.text().len() as u32) as usize..]
        .chars()
        .next()
        .map_or(offset, |c| offset + c.len_utf8() as u32);
    let span = Span::new(file.id(), offset, end);
    let info = err.kind().to_string();
    match err.kind() {
        ErrorKind::RecursionLimitExceeded => {
            rules::nesting_too_deep::diagnostic(span, limits.max_depth)
        }
        ErrorKind::TabNotAllowed
        | ErrorKind::TabInBlockIndentation
        | ErrorKind::TabInIndentation
        | ErrorKind::TabAtBlockScalarStart => rules::tab_indentation::diagnostic(span, &info),
        _ => rules::yaml_syntax_error::diagnostic(span, &info),
    }
}

enum Frame {
    Seq {
        id: NodeId,
        anchor: usize,
        items: Vec<NodeId>,
    },
    Map {
        id: NodeId,
        anchor: usize,
        entries: Vec<Entry>,
        /// The key waiting for its value: `None` while a key is expected.
        key: Option<PendingKey>,
        merges: Vec<NodeId>,
    },
}

struct PendingKey {
    text: Box<str>,
    span: Span,
    /// `<<` written plain: a YAML merge key.
    merge: bool,
    /// The key was not a scalar; its value is dropped.
    invalid: bool,
}

/// What the builder is doing with the current document.
#[derive(PartialEq)]
enum Mode {
    Building,
    /// The document broke a limit: its events are consumed without building anything.
    Skipping,
}

struct Builder<'s> {
    file: &'s SourceFile,
    limits: &'s Limits,
    docs: Vec<Document>,
    tree: Tree,
    stack: Vec<Frame>,
    anchors: HashMap<usize, NodeId>,
    mode: Mode,
    doc_index: u32,
    doc_start: u32,
    copied: usize,
    /// Last converted (character index, byte offset) pair.
    cursor: (usize, usize),
}

impl<'s> Builder<'s> {
    fn new(file: &'s SourceFile, limits: &'s Limits) -> Self {
        Builder {
            file,
            limits,
            docs: Vec::new(),
            tree: Tree::default(),
            stack: Vec::new(),
            anchors: HashMap::new(),
            mode: Mode::Building,
            doc_index: 0,
            doc_start: 0,
            copied: 0,
            cursor: (0, 0),
        }
    }

    /// Converts the parser's span to a byte span. Byte offsets come with string input; the
    /// character-index fallback uses a cursor (events arrive in source order), so it stays linear.
    fn span(&mut self, s: &YSpan) -> Span {
        let start = self.byte_at(&s.start);
        let end = if s.end == s.start {
            start
        } else {
            self.byte_at(&s.end)
        };
        Span::new(self.file.id(), start as u32, end as u32)
    }

    fn byte_at(&mut self, m: &granit_parser::Marker) -> usize {
        if let Some(b) = m.byte_offset() {
            return b;
        }
        let byte = self.file.byte_offset_from(self.cursor, m.index());
        if m.index() >= self.cursor.0 {
            self.cursor = (m.index(), byte);
        }
        byte
    }

    /// Feeds one event; returns true when parsing should stop.
    fn event(&mut self, event: Event<'_>, yspan: YSpan, out: &mut Vec<Diagnostic>) -> bool {
        let span = self.span(&yspan);
        match event {
            Event::StreamStart => {}
            Event::StreamEnd => return true,
            Event::DocumentStart(..) => {
                self.tree = Tree::default();
                self.stack.clear();
                self.anchors.clear();
                self.mode = Mode::Building;
                self.doc_start = span.start;
                self.copied = 0;
            }
            Event::DocumentEnd => {
                self.finish_document(span);
            }
            _ if self.mode == Mode::Skipping => {}
            event => {
                if (span.end - self.doc_start) as usize > self.limits.max_document_bytes {
                    out.push(
                        rules::input_too_large::document_diagnostic(
                            Span::point(self.file.id(), self.doc_start),
                            self.limits.max_document_bytes,
                        )
                        .in_document(self.doc_index),
                    );
                    self.mode = Mode::Skipping;
                    return false;
                }
                self.node_event(event, span, out);
            }
        }
        false
    }

    fn node_event(&mut self, event: Event<'_>, span: Span, out: &mut Vec<Diagnostic>) {
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                // A scalar in key position is a key, not a node.
                if let Some(Frame::Map { key: k @ None, .. }) = self.stack.last_mut() {
                    *k = Some(PendingKey {
                        merge: style == ScalarStyle::Plain && text == "<<",
                        text: key_text(&text, style).into(),
                        span,
                        invalid: false,
                    });
                    return;
                }
                let value = match style {
                    ScalarStyle::Plain => match tag.as_deref() {
                        Some(t) if t.is_yaml_core_schema_tag("str") => {
                            Value::Str(text.as_ref().into())
                        }
                        _ => scalar::resolve_plain(&text),
                    },
                    _ => match tag.as_deref() {
                        Some(t)
                            if t.is_yaml_core_schema()
                                && matches!(t.suffix(), "int" | "float" | "bool" | "null") =>
                        {
                            scalar::resolve_plain(&text)
                        }
                        _ => Value::Str(text.as_ref().into()),
                    },
                };
                let id = self.tree.push(span, value);
                if anchor > 0 {
                    self.anchors.insert(anchor, id);
                }
                self.attach(id, out);
            }
            Event::SequenceStart(_, anchor, _) => {
                if self.too_deep(span, out) {
                    return;
                }
                let id = self.tree.push(span, Value::Seq(Vec::new()));
                self.stack.push(Frame::Seq {
                    id,
                    anchor,
                    items: Vec::new(),
                });
            }
            Event::MappingStart(_, anchor, _) => {
                if self.too_deep(span, out) {
                    return;
                }
                let id = self.tree.push(span, Value::Map(Vec::new()));
                self.stack.push(Frame::Map {
                    id,
                    anchor,
                    entries: Vec::new(),
                    key: None,
                    merges: Vec::new(),
                });
            }
            Event::SequenceEnd | Event::MappingEnd => self.close(span, out),
            Event::Alias(anchor) => {
                let Some(&source) = self.anchors.get(&anchor) else {
                    out.push(
                        rules::yaml_syntax_error::diagnostic(span, "alias to an undefined anchor")
                            .in_document(self.doc_index),
                    );
                    self.mode = Mode::Skipping;
                    return;
                };
                match self.copy_subtree(source) {
                    Some(id) => self.attach(id, out),
                    None => {
                        out.push(
                            rules::alias_bomb::diagnostic(span, self.limits.max_alias_nodes)
                                .in_document(self.doc_index),
                        );
                        self.mode = Mode::Skipping;
                    }
                }
            }
            _ => {}
        }
    }

    fn too_deep(&mut self, span: Span, out: &mut Vec<Diagnostic>) -> bool {
        if self.stack.len() >= self.limits.max_depth {
            out.push(
                rules::nesting_too_deep::diagnostic(span, self.limits.max_depth)
                    .in_document(self.doc_index),
            );
            self.mode = Mode::Skipping;
            return true;
        }
        false
    }

    fn close(&mut self, end: Span, out: &mut Vec<Diagnostic>) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        let (id, anchor) = match frame {
            Frame::Seq { id, anchor, items } => {
                for (slot, &child) in items.iter().enumerate() {
                    self.tree.set_parent(child, id, slot);
                }
                self.tree.nodes[id.0 as usize].value = Value::Seq(items);
                (id, anchor)
            }
            Frame::Map {
                id,
                anchor,
                mut entries,
                merges,
                ..
            } => {
                self.apply_merges(&mut entries, &merges);
                for (slot, e) in entries.iter().enumerate() {
                    self.tree.set_parent(e.value, id, slot);
                }
                self.tree.nodes[id.0 as usize].value = Value::Map(entries);
                (id, anchor)
            }
        };
        let node = &mut self.tree.nodes[id.0 as usize];
        node.span = Span::new(
            node.span.file,
            node.span.start,
            end.end.max(node.span.start),
        );
        if anchor > 0 {
            self.anchors.insert(anchor, id);
        }
        self.attach(id, out);
    }

    /// `<<: *base` and `<<: [*a, *b]`: keys of the merged mappings that the mapping does not set
    /// itself are added, earlier sources first (YAML 1.1 merge, as Kubernetes applies it).
    fn apply_merges(&mut self, entries: &mut Vec<Entry>, merges: &[NodeId]) {
        for &m in merges {
            let sources: Vec<NodeId> = match &self.tree.nodes[m.0 as usize].value {
                Value::Map(_) => vec![m],
                Value::Seq(items) => items.clone(),
                _ => Vec::new(),
            };
            for s in sources {
                let Value::Map(src) = &self.tree.nodes[s.0 as usize].value else {
                    continue;
                };
                let src = src.clone();
                for e in src {
                    if !entries.iter().any(|x| x.key == e.key) {
                        entries.push(e);
                    }
                }
            }
        }
    }

    fn attach(&mut self, id: NodeId, out: &mut Vec<Diagnostic>) {
        let doc_index = self.doc_index;
        match self.stack.last_mut() {
            None => {
                if self.tree.root.is_none() {
                    self.tree.root = Some(id);
                }
            }
            Some(Frame::Seq { items, .. }) => items.push(id),
            Some(Frame::Map {
                entries,
                key,
                merges,
                ..
            }) => match key.take() {
                None => {
                    // A collection in key position.
                    let span = self.tree.nodes[id.0 as usize].span;
                    out.push(rules::non_string_key::diagnostic(span).in_document(doc_index));
                    *key = Some(PendingKey {
                        text: "".into(),
                        span,
                        merge: false,
                        invalid: true,
                    });
                }
                Some(k) if k.invalid => {}
                Some(k) if k.merge => merges.push(id),
                Some(k) => {
                    if let Some(existing) = entries.iter_mut().find(|e| e.key == k.text) {
                        out.push(
                            rules::duplicate_key::diagnostic(k.span, existing.key_span, &k.text)
                                .in_document(doc_index),
                        );
                        existing.key_span = k.span;
                        existing.value = id;
                    } else {
                        entries.push(Entry {
                            key: k.text,
                            key_span: k.span,
                            value: id,
                        });
                    }
                }
            },
        }
    }

    /// Deep-copies the subtree at `source` (an alias expansion), within the node budget.
    fn copy_subtree(&mut self, source: NodeId) -> Option<NodeId> {
        // Count first, so a bomb is refused before anything is allocated for it.
        let mut count = 0usize;
        let mut todo = vec![source];
        while let Some(n) = todo.pop() {
            count += 1;
            if self.copied + count > self.limits.max_alias_nodes {
                return None;
            }
            match &self.tree.nodes[n.0 as usize].value {
                Value::Seq(items) => todo.extend(items.iter().copied()),
                Value::Map(entries) => todo.extend(entries.iter().map(|e| e.value)),
                _ => {}
            }
        }
        self.copied += count;
        // Copy iteratively: (source node, new parent, slot).
        let root = self.clone_node(source);
        let mut todo = vec![root];
        while let Some(new) = todo.pop() {
            let children: Vec<NodeId> = match &self.tree.nodes[new.0 as usize].value {
                Value::Seq(items) => items.clone(),
                Value::Map(entries) => entries.iter().map(|e| e.value).collect(),
                _ => continue,
            };
            let mut copies = Vec::with_capacity(children.len());
            for (slot, c) in children.into_iter().enumerate() {
                let cc = self.clone_node(c);
                self.tree.set_parent(cc, new, slot);
                copies.push(cc);
                todo.push(cc);
            }
            match &mut self.tree.nodes[new.0 as usize].value {
                Value::Seq(items) => *items = copies,
                Value::Map(entries) => {
                    for (e, c) in entries.iter_mut().zip(copies) {
                        e.value = c;
                    }
                }
                _ => {}
            }
        }
        Some(root)
    }

    fn clone_node(&mut self, n: NodeId) -> NodeId {
        let data = &self.tree.nodes[n.0 as usize];
        let (span, value) = (data.span, data.value.clone());
        self.tree.push(span, value)
    }

    fn finish_document(&mut self, end: Span) {
        let index = self.doc_index;
        self.doc_index += 1;
        let tree = std::mem::take(&mut self.tree);
        self.stack.clear();
        if self.mode == Mode::Skipping {
            return;
        }
        self.docs.push(Document {
            file: self.file.id(),
            index,
            span: Span::new(self.file.id(), self.doc_start, end.end.max(self.doc_start)),
            tree,
        });
    }
}

fn key_text(text: &str, style: ScalarStyle) -> String {
    // sigs.k8s.io/yaml turns non-string keys into their JSON text: `true`, `1`, `null`.
    if style != ScalarStyle::Plain {
        return text.to_string();
    }
    match scalar::resolve_plain(text) {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => format_float(f),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests;
