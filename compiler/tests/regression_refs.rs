//! Regressions for the false positives and negatives of Argo's reference handling listed in
//! `../shared/specs/argo-rules.md` §5: each test names the entry it covers.

use compiler::LintSettings;
use compiler::Severity;
use compiler::load::Loaded;
use compiler::{Report, lint};

fn run(files: &[(&str, &str)], settings: &LintSettings) -> Report {
    let mut loaded = Loaded::default();
    for (name, text) in files {
        loaded.add_text(*name, text.to_string());
    }
    lint(&loaded, settings)
}

fn codes(report: &Report) -> Vec<&'static str> {
    report.diagnostics.iter().map(|d| d.code()).collect()
}

const PRINTER: &str = r#"
apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata: {name: printer}
spec:
  templates:
    - name: print
      inputs:
        parameters: [{name: message}]
      container: {image: busybox}
"#;

const CALLER: &str = r#"
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: call-}
spec:
  entrypoint: main
  templates:
    - name: main
      steps:
        - - name: p
            templateRef: {name: printer, template: print}
            arguments:
              parameters: [{name: message, value: hi}]
"#;

#[test]
fn templates_in_the_same_batch_resolve_without_a_cluster() {
    // See: FP-01
    let report = run(
        &[("wf.yaml", CALLER), ("printer.yaml", PRINTER)],
        &LintSettings::default(),
    );
    assert_eq!(codes(&report), Vec::<&str>::new());
}

#[test]
fn centrally_managed_templates_can_be_declared_or_downgraded() {
    // See: FP-02
    let missing = run(&[("wf.yaml", CALLER)], &LintSettings::default());
    assert_eq!(codes(&missing), ["AW501"]);
    assert_eq!(missing.diagnostics[0].severity, Severity::Error);

    let mut settings = LintSettings::default();
    settings.refs.allow_missing = true;
    let allowed = run(&[("wf.yaml", CALLER)], &settings);
    assert_eq!(allowed.diagnostics[0].severity, Severity::Warning);

    let mut settings = LintSettings::default();
    settings.refs.external = vec!["printer".to_string()];
    assert_eq!(
        codes(&run(&[("wf.yaml", CALLER)], &settings)),
        Vec::<&str>::new()
    );
}

#[test]
fn the_second_template_of_a_multi_document_file_is_found() {
    // See: FP-03
    let both = format!("{PRINTER}---\n{}", PRINTER.replace("printer", "other"));
    let caller = CALLER.replace("name: printer", "name: other");
    let report = run(
        &[("templates.yaml", &both), ("wf.yaml", &caller)],
        &LintSettings::default(),
    );
    assert_eq!(codes(&report), Vec::<&str>::new());
}

#[test]
fn hook_template_refs_are_resolved() {
    // See: FN-09
    let wf = r#"
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: hooks-}
spec:
  entrypoint: main
  hooks:
    exit:
      templateRef: {name: printer, template: prnt}
  templates:
    - name: main
      container: {image: busybox}
"#;
    let report = run(
        &[("wf.yaml", wf), ("printer.yaml", PRINTER)],
        &LintSettings::default(),
    );
    assert_eq!(codes(&report), ["AW502"]);
}

#[test]
fn arguments_that_match_no_input_of_a_referenced_template_are_reported() {
    // See: FN-10
    let caller = CALLER.replace("name: message, value", "name: mesage, value");
    let report = run(
        &[("wf.yaml", &caller), ("printer.yaml", PRINTER)],
        &LintSettings::default(),
    );
    assert_eq!(codes(&report), ["AW503", "AW505"]);
}

#[test]
fn a_workflow_parameter_cannot_escape_the_templates_enum() {
    // See: FN-13
    let wft = r#"
apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata: {name: release}
spec:
  entrypoint: main
  arguments:
    parameters: [{name: channel, value: stable, enum: [stable, beta]}]
  templates:
    - name: main
      container: {image: busybox}
"#;
    let wf = r#"
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: r-}
spec:
  arguments:
    parameters: [{name: channel, value: nightly}]
  workflowTemplateRef: {name: release}
"#;
    let report = run(
        &[("wft.yaml", wft), ("wf.yaml", wf)],
        &LintSettings::default(),
    );
    assert_eq!(codes(&report), ["AW504"]);
}

