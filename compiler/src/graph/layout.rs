//! Places a [`Graph`]: every block is laid out on its own with the [`layered`] algorithm, from
//! the innermost outwards, and then drawn as one big box in its parent (a compound layout), so
//! nested templates become frames that never overlap their neighbours.
//!
//! Text is measured with a fixed-width approximation: the SVG uses a monospace font, whose
//! advance is close to 0.6 em in every common monospace face.

pub mod layered;

use self::layered::{Input, Route, Spacing};
use super::{Graph, Item, NodeKind, ellipsize};

/// Font size of box text, in px.
pub const FONT_SIZE: f64 = 12.0;
/// Font size of edge labels, in px.
pub const LABEL_FONT_SIZE: f64 = 11.0;
/// Advance of one monospace character, as a fraction of the font size.
pub const CHAR_ADVANCE: f64 = 0.6;
/// Distance between two text lines.
pub const LINE_HEIGHT: f64 = 15.0;
const PAD_X: f64 = 10.0;
const PAD_Y: f64 = 7.0;
const BLOCK_PAD: f64 = 12.0;
const MARGIN: f64 = 16.0;
/// Longest first line / detail line drawn in a box, in characters.
const MAX_LABEL: usize = 30;
const MAX_DETAIL: usize = 38;
const MAX_LINES: usize = 4;
const JUNCTION: f64 = 8.0;

/// An axis-aligned box: top-left corner and size.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    /// Whether the two boxes share interior area.
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.x + other.w
            && other.x < self.x + self.w
            && self.y < other.y + other.h
            && other.y < self.y + self.h
    }

    fn moved(&self, dx: f64, dy: f64) -> Rect {
        Rect {
            x: self.x + dx,
            y: self.y + dy,
            ..*self
        }
    }
}

/// A placed node and the text drawn in it.
#[derive(Clone, Debug, Default)]
pub struct NodeBox {
    pub rect: Rect,
    pub lines: Vec<String>,
}

/// A placed block frame and its title lines.
#[derive(Clone, Debug, Default)]
pub struct BlockBox {
    pub rect: Rect,
    pub lines: Vec<String>,
    /// Height of the title area at the top of the frame.
    pub title_height: f64,
}

/// The placed picture, in absolute coordinates.
#[derive(Clone, Debug, Default)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    /// One per graph node.
    pub nodes: Vec<NodeBox>,
    /// One per graph block; block 0 is the whole picture.
    pub blocks: Vec<BlockBox>,
    /// One per graph edge.
    pub edges: Vec<Route>,
}

/// Width of `chars` characters at `size` px.
pub fn text_width(chars: usize, size: f64) -> f64 {
    chars as f64 * size * CHAR_ADVANCE
}

fn node_lines(graph: &Graph, n: usize) -> Vec<String> {
    let Some(node) = graph.nodes.get(n) else {
        return Vec::new();
    };
    if node.kind == NodeKind::Junction {
        return Vec::new();
    }
    node.lines()
        .iter()
        .take(MAX_LINES)
        .enumerate()
        .map(|(i, l)| ellipsize(l, if i == 0 { MAX_LABEL } else { MAX_DETAIL }))
        .collect()
}

fn block_lines(graph: &Graph, b: usize) -> Vec<String> {
    let lines = match (b, graph.blocks.get(b)) {
        (0, _) => vec![graph.title.clone()],
        (_, Some(block)) => block.lines(),
        _ => Vec::new(),
    };
    lines
        .iter()
        .take(MAX_LINES - 1)
        .enumerate()
        .map(|(i, l)| {
            if b == 0 {
                ellipsize(l, 120)
            } else {
                ellipsize(
                    l,
                    if i == 0 {
                        MAX_LABEL + 8
                    } else {
                        MAX_DETAIL + 8
                    },
                )
            }
        })
        .collect()
}

fn widest(lines: &[String]) -> usize {
    lines.iter().map(|l| l.chars().count()).max().unwrap_or(0)
}

/// A block's own layout, relative to its frame's top-left corner.
#[derive(Clone, Default)]
struct Local {
    w: f64,
    h: f64,
    title_height: f64,
    /// (item, top-left of the item's box)
    items: Vec<(Item, Rect)>,
    /// (edge index, route)
    routes: Vec<(usize, Route)>,
}

