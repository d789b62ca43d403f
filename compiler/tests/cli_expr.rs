//! `bosun eval` with variables from manifests and JSON, and `bosun metrics`, run as a binary:
//! exit codes and golden outputs. The seed's metrics (a real user's `sprig.regexReplaceAll`
//! template name and `sprig.ternary` result gauge) are previewed for a succeeded and a failed
//! run. Every run starts in `tests/data/expr/`.

use std::path::Path;
use std::process::Command;

/// Exit code, standard output and standard error of one run, as a snapshot.
fn bosun(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_bosun"))
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/expr"))
        .output()
        .expect("bosun runs");
    let code = out.status.code().expect("bosun exits normally");
    let text = format!(
        "exit: {code}\n----- stdout -----\n{}----- stderr -----\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (code, text)
}

/// `bosun eval --from-workflow FILE ARGS…`.
fn eval_from(file: &str, args: &[&str]) -> (i32, String) {
    let mut all = vec!["eval", "--from-workflow", file];
    all.extend(args);
    bosun(&all)
}

const SEED_NAME: &str = "workflow.name=sample-module-wf-abc12-def34";

#[test]
fn seed_metrics_for_a_succeeded_run() {
    let (code, out) = bosun(&["metrics", "seed-metrics.yaml", "--set", SEED_NAME]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains(
        "custom_finished_workflows_count{status=\"Succeeded\",template_name=\"sample-module-wf\"} 1\n"
    ));
    assert!(out.contains("custom_last_workflow_result{template_name=\"sample-module-wf\"} 0\n"));
    insta::assert_snapshot!(out);
}

#[test]
fn seed_metrics_for_a_failed_run() {
    let args = [
        "metrics",
        "seed-metrics.yaml",
        "--set",
        SEED_NAME,
        "--status",
        "Failed",
        "--duration",
        "90",
    ];
    let (code, out) = bosun(&args);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("custom_last_workflow_result{template_name=\"sample-module-wf\"} 1\n"));
    assert!(
        out.contains("custom_current_workflow_duration{template_name=\"sample-module-wf\"} 90\n")
    );
    insta::assert_snapshot!(out);
}

#[test]
fn template_metrics_report_when_and_unresolved_values() {
    let (code, out) = bosun(&["metrics", "template-metrics.yaml"]);
    assert_eq!(code, 1, "an unresolvable value fails: {out}");
    assert!(out.contains("# NOT EMITTED task_failures: when `Succeeded != Succeeded` is false"));
    assert!(
        out.contains(
            "# ERROR items_counted: value: failed to resolve {{outputs.parameters.count}}"
        )
    );
    insta::assert_snapshot!(out);
}

