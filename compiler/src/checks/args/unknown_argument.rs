//! AW421: an argument that matches no input of the called template.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports a parameter or artifact argument of a step, task or hook whose name is not an
    /// input of the called template, with a did-you-mean (FN-10). Workflow arguments are not
    /// reported: they are also `workflow.parameters`.
    ///
    /// ## Why is this bad?
    /// Argo silently ignores the argument: a misspelled name leaves the input at its default,
    /// and the step runs with a value nobody chose.
    ///
    /// ## Example
    /// ```yaml
    /// - name: build
    ///   template: job            # job declares input `command` with a default
    ///   arguments:
    ///     parameters:
    ///       - name: comand
    ///         value: make release
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///       - name: command
    ///         value: make release
    /// ```
    pub(crate) static RULE = ("AW421", "unknown-argument", Warning, "an argument that matches no input of the called template");
}

pub(crate) fn diagnostic(
    span: Span,
    pointer: String,
    kind: &str,
    name: &str,
    template: &str,
    suggestion: Option<&str>,
) -> Diagnostic {
    let d = Diagnostic::new(
        &RULE,
        span,
        format!("template `{template}` has no input {kind} `{name}`"),
    )
    .with_pointer(pointer)
    .with_label("Argo ignores this argument");
    match suggestion {
        Some(s) => d.with_help(format!("did you mean `{s}`?")),
        None => d,
    }
}
