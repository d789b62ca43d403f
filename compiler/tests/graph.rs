//! `bosun graph`: DOT and Mermaid snapshots of the fixtures in `tests/data/graph/` (diamond,
//! steps with parallel groups, templateRef expansion, when/depends labels, loops, exit handlers
//! and hooks, broken input), the structure of the built graph, and the command line's exit
//! codes and format choice.

mod support;

use std::path::{Path, PathBuf};

use support::{Run, bosun_in, yaml_files};

use compiler::graph::{
    BuildError, EdgeKind, Graph, GraphOptions, Item, NodeKind, build_text, dot, mermaid,
};

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/graph")
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(data_dir().join(name)).expect("fixture exists")
}

fn graph_of(name: &str) -> Graph {
    build_text(&fixture(name), None, &GraphOptions::default()).expect("builds")
}

/// DOT, then Mermaid, then the notes.
fn texts(graph: &Graph) -> String {
    let notes: Vec<String> = graph.notes.iter().map(|n| n.message.clone()).collect();
    format!(
        "{}\n{}\nnotes:\n{}\n",
        dot::render(graph),
        mermaid::render(graph),
        notes.join("\n")
    )
}

#[test]
fn fixtures_render_as_dot_and_mermaid() {
    let names = yaml_files(&data_dir());
    assert_eq!(names.len(), 7);
    for name in names {
        let graph = graph_of(&name);
        insta::assert_snapshot!(format!("graph_{name}"), texts(&graph));
    }
}

fn labels(graph: &Graph) -> Vec<(String, String, Option<String>)> {
    let name = |item: Item| match item {
        Item::Node(n) => graph.nodes[n].label.clone(),
        Item::Block(b) => graph.blocks[b].label.clone(),
    };
    graph
        .edges
        .iter()
        .map(|e| (name(e.from), name(e.to), e.label.clone()))
        .collect()
}

#[test]
fn depends_results_label_edges() {
    let g = graph_of("conditions.yaml");
    let edges = labels(&g);
    let find = |from: &str, to: &str| {
        edges
            .iter()
            .find(|(a, b, _)| a == from && b == to)
            .map(|e| e.2.clone())
    };
    assert_eq!(find("flip", "heads"), Some(None));
    assert_eq!(find("heads", "recover"), Some(Some("Failed".to_string())));
    assert_eq!(
        find("heads", "report"),
        Some(Some("Succeeded | Skipped".to_string()))
    );
    assert_eq!(find("tails", "report"), Some(Some("!Failed".to_string())));
    let heads = g.nodes.iter().find(|n| n.label == "heads").unwrap();
    assert!(heads.conditional);
    assert!(heads.detail.iter().any(|d| d.starts_with("when ")));
}

#[test]
fn template_refs_expand_into_blocks_and_missing_ones_are_marked() {
    let g = graph_of("templateref.yaml");
    let build = g.blocks.iter().find(|b| b.label == "build").expect("block");
    assert_eq!(build.detail[0], "ref: ci-library.build-pipeline");
    assert_eq!(build.items.len(), 3);
    let deploy = g.nodes.iter().find(|n| n.label == "deploy").unwrap();
    assert_eq!(deploy.kind, NodeKind::Missing);
    assert!(g.notes[0].message.contains("`cd-library` not found"));
    // An edge to and from the expanded block, not to its members.
    assert!(
        g.edges
            .iter()
            .any(|e| matches!(e.to, Item::Block(_)) && e.kind == EdgeKind::Flow)
    );
}

#[test]
fn steps_groups_are_joined_and_loops_marked() {
    let g = graph_of("steps.yaml");
    let junctions = g
        .nodes
        .iter()
        .filter(|n| n.kind == NodeKind::Junction)
        .count();
    assert_eq!(
        junctions, 1,
        "two parallel groups in a row meet at one join"
    );
    let nested = g.blocks.iter().find(|b| b.label == "task2-3").unwrap();
    assert_eq!(nested.loop_marker.as_deref(), Some("×?"));
    let g = graph_of("loops.yaml");
    let markers: Vec<_> = g.nodes.iter().map(|n| n.loop_marker.clone()).collect();
    assert_eq!(
        markers,
        [
            None,
            Some("×3".to_string()),
            Some("×?".to_string()),
            Some("×5".to_string())
        ]
    );
}

#[test]
fn exit_handlers_and_hooks_hang_off_their_callers() {
    let g = graph_of("exit-handler.yaml");
    let kinds: Vec<EdgeKind> = g.edges.iter().map(|e| e.kind).collect();
    assert_eq!(kinds.iter().filter(|k| **k == EdgeKind::Exit).count(), 2);
    assert_eq!(kinds.iter().filter(|k| **k == EdgeKind::Hook).count(), 2);
    // The workflow's own exit handler is a steps template: a block after the entrypoint.
    let exit = g.blocks.iter().find(|b| b.label == "onExit").unwrap();
    assert_eq!(exit.items.len(), 3);
}

