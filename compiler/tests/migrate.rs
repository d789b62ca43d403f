//! `bosun migrate`: golden outputs for the two legacy patterns of the seeds (a Workflow in a
//! ConfigMap submitted by a CronJob; a Workflow baked into a job image), flag mapping, missing
//! inputs, lint failures of the result, and exit codes. Every run starts in
//! `tests/data/migrate/`; snapshots hold the exit code, standard output and standard error.

mod support;

use std::path::{Path, PathBuf};

use compiler::LintSettings;
use compiler::lint::lint;
use compiler::load::Loaded;
use support::{Run, bosun_in};

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/migrate")
}

fn bosun(args: &[&str]) -> Run {
    bosun_in(&data_dir(), args)
}

/// Lints `text` (with the fixture `with` as a library) and returns the diagnostics' codes.
fn lint_codes(text: &str, with: Option<&str>) -> Vec<&'static str> {
    let mut loaded = Loaded::default();
    loaded.add_text("migrated.yaml", text.to_string());
    if let Some(lib) = with {
        let id = loaded.add_text(
            lib,
            std::fs::read_to_string(data_dir().join(lib)).expect("fixture"),
        );
        loaded.library.push(id);
    }
    lint(&loaded, &LintSettings::default())
        .diagnostics
        .iter()
        .map(|d| d.code())
        .collect()
}

#[test]
fn seed_000_configmap_and_cronjob() {
    let run = bosun(&["migrate", "configmap-cronjob.yaml"]);
    assert_eq!(run.code, 0, "{run}");
    insta::assert_snapshot!("seed_000", run.to_string());
    assert!(lint_codes(&run.stdout, None).is_empty());
    for expected in [
        "kind: CronWorkflow",
        "name: argo-workflow\n",
        "namespace: argo",
        "- \"0 20 * * *\"",
        "successfulJobsHistoryLimit: 10",
        "failedJobsHistoryLimit: 3",
        "startingDeadlineSeconds: 300",
        "serviceAccountName: argo-wf-creator",
    ] {
        assert!(run.stdout.contains(expected), "{expected}\n{run}");
    }
}

#[test]
fn seed_001_workflow_in_the_image_is_reported_missing() {
    let run = bosun(&["migrate", "image-cronjob.yaml"]);
    assert_eq!(run.code, 1, "{run}");
    assert!(run.stdout.is_empty());
    insta::assert_snapshot!("seed_001_missing", run.to_string());
    // What is missing: the image and the path in it, and the flag to supply it.
    assert!(
        run.stderr
            .contains("from `/workflow.yml` in image `task-python:1.0`")
    );
    assert!(run.stderr.contains("`--workflow FILE`"));
}

#[test]
fn seed_001_migrates_once_the_workflow_is_supplied() {
    let run = bosun(&[
        "migrate",
        "image-cronjob.yaml",
        "--workflow",
        "workflow.yml",
    ]);
    assert_eq!(run.code, 0, "{run}");
    insta::assert_snapshot!("seed_001_supplied", run.to_string());
    assert!(lint_codes(&run.stdout, None).is_empty());
    // `-p max=30` overrides the declared default.
    assert!(run.stdout.contains("- name: max\n          value: \"30\""));
    // Nested steps stay steps.
    assert!(run.stdout.contains("- - name: task1"));
}

#[test]
fn flags_are_mapped_and_unmappable_ones_fail_the_run() {
    let run = bosun(&["migrate", "flags-cronjob.yaml"]);
    assert_eq!(run.code, 1, "{run}");
    insta::assert_snapshot!("flags", run.to_string());
    assert!(lint_codes(&run.stdout, None).is_empty(), "{}", run.stdout);
    for expected in [
        "timezone: Asia/Tokyo",
        "suspend: true",
        "serviceAccountName: batch-runner",
        "priority: 5",
        "workflows.argoproj.io/controller-instanceid: prod",
        "tier: batch",
    ] {
        assert!(run.stdout.contains(expected), "{expected}");
    }
    let name = run
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("  name: "))
        .expect("a name");
    assert_eq!(name.len(), 52);
    assert!(run.stderr.contains(
        "error: flags-cronjob.yaml:49:15: CronJob/nightly-report: `--bogus` is not carried over"
    ));
}

#[test]
fn a_chosen_name_wins() {
    let run = bosun(&[
        "migrate",
        "configmap-cronjob.yaml",
        "--name",
        "Nightly_Recommendations",
    ]);
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.contains("  name: nightly-recommendations\n"));
    assert!(
        run.stderr
            .contains("is not a valid name: using `nightly-recommendations`")
    );
}

#[test]
fn a_configmap_missing_from_the_inputs_is_named() {
    let run = bosun(&["migrate", "missing-configmap.yaml"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains(
        "`/wf/hourly.yaml` is key `hourly.yaml` of ConfigMap `hourly-workflow`, which is not among the inputs"
    ));
    assert!(
        run.stderr
            .contains("kubectl get configmap hourly-workflow -n jobs -o yaml")
    );
}

#[test]
fn submit_from_a_workflow_template_needs_no_file() {
    let run = bosun(&["migrate", "from-template.yaml"]);
    assert_eq!(run.code, 0, "{run}");
    insta::assert_snapshot!("from_template", run.to_string());
    assert!(
        run.stderr
            .contains("CronJob/plain-backup does not run `argo submit`")
    );
    // The reference resolves against the WorkflowTemplate of the inputs.
    assert!(lint_codes(&run.stdout, Some("from-template.yaml")).is_empty());
    assert!(
        !lint_codes(&run.stdout, None).is_empty(),
        "unresolved without it"
    );
}

#[test]
fn lint_errors_of_the_result_are_reported() {
    let run = bosun(&["migrate", "lint-error.yaml"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("kind: CronWorkflow"));
    assert!(run.stderr.contains("does not lint clean"));
    assert!(run.stderr.contains("error[AW212]"));
}

#[test]
fn output_file_lints_clean_with_bosun_lint() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cron.yaml");
    let run = bosun(&[
        "migrate",
        "configmap-cronjob.yaml",
        "image-cronjob.yaml",
        "--workflow",
        "workflow.yml",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.is_empty());
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(text.matches("kind: CronWorkflow").count(), 2);
    let lint_run = bosun(&["lint", out.to_str().unwrap()]);
    assert_eq!(lint_run.code, 0, "{lint_run}");
}

#[test]
fn nothing_to_migrate_is_exit_2() {
    let run = bosun(&["migrate", "workflow.yml"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("no CronJob in the input runs `argo submit`")
    );
    let run = bosun(&["migrate", "nope.yaml"]);
    assert_eq!(run.code, 2);
    let run = bosun(&["migrate", "image-cronjob.yaml", "--workflow", "nope.yml"]);
    assert_eq!(run.code, 2);
}

#[test]
fn each_submitted_file_becomes_a_cron_workflow_with_a_unique_name() {
    let run = bosun(&["migrate", "two-submits.yaml"]);
    assert_eq!(run.code, 0, "{run}");
    let names: Vec<&str> = run
        .stdout
        .lines()
        .filter_map(|l| l.strip_prefix("  name: "))
        .collect();
    assert_eq!(names, ["pair", "pair-2"]);
    assert_eq!(run.stdout.matches("namespace: batch").count(), 2);
    assert!(
        run.stdout
            .contains("command:\n            - echo\n            - b")
    );
    assert!(
        run.stderr
            .contains("is taken by an earlier migration: using `pair-2`")
    );
    assert!(lint_codes(&run.stdout, None).is_empty());
}
