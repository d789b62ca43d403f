//! Graphviz DOT output. Nested blocks become `cluster_N` subgraphs; an edge to or from a block
//! is drawn between representative nodes with `lhead`/`ltail` (`compound=true`), so Graphviz
//! clips it at the frame.

use std::fmt::Write as _;

use super::{EdgeKind, Graph, Item, NodeKind, Visit};

/// Renders `graph` as a DOT digraph.
pub fn render(graph: &Graph) -> String {
    let mut out = String::new();
    out.push_str("digraph workflow {\n");
    let _ = writeln!(
        out,
        "  graph [label={}, labelloc=t, fontname=\"Helvetica\", compound=true, rankdir=TB, nodesep=0.3, ranksep=0.45];",
        quote(&graph.title)
    );
    out.push_str(
        "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#eef3fb\", color=\"#4a6fa5\", fontname=\"Helvetica\", fontsize=11];\n",
    );
    out.push_str("  edge [color=\"#5b6b7f\", fontname=\"Helvetica\", fontsize=10];\n");
    members(graph, &mut out);
    for e in &graph.edges {
        let (Some(from), Some(to)) = (leaf(graph, e.from, false), leaf(graph, e.to, true)) else {
            continue;
        };
        let mut attrs = Vec::new();
        if let Item::Block(b) = e.from {
            attrs.push(format!("ltail=cluster_{b}"));
        }
        if let Item::Block(b) = e.to {
            attrs.push(format!("lhead=cluster_{b}"));
        }
        match e.kind {
            EdgeKind::Flow => {}
            EdgeKind::Hook | EdgeKind::Exit => attrs.push("style=dashed".to_string()),
            EdgeKind::Missing => attrs.push("style=dotted, color=\"#c0392b\"".to_string()),
        }
        if let Some(label) = &e.label {
            attrs.push(format!("label={}", quote(label)));
        }
        let _ = write!(out, "  n{from} -> n{to}");
        if !attrs.is_empty() {
            let _ = write!(out, " [{}]", attrs.join(", "));
        }
        out.push_str(";\n");
    }
    out.push_str("}\n");
    out
}

fn members(graph: &Graph, out: &mut String) {
    graph.walk(|visit, depth| {
        let indent = "  ".repeat(depth);
        match visit {
            Visit::Node(n, node) => {
                let label = quote(&node.lines().join("\n"));
                let style = match node.kind {
                    NodeKind::Call if node.conditional => {
                        "style=\"rounded,filled,dashed\"".to_string()
                    }
                    NodeKind::Call => String::new(),
                    NodeKind::Hook => "fillcolor=\"#fff4d6\", color=\"#b7791f\"".to_string(),
                    NodeKind::Exit => "fillcolor=\"#f1e8fb\", color=\"#7b4fa5\"".to_string(),
                    NodeKind::Junction => {
                        "shape=point, width=0.08, color=\"#5b6b7f\"".to_string()
                    }
                    NodeKind::Missing => {
                        "style=\"rounded,filled,dashed\", fillcolor=\"#fdecea\", color=\"#c0392b\""
                            .to_string()
                    }
                    NodeKind::Recursion => "fillcolor=\"#eeeeee\", color=\"#777777\"".to_string(),
                    NodeKind::Truncated => {
                        "style=\"rounded,dashed\", color=\"#777777\"".to_string()
                    }
                };
                if node.kind == NodeKind::Junction {
                    let _ = writeln!(out, "{indent}n{n} [{style}];");
                } else if style.is_empty() {
                    let _ = writeln!(out, "{indent}n{n} [label={label}];");
                } else {
                    let _ = writeln!(out, "{indent}n{n} [label={label}, {style}];");
                }
            }
            Visit::Open(b, sub) => {
                let _ = writeln!(out, "{indent}subgraph cluster_{b} {{");
                let _ = writeln!(
                    out,
                    "{indent}  label={}; style=\"rounded\"; color=\"#8aa1c1\"; fontname=\"Helvetica\";",
                    quote(&sub.lines().join("\n"))
                );
            }
            Visit::Close(..) => {
                let _ = writeln!(out, "{indent}}}");
            }
        }
    });
}

/// A node standing for `item` in edges: the item itself, or the first (`first`) or last leaf
/// of a block.
fn leaf(graph: &Graph, item: Item, first: bool) -> Option<usize> {
    let mut at = item;
    // Blocks nest at most as deep as the picture: bounded by the number of blocks.
    for _ in 0..=graph.blocks.len() {
        match at {
            Item::Node(n) => return Some(n),
            Item::Block(b) => {
                let items = graph.items(b);
                at = *(if first { items.first() } else { items.last() })?;
            }
        }
    }
    None
}

/// A DOT double-quoted string: `"` and `\` escaped, newlines as `\n` (centred lines).
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_escapes_quotes_backslashes_and_newlines() {
        assert_eq!(quote(r#"a "b" \n"#), r#""a \"b\" \\n""#);
        assert_eq!(quote("x\ny"), r#""x\ny""#);
    }
}
