//! The Go template engine against vectors produced by Go 1.19's `text/template`
//! (`fixtures/dagg/go_template_vectors.jsonl`): for each template run over the DAG file
//! `fixtures/dagg/vectors.dag`, Go's output, or the kind of error (parse or exec) and Go's
//! message without its `template: t:LINE:COL: executing "t" at <…>: ` prefix. Go's type names
//! (`main.Job`) are compared without the package.

use compiler::dagg::file::read;
use compiler::dagg::template::{Limits, Template, dag_data};
use compiler::parse::Limits as YamlLimits;
use compiler::source::{FileId, SourceFile};

fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/dagg")
        .join(name);
    std::fs::read_to_string(path).expect("fixture")
}

/// Where Bosun deliberately differs from Go: one template file is one template, so `define` and
/// `template` are parse errors that say so.
const DEVIATIONS: [&str; 2] = [r#"{{ define "x" }}y{{ end }}"#, r#"{{ template "x" }}"#];

#[test]
fn engine_matches_go_text_template() {
    let dag_file = SourceFile::new(FileId(0), "vectors.dag", fixture("vectors.dag"));
    let mut diags = Vec::new();
    let dag = read(&dag_file, &YamlLimits::default(), &mut diags);
    assert!(diags.is_empty(), "{diags:?}");
    let data = dag_data(&dag);
    let mut failures = Vec::new();
    let vectors = fixture("go_template_vectors.jsonl");
    for line in vectors.lines() {
        let case: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        let src = case["template"].as_str().expect("template");
        if DEVIATIONS.contains(&src) {
            let file = SourceFile::new(FileId(1), "t", src.to_string());
            let err = Template::parse(&file, &Limits::default()).expect_err("unsupported");
            assert!(
                err.message.contains("not supported by bosun gen"),
                "{}",
                err.message
            );
            continue;
        }
        let file = SourceFile::new(FileId(1), "t", src.to_string());
        let got = Template::parse(&file, &Limits::default())
            .map_err(|d| ("parse", d.message))
            .and_then(|t| t.execute(&file, &data).map_err(|d| ("exec", d.message)));
        let ok = match (&got, case["kind"].as_str()) {
            (Ok(out), None) => out.text == case["output"].as_str().unwrap_or(""),
            (Err((kind, message)), Some(want_kind)) => {
                let want = case["error"].as_str().unwrap_or("").replace("main.", "");
                *kind == want_kind && message.ends_with(&want)
            }
            _ => false,
        };
        if !ok {
            failures.push(format!("{src}\n   go: {case}\n  got: {got:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
