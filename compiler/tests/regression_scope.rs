//! Regression tests for the variable scoping and argument checks: one test per false negative
//! (FN-xx) or false positive (FP-xx) of Argo's validator that Bosun fixes (argo-rules §5).

use compiler::{LintSettings, lint_text};

/// The codes reported for a workflow whose `spec.templates` is `templates` (indented by 2).
fn codes(spec: &str) -> Vec<&'static str> {
    let text = format!(
        "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  generateName: r-\nspec:\n{spec}"
    );
    let (_, report) = lint_text("r.yaml", &text, &LintSettings::default());
    let mut c: Vec<&'static str> = report.diagnostics.iter().map(|d| d.code()).collect();
    c.dedup();
    c
}

const LEAF: &str = r#"
    - name: leaf
      inputs:
        parameters:
          - name: x
            default: ""
      outputs:
        parameters:
          - name: out
            valueFrom:
              path: /tmp/out
      script:
        image: alpine:3.20
        source: echo {{inputs.parameters.x}}
"#;

#[test]
fn expression_tags_are_parsed_and_scope_checked() {
    // See: FN-01
    let c = codes(&format!(
        r#"  entrypoint: main
  templates:
    - name: main
      container:
        image: alpine:3.20
        args: ["{{{{= 1 + }}}}", "{{{{= inputs.parameters.nope }}}}"]
{LEAF}"#
    ));
    assert_eq!(c, ["AW405", "AW401"]);
}

#[test]
fn when_and_depends_grammars_are_parsed() {
    // See: FN-02
    let c = codes(&format!(
        r#"  entrypoint: main
  templates:
    - name: main
      dag:
        tasks:
          - {{name: a, template: leaf}}
          - {{name: b, template: leaf, depends: "a &&"}}
          - {{name: c, template: leaf, depends: a, when: "{{{{tasks.a.outputs.result}}}} === x"}}
{LEAF}"#
    ));
    assert_eq!(c, ["AW302", "AW416"]);
}

#[test]
fn loop_variables_do_not_leak_to_later_steps() {
    // See: FN-03
    let c = codes(&format!(
        r#"  entrypoint: main
  templates:
    - name: main
      steps:
        - - name: loop
            template: leaf
            arguments: {{parameters: [{{name: x, value: "{{{{item}}}}"}}]}}
            withParam: '["a"]'
        - - name: after
            template: leaf
            arguments: {{parameters: [{{name: x, value: "{{{{item.k}}}}"}}]}}
{LEAF}"#
    ));
    assert_eq!(c, ["AW402"]);
}

#[test]
fn steps_cannot_read_siblings_of_the_same_group() {
    // See: FN-04
    let c = codes(&format!(
        r#"  entrypoint: main
  templates:
    - name: main
      steps:
        - - name: one
            template: leaf
          - name: two
            template: leaf
            arguments: {{parameters: [{{name: x, value: "{{{{steps.one.outputs.result}}}}"}}]}}
        - - name: three
            template: leaf
            arguments: {{parameters: [{{name: x, value: "{{{{steps.one.outputs.result}}}}"}}]}}
{LEAF}"#
    ));
    assert_eq!(c, ["AW402"]);
}

#[test]
fn tasks_read_only_ancestors_wherever_the_reference_appears() {
    // See: FN-05
    let text = format!(
        r#"  entrypoint: main
  templates:
    - name: main
      dag:
        tasks:
          - name: a
            template: leaf
          - name: b
            template: leaf
            when: "'{{{{tasks.a.outputs.result}}}}' == x"
          - name: c
            template: leaf
            withParam: "{{{{tasks.a.outputs.parameters.out}}}}"
            arguments: {{parameters: [{{name: x, value: "{{{{item}}}}"}}]}}
          - name: d
            template: leaf
            arguments: {{parameters: [{{name: x, value: "mid-{{{{tasks.a.outputs.result}}}}"}}]}}
          - name: e
            template: leaf
            hooks:
              running:
                expression: tasks.a.status == "Running"
                template: leaf
          - name: f
            inline:
              container:
                image: alpine:3.20
                args: ["{{{{= tasks.a.outputs.result }}}}"]
          - name: g
            depends: a
            template: leaf
            arguments: {{parameters: [{{name: x, value: "{{{{tasks.a.outputs.result}}}}"}}]}}
{LEAF}"#
    );
    let (_, report) = lint_text(
        "r.yaml",
        &format!(
            "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  generateName: r-\nspec:\n{text}"
        ),
        &LintSettings::default(),
    );
    let out_of_scope = report
        .diagnostics
        .iter()
        .filter(|d| d.code() == "AW402")
        .count();
    assert_eq!(out_of_scope, 5, "{:#?}", report.diagnostics);
    assert!(report.diagnostics.iter().all(|d| d.code() == "AW402"));
}

#[test]
fn roots_argo_never_checks_are_checked() {
    // See: FN-07
    let c = codes(
        r#"  entrypoint: main
  templates:
    - name: main
      container:
        image: alpine:3.20
        args: ["{{retries}} {{lastRetry.exitCode}} {{status}} {{item}} {{node.nam}}"]
"#,
    );
    assert_eq!(c, ["AW402", "AW401"]);
}

