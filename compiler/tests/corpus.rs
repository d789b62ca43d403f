//! Acceptance: every Argo document of the upstream examples in `../shared/corpus/argo-examples/`
//! lints without errors. The examples are valid Argo manifests, so any error is a false positive.
//!
//! Documents that are not Argo objects (a Grafana dashboard, a ResourceQuota) get
//! classification diagnostics (AW009–AW012); those are not about Argo documents and are only
//! printed. Skipped (with a message) when `../shared` is not checked out next to the workspace.

use std::path::{Path, PathBuf};

use compiler::LintSettings;
use compiler::diagnostics::Severity;
use compiler::diagnostics::render::human::{self, HumanOptions};
use compiler::load::{Input, load};

/// Classification codes: about documents that are not Argo objects.
const NOT_ARGO: &[&str] = &["AW009", "AW010", "AW011", "AW012"];

/// Warnings the examples really deserve:
/// - `k8s-patch-json-workflow.yaml` sets `annotations` twice in one mapping (Kubernetes keeps
///   the second);
/// - `expression-tag-template-workflow.yaml` passes `workflow.creationTimestamp` to
///   `sprig.date`: in expressions it is a map, so sprig formats the current time instead;
/// - the `synchronization-*-tmpl-level.yaml` examples pass an argument `seconds` to templates
///   that declare no input: Argo ignores it (FN-10);
/// - `steps.yaml` and `mixed-cluster-namespaced-wftmpl-steps.yaml` pass `message` through a
///   `templateRef` to `inner-steps`, which declares no inputs (Argo drops the argument).
const EXPECTED_WARNINGS: &[(&str, &str)] = &[
    ("expression-tag-template-workflow.yaml", "AW414"),
    ("k8s-patch-json-workflow.yaml", "AW003"),
    ("mixed-cluster-namespaced-wftmpl-steps.yaml", "AW505"),
    ("steps.yaml", "AW505"),
    ("synchronization-db-mutex-tmpl-level.yaml", "AW421"),
    ("synchronization-db-mutex-tmpl-level.yaml", "AW421"),
    ("synchronization-db-tmpl-level.yaml", "AW421"),
    ("synchronization-mutex-tmpl-level.yaml", "AW421"),
    ("synchronization-mutex-tmpl-level.yaml", "AW421"),
    ("synchronization-tmpl-level.yaml", "AW421"),
];

/// Errors the examples really deserve: `fun-with-gifs.yaml` indents `generateName` under
/// `labels` (upstream marks it `no-test`), so it has a label value ending in `-`, which the API
/// server refuses.
const EXPECTED_ERRORS: &[(&str, &str)] = &[("fun-with-gifs.yaml", "AW204")];

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/argo-examples")
}

#[test]
fn upstream_examples_have_no_errors() {
    let dir = corpus_dir();
    if !dir.is_dir() {
        println!("skipping: ../shared not found");
        return;
    }
    let settings = LintSettings::default();
    let loaded = load(&[Input::Path(dir)], &settings.limits).expect("corpus loads");
    let report = compiler::lint(&loaded, &settings);
    let file_name = |d: &compiler::Diagnostic| {
        loaded
            .sources
            .get(d.span().file)
            .and_then(|f| Path::new(f.name()).file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let errors: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .filter(|d| !NOT_ARGO.contains(&d.code()))
        .filter(|d| {
            let f = file_name(d);
            !EXPECTED_ERRORS.contains(&(f.as_str(), d.code()))
        })
        .cloned()
        .collect();
    let warnings: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .cloned()
        .collect();
    let render = |ds: &[compiler::Diagnostic]| {
        let mut out = Vec::new();
        human::render(ds, &loaded.sources, &HumanOptions::default(), &mut out).expect("render");
        String::from_utf8_lossy(&out).into_owned()
    };
    println!(
        "corpus: {} files, {} documents, {} Argo objects, {} errors, {} warnings",
        report.files,
        report.documents,
        report.objects,
        errors.len(),
        warnings.len()
    );
    if !warnings.is_empty() {
        println!("warnings:\n{}", render(&warnings));
    }
    let mut seen: Vec<(String, &str)> = warnings.iter().map(|d| (file_name(d), d.code())).collect();
    seen.sort();
    let expected: Vec<(String, &str)> = EXPECTED_WARNINGS
        .iter()
        .map(|(f, c)| (f.to_string(), *c))
        .collect();
    assert_eq!(
        seen,
        expected,
        "unexpected warnings:\n{}",
        render(&warnings)
    );
    for (file, code) in EXPECTED_ERRORS {
        assert!(
            report
                .diagnostics
                .iter()
                .any(|d| d.code() == *code && file_name(d) == *file),
            "expected {code} in {file} is no longer reported"
        );
    }
    assert!(report.objects > 200, "expected the whole corpus to be read");
    assert!(
        errors.is_empty(),
        "errors in valid examples:\n{}",
        render(&errors)
    );
}
