//! Regression tests for the false negatives and false positives of `argo lint` (§5 of the rule
//! inventory) fixed by the template, resource, metric and CronWorkflow checks.

use compiler::LintSettings;
use compiler::lint_text;

/// The codes reported for `yaml`, in order.
fn codes(yaml: &str) -> Vec<&'static str> {
    let (_, report) = lint_text("test.yaml", yaml, &LintSettings::default());
    report.diagnostics.iter().map(|d| d.code()).collect()
}

const HEADER: &str = "apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: regression-
spec:
  entrypoint: main
";

#[test]
fn volume_mount_of_an_undeclared_volume_is_reported() {
    // See: FN-11
    let yaml = format!(
        "{HEADER}  volumes:
    - {{name: workdir, emptyDir: {{}}}}
  templates:
    - name: main
      container:
        image: alpine
        volumeMounts:
          - {{name: workdir, mountPath: /work}}
          - {{name: missing, mountPath: /missing}}
"
    );
    assert_eq!(codes(&yaml), ["AW801"]);
}

#[test]
fn suspend_duration_with_a_day_unit_is_reported() {
    // See: FN-15
    let yaml = format!(
        "{HEADER}  templates:
    - name: main
      suspend:
        duration: 1d
"
    );
    assert_eq!(codes(&yaml), ["AW106"]);
}

#[test]
fn timeout_and_pending_timeout_need_go_durations() {
    // See: FN-16
    let yaml = format!(
        "{HEADER}  templates:
    - name: main
      timeout: 5min
      pendingTimeout: \"30\"
      container:
        image: alpine
"
    );
    assert_eq!(codes(&yaml), ["AW106", "AW106"]);
}

#[test]
fn cluster_workflow_template_defaults_supply_the_image() {
    // See: FP-12
    let yaml = "apiVersion: argoproj.io/v1alpha1
kind: ClusterWorkflowTemplate
metadata:
  name: defaults
spec:
  templateDefaults:
    container:
      image: alpine
  templates:
    - name: main
      container:
        command: [echo]
";
    assert_eq!(codes(yaml), Vec::<&str>::new());
}

#[test]
fn workflow_level_metrics_and_unchecked_template_fields_are_reported() {
    // See: FN-18
    let yaml = format!(
        "{HEADER}  metrics:
    prometheus:
      - name: bad.name
        help: Workflow metric
        counter: {{value: \"1\"}}
  ttlStrategy:
    secondsAfterFailure: -1
  templates:
    - name: main
      container:
        image: alpine
"
    );
    assert_eq!(codes(&yaml), ["AW840", "AW811"]);
}

#[test]
fn cron_workflow_spec_is_checked_like_a_workflow() {
    // See: ARGO-CRON-007
    let yaml = "apiVersion: argoproj.io/v1alpha1
kind: CronWorkflow
metadata:
  name: nightly
spec:
  schedules: [\"0 0 * * 7\"]
  workflowSpec:
    entrypoint: main
    templates:
      - name: main
        script:
          source: echo hi
";
    assert_eq!(codes(yaml), ["AW601", "AW812"]);
}

#[test]
fn dag_task_hooks_need_an_expression() {
    // See: FN-09 (DAG task hooks are not checked for `expression`)
    let yaml = format!(
        "{HEADER}  templates:
    - name: main
      dag:
        tasks:
          - name: a
            template: leaf
            hooks:
              running: {{template: leaf}}
              exit: {{template: leaf}}
    - name: leaf
      container: {{image: alpine}}
"
    );
    assert_eq!(codes(&yaml), ["AW217"]);
}

#[test]
fn artifact_arguments_with_only_from_expression_are_accepted() {
    // See: FP-17
    let yaml = format!(
        "{HEADER}  templates:
    - name: main
      steps:
        - - name: gen
            template: gen
        - - name: use
            template: use
            arguments:
              artifacts:
                - name: data
                  fromExpression: \"steps.gen.status == 'Succeeded' ? steps.gen.outputs.artifacts.data : steps.gen.outputs.artifacts.data\"
    - name: gen
      outputs:
        artifacts: [{{name: data, path: /tmp/data}}]
      container: {{image: alpine}}
    - name: use
      inputs:
        artifacts: [{{name: data, path: /tmp/data}}]
      container: {{image: alpine}}
"
    );
    assert_eq!(codes(&yaml), Vec::<&str>::new());
    // Without any source the argument is reported.
    let bare = yaml.replace(
        "                  fromExpression: \"steps.gen.status == 'Succeeded' ? steps.gen.outputs.artifacts.data : steps.gen.outputs.artifacts.data\"\n",
        "",
    );
    assert!(codes(&bare).contains(&"AW427"), "{:?}", codes(&bare));
}

#[test]
fn cron_workflow_arguments_may_be_supplied_later() {
    // See: FP-09 (valueless `workflowSpec.arguments.parameters` of a CronWorkflow)
    // See: FP-08 (a valueless argument bound to an input with a default)
    let yaml = "apiVersion: argoproj.io/v1alpha1
kind: CronWorkflow
metadata:
  name: nightly
spec:
  schedules: [\"0 2 * * *\"]
  workflowSpec:
    entrypoint: main
    arguments:
      parameters:
        - name: date
    templates:
      - name: main
        inputs:
          parameters:
            - name: date
              default: today
        container:
          image: alpine
          args: [\"{{inputs.parameters.date}}\"]
";
    assert_eq!(codes(yaml), Vec::<&str>::new());
}