#[test]
fn broken_input_is_drawn_with_notes() {
    let g = graph_of("broken.yaml");
    let notes: Vec<&str> = g.notes.iter().map(|n| n.message.as_str()).collect();
    assert!(notes.iter().any(|n| n.contains("`nowhere` not found")));
    assert!(notes.iter().any(|n| n.contains("recursion")));
    assert!(
        notes
            .iter()
            .any(|n| n.contains("`ghost`, which is no task"))
    );
    assert!(
        notes
            .iter()
            .any(|n| n.contains("`A`, `B`, `C` depend on each other in a cycle"))
    );
    assert!(notes.iter().any(|n| n.contains("`F` depends on itself")));
    let recursion = g
        .nodes
        .iter()
        .filter(|n| n.kind == NodeKind::Recursion)
        .count();
    assert_eq!(recursion, 1);
}

#[test]
fn a_chosen_template_is_drawn_and_unknown_ones_are_errors() {
    let text = fixture("exit-handler.yaml");
    let g = build_text(&text, Some("exit-handler"), &GraphOptions::default()).unwrap();
    assert_eq!(g.blocks[0].label, "exit-handler");
    assert_eq!(g.nodes.len(), 3);
    let err = build_text(&text, Some("nope"), &GraphOptions::default()).unwrap_err();
    assert_eq!(err, BuildError::NoObject);
    let no_entry = text.replace("  entrypoint: intentional-fail\n", "");
    let err = build_text(&no_entry, None, &GraphOptions::default()).unwrap_err();
    assert!(
        err.to_string()
            .contains("has no entrypoint; choose a template with `--template`"),
        "{err}"
    );
}

#[test]
fn the_node_budget_cuts_every_block() {
    let text = compiler::graph::sample::pipeline(300, 3, false);
    let options = GraphOptions {
        max_nodes: 40,
        ..GraphOptions::default()
    };
    let g = build_text(&text, None, &options).unwrap();
    assert!(g.nodes.len() <= 41, "{}", g.nodes.len());
    let last = g.nodes.last().unwrap();
    assert_eq!(last.kind, NodeKind::Truncated);
    assert_eq!(last.label, "… 260 more");
    assert!(
        g.notes
            .iter()
            .any(|n| n.message.contains("cut at 40 nodes"))
    );
}

#[test]
fn recursion_through_template_refs_stops() {
    let text = r#"
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: loop}
spec:
  entrypoint: main
  templates:
    - name: main
      dag:
        tasks:
          - name: a
            templateRef: {name: lib-a, template: run}
---
apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata: {name: lib-a}
spec:
  templates:
    - name: run
      steps:
        - - name: b
            templateRef: {name: lib-b, template: run}
---
apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata: {name: lib-b}
spec:
  templates:
    - name: run
      dag:
        tasks:
          - name: c
            templateRef: {name: lib-a, template: run}
"#;
    let g = build_text(text, None, &GraphOptions::default()).unwrap();
    assert_eq!(g.blocks.len(), 3, "main, lib-a.run, lib-b.run");
    let rec = g.nodes.iter().find(|n| n.kind == NodeKind::Recursion);
    assert_eq!(rec.map(|n| n.label.as_str()), Some("c"));
}

#[test]
fn odd_shapes_never_panic() {
    let base = fixture("conditions.yaml");
    let variants = [
        base.replace("dag:\n        tasks:", "dag:\n        tasks: 5\n        x:"),
        base.replace("depends: flip\n", "depends: \"((((flip\"\n"),
        base.replace("template: say", "templateRef: 7"),
        base.replace("template: say", "template: \"{{inputs.parameters.t}}\""),
        base.replace("entrypoint: main", "entrypoint: [main]"),
        base.replace("entrypoint: main", "entrypoint: \"{{workflow.parameters.e}}\""),
        base.replace("- name: flip\n            template: flip", "- 3"),
        "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: x}\nspec:\n  entrypoint: m\n  templates:\n    - name: m\n      steps: [[], 3, [{name: a}], [[]]]\n".to_string(),
        "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: x}\nspec:\n  entrypoint: m\n  templates:\n    - name: m\n      dag: {tasks: []}\n".to_string(),
        "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: x}\nspec:\n  entrypoint: m\n  onExit: [x]\n  hooks: {a: 5, b: {template: m}}\n  templates:\n    - name: m\n      steps: [[{name: s, template: m, withSequence: {start: \"x\", end: 3}, hooks: {exit: {template: zz}}}]]\n".to_string(),
    ];
    for text in &variants {
        if let Ok(g) = build_text(text, None, &GraphOptions::default()) {
            let _ = dot::render(&g);
            let _ = mermaid::render(&g);
            let _ = compiler::graph::svg::render(&g);
        }
    }
}

