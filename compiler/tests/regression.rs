//! Regression tests named after the false negatives (FN-xx) and false positives (FP-xx) of
//! Argo's validator listed in `argo-rules.md` §5: each one lints a minimal manifest and asserts
//! that Bosun catches the problem Argo misses, or accepts what Argo wrongly rejects.

use compiler::LintSettings;

/// The codes reported for `yaml` with every rule enabled, in order.
fn codes(yaml: &str) -> Vec<&'static str> {
    let (_, report) = compiler::lint_text("regression.yaml", yaml, &LintSettings::default());
    report.diagnostics.iter().map(|d| d.code()).collect()
}

fn workflow(templates: &str) -> String {
    format!(
        "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  generateName: r-\n\
         spec:\n  entrypoint: main\n  templates:\n    - name: t\n      container: {{image: alpine:3.20}}\n{templates}"
    )
}

#[test]
fn fn_09_hook_template_must_exist() {
    // See: FN-09
    let y = workflow(
        "    - name: main\n      steps:\n        - - name: s\n            template: t\n            hooks:\n              failed:\n                expression: steps.s.status == \"Failed\"\n                template: pgae\n",
    );
    assert_eq!(codes(&y), ["AW212"]);
}

#[test]
fn fn_09_step_and_task_on_exit_must_exist() {
    // See: FN-09
    let y = workflow(
        "    - name: main\n      dag:\n        tasks:\n          - {name: a, template: t, onExit: cleanup}\n",
    );
    assert_eq!(codes(&y), ["AW212"]);
}

#[test]
fn fn_09_hook_with_template_ref_is_left_to_reference_resolution() {
    // See: FN-09
    let y = workflow(
        "    - name: main\n      steps:\n        - - name: s\n            template: t\n            hooks:\n              exit:\n                templateRef: {name: lib, template: notify}\n",
    );
    // Only the reference resolution reports the missing WorkflowTemplate `lib`.
    let found = codes(&y);
    assert!(
        !found.contains(&"AW212") && !found.contains(&"AW216"),
        "{found:?}"
    );
}

#[test]
fn fn_17_inline_with_template_is_reported() {
    // See: FN-17
    let y = workflow(
        "    - name: main\n      steps:\n        - - name: s\n            template: t\n            inline:\n              container: {image: alpine:3.20}\n",
    );
    assert_eq!(codes(&y), ["AW215"]);
}

#[test]
fn fn_17_inline_with_template_ref_is_reported() {
    // See: FN-17
    let y = workflow(
        "    - name: main\n      dag:\n        tasks:\n          - name: a\n            templateRef: {name: lib, template: x}\n            inline:\n              suspend: {}\n",
    );
    assert_eq!(codes(&y), ["AW215"]);
}

#[test]
fn fn_04_sibling_in_the_same_parallel_group_is_not_finished() {
    // See: FN-04
    let y = workflow(
        "    - name: main\n      steps:\n        - - name: a\n            template: t\n          - name: b\n            template: t\n            when: \"{{steps.a.status}} == Succeeded\"\n",
    );
    assert_eq!(codes(&y), ["AW402"]);
}

#[test]
fn fn_04_step_of_an_earlier_group_is_fine() {
    // See: FN-04
    let y = workflow(
        "    - name: main\n      steps:\n        - - name: a\n            template: t\n        - - name: b\n            template: t\n            when: \"{{steps.a.status}} == Succeeded\"\n",
    );
    assert_eq!(codes(&y), Vec::<&str>::new());
}

#[test]
fn fn_02_depends_grammar_is_parsed() {
    // See: FN-02
    let y = workflow(
        "    - name: main\n      dag:\n        tasks:\n          - {name: a, template: t}\n          - {name: b, template: t, depends: \"a &&\"}\n",
    );
    assert_eq!(codes(&y), ["AW302"]);
}

#[test]
fn fp_16_parameterized_target_is_not_treated_as_a_task_name() {
    // See: FP-16
    let y = workflow(
        "    - name: main\n      inputs:\n        parameters: [{name: target, value: a}]\n      dag:\n        target: \"{{inputs.parameters.target}}\"\n        tasks:\n          - {name: a, template: t}\n",
    );
    assert_eq!(codes(&y), Vec::<&str>::new());
}

#[test]
fn fp_18_artifact_names_with_dots_are_accepted() {
    // See: FP-18
    let y = workflow(
        "    - name: main\n      outputs:\n        artifacts:\n          - {name: report.tgz, path: /tmp/r}\n      container: {image: alpine:3.20}\n",
    );
    assert_eq!(codes(&y), Vec::<&str>::new());
}

#[test]
fn cycles_are_reported_with_the_full_ordered_path() {
    // See: ARGO-DAG-003 (Argo's message names no task)
    let y = workflow(
        "    - name: main\n      dag:\n        tasks:\n          - {name: a, template: t, depends: c}\n          - {name: b, template: t, depends: a}\n          - {name: c, template: t, depends: b}\n",
    );
    let (_, report) = compiler::lint_text("r.yaml", &y, &LintSettings::default());
    let cycle: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.code() == "AW304")
        .collect();
    assert_eq!(cycle.len(), 1);
    assert_eq!(cycle[0].message, "dependency cycle: a → c → b → a");
    assert_eq!(cycle[0].secondary.len(), 2);
}

#[test]
fn cron_workflow_names_longer_than_52_are_rejected() {
    // See: ARGO-META-004 (the API server accepts them, then they never run)
    let y = format!(
        "apiVersion: argoproj.io/v1alpha1\nkind: CronWorkflow\nmetadata:\n  name: {}\nspec:\n  schedules: [\"* * * * *\"]\n  workflowSpec:\n    entrypoint: t\n    templates:\n      - name: t\n        container: {{image: alpine:3.20}}\n",
        "c".repeat(53)
    );
    assert_eq!(codes(&y), ["AW201"]);
}