#[test]
fn template_metrics_with_runtime_values_set() {
    let (code, out) = bosun(&[
        "metrics",
        "template-metrics.yaml",
        "--template",
        "echo",
        "--status",
        "Error",
        "--set",
        "outputs.parameters.count=3",
        "--set-json",
        r#"inputs.parameters={"tag": "prod-one"}"#,
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("task_seconds_count{status=\"Error\",task=\"prod-one\"} 1\n"));
    assert!(out.contains("task_failures 1\n") && out.contains("items_counted 3\n"));
    let (code, out) = bosun(&["metrics", "template-metrics.yaml", "--template", "dag-task"]);
    assert_eq!((code, out.contains("no metrics found")), (0, true), "{out}");
}

#[test]
fn metrics_flags_are_validated() {
    for bad in [
        ["--status", "Running"],
        ["--duration", "-1"],
        ["--set-json", "item={"],
    ] {
        let mut args = vec!["metrics", "seed-metrics.yaml"];
        args.extend(bad);
        let (code, out) = bosun(&args);
        assert_eq!(code, 2, "{bad:?}: {out}");
    }
}

#[test]
fn lint_explain_metrics_appends_the_preview() {
    let (code, out) = bosun(&["lint", "--explain-metrics", "seed-metrics.yaml"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Metrics preview (sample run):"), "{out}");
    // Without `--set`, the run is named `sample-module-wf-b5x2k` (one generated suffix), so the
    // seed's regex, written for two suffixes, cuts one segment too many.
    assert!(out.contains("custom_last_workflow_result{template_name=\"sample-module\"} 0"));
    let (code, out) = bosun(&[
        "lint",
        "--explain-metrics",
        "--format",
        "json",
        "seed-metrics.yaml",
    ]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("needs the human format"), "{out}");
}

#[test]
fn lint_explain_metrics_previews_standard_input_once_read() {
    use std::io::Write as _;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/expr");
    let text = std::fs::read(dir.join("seed-metrics.yaml")).expect("seed");
    let mut child = Command::new(env!("CARGO_BIN_EXE_bosun"))
        .args(["lint", "--explain-metrics", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("bosun runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(&text)
        .expect("write");
    let out = child.wait_with_output().expect("bosun finishes");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("# <stdin>: WorkflowTemplate/sample-module-wf: sample run"),
        "{stdout}"
    );
}

#[test]
fn eval_takes_globals_from_a_workflow() {
    let (code, out) = eval_from(
        "template-metrics.yaml",
        &[
            "{{workflow.name}} {{workflow.parameters.env}} {{workflow.creationTimestamp.RFC3339}} {{= workflow.mainEntrypoint }}",
        ],
    );
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("dag-task-b5x2k prod 2026-11-22T10:00:00Z dag-task\n"),
        "{out}"
    );
    let (code, out) = eval_from(
        "seed-metrics.yaml",
        &[
            "--set",
            SEED_NAME,
            "--set",
            "workflow.status=Failed",
            r#"{{= sprig.regexReplaceAll("(.*)-[^-]*-[^-]*$", workflow.name, "$1") }}={{= sprig.ternary('0', '1', workflow.status == 'Succeeded')}}"#,
        ],
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("\nsample-module-wf=1\n"), "{out}");
}

#[test]
fn eval_in_the_scope_of_a_template_or_task() {
    let (code, out) = eval_from(
        "template-metrics.yaml",
        &[
            "--template",
            "echo",
            "{{inputs.parameters.tag}} {{outputs.parameters.count.path}} {{= inputs.parameters }}",
        ],
    );
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("untagged /tmp/count {\"tag\":\"untagged\"}\n"),
        "{out}"
    );
    let (code, out) = eval_from(
        "template-metrics.yaml",
        &[
            "--task",
            "fan-out",
            "{{workflow.parameters.env}}-{{item.tag}} {{tasks.name}} {{= item.command }} {{item}}",
        ],
    );
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("prod-one fan-out ONE {\"command\":\"ONE\",\"tag\":\"one\"}\n"),
        "{out}"
    );
    // `--set-json` overrides the manifest's item, `--set` overrides both.
    let (code, out) = eval_from(
        "template-metrics.yaml",
        &[
            "--task",
            "fan-out",
            "--set-json",
            r#"item={"tag": "three", "command": "THREE"}"#,
            "--set",
            "item.command=3",
            "--kind",
            "expression",
            "item.tag + '/' + item.command",
        ],
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("\nthree/3\n"), "{out}");
}

#[test]
fn eval_reports_unknown_names_and_missing_variables() {
    let (code, out) = eval_from("template-metrics.yaml", &["--template", "ech", "x"]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("no template `ech`; did you mean `echo`?"),
        "{out}"
    );
    let (code, out) = eval_from("template-metrics.yaml", &["--step", "fan-out", "x"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("no step `fan-out`"), "{out}");
    let (code, out) = bosun(&["eval", "--template", "echo", "x"]);
    assert_eq!(code, 2, "--template needs --from-workflow: {out}");
    let (code, out) = bosun(&["eval", "--from-workflow", "missing.yaml", "x"]);
    assert_eq!(code, 2, "{out}");
    // Inputs are bound only with `--template`: the tag does not resolve.
    let (code, out) = eval_from("template-metrics.yaml", &["{{inputs.parameters.tag}}"]);
    assert_eq!(code, 1, "{out}");
    insta::assert_snapshot!(out);
}
