//! Walker tests: small manifests through the whole pipeline, asserting codes, pointers and
//! messages of the structural rules.

use crate::config::{LintSettings, RuleSelection};
use crate::lint_text;

/// Lints `yaml` with only the structural rules; returns `(code, pointer, message)` triples.
fn check(yaml: &str) -> Vec<(String, String, String)> {
    let settings = LintSettings {
        rules: RuleSelection::only(&["AW1"]),
        ..LintSettings::default()
    };
    let (_, report) = lint_text("test.yaml", yaml, &settings);
    report
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.code().to_string(),
                d.pointer.clone().unwrap_or_default(),
                d.message.clone(),
            )
        })
        .collect()
}

fn codes(yaml: &str) -> Vec<String> {
    check(yaml).into_iter().map(|(c, _, _)| c).collect()
}

const HEAD: &str =
    "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  generateName: t-\n";

fn wf(spec: &str) -> String {
    format!("{HEAD}spec:\n{spec}")
}

#[test]
fn a_minimal_workflow_is_clean() {
    let y = wf(
        "  entrypoint: main\n  templates:\n    - name: main\n      container:\n        image: alpine\n",
    );
    assert_eq!(check(&y), vec![]);
}

#[test]
fn unknown_fields_suggest_the_closest_name() {
    let y = wf(
        "  entrypoint: main\n  templates:\n    - name: main\n      dag:\n        tasks:\n          - name: a\n            template: x\n            dependancies: [b]\n",
    );
    let got = check(&y);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "AW101");
    assert_eq!(got[0].1, "/spec/templates/0/dag/tasks/0/dependancies");
    let settings = LintSettings::default();
    let (_, report) = lint_text("t.yaml", &y, &settings);
    let unknown = report.diagnostics.iter().find(|d| d.code() == "AW101");
    assert_eq!(
        unknown.and_then(|d| d.help.as_deref()),
        Some("did you mean `dependencies`?")
    );
}

#[test]
fn wrong_types_name_expected_and_found() {
    let y = wf(
        "  entrypoint: main\n  parallelism: \"5\"\n  templates:\n    - name: main\n      dag:\n        tasks:\n          - name: a\n            template: x\n            dependencies: 5\n",
    );
    let got = check(&y);
    assert_eq!(
        got,
        vec![
            (
                "AW102".into(),
                "/spec/parallelism".into(),
                "`spec.parallelism` should be an integer".into()
            ),
            (
                "AW102".into(),
                "/spec/templates/0/dag/tasks/0/dependencies".into(),
                "`tasks[0].dependencies` should be an array".into()
            ),
        ]
    );
}

#[test]
fn sequence_items_are_named_by_index() {
    let y = wf(
        "  entrypoint: main\n  templates:\n    - name: main\n      dag:\n        tasks:\n          - name: a\n            template: x\n            dependencies: [b, 7]\n",
    );
    let got = check(&y);
    assert_eq!(got[0].2, "`tasks[0].dependencies[1]` should be a string");
    assert_eq!(got[0].1, "/spec/templates/0/dag/tasks/0/dependencies/1");
}

#[test]
fn missing_required_fields_point_at_the_parent() {
    let y = wf(
        "  entrypoint: main\n  templates:\n    - name: main\n      inputs:\n        parameters:\n          - value: \"1\"\n",
    );
    let got = check(&y);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "AW103");
    assert_eq!(got[0].1, "/spec/templates/0/inputs/parameters/0/name");
    // A document without `spec`.
    assert_eq!(codes(HEAD), vec!["AW103"]);
}

#[test]
fn null_is_accepted_but_does_not_satisfy_required() {
    let y = wf(
        "  entrypoint: main\n  parallelism:\n  templates:\n    - name:\n      container:\n        image: alpine\n",
    );
    assert_eq!(
        codes(&y),
        Vec::<String>::new(),
        "template names are not required"
    );
    let y = wf(
        "  entrypoint: main\n  templates:\n    - name: main\n      dag:\n        tasks:\n          - name:\n            template: x\n",
    );
    assert_eq!(codes(&y), vec!["AW103"]);
}

#[test]
fn enums_formats_and_template_tags() {
    let y = wf(concat!(
        "  entrypoint: main\n  podGC:\n    strategy: OnPodSucess\n",
        "  templates:\n    - name: main\n      timeout: 1d\n      retryStrategy:\n        limit: three\n        retryPolicy: \"{{inputs.parameters.p}}\"\n",
        "        backoff:\n          duration: \"10\"\n          maxDuration: 10\n",
        "      container:\n        image: alpine\n        imagePullPolicy: always\n",
        "        resources:\n          requests:\n            cpu: 100x\n            memory: \"{{inputs.parameters.mem}}\"\n          limits:\n            cpu: 0.5\n            memory: 1Gi\n",
    ));
    let got = check(&y);
    let summary: Vec<(&str, &str)> = got
        .iter()
        .map(|(c, p, _)| (c.as_str(), p.as_str()))
        .collect();
    assert_eq!(
        summary,
        vec![
            ("AW104", "/spec/podGC/strategy"),
            ("AW106", "/spec/templates/0/timeout"),
            ("AW102", "/spec/templates/0/retryStrategy/limit"),
            (
                "AW102",
                "/spec/templates/0/retryStrategy/backoff/maxDuration"
            ),
            ("AW104", "/spec/templates/0/container/imagePullPolicy"),
            (
                "AW105",
                "/spec/templates/0/container/resources/requests/cpu"
            ),
        ]
    );
}

