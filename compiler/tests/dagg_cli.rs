//! `bosun gen`, `bosun reverse` and `bosun explain AG…` from outside: exit codes (0 clean,
//! 1 problems, 2 could not run), where the manifest and the diagnostics go, `-o`, `--report`,
//! `--keep-invalid`, `--format json`, and a gen → reverse → gen round trip through files.

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dagg")
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn bosun(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_bosun"))
        .args(args)
        .current_dir(fixtures())
        .env("NO_COLOR", "1")
        .output()
        .expect("bosun runs");
    Run {
        code: out.status.code().expect("exit code"),
        stdout: String::from_utf8(out.stdout).expect("UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("UTF-8"),
    }
}

#[test]
fn gen_with_a_template_prints_the_manifest_and_exits_0() {
    let r = bosun(&["gen", "argo-workflow.dag", "configmap-cronjob.tmpl"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("kind: ConfigMap"), "{}", r.stdout);
    assert!(r.stdout.contains("name: microservice-A.dotenv"));
    assert_eq!(
        r.stderr,
        "Generated the manifest from argo-workflow.dag: no problems\n"
    );
}

#[test]
fn gen_without_a_template_compiles_and_writes_the_output_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("cw.yaml");
    let out_s = out.display().to_string();
    let r = bosun(&[
        "gen",
        "argo-workflow.dag",
        "--registry",
        "registry/wantedly",
        "-o",
        &out_s,
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    let manifest = std::fs::read_to_string(&out).expect("written");
    assert!(manifest.starts_with("apiVersion: argoproj.io/v1alpha1\nkind: CronWorkflow\n"));
    // The generated file lints clean with `bosun lint` too.
    let r = bosun(&["lint", &out_s]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    // And reverses to the DAG file, which generates the same manifest again.
    let dag = dir.path().join("back.dag");
    let dag_s = dag.display().to_string();
    let r = bosun(&[
        "reverse",
        &out_s,
        "--registry",
        "registry/wantedly",
        "-o",
        &dag_s,
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = bosun(&["gen", &dag_s, "--registry", "registry/wantedly"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, manifest);
}

#[test]
fn problems_exit_1_and_keep_the_manifest_back() {
    let r = bosun(&["gen", "bad/bad-values.dag"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.is_empty(), "an invalid manifest is not written");
    assert!(
        r.stderr.contains("--> bad/bad-values.dag:4:13"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("error[AW601]"), "{}", r.stderr);
    assert!(
        r.stderr.ends_with("(not written; --keep-invalid writes it) from bad/bad-values.dag: 7 errors (7 reported on DAG-file lines)\n"),
        "{}",
        r.stderr
    );
    let r = bosun(&["gen", "bad/bad-values.dag", "--keep-invalid"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("kind: CronWorkflow"));

    let r = bosun(&["gen", "bad/cycle.dag"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("dependency cycle: build → test → package → build")
    );
    let r = bosun(&["gen", "argo-workflow.dag", "bad/unknown-function.tmpl"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("error[AG008]: function \"join\" not defined")
    );
    assert!(r.stderr.contains("--> bad/unknown-function.tmpl:5:14"));
}

#[test]
fn json_diagnostics_go_to_the_report_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let report = dir.path().join("report.json");
    let report_s = report.display().to_string();
    let r = bosun(&[
        "gen",
        "bad/unknown-dependency.dag",
        "--format",
        "json",
        "--report",
        &report_s,
    ]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).expect("report")).expect("JSON");
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas/diagnostics.schema.json"),
        )
        .expect("schema"),
    )
    .expect("the schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator.iter_errors(&v).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    // Diagnostics moved to the DAG file validate too.
    let r = bosun(&[
        "gen",
        "bad/bad-values.dag",
        "--format",
        "json",
        "--report",
        &report_s,
    ]);
    assert_eq!(r.code, 1);
    let mapped: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).expect("report")).expect("JSON");
    let errors: Vec<String> = validator
        .iter_errors(&mapped)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(mapped["diagnostics"][0]["file"], "bad/bad-values.dag");
    let diags = v["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(diags.len(), 2);
    assert_eq!(diags[0]["code"], "AG005");
    assert_eq!(diags[0]["help"], "did you mean `extract`?");
}

#[test]
fn bosun_could_not_run_exits_2() {
    let r = bosun(&["gen", "no-such.dag"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("`no-such.dag` does not exist"),
        "{}",
        r.stderr
    );
    let r = bosun(&["gen", "argo-workflow.dag", "no-such.tmpl"]);
    assert_eq!(r.code, 2);
    let r = bosun(&[
        "gen",
        "argo-workflow.dag",
        "workflow.tmpl",
        "--registry",
        "x",
    ]);
    assert_eq!(r.code, 2, "compile flags conflict with a template");
    let r = bosun(&["reverse", "no-such.yaml"]);
    assert_eq!(r.code, 2);
    let r = bosun(&["gen", "argo-workflow.dag", "-o", "/no/such/dir/out.yaml"]);
    assert_eq!(r.code, 2);
}

#[test]
fn reverse_reports_what_cannot_be_expressed() {
    let r = bosun(&["reverse", "reverse/steps.yaml"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.is_empty());
    assert!(
        r.stderr
            .contains("error[AG010]: the entrypoint template is a `steps` template, not a DAG"),
        "{}",
        r.stderr
    );
    let r = bosun(&["reverse", "reverse/depends-and.yaml"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("warning[AG010]"));
    assert!(r.stdout.starts_with("name: handmade\n"), "{}", r.stdout);
    let r = bosun(&["reverse", "reverse/depends-and.yaml", "--deny-warnings"]);
    assert_eq!(r.code, 1);
}

#[test]
fn explain_knows_the_dag_file_codes() {
    let r = bosun(&["explain", "AG006"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.starts_with(
        "AG006 (job-dependency-cycle): jobs of a DAG file depend on each other in a cycle\n"
    ));
    let r = bosun(&["explain", "ag01"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("did you mean `AG001`?"), "{}", r.stderr);
}

#[test]
fn the_bundled_example_generates_clean_manifests() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/dagg");
    let dag = root.join("recommendation.dag").display().to_string();
    let tmpl = root.join("workflow.tmpl").display().to_string();
    let r = bosun(&["gen", &dag, &tmpl]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("kind: CronWorkflow"));
    let r = bosun(&["gen", &dag, "--registry", "registry.example.com/wantedly"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn docs_list_every_dag_file_rule() {
    let docs =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/dagg.md"))
            .expect("docs/dagg.md");
    for rule in compiler::dagg::rules::RULES {
        let row = format!(
            "| {} | `{}` | {} |",
            rule.code,
            rule.name,
            rule.summary.replace('|', "\\|")
        );
        assert!(docs.contains(&row), "docs/dagg.md lacks the row\n{row}");
    }
}
