//! `bosun lint --config`: the webhook's policy file drives the linter, so a manifest the
//! webhook denies fails pre-commit with the same codes. `webhook/tests/admission_policy.rs`
//! reviews the same files (`tests/data/policy/`) and asserts the same list.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// (code, severity, JSON pointer) of every finding for `workflow.yaml` in namespace `argo`,
/// sorted: `tests/data/policy/expected.txt` in the compiler crate, read by the CLI test and the
/// webhook test alike.
fn expected() -> Vec<(String, String, String)> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/policy/expected.txt"),
    )
    .expect("expected.txt");
    text.lines()
        .filter_map(|l| {
            let mut parts = l.split_whitespace().map(str::to_string);
            Some((parts.next()?, parts.next()?, parts.next()?))
        })
        .collect()
}

fn lint(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_bosun"))
        .arg("lint")
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/policy"))
        .output()
        .expect("bosun runs");
    (
        out.status.code().expect("bosun exits normally"),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn findings(json: &str) -> Vec<(String, String, String)> {
    let report: Value = serde_json::from_str(json).expect("JSON report");
    let mut found: Vec<(String, String, String)> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            let s = |k: &str| d[k].as_str().unwrap_or_default().to_string();
            (s("code"), s("severity"), s("pointer"))
        })
        .collect();
    found.sort();
    found
}

#[test]
fn the_policy_file_fails_lint_with_the_webhook_codes() {
    let (code, out, err) = lint(&[
        "--config",
        "policy.yaml",
        "-n",
        "argo",
        "--format",
        "json",
        "workflow.yaml",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    assert_eq!(findings(&out), expected());
}

#[test]
fn without_the_policy_only_the_default_rules_apply() {
    let (code, out, err) = lint(&["-n", "argo", "--format", "json", "workflow.yaml"]);
    assert_eq!(code, 0, "{out}{err}");
    let codes: Vec<String> = findings(&out).into_iter().map(|f| f.0).collect();
    assert_eq!(codes, ["AW321", "AW421"]);
}

#[test]
fn flags_override_the_policy_and_exempt_namespaces_are_skipped() {
    let (code, out, err) = lint(&[
        "--config",
        "policy.yaml",
        "-n",
        "argo",
        "--severity",
        "AW421=warning,BP=warning",
        "--format",
        "json",
        "workflow.yaml",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(findings(&out).iter().all(|f| f.1 == "warning"), "{out}");
    let (code, out, err) = lint(&[
        "--config",
        "policy.yaml",
        "-n",
        "kube-system",
        "workflow.yaml",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("no problems"), "{err}");
    // `--select` also opts in to a policy rule without a policy file.
    let (code, out, _) = lint(&["--select", "bp003", "workflow.yaml"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("error[BP003]") && !out.contains("BP001"),
        "{out}"
    );
}

#[test]
fn a_bad_policy_file_exits_two_with_the_reason() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, "severity: {ZZ9: error}\n").expect("write");
    let path = bad.to_str().expect("utf-8 path");
    let (code, _, err) = lint(&["--config", path, "workflow.yaml"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no rule matches `ZZ9`"), "{err}");
    let (code, _, err) = lint(&["--config", "missing.yaml", "workflow.yaml"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("cannot read policy `missing.yaml`"), "{err}");
}

#[test]
fn explain_documents_the_policy_rules() {
    let out = Command::new(env!("CARGO_BIN_EXE_bosun"))
        .args(["explain", "BP001"])
        .output()
        .expect("bosun runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0));
    assert!(text.starts_with(
        "BP001 (require-active-deadline): activeDeadlineSeconds is required by policy\n"
    ));
    assert!(
        text.contains("require.activeDeadlineSeconds: true"),
        "{text}"
    );
}
