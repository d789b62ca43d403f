//! AW402: a variable used where it is not available.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports a variable that exists in the workflow but not where it is used: the outputs of a
/// step in the same parallel group or a later one (FN-04), the outputs or status of a DAG task
/// that is not an ancestor of the task using it, wherever the reference appears (arguments,
/// `when`, `withParam`, text in the middle of a string, inline templates, hooks; FN-05), `item`
/// outside a looping step or task (FN-03), `retries`/`lastRetry.*` without a `retryStrategy`,
/// `workflow.failures` outside exit handlers, metric-only variables (`status`, `duration`, …)
/// outside metrics, and `pod.name` in templates that run no pod (FN-07).
    ///
    /// ## Why is this bad?
    /// The value is not set when the field is evaluated. Depending on the field, the tag is left
/// verbatim, the step waits forever, or it races with the producer and reads a value that is
/// not there yet. Argo's validator only enforces DAG ancestry for arguments that *start* with
/// `{{tasks.` and lets loop variables leak to later steps.
    ///
    /// ## Example
    /// ```yaml
    /// dag:
///   tasks:
///     - name: a
///       template: produce
///     - name: b
///       template: consume
///       arguments:
///         parameters:
///           - name: x
///             value: "{{tasks.a.outputs.result}}"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///     - name: b
///       depends: a
///       template: consume
///       arguments:
///         parameters:
///           - name: x
///             value: "{{tasks.a.outputs.result}}"
    /// ```
    pub(crate) static RULE = ("AW402", "variable-out-of-scope", Error, "a variable used where it is not available");
}

pub(crate) fn diagnostic(
    span: Span,
    pointer: String,
    shown: &str,
    reason: String,
    help: Option<String>,
) -> Diagnostic {
    let d = Diagnostic::new(&RULE, span, format!("`{shown}` is not available here"))
        .with_pointer(pointer)
        .with_label(reason);
    match help {
        Some(h) => d.with_help(h),
        None => d,
    }
}