#[test]
fn dynamic_template_refs_are_reported_not_skipped() {
    // See: FN-14
    let wf = r#"
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: dyn-}
spec:
  entrypoint: main
  arguments:
    parameters: [{name: fixed, value: printer}]
  templates:
    - name: main
      inputs:
        parameters: [{name: which, default: printer}]
      steps:
        - - name: dynamic
            templateRef: {name: "{{inputs.parameters.which}}", template: print}
          - name: substituted
            templateRef: {name: "{{workflow.parameters.fixed}}", template: prnt}
"#;
    let report = run(
        &[("wf.yaml", wf), ("printer.yaml", PRINTER)],
        &LintSettings::default(),
    );
    // The first is reported as dynamic (info); the second is substituted and checked.
    assert_eq!(codes(&report), ["AW506", "AW502"]);
    assert_eq!(report.diagnostics[0].severity, Severity::Info);
}

#[test]
fn a_cluster_template_with_a_namespaced_reference_does_not_crash() {
    // See: §5.4 (ClusterWorkflowTemplate lint dereferences a nil namespaced getter)
    let cwft = r#"
apiVersion: argoproj.io/v1alpha1
kind: ClusterWorkflowTemplate
metadata: {name: shared}
spec:
  templates:
    - name: main
      steps:
        - - name: p
            templateRef: {name: printer, template: print}
            arguments:
              parameters: [{name: message, value: hi}]
"#;
    let report = run(
        &[("cwft.yaml", cwft), ("printer.yaml", PRINTER)],
        &LintSettings::default(),
    );
    // Resolved in the default namespace, where namespace-less WorkflowTemplates live.
    assert_eq!(codes(&report), Vec::<&str>::new());
}

const PRODUCER: &str = r#"
apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata: {name: producer}
spec:
  templates:
    - name: gen
      outputs:
        parameters:
          - name: out
            valueFrom: {path: /tmp/out}
      container: {image: busybox}
"#;

/// A DAG that reads `{{tasks.gen.outputs.parameters.<read>}}` of a task calling `producer.gen`
/// through a `templateRef`.
fn consumer(read: &str) -> String {
    format!(
        r#"
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {{generateName: consume-}}
spec:
  entrypoint: main
  templates:
    - name: main
      dag:
        tasks:
          - name: gen
            templateRef: {{name: producer, template: gen}}
          - name: use
            depends: gen
            template: echo
            arguments:
              parameters: [{{name: m, value: "{{{{tasks.gen.outputs.parameters.{read}}}}}"}}]
    - name: echo
      inputs: {{parameters: [{{name: m}}]}}
      container: {{image: busybox, args: ["{{{{inputs.parameters.m}}}}"]}}
"#
    )
}

#[test]
fn outputs_read_through_a_template_ref_must_be_declared_by_the_referenced_template() {
    // See: FP-15 (outputs of referenced templates are known, not guessed) and issue 5 §3.
    let files = |read: &str| vec![("wf.yaml", consumer(read)), ("p.yaml", PRODUCER.into())];
    let lint_files = |files: Vec<(&str, String)>, settings: &LintSettings| {
        let refs: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
        run(&refs, settings)
    };
    let ok = lint_files(files("out"), &LintSettings::default());
    assert_eq!(codes(&ok), Vec::<&str>::new());

    let bad = lint_files(files("uot"), &LintSettings::default());
    assert_eq!(codes(&bad), ["AW403"]);
    let d = &bad.diagnostics[0];
    assert!(d.message.contains("producer.gen"), "{}", d.message);
    assert_eq!(
        d.help.as_deref(),
        Some("did you mean `tasks.gen.outputs.parameters.out`?")
    );

    // Unresolved references keep their outputs dynamic: only the reference is reported.
    let mut allow = LintSettings::default();
    allow.refs.allow_missing = true;
    let missing = lint_files(vec![("wf.yaml", consumer("uot"))], &allow);
    assert_eq!(codes(&missing), ["AW501"]);
    let mut external = LintSettings::default();
    external.refs.external = vec!["producer".into()];
    let external = lint_files(vec![("wf.yaml", consumer("uot"))], &external);
    assert_eq!(codes(&external), Vec::<&str>::new());
}
