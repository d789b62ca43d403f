//! A self-contained SVG of a laid-out [`Graph`]: no scripts, no external fonts or styles.
//!
//! Frames of nested blocks come first (outer ones below inner ones), then edges (smooth curves
//! with vertical tangents through the layout's points, arrowheads as markers), then nodes, then
//! edge labels on a white halo. Every node is a `<g class="node" id="nN">` whose
//! `<rect class="box">` is its box, every block a `<g class="block" id="cN">`, and every edge a
//! `<path class="edge" data-from=… data-to=…>`, so tools (and tests) can read the picture back.
//! Full texts are in `<title>` tooltips where boxes shorten them.

use std::fmt::Write as _;

use crate::diagnostics::render::junit::escape as xml;

use super::layout::{FONT_SIZE, LABEL_FONT_SIZE, LINE_HEIGHT, Layout, layout, text_width};
use super::{EdgeKind, Graph, Item, NodeKind};

const FONT: &str = "ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', 'Liberation Mono', monospace";
const INK: &str = "#1f2d3d";
const MUTED: &str = "#5b6b7f";
const RED: &str = "#c0392b";

/// Lays out and renders `graph`.
pub fn render(graph: &Graph) -> String {
    render_layout(graph, &layout(graph))
}

/// Renders `graph` placed by `placed`.
pub fn render_layout(graph: &Graph, placed: &Layout) -> String {
    let mut out = String::with_capacity(512 + graph.nodes.len() * 600);
    let (w, h) = (placed.width.ceil(), placed.height.ceil());
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{FONT}" font-size="{FONT_SIZE}">"#
    );
    let _ = writeln!(out, "<title>{}</title>", xml(&graph.title));
    out.push_str("<defs>\n");
    for (id, color) in [
        ("arrow", MUTED),
        ("arrow-red", RED),
        ("arrow-dash", "#8a94a3"),
    ] {
        let _ = writeln!(
            out,
            r#"<marker id="{id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto"><path d="M0,1 L10,5 L0,9 z" fill="{color}"/></marker>"#
        );
    }
    out.push_str("</defs>\n");
    let _ = writeln!(
        out,
        r##"<rect class="background" x="0" y="0" width="{w}" height="{h}" fill="#ffffff"/>"##
    );
    blocks(graph, placed, &mut out);
    edges(graph, placed, &mut out);
    nodes(graph, placed, &mut out);
    labels(graph, placed, &mut out);
    out.push_str("</svg>\n");
    out
}

fn depth_of(graph: &Graph, mut b: usize) -> usize {
    let mut depth = 0;
    while let Some(parent) = graph.blocks.get(b).and_then(|x| x.parent) {
        depth += 1;
        b = parent;
        if depth > graph.blocks.len() {
            break;
        }
    }
    depth
}

