//! Fixture tests for every rule: `fixtures/<CODE>/fail_*.yaml` must produce diagnostics of that
//! code (their human rendering is snapshotted), `pass_*.yaml` must produce none.
//!
//! Each fixture is linted with only its own code enabled. A first-line comment
//! `# bosun-test: max-document-size=N max-file-size=N` adjusts limits for that fixture.

use std::path::Path;

use compiler::config::{LintSettings, RuleSelection};
use compiler::diagnostics::render::human::{self, HumanOptions};
use compiler::load::Loaded;

fn settings_for(code: &str, bytes: &[u8]) -> LintSettings {
    let mut settings = LintSettings {
        rules: RuleSelection::only(&[code]),
        ..LintSettings::default()
    };
    let first = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let first = String::from_utf8_lossy(first);
    if let Some(directives) = first.strip_prefix("# bosun-test:") {
        for d in directives.split_whitespace() {
            let (k, v) = d.split_once('=').expect("directive is key=value");
            let v: usize = v.parse().expect("directive value is a number");
            match k {
                "max-document-size" => settings.limits.max_document_bytes = v,
                "max-file-size" => settings.limits.max_file_bytes = v,
                "max-depth" => settings.limits.max_depth = v,
                "max-alias-nodes" => settings.limits.max_alias_nodes = v,
                other => panic!("unknown fixture directive {other}"),
            }
        }
    }
    settings
}

/// Lints one fixture with only its code enabled; returns the rendered output and the codes seen.
fn check(path: &Path) -> (String, Vec<&'static str>) {
    let code = path
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str())
        .expect("fixture lives in a code folder");
    let file = path
        .file_name()
        .and_then(|n| n.to_str())
        .expect("file name");
    let bytes = std::fs::read(path).expect("read fixture");
    let settings = settings_for(code, &bytes);
    let mut loaded = Loaded::default();
    let size = bytes.len() as u64;
    loaded.add_bytes(format!("{code}/{file}"), bytes, size, &settings.limits);
    let report = compiler::lint(&loaded, &settings);
    let mut out = Vec::new();
    human::render(
        &report.diagnostics,
        &loaded.sources,
        &HumanOptions::default(),
        &mut out,
    )
    .expect("render");
    let codes = report.diagnostics.iter().map(|d| d.code()).collect();
    (String::from_utf8(out).expect("utf-8"), codes)
}

#[test]
fn fixtures() {
    insta::glob!("fixtures/*/*.yaml", |path| {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let code = path
            .parent()
            .and_then(|p| p.file_name())
            .and_then(|n| n.to_str())
            .unwrap_or("");
        let (rendered, codes) = check(path);
        if name.starts_with("pass_") {
            assert!(
                codes.is_empty(),
                "{code}/{name} should pass but reported:\n{rendered}"
            );
        } else {
            assert!(
                name.starts_with("fail_"),
                "fixture {code}/{name} must be named pass_* or fail_*"
            );
            assert!(
                codes.contains(&code),
                "{code}/{name} should report {code} but reported {codes:?}:\n{rendered}"
            );
            insta::assert_snapshot!(rendered);
        }
    });
}

#[test]
fn every_rule_has_pass_and_fail_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut missing = Vec::new();
    for rule in compiler::checks::all_rules() {
        let dir = root.join(rule.code);
        let names: Vec<String> = std::fs::read_dir(&dir)
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        let has = |prefix: &str| names.iter().any(|n| n.starts_with(prefix));
        if !has("fail_") || !has("pass_") {
            missing.push(rule.code);
        }
    }
    assert!(
        missing.is_empty(),
        "rules without fixtures/<CODE>/pass_*.yaml and fail_*.yaml: {missing:?}"
    );
}