#[test]
fn yaml_coercions_that_kubernetes_accepts() {
    let y = wf(concat!(
        "  entrypoint: main\n  parallelism: 2.0\n  activeDeadlineSeconds: 1e3\n  suspend: yes\n",
        "  arguments:\n    parameters:\n      - name: a\n        value: 3\n      - name: b\n        value: true\n      - name: c\n        enum: [1, two, 3.5]\n        default: 1\n",
        "  templates:\n    - name: main\n      activeDeadlineSeconds: \"30\"\n      steps:\n        - - name: s\n            template: t\n            withItems: [1, a, {x: 1}, [2]]\n",
    ));
    assert_eq!(check(&y), vec![]);
}

#[test]
fn non_integral_numbers_and_quoted_booleans_are_errors() {
    let y = wf(
        "  entrypoint: main\n  parallelism: 2.5\n  suspend: \"true\"\n  serviceAccountName: 42\n",
    );
    assert_eq!(codes(&y), vec!["AW102", "AW102", "AW102"]);
}

#[test]
fn status_blocks_and_metadata_maps() {
    let y = format!(
        "{HEAD}  labels:\n    app: x\n    version: 1\n  creationTimestamp: null\nspec:\n  entrypoint: main\nstatus:\n  phase: Succeeded\n  anything: [1, 2]\n"
    );
    let got = check(&y);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].1, "/metadata/labels/version");
}

#[test]
fn every_kind_has_a_root() {
    for (kind, body) in [
        ("WorkflowTemplate", "spec:\n  templates: []\n"),
        ("ClusterWorkflowTemplate", "spec:\n  templates: []\n"),
        (
            "CronWorkflow",
            "spec:\n  schedules: [\"0 * * * *\"]\n  concurrencyPolicy: Forbidd\n  workflowSpec:\n    entrypoint: main\n",
        ),
    ] {
        let y =
            format!("apiVersion: argoproj.io/v1alpha1\nkind: {kind}\nmetadata:\n  name: x\n{body}");
        let expected: Vec<String> = if kind == "CronWorkflow" {
            vec!["AW104".into()]
        } else {
            vec![]
        };
        assert_eq!(codes(&y), expected, "{kind}");
    }
}

#[test]
fn hostile_shapes_are_reported_not_panicked_on() {
    for spec in [
        "spec: [1, 2]\n",
        "spec: 5\n",
        "spec:\n  templates: {a: b}\n",
        "spec:\n  templates: [[], 1, null, {steps: [[{inline: {steps: 3}}]]}]\n",
        "spec:\n  templates:\n    - dag: {tasks: [{name: a, withItems: {x: 1}, hooks: [1]}]}\n",
        "spec:\n  templates:\n    - container: {resources: {requests: [1], limits: {cpu: [1], memory: {a: 1}}}}\n",
        "spec:\n  podGC: {strategy: [OnPodSuccess]}\n  templates:\n    - timeout: {}\n      suspend: {duration: .inf}\n",
    ] {
        let y = format!("{HEAD}{spec}");
        let got = check(&y);
        assert!(!got.is_empty(), "{spec}");
        assert!(
            got.iter()
                .all(|(c, p, _)| c.starts_with("AW10") && p.starts_with('/')),
            "{got:?}"
        );
    }
}

#[test]
fn many_errors_cost_linear_time() {
    let mut y =
        wf("  entrypoint: main\n  templates:\n    - name: main\n      dag:\n        tasks:\n");
    for i in 0..5_000 {
        y.push_str(&format!(
            "          - {{name: t{i}, dependancies: 5, withSequence: {{count: x}}}}\n"
        ));
    }
    let started = std::time::Instant::now();
    let got = check(&y);
    assert_eq!(got.len(), 10_000);
    assert!(
        started.elapsed().as_secs() < 20,
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn integral_floats_are_integers_only_within_int64() {
    // Found by the bad-input catalogue: `1e100` was accepted as an integer, which Go refuses.
    for ok in ["2.0", "1e3", "9223372036854775807", "-9.2e18"] {
        let y = wf(&format!(
            "  entrypoint: main\n  parallelism: {ok}\n  templates:\n    - name: main\n      container: {{image: alpine}}\n"
        ));
        assert_eq!(codes(&y), Vec::<String>::new(), "{ok}");
    }
    for bad in ["1e100", "100000000000000000000", "-1e19", "1.5"] {
        let y = wf(&format!(
            "  entrypoint: main\n  parallelism: {bad}\n  templates:\n    - name: main\n      container: {{image: alpine}}\n"
        ));
        assert_eq!(codes(&y), ["AW102"], "{bad}");
    }
}
