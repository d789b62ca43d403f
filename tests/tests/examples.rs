//! The bundled `examples/`: every manifest outside `invalid/` is clean, and the deliberately
//! broken one shows the mistakes its comments describe.

use std::path::{Path, PathBuf};

use compiler::LintSettings;
use compiler::diagnostics::Severity;
use compiler::load::{Input, load};

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

#[test]
fn bundled_examples_have_no_findings() {
    let dir = examples();
    let settings = LintSettings::default();
    let inputs: Vec<Input> = std::fs::read_dir(&dir)
        .expect("examples/ exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .map(Input::Path)
        .collect();
    assert!(inputs.len() >= 4, "expected the bundled examples");
    let loaded = load(&inputs, &settings.limits).expect("examples load");
    let report = compiler::lint(&loaded, &settings);
    let found: Vec<String> = report
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{} {} {}",
                d.code(),
                d.pointer.as_deref().unwrap_or(""),
                d.message
            )
        })
        .collect();
    assert!(found.is_empty(), "{found:#?}");
    assert!(report.objects >= 5);
}

#[test]
fn the_broken_example_reports_each_planted_mistake() {
    let settings = LintSettings::default();
    let loaded = load(
        &[Input::Path(examples().join("invalid/broken-pipeline.yaml"))],
        &settings.limits,
    )
    .expect("example loads");
    let report = compiler::lint(&loaded, &settings);
    let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code()).collect();
    for expected in ["AW101", "AW003", "AW104", "AW105"] {
        assert!(
            codes.contains(&expected),
            "{expected} missing from {codes:?}"
        );
    }
    assert!(
        report
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    );
}
