//! Mermaid flowchart output. Nested blocks become `subgraph`s (edges may end on a subgraph);
//! labels are quoted, with Mermaid's `#…;` entity codes for the characters its parser or the
//! HTML label would otherwise read (`"`, `#`, `<`, `>`, `&`) and `<br/>` for line breaks.

use std::fmt::Write as _;

use super::{EdgeKind, Graph, Item, NodeKind, Visit};

/// Renders `graph` as a Mermaid flowchart (top to bottom).
pub fn render(graph: &Graph) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "---\ntitle: {}\n---", escape(&graph.title));
    out.push_str("flowchart TD\n");
    members(graph, &mut out);
    for e in &graph.edges {
        let arrow = match e.kind {
            EdgeKind::Flow => "-->",
            EdgeKind::Hook | EdgeKind::Exit | EdgeKind::Missing => "-.->",
        };
        let label = e
            .label
            .as_ref()
            .map(|l| format!("|\"{}\"|", escape(l)))
            .unwrap_or_default();
        let _ = writeln!(out, "  {} {arrow}{label} {}", id(e.from), id(e.to));
    }
    let classes = [
        (NodeKind::Hook, "hook", "fill:#fff4d6,stroke:#b7791f"),
        (NodeKind::Exit, "exit", "fill:#f1e8fb,stroke:#7b4fa5"),
        (
            NodeKind::Missing,
            "missing",
            "fill:#fdecea,stroke:#c0392b,stroke-dasharray:4 3",
        ),
        (
            NodeKind::Recursion,
            "recursion",
            "fill:#eeeeee,stroke:#777777",
        ),
        (
            NodeKind::Truncated,
            "truncated",
            "fill:#ffffff,stroke:#777777,stroke-dasharray:4 3",
        ),
    ];
    for (kind, class, style) in classes {
        let ids: Vec<String> = graph
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.kind == kind)
            .map(|(i, _)| format!("n{i}"))
            .collect();
        if !ids.is_empty() {
            let _ = writeln!(out, "  classDef {class} {style}");
            let _ = writeln!(out, "  class {} {class}", ids.join(","));
        }
    }
    let conditional: Vec<String> = graph
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.kind == NodeKind::Call && n.conditional)
        .map(|(i, _)| format!("n{i}"))
        .collect();
    if !conditional.is_empty() {
        out.push_str("  classDef conditional stroke-dasharray:5 3\n");
        let _ = writeln!(out, "  class {} conditional", conditional.join(","));
    }
    out
}

fn id(item: Item) -> String {
    match item {
        Item::Node(n) => format!("n{n}"),
        Item::Block(b) => format!("c{b}"),
    }
}

fn members(graph: &Graph, out: &mut String) {
    graph.walk(|visit, depth| {
        let indent = "  ".repeat(depth);
        match visit {
            Visit::Node(n, node) if node.kind == NodeKind::Junction => {
                let _ = writeln!(out, "{indent}n{n}((\" \"))");
            }
            Visit::Node(n, node) => {
                let _ = writeln!(out, "{indent}n{n}[\"{}\"]", label(&node.lines()));
            }
            Visit::Open(b, sub) => {
                let _ = writeln!(out, "{indent}subgraph c{b}[\"{}\"]", label(&sub.lines()));
                let _ = writeln!(out, "{indent}  direction TB");
            }
            Visit::Close(..) => {
                let _ = writeln!(out, "{indent}end");
            }
        }
    });
}

fn label(lines: &[String]) -> String {
    lines
        .iter()
        .map(|l| escape(l))
        .collect::<Vec<_>>()
        .join("<br/>")
}

/// Escapes text for a quoted Mermaid label.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '#' => out.push_str("#35;"),
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_uses_entity_codes() {
        assert_eq!(
            escape(r#"a "b" #1 <x> & y"#),
            "a #quot;b#quot; #35;1 #lt;x#gt; #amp; y"
        );
    }
}