#[test]
fn unknown_arguments_are_warnings() {
    // See: FN-10
    let c = codes(&format!(
        r#"  entrypoint: main
  templates:
    - name: main
      steps:
        - - name: s
            template: leaf
            arguments: {{parameters: [{{name: verbose, value: "1"}}]}}
{LEAF}"#
    ));
    assert_eq!(c, ["AW421"]);
}

#[test]
fn enums_are_checked_for_every_argument_list() {
    // See: FN-12
    let c = codes(
        r#"  entrypoint: main
  templates:
    - name: main
      steps:
        - - name: s
            template: pick
            arguments:
              parameters:
                - {name: first, value: "{{workflow.name}}"}
                - {name: mode, value: fast}
    - name: pick
      inputs:
        parameters:
          - name: first
          - name: mode
            enum: [slow, safe]
      container:
        image: alpine:3.20
"#,
    );
    assert_eq!(c, ["AW422"]);
}

#[test]
fn global_outputs_are_known_whatever_the_order() {
    // See: FP-04
    let c = codes(&format!(
        r#"  entrypoint: main
  templates:
    - name: main
      steps:
        - - name: read
            template: leaf
            arguments: {{parameters: [{{name: x, value: "{{{{workflow.outputs.parameters.shared}}}}"}}]}}
        - - name: produce
            template: produce
    - name: produce
      outputs:
        parameters:
          - name: v
            globalName: shared
            valueFrom: {{path: /tmp/v}}
      container:
        image: alpine:3.20
{LEAF}"#
    ));
    assert!(c.is_empty(), "{c:?}");
}

#[test]
fn workflow_failures_is_known_in_exit_hooks() {
    // See: FP-05
    let c = codes(
        r#"  entrypoint: main
  hooks:
    exit:
      template: report
  templates:
    - name: main
      container:
        image: alpine:3.20
    - name: report
      container:
        image: alpine:3.20
        args: ["{{workflow.failures}} {{workflow.status}}"]
"#,
    );
    assert!(c.is_empty(), "{c:?}");
}

#[test]
fn tasks_name_is_not_a_dependency() {
    // See: FP-06
    let c = codes(&format!(
        r#"  entrypoint: main
  templates:
    - name: main
      dag:
        tasks:
          - name: a
            template: leaf
            arguments: {{parameters: [{{name: x, value: "{{{{tasks.name}}}}"}}]}}
{LEAF}"#
    ));
    assert!(c.is_empty(), "{c:?}");
}

#[test]
fn controller_injected_labels_are_known() {
    // See: FP-07
    let c = codes(
        r#"  entrypoint: main
  templates:
    - name: main
      container:
        image: alpine:3.20
        args: ["{{workflow.labels.workflows.argoproj.io/workflow-template}}"]
"#,
    );
    assert!(c.is_empty(), "{c:?}");
}

#[test]
fn inline_templates_see_their_own_inputs_and_pod_name() {
    // See: FP-11
    let c = codes(
        r#"  entrypoint: main
  templates:
    - name: main
      steps:
        - - name: s
            arguments: {parameters: [{name: msg, value: hi}]}
            inline:
              inputs:
                parameters:
                  - name: msg
              retryStrategy: {limit: 1}
              container:
                image: alpine:3.20
                args: ["{{inputs.parameters.msg}} {{pod.name}} {{retries}}"]
"#,
    );
    assert!(c.is_empty(), "{c:?}");
}

#[test]
fn child_workflow_manifests_keep_their_own_tags() {
    // See: FP-13
    let c = codes(
        r#"  entrypoint: main
  templates:
    - name: main
      resource:
        action: create
        manifest: |
          apiVersion: argoproj.io/v1alpha1
          kind: Workflow
          metadata:
            generateName: child-
          spec:
            entrypoint: run
            arguments:
              parameters: [{name: who, value: "{{workflow.name}}"}]
            templates:
              - name: run
                container:
                  image: alpine:3.20
                  args: ["{{workflow.parameters.who}} {{inputs.parameters.x}}"]
"#,
    );
    assert!(c.is_empty(), "{c:?}");
}

#[test]
fn with_sequence_loops_have_aggregated_outputs() {
    // See: FP-14
    let c = codes(&format!(
        r#"  entrypoint: main
  templates:
    - name: main
      steps:
        - - name: loop
            template: leaf
            withSequence: {{count: "3"}}
        - - name: after
            template: leaf
            arguments: {{parameters: [{{name: x, value: "{{{{steps.loop.outputs.parameters}}}}"}}]}}
{LEAF}"#
    ));
    assert!(c.is_empty(), "{c:?}");
}

#[test]
fn outputs_of_template_refs_are_not_guessed() {
    // See: FP-15
    let c = codes(&format!(
        r#"  entrypoint: main
  arguments:
    parameters: [{{name: t, value: lib}}]
  templates:
    - name: main
      steps:
        - - name: dyn
            templateRef: {{name: "{{{{workflow.parameters.t}}}}", template: run}}
        - - name: after
            template: leaf
            arguments: {{parameters: [{{name: x, value: "{{{{steps.dyn.outputs.result}}}}"}}]}}
{LEAF}"#
    ));
    // `lib` is not in this run, so the reference itself is unresolved (AW501); the output read
    // through it must not be reported as undeclared.
    assert_eq!(c, ["AW501"], "{c:?}");
}