/// Lays out `graph`.
pub fn layout(graph: &Graph) -> Layout {
    let spacing = Spacing::default();
    let mut out = Layout {
        nodes: (0..graph.nodes.len())
            .map(|n| NodeBox {
                rect: Rect::default(),
                lines: node_lines(graph, n),
            })
            .collect(),
        blocks: vec![BlockBox::default(); graph.blocks.len()],
        edges: vec![Route::default(); graph.edges.len()],
        ..Layout::default()
    };
    if graph.blocks.is_empty() {
        return out;
    }
    // Edges by block.
    let mut edges_of: Vec<Vec<usize>> = vec![Vec::new(); graph.blocks.len()];
    for (e, edge) in graph.edges.iter().enumerate() {
        if let Some(b) = graph.block_of(edge.from).or(Some(0))
            && graph.block_of(edge.to).or(Some(0)) == Some(b)
            && let Some(list) = edges_of.get_mut(b)
        {
            list.push(e);
        }
    }
    // Children are created after their parents: lay out from the last block to the first.
    let mut local: Vec<Local> = vec![Local::default(); graph.blocks.len()];
    for b in (0..graph.blocks.len()).rev() {
        let lines = block_lines(graph, b);
        local[b] = lay_block(graph, b, &lines, &edges_of[b], &local, &out, &spacing);
        out.blocks[b].lines = lines;
        out.blocks[b].title_height = local[b].title_height;
    }
    // Absolute positions, from the root down (iteratively).
    let mut stack = vec![(0usize, MARGIN, MARGIN)];
    let mut visited = vec![false; graph.blocks.len()];
    while let Some((b, dx, dy)) = stack.pop() {
        if std::mem::replace(&mut visited[b], true) {
            continue;
        }
        let l = &local[b];
        out.blocks[b].rect = Rect {
            x: dx,
            y: dy,
            w: l.w,
            h: l.h,
        };
        for (item, rect) in &l.items {
            let abs = rect.moved(dx, dy);
            match *item {
                Item::Node(n) => {
                    if let Some(nb) = out.nodes.get_mut(n) {
                        nb.rect = abs;
                    }
                }
                Item::Block(c) if c < graph.blocks.len() => stack.push((c, abs.x, abs.y)),
                Item::Block(_) => {}
            }
        }
        for (e, route) in &l.routes {
            let mut r = route.clone();
            for p in &mut r.points {
                *p = (p.0 + dx, p.1 + dy);
            }
            r.label_at = r.label_at.map(|p| (p.0 + dx, p.1 + dy));
            out.edges[*e] = r;
        }
    }
    out.width = local[0].w + 2.0 * MARGIN;
    out.height = local[0].h + 2.0 * MARGIN;
    out
}

/// Size of an item as a box in its block.
fn item_size(graph: &Graph, item: Item, local: &[Local], out: &Layout) -> (f64, f64) {
    match item {
        Item::Node(n) => {
            let Some(node) = graph.nodes.get(n) else {
                return (JUNCTION, JUNCTION);
            };
            if node.kind == NodeKind::Junction {
                return (JUNCTION, JUNCTION);
            }
            let lines = &out.nodes[n].lines;
            let extra = if node.loop_marker.is_some() { 6.0 } else { 0.0 };
            (
                (text_width(widest(lines), FONT_SIZE) + 2.0 * PAD_X).max(56.0) + extra,
                lines.len().max(1) as f64 * LINE_HEIGHT + 2.0 * PAD_Y + extra,
            )
        }
        Item::Block(b) => local.get(b).map_or((JUNCTION, JUNCTION), |l| (l.w, l.h)),
    }
}

fn lay_block(
    graph: &Graph,
    b: usize,
    lines: &[String],
    edges: &[usize],
    local: &[Local],
    out: &Layout,
    spacing: &Spacing,
) -> Local {
    let items = graph.items(b);
    let index: std::collections::HashMap<Item, usize> =
        items.iter().enumerate().map(|(i, it)| (*it, i)).collect();
    let mut input = Input {
        sizes: items
            .iter()
            .map(|&it| item_size(graph, it, local, out))
            .collect(),
        ..Input::default()
    };
    let mut kept = Vec::new();
    for &e in edges {
        let edge = &graph.edges[e];
        if let (Some(&a), Some(&z)) = (index.get(&edge.from), index.get(&edge.to)) {
            input.edges.push((a, z));
            input
                .label_widths
                .push(edge.label.as_ref().map_or(0.0, |l| {
                    text_width(l.chars().count(), LABEL_FONT_SIZE) + 8.0
                }));
            kept.push(e);
        }
    }
    let placed = layered::layout(&input, spacing);
    let title_height = lines.len() as f64 * LINE_HEIGHT + 10.0;
    let title_width = text_width(widest(lines), FONT_SIZE) + 2.0 * BLOCK_PAD;
    let content_w = placed.width;
    let w = (content_w + 2.0 * BLOCK_PAD).max(title_width);
    let h = title_height + placed.height + 2.0 * BLOCK_PAD;
    let dx = (w - content_w) / 2.0;
    let dy = title_height + BLOCK_PAD;
    let items = items
        .iter()
        .enumerate()
        .map(|(i, &it)| {
            let (cx, cy) = placed.centers[i];
            let (iw, ih) = input.sizes[i];
            (
                it,
                Rect {
                    x: cx - iw / 2.0 + dx,
                    y: cy - ih / 2.0 + dy,
                    w: iw,
                    h: ih,
                },
            )
        })
        .collect();
    let routes = kept
        .into_iter()
        .zip(placed.routes)
        .map(|(e, mut r)| {
            for p in &mut r.points {
                *p = (p.0 + dx, p.1 + dy);
            }
            r.label_at = r.label_at.map(|p| (p.0 + dx, p.1 + dy));
            (e, r)
        })
        .collect();
    Local {
        w,
        h,
        title_height,
        items,
        routes,
    }
}
