//! The SVG of `bosun graph`, read back with an XML parser: every node and edge of the graph is
//! drawn, no two boxes overlap, boxes sit inside their frames and the picture, and every edge
//! starts and ends on the boundary of the boxes it joins. Checked on generated DAGs of 5 to 500
//! tasks, on the fixtures, and on shapes that stress the layout (cycles, fans, unconnected
//! tasks, nesting). Also keeps `docs/graph-50-tasks.svg` fresh (`UPDATE_GENERATED=1` rewrites it).

mod support;

use std::collections::HashMap;
use std::path::Path;

use compiler::graph::{Graph, GraphOptions, Item, build_text, sample, svg};
use quick_xml::Reader;
use quick_xml::events::Event;

#[derive(Clone, Copy, Debug)]
struct Rect {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

impl Rect {
    fn overlaps(&self, o: &Rect) -> bool {
        const EPS: f64 = 0.5;
        self.x + EPS < o.x + o.w
            && o.x + EPS < self.x + self.w
            && self.y + EPS < o.y + o.h
            && o.y + EPS < self.y + self.h
    }

    fn contains(&self, o: &Rect) -> bool {
        const EPS: f64 = 0.5;
        o.x >= self.x - EPS
            && o.y >= self.y - EPS
            && o.x + o.w <= self.x + self.w + EPS
            && o.y + o.h <= self.y + self.h + EPS
    }

    /// Whether `p` lies on the boundary (within a pixel).
    fn on_boundary(&self, p: (f64, f64)) -> bool {
        const EPS: f64 = 1.0;
        let inside_outer = p.0 >= self.x - EPS
            && p.0 <= self.x + self.w + EPS
            && p.1 >= self.y - EPS
            && p.1 <= self.y + self.h + EPS;
        let inside_inner = p.0 > self.x + EPS
            && p.0 < self.x + self.w - EPS
            && p.1 > self.y + EPS
            && p.1 < self.y + self.h - EPS;
        inside_outer && !inside_inner
    }
}

/// An edge as drawn: (from, to, first point, last point).
type DrawnEdge = (String, String, (f64, f64), (f64, f64));

/// What the SVG says.
#[derive(Default)]
struct Picture {
    width: f64,
    height: f64,
    /// id → box (`nN` nodes, `cN` block frames).
    boxes: HashMap<String, Rect>,
    edges: Vec<DrawnEdge>,
}

fn attr(e: &quick_xml::events::BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name.as_bytes())
        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
}

fn num(e: &quick_xml::events::BytesStart<'_>, name: &str) -> f64 {
    attr(e, name)
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("attribute {name}"))
}

fn point(token: &str) -> (f64, f64) {
    let t = token.trim_start_matches(['M', 'L', 'C']);
    let (x, y) = t.split_once(',').expect("x,y");
    (x.parse().expect("x"), y.parse().expect("y"))
}