// ---- the command line ----

fn bosun(args: &[&str]) -> Run {
    bosun_in(&data_dir(), args)
}

#[test]
fn cli_writes_each_format() {
    let dot = bosun(&["graph", "diamond.yaml"]);
    assert_eq!(dot.code, 0, "{}", dot.stderr);
    assert!(dot.stdout.starts_with("digraph workflow {"));
    let mmd = bosun(&["graph", "diamond.yaml", "--format", "mermaid"]);
    assert!(mmd.stdout.contains("flowchart TD"));
    let svg = bosun(&["graph", "diamond.yaml", "--format", "svg"]);
    assert!(svg.stdout.starts_with("<svg xmlns="));
    assert!(svg.stderr.is_empty());
}

#[test]
fn cli_infers_the_format_from_the_output_file() {
    let dir = tempfile::tempdir().unwrap();
    for (file, start) in [
        ("d.svg", "<svg"),
        ("d.mmd", "---\ntitle:"),
        ("d.dot", "digraph"),
    ] {
        let out = dir.path().join(file);
        let run = bosun(&["graph", "diamond.yaml", "-o", out.to_str().unwrap()]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(run.stdout.is_empty());
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(text.starts_with(start), "{file}: {text}");
    }
}

#[test]
fn cli_warns_about_problems_but_draws() {
    let run = bosun(&["graph", "broken.yaml"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("ghost"));
    assert!(
        run.stderr
            .contains("warning: broken.yaml:21:13: `D`: template `nowhere` not found"),
        "{}",
        run.stderr
    );
}

#[test]
fn cli_expands_references_into_library_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("cd.yaml"),
        "apiVersion: argoproj.io/v1alpha1\nkind: WorkflowTemplate\nmetadata: {name: cd-library}\n\
         spec:\n  templates:\n    - name: deploy\n      steps:\n        - - {name: push, template: push}\n\
         \x20   - name: push\n      container: {image: alpine:3.20}\n",
    )
    .unwrap();
    let lib = dir.path().to_str().unwrap().to_string();
    let without = bosun(&["graph", "templateref.yaml", "--format", "mermaid"]);
    assert!(without.stderr.contains("not found"));
    let with = bosun(&[
        "graph",
        "templateref.yaml",
        "--templates",
        &lib,
        "--format",
        "mermaid",
    ]);
    assert_eq!(with.code, 0);
    assert!(with.stderr.is_empty(), "{}", with.stderr);
    assert!(
        with.stdout
            .contains("subgraph c2[\"deploy<br/>ref: cd-library.deploy\"]")
    );
    assert!(with.stdout.contains("[\"push\"]"));
}

#[test]
fn cli_fails_with_exit_2_when_it_cannot_draw() {
    let missing = bosun(&["graph", "nope.yaml"]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("`nope.yaml` does not exist"));
    let unknown = bosun(&["graph", "diamond.yaml", "--template", "nope"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown
            .stderr
            .contains("no Workflow, CronWorkflow or WorkflowTemplate has a template `nope`"),
        "{}",
        unknown.stderr
    );
    let bad_ns = bosun(&["graph", "diamond.yaml", "-n", "Bad_NS"]);
    assert_eq!(bad_ns.code, 2);
    let bad_format = bosun(&["graph", "diamond.yaml", "--format", "png"]);
    assert_eq!(bad_format.code, 2);
}

#[test]
fn a_workflow_template_ref_is_drawn_through_or_named_when_missing() {
    let workflow = "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {generateName: run-}\n\
                    spec:\n  workflowTemplateRef: {name: lib}\n";
    let err = build_text(workflow, None, &GraphOptions::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Workflow/run-* runs WorkflowTemplate `lib` through `workflowTemplateRef`, which is not \
         among the inputs: pass it as a file or with `--templates`"
    );
    let with_template = format!(
        "{workflow}---\napiVersion: argoproj.io/v1alpha1\nkind: WorkflowTemplate\nmetadata: {{name: lib}}\n\
         spec:\n  entrypoint: main\n  templates:\n    - name: main\n      dag:\n        tasks:\n\
         \x20         - {{name: a, template: leaf}}\n          - {{name: b, template: leaf, depends: a}}\n\
         \x20   - name: leaf\n      container: {{image: alpine}}\n"
    );
    let g = build_text(&with_template, None, &GraphOptions::default()).unwrap();
    assert_eq!(g.title, "Workflow/run-* · main");
    assert_eq!(g.nodes.len(), 2);
    assert_eq!(g.edges.len(), 1);
}
