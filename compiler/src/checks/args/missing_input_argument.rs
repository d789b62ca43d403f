//! AW420: a caller does not supply an input the template requires.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports a call that does not supply an input parameter without `value`, `default` or
    /// `valueFrom`, or an input artifact that is not `optional` and has no location. Every
    /// caller is checked: steps, DAG tasks, lifecycle hooks, exit handlers, and the entrypoint
    /// through `spec.arguments`. Templates reached through `templateRef` are not checked yet.
    ///
    /// ## Why is this bad?
    /// The node fails before it starts with `inputs.parameters.<name> was not supplied`. Argo's
    /// validator only catches it on the paths it traverses, one error at a time.
    ///
    /// ## Example
    /// ```yaml
    /// steps:
    ///   - - name: build
    ///       template: job
    /// # job declares `inputs.parameters: [{name: command}]`
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// steps:
    ///   - - name: build
    ///       template: job
    ///       arguments:
    ///         parameters:
    ///           - name: command
    ///             value: make
    /// ```
    pub(crate) static RULE = ("AW420", "missing-input-argument", Error, "a required input that a caller does not supply");
}

pub(crate) fn diagnostic(
    span: Span,
    pointer: String,
    kind: &str,
    name: &str,
    template: &str,
    declared: Span,
    workflow_arguments: bool,
) -> Diagnostic {
    let place = if workflow_arguments {
        "spec.arguments"
    } else {
        "arguments"
    };
    Diagnostic::new(
        &RULE,
        span,
        format!("input {kind} `{name}` of template `{template}` is not supplied"),
    )
    .with_pointer(pointer)
    .with_secondary(declared, "declared here without a value")
    .with_help(format!(
        "pass it in `{place}.{kind}s`, or give the input a default"
    ))
}