fn read(svg_text: &str) -> Picture {
    let mut reader = Reader::from_str(svg_text);
    let mut pic = Picture::default();
    let mut group: Option<String> = None;
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => {
                let class = attr(&e, "class").unwrap_or_default();
                match e.name().as_ref() {
                    b"svg" => {
                        pic.width = num(&e, "width");
                        pic.height = num(&e, "height");
                    }
                    b"g" if class == "node" || class == "block" => group = attr(&e, "id"),
                    // A loop's node is two stacked cards: its box is their union.
                    b"rect" if matches!(class.as_str(), "box" | "frame" | "stack") => {
                        let id = group.clone().expect("a box inside a node or block group");
                        let r = Rect {
                            x: num(&e, "x"),
                            y: num(&e, "y"),
                            w: num(&e, "width"),
                            h: num(&e, "height"),
                        };
                        let merged = match pic.boxes.get(&id) {
                            Some(o) if class == "box" => {
                                let (x, y) = (o.x.min(r.x), o.y.min(r.y));
                                Rect {
                                    x,
                                    y,
                                    w: (o.x + o.w).max(r.x + r.w) - x,
                                    h: (o.y + o.h).max(r.y + r.h) - y,
                                }
                            }
                            Some(_) => panic!("{id}: one box per node or block"),
                            None => r,
                        };
                        pic.boxes.insert(id, merged);
                    }
                    b"path" if class == "edge" => {
                        let d = attr(&e, "d").expect("d");
                        let tokens: Vec<&str> = d.split_whitespace().collect();
                        pic.edges.push((
                            attr(&e, "data-from").expect("from"),
                            attr(&e, "data-to").expect("to"),
                            point(tokens[0]),
                            point(tokens[tokens.len() - 1]),
                        ));
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    pic
}

fn id(item: Item) -> String {
    match item {
        Item::Node(n) => format!("n{n}"),
        Item::Block(b) => format!("c{b}"),
    }
}

/// Checks the SVG of `graph` against the graph; returns the picture for further checks.
fn check(graph: &Graph, what: &str) -> Picture {
    let text = svg::render(graph);
    let pic = read(&text);
    let picture = Rect {
        x: 0.0,
        y: 0.0,
        w: pic.width,
        h: pic.height,
    };
    // Every node and block drawn once.
    for n in 0..graph.nodes.len() {
        let r = pic
            .boxes
            .get(&format!("n{n}"))
            .unwrap_or_else(|| panic!("{what}: node n{n} missing"));
        assert!(picture.contains(r), "{what}: n{n} outside the picture");
    }
    for b in 1..graph.blocks.len() {
        assert!(
            pic.boxes.contains_key(&format!("c{b}")),
            "{what}: block c{b} missing"
        );
    }
    assert_eq!(
        pic.boxes.len(),
        graph.nodes.len() + graph.blocks.len() - 1,
        "{what}"
    );
    // Every edge drawn, between the right items.
    let mut want: Vec<(String, String)> =
        graph.edges.iter().map(|e| (id(e.from), id(e.to))).collect();
    let mut got: Vec<(String, String)> = pic
        .edges
        .iter()
        .map(|(f, t, _, _)| (f.clone(), t.clone()))
        .collect();
    want.sort();
    got.sort();
    assert_eq!(got, want, "{what}: edges");
    // Edges start and end on the boxes they join.
    for (from, to, start, end) in &pic.edges {
        assert!(
            pic.boxes[from].on_boundary(*start),
            "{what}: edge {from}->{to} starts at {start:?}, off {:?}",
            pic.boxes[from]
        );
        assert!(
            pic.boxes[to].on_boundary(*end),
            "{what}: edge {from}->{to} ends at {end:?}, off {:?}",
            pic.boxes[to]
        );
    }
    // Members of a block: inside its frame, and never overlapping each other.
    for (b, block) in graph.blocks.iter().enumerate() {
        let frame = (b > 0).then(|| pic.boxes[&format!("c{b}")]);
        let members: Vec<(String, Rect)> = block
            .items
            .iter()
            .map(|&i| (id(i), pic.boxes[&id(i)]))
            .collect();
        if let Some(frame) = frame {
            for (m, r) in &members {
                assert!(frame.contains(r), "{what}: {m} outside c{b}");
            }
        }
        // Sort by x so only boxes that can meet are compared.
        let mut sorted = members.clone();
        sorted.sort_by(|a, b| a.1.x.total_cmp(&b.1.x));
        for i in 0..sorted.len() {
            for j in i + 1..sorted.len() {
                if sorted[j].1.x >= sorted[i].1.x + sorted[i].1.w {
                    break;
                }
                assert!(
                    !sorted[i].1.overlaps(&sorted[j].1),
                    "{what}: {} overlaps {}",
                    sorted[i].0,
                    sorted[j].0
                );
            }
        }
    }
    pic
}

#[test]
fn generated_dags_of_5_to_500_tasks() {
    for (n, seed) in [
        (5, 1),
        (12, 2),
        (50, 1),
        (50, 9),
        (120, 4),
        (300, 1),
        (500, 5),
    ] {
        for decorate in [false, true] {
            let text = sample::pipeline(n, seed, decorate);
            let g = build_text(&text, None, &GraphOptions::default()).expect("builds");
            assert_eq!(g.nodes.len(), n);
            let pic = check(&g, &format!("pipeline {n}/{seed}/{decorate}"));
            // Compactness: the picture is not absurdly wide for the number of boxes.
            let widest = pic.width / pic.boxes.values().map(|r| r.w).fold(0.0, f64::max);
            assert!(widest < 2.0 * (n as f64).sqrt() + 8.0, "{n}: {widest}");
        }
    }
}

#[test]
fn fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/graph");
    for name in support::yaml_files(&dir) {
        let text = std::fs::read_to_string(dir.join(&name)).unwrap();
        let g = build_text(&text, None, &GraphOptions::default()).unwrap();
        check(&g, &name);
    }
}

/// A DAG template with `tasks` given as (name, depends) pairs.
fn dag(tasks: &[(String, String)]) -> String {
    let mut s = String::from(
        "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: shape}\nspec:\n  \
         entrypoint: main\n  templates:\n    - name: leaf\n      container: {image: alpine}\n    \
         - name: main\n      dag:\n        tasks:\n",
    );
    for (name, depends) in tasks {
        s.push_str(&format!(
            "          - name: {name}\n            template: leaf\n"
        ));
        if !depends.is_empty() {
            s.push_str(&format!("            depends: \"{depends}\"\n"));
        }
    }
    s
}

#[test]
fn stressful_shapes() {
    // A wide fan-out and fan-in.
    let mut fan = vec![("root".to_string(), String::new())];
    for i in 0..80 {
        fan.push((format!("w{i}"), "root".to_string()));
    }
    let all: Vec<String> = (0..80).map(|i| format!("w{i}")).collect();
    fan.push(("sink".to_string(), all.join(" && ")));
    // Cycles, self-loops and long back edges.
    let mut cyclic: Vec<(String, String)> = (0..40)
        .map(|i| {
            let deps = match i {
                0 => "t39".to_string(),
                7 => "t7".to_string(),
                i if i % 5 == 0 => format!("t{} && t{}", i - 1, (i * 7) % 40),
                i => format!("t{}", i - 1),
            };
            (format!("t{i}"), deps)
        })
        .collect();
    cyclic.push((
        "labelled".to_string(),
        "t3.Failed || t30.Succeeded".to_string(),
    ));
    // Many unconnected tasks next to a chain.
    let mut loose: Vec<(String, String)> = (0..60)
        .map(|i| (format!("solo{i}"), String::new()))
        .collect();
    loose.extend((0..10).map(|i| {
        (
            format!("c{i}"),
            if i == 0 {
                String::new()
            } else {
                format!("c{}", i - 1)
            },
        )
    }));
    // Long edges skipping many layers.
    let long: Vec<(String, String)> = (0..60)
        .map(|i| {
            let deps = if i == 0 {
                String::new()
            } else if i % 10 == 0 {
                format!("l{} && l0", i - 1)
            } else {
                format!("l{}", i - 1)
            };
            (format!("l{i}"), deps)
        })
        .collect();
    for (what, tasks) in [
        ("fan", fan),
        ("cyclic", cyclic),
        ("loose", loose),
        ("long", long),
    ] {
        let g = build_text(&dag(&tasks), None, &GraphOptions::default()).unwrap();
        check(&g, what);
    }
}

#[test]
fn nested_blocks_with_edges_in_and_out() {
    let text = r#"
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: nested}
spec:
  entrypoint: main
  onExit: main
  templates:
    - name: leaf
      container: {image: alpine}
    - name: inner
      steps:
        - - {name: a, template: leaf}
          - {name: b, template: leaf}
        - - {name: c, template: leaf}
          - {name: d, template: middle}
    - name: middle
      dag:
        tasks:
          - {name: x, template: leaf}
          - {name: y, template: leaf, depends: x}
    - name: main
      dag:
        tasks:
          - {name: first, template: leaf}
          - {name: sub, template: inner, depends: first, withItems: [1, 2]}
          - {name: side, template: middle, depends: first}
          - {name: last, template: leaf, depends: sub && side.Failed}
"#;
    let g = build_text(text, None, &GraphOptions::default()).unwrap();
    assert!(g.blocks.len() >= 5);
    check(&g, "nested");
}

#[test]
fn docs_picture_is_fresh() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/graph-50-tasks.svg");
    let g = build_text(
        &sample::pipeline(50, 1, true),
        None,
        &GraphOptions::default(),
    )
    .unwrap();
    check(&g, "docs");
    let want = svg::render(&g);
    if std::env::var_os("UPDATE_GENERATED").is_some() {
        std::fs::write(&path, &want).expect("write docs/graph-50-tasks.svg");
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/graph-50-tasks.svg is stale: run `UPDATE_GENERATED=1 cargo test -p compiler --test graph_svg`"
    );
}