fn blocks(graph: &Graph, placed: &Layout, out: &mut String) {
    out.push_str("<g class=\"blocks\">\n");
    for (b, bb) in placed.blocks.iter().enumerate() {
        let r = bb.rect;
        let depth = depth_of(graph, b);
        if b == 0 {
            // The picture's title.
            for (i, line) in bb.lines.iter().enumerate() {
                let _ = writeln!(
                    out,
                    r#"<text class="title" x="{}" y="{}" font-size="{}" font-weight="bold" fill="{INK}">{}</text>"#,
                    n(r.x + 4.0),
                    n(r.y + 16.0 + i as f64 * LINE_HEIGHT),
                    FONT_SIZE + 1.0,
                    xml(line)
                );
            }
            continue;
        }
        let fill = ["#f6f8fc", "#edf1f8", "#e4eaf4", "#dbe3f0"][depth.saturating_sub(1) % 4];
        let _ = writeln!(out, r#"<g class="block" id="c{b}">"#);
        if let Some(block) = graph.blocks.get(b) {
            let _ = writeln!(out, "<title>{}</title>", xml(&block.lines().join("\n")));
        }
        let _ = writeln!(
            out,
            r##"<rect class="frame" x="{}" y="{}" width="{}" height="{}" rx="8" fill="{fill}" stroke="#8aa1c1" stroke-width="1.2"/>"##,
            n(r.x),
            n(r.y),
            n(r.w),
            n(r.h)
        );
        for (i, line) in bb.lines.iter().enumerate() {
            let (weight, color) = if i == 0 {
                (" font-weight=\"bold\"", INK)
            } else {
                ("", MUTED)
            };
            let _ = writeln!(
                out,
                r#"<text x="{}" y="{}"{weight} fill="{color}">{}</text>"#,
                n(r.x + 10.0),
                n(r.y + 17.0 + i as f64 * LINE_HEIGHT),
                xml(line)
            );
        }
        out.push_str("</g>\n");
    }
    out.push_str("</g>\n");
}

fn item_id(item: Item) -> String {
    match item {
        Item::Node(i) => format!("n{i}"),
        Item::Block(b) => format!("c{b}"),
    }
}

fn edges(graph: &Graph, placed: &Layout, out: &mut String) {
    out.push_str("<g class=\"edges\" fill=\"none\">\n");
    for (e, edge) in graph.edges.iter().enumerate() {
        let Some(route) = placed.edges.get(e) else {
            continue;
        };
        if route.points.len() < 2 {
            continue;
        }
        let (color, marker, dash) = match (edge.kind, route.back) {
            (EdgeKind::Missing, _) => (RED, "arrow-red", " stroke-dasharray=\"2 3\""),
            (_, true) => (RED, "arrow-red", " stroke-dasharray=\"6 3\""),
            (EdgeKind::Hook | EdgeKind::Exit, _) => {
                ("#8a94a3", "arrow-dash", " stroke-dasharray=\"5 4\"")
            }
            (EdgeKind::Flow, _) => (MUTED, "arrow", ""),
        };
        let cycle = if route.back && edge.kind != EdgeKind::Missing {
            " data-cycle=\"true\""
        } else {
            ""
        };
        let _ = writeln!(
            out,
            r#"<path class="edge" data-from="{}" data-to="{}"{cycle} d="{}" stroke="{color}" stroke-width="1.4"{dash} marker-end="url(#{marker})"/>"#,
            item_id(edge.from),
            item_id(edge.to),
            path(&route.points, route.self_loop)
        );
    }
    out.push_str("</g>\n");
}

/// Smooth path through `points`: cubic segments with vertical tangents; straight where the
/// points are vertically aligned.
fn path(points: &[(f64, f64)], self_loop: bool) -> String {
    let mut d = String::new();
    let Some(&(x0, y0)) = points.first() else {
        return d;
    };
    let _ = write!(d, "M{},{}", n(x0), n(y0));
    if self_loop && points.len() == 3 {
        let (p, q) = (points[0], points[2]);
        let reach = (points[1].0 - p.0) * 1.6;
        let _ = write!(
            d,
            " C{},{} {},{} {},{}",
            n(p.0 + reach),
            n(p.1),
            n(q.0 + reach),
            n(q.1),
            n(q.0),
            n(q.1)
        );
        return d;
    }
    for pair in points.windows(2) {
        let (p, q) = (pair[0], pair[1]);
        if (p.0 - q.0).abs() < 0.5 {
            let _ = write!(d, " L{},{}", n(q.0), n(q.1));
        } else {
            let dy = (q.1 - p.1) / 2.0;
            let _ = write!(
                d,
                " C{},{} {},{} {},{}",
                n(p.0),
                n(p.1 + dy),
                n(q.0),
                n(q.1 - dy),
                n(q.0),
                n(q.1)
            );
        }
    }
    d
}

fn nodes(graph: &Graph, placed: &Layout, out: &mut String) {
    out.push_str("<g class=\"nodes\">\n");
    for (i, node) in graph.nodes.iter().enumerate() {
        let Some(nb) = placed.nodes.get(i) else {
            continue;
        };
        let r = nb.rect;
        let _ = writeln!(out, r#"<g class="node" id="n{i}">"#);
        if node.kind == NodeKind::Junction {
            let _ = writeln!(
                out,
                r#"<rect class="box" x="{}" y="{}" width="{}" height="{}" rx="{}" fill="{MUTED}"/>"#,
                n(r.x),
                n(r.y),
                n(r.w),
                n(r.h),
                n(r.w / 2.0)
            );
            out.push_str("</g>\n");
            continue;
        }
        let _ = writeln!(out, "<title>{}</title>", xml(&node.lines().join("\n")));
        let (fill, stroke, dash) = match node.kind {
            NodeKind::Call if node.conditional => {
                ("#eef3fb", "#4a6fa5", " stroke-dasharray=\"5 3\"")
            }
            NodeKind::Call | NodeKind::Junction => ("#eef3fb", "#4a6fa5", ""),
            NodeKind::Hook => ("#fff4d6", "#b7791f", ""),
            NodeKind::Exit => ("#f1e8fb", "#7b4fa5", ""),
            NodeKind::Missing => ("#fdecea", RED, " stroke-dasharray=\"4 3\""),
            NodeKind::Recursion => ("#eeeeee", "#777777", ""),
            NodeKind::Truncated => ("#ffffff", "#777777", " stroke-dasharray=\"4 3\""),
        };
        // A loop draws a second card behind the box.
        let (bw, bh) = if node.loop_marker.is_some() {
            let _ = writeln!(
                out,
                r#"<rect class="stack" x="{}" y="{}" width="{}" height="{}" rx="6" fill="{fill}" stroke="{stroke}" stroke-width="1.2"/>"#,
                n(r.x + 6.0),
                n(r.y + 6.0),
                n(r.w - 6.0),
                n(r.h - 6.0)
            );
            (r.w - 6.0, r.h - 6.0)
        } else {
            (r.w, r.h)
        };
        let _ = writeln!(
            out,
            r#"<rect class="box" x="{}" y="{}" width="{}" height="{}" rx="6" fill="{fill}" stroke="{stroke}" stroke-width="1.4"{dash}/>"#,
            n(r.x),
            n(r.y),
            n(bw),
            n(bh)
        );
        let cx = r.x + bw / 2.0;
        let top = r.y + (bh - nb.lines.len() as f64 * LINE_HEIGHT) / 2.0;
        for (k, line) in nb.lines.iter().enumerate() {
            let y = top + (k as f64 + 0.78) * LINE_HEIGHT;
            if k == 0 {
                let _ = writeln!(
                    out,
                    r#"<text x="{}" y="{}" text-anchor="middle" font-weight="bold" fill="{INK}">{}</text>"#,
                    n(cx),
                    n(y),
                    xml(line)
                );
            } else {
                let _ = writeln!(
                    out,
                    r#"<text x="{}" y="{}" text-anchor="middle" font-size="{}" fill="{MUTED}">{}</text>"#,
                    n(cx),
                    n(y),
                    FONT_SIZE - 1.0,
                    xml(line)
                );
            }
        }
        out.push_str("</g>\n");
    }
    out.push_str("</g>\n");
}

fn labels(graph: &Graph, placed: &Layout, out: &mut String) {
    out.push_str("<g class=\"labels\">\n");
    for (e, edge) in graph.edges.iter().enumerate() {
        let (Some(label), Some(route)) = (&edge.label, placed.edges.get(e)) else {
            continue;
        };
        let Some((x, y)) = route.label_at else {
            continue;
        };
        let w = text_width(label.chars().count(), LABEL_FONT_SIZE) + 8.0;
        let _ = writeln!(
            out,
            r##"<g class="edge-label"><rect x="{}" y="{}" width="{}" height="15" rx="3" fill="#ffffff" fill-opacity="0.9"/><text x="{}" y="{}" text-anchor="middle" font-size="{LABEL_FONT_SIZE}" fill="#34495e">{}</text></g>"##,
            n(x - w / 2.0),
            n(y - 8.0),
            n(w),
            n(x),
            n(y + 4.0),
            xml(label)
        );
    }
    out.push_str("</g>\n");
}

/// A number with at most one decimal (SVG coordinates).
fn n(v: f64) -> String {
    let v = if v.is_finite() { v } else { 0.0 };
    let r = (v * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_numbers() {
        assert_eq!(xml("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
        assert_eq!(n(1.04), "1");
        assert_eq!(n(1.25), "1.3");
        assert_eq!(n(f64::NAN), "0");
    }

    #[test]
    fn paths_are_straight_when_aligned_and_curved_otherwise() {
        assert_eq!(path(&[(0.0, 0.0), (0.0, 10.0)], false), "M0,0 L0,10");
        assert_eq!(
            path(&[(0.0, 0.0), (10.0, 10.0)], false),
            "M0,0 C0,5 10,5 10,10"
        );
    }
}
