//! Unit tests of the tree builder: positions, pointers, YAML 1.1 typing and every limit.

use super::*;
use crate::source::{FileId, SourceFile};

fn parse(text: &str) -> (SourceFile, Vec<Document>, Vec<Diagnostic>) {
    parse_with(text, &Limits::default())
}

fn parse_with(text: &str, limits: &Limits) -> (SourceFile, Vec<Document>, Vec<Diagnostic>) {
    let file = SourceFile::new(FileId(0), "t.yaml", text.to_string());
    let mut diags = Vec::new();
    let docs = parse_file(&file, limits, &mut diags);
    (file, docs, diags)
}

fn codes(diags: &[Diagnostic]) -> Vec<&'static str> {
    diags.iter().map(|d| d.code()).collect()
}

#[test]
fn pointer_maps_back_to_the_exact_scalar() {
    let text = "spec:\n  templates:\n  - name: a\n    dag:\n      tasks:\n      - name: t0\n      - name: t1\n        dependencies: [t0]\n";
    let (file, docs, diags) = parse(text);
    assert!(diags.is_empty(), "{diags:?}");
    let node = docs[0]
        .tree
        .lookup("/spec/templates/0/dag/tasks/1/dependencies/0")
        .expect("pointer resolves");
    assert_eq!(file.slice(node.span()), "t0");
    assert_eq!(file.line_col(node.span().start).to_string(), "8:24");
    assert_eq!(
        node.pointer(),
        "/spec/templates/0/dag/tasks/1/dependencies/0"
    );
    let name = docs[0].tree.lookup("/spec/templates/0/name").unwrap();
    assert_eq!(file.slice(name.key_span()), "name");
}

#[test]
fn multi_document_streams_keep_every_document() {
    let (_, docs, diags) = parse("a: 1\n---\nb: 2\n---\n# only a comment\n");
    assert!(diags.is_empty());
    assert_eq!(docs.len(), 3);
    assert_eq!(docs[1].index, 1);
    assert!(docs[2].root().unwrap().is_null());
}

#[test]
fn json_is_read_as_yaml() {
    let (_, docs, diags) =
        parse(r#"{"kind": "Workflow", "spec": {"n": 3, "b": true, "s": "yes"}}"#);
    assert!(diags.is_empty());
    let root = docs[0].root().unwrap();
    assert_eq!(
        root.get("spec").unwrap().get("n").unwrap().as_i64(),
        Some(3)
    );
    assert_eq!(
        root.get("spec").unwrap().get("s").unwrap().as_str(),
        Some("yes")
    );
}

#[test]
fn scalars_resolve_like_kubernetes_yaml_1_1() {
    let (_, docs, _) = parse("a: yes\nb: 'yes'\nc: 0777\nd: !!str 12\ne: \"12\"\nf: 1.0\n");
    let root = docs[0].root().unwrap();
    assert_eq!(root.get("a").unwrap().as_bool(), Some(true));
    assert_eq!(root.get("b").unwrap().as_str(), Some("yes"));
    assert_eq!(root.get("c").unwrap().as_i64(), Some(511));
    assert_eq!(root.get("d").unwrap().as_str(), Some("12"));
    assert_eq!(root.get("e").unwrap().as_str(), Some("12"));
    assert_eq!(root.get("f").unwrap().scalar_text().as_deref(), Some("1"));
}

#[test]
fn duplicate_keys_warn_and_the_last_value_wins() {
    let (file, docs, diags) = parse("a: 1\nb: 2\na: 3\n");
    assert_eq!(codes(&diags), ["AW003"]);
    assert_eq!(file.line_col(diags[0].span().start).to_string(), "3:1");
    assert_eq!(diags[0].secondary.len(), 1);
    let root = docs[0].root().unwrap();
    assert_eq!(root.get("a").unwrap().as_i64(), Some(3));
    assert_eq!(root.entries().count(), 2);
    assert_eq!(root.get("a").unwrap().pointer(), "/a");
}

#[test]
fn aliases_and_merge_keys_expand() {
    let text = "base: &b {image: alpine, cmd: [sh]}\nc1:\n  <<: *b\n  image: busybox\nc2: *b\n";
    let (_, docs, diags) = parse(text);
    assert!(diags.is_empty(), "{diags:?}");
    let root = docs[0].root().unwrap();
    let c1 = root.get("c1").unwrap();
    assert_eq!(c1.get("image").unwrap().as_str(), Some("busybox"));
    assert_eq!(c1.get("cmd").unwrap().items().count(), 1);
    assert_eq!(c1.get("cmd").unwrap().pointer(), "/c1/cmd");
    assert_eq!(
        root.get("c2")
            .unwrap()
            .get("cmd")
            .unwrap()
            .items()
            .next()
            .unwrap()
            .pointer(),
        "/c2/cmd/0"
    );
}

#[test]
fn billion_laughs_is_stopped_by_the_alias_budget() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let p = i - 1;
        text.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let (_, docs, diags) = parse(&text);
    assert_eq!(codes(&diags), ["AW005"]);
    assert!(docs.is_empty());
}

#[test]
fn deep_nesting_is_stopped_at_the_limit() {
    let block: String = (0..300).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
    let (_, docs, diags) = parse(&block);
    assert_eq!(codes(&diags), ["AW006"]);
    assert!(docs.is_empty());

    let flow = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let (_, docs, diags) = parse(&flow);
    assert_eq!(codes(&diags), ["AW006"]);
    assert!(docs.is_empty());
}

#[test]
fn syntax_errors_keep_the_documents_before_them() {
    let (file, docs, diags) = parse("a: 1\n---\nb: [1, 2\nc: d\n");
    assert_eq!(codes(&diags), ["AW001"]);
    assert_eq!(docs.len(), 1);
    assert!(file.line_col(diags[0].span().start).line >= 3);
}

#[test]
fn tabs_in_indentation_have_their_own_code() {
    let (_, _, diags) = parse("spec:\n\tentrypoint: main\n");
    assert_eq!(codes(&diags), ["AW004"]);
}

#[test]
fn oversized_documents_are_dropped_but_others_kept() {
    let limits = Limits {
        max_document_bytes: 64,
        ..Limits::default()
    };
    let big = format!("a: 1\n---\nb: [{}]\n---\nc: 2\n", "1, ".repeat(100));
    let (_, docs, diags) = parse_with(&big, &limits);
    assert_eq!(codes(&diags), ["AW007"]);
    assert_eq!(docs.len(), 2);
    assert_eq!(diags[0].document, Some(1));
}

#[test]
fn oversized_files_are_not_parsed() {
    let limits = Limits {
        max_file_bytes: 10,
        ..Limits::default()
    };
    let (_, docs, diags) = parse_with("a: 1234567890\n", &limits);
    assert_eq!(codes(&diags), ["AW007"]);
    assert!(docs.is_empty());
}

#[test]
fn complex_keys_are_reported_and_skipped() {
    let (_, docs, diags) = parse("? [a, b]\n: c\nd: e\n");
    assert_eq!(codes(&diags), ["AW012"]);
    let root = docs[0].root().unwrap();
    assert_eq!(root.entries().count(), 1);
}

#[test]
fn crlf_and_bom_are_accepted() {
    let (file, docs, diags) = parse("\u{feff}a: 1\r\nb: x\r\n");
    assert!(diags.is_empty(), "{diags:?}");
    let b = docs[0].root().unwrap().get("b").unwrap();
    assert_eq!(b.as_str(), Some("x"));
    assert_eq!(file.line_col(b.span().start).to_string(), "2:4");
}
