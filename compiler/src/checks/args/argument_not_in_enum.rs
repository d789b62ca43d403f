//! AW422: an argument value outside the `enum` of the input it binds.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;
use crate::suggest::did_you_mean;

declare_rule! {
    /// ## What it does
    /// Reports an argument whose literal value is not in the `enum` of the input parameter it
    /// binds, for every caller (steps, tasks, hooks, the entrypoint through `spec.arguments`).
    /// Argo's validator checks enums of `spec.arguments` only, and skips the rest of the list
    /// after a parameter without a value (FN-12, FN-13).
    ///
    /// ## Why is this bad?
    /// The enum documents the values the template handles; another value reaches the program
    /// unchecked.
    ///
    /// ## Example
    /// ```yaml
    /// arguments:
    ///   parameters:
    ///     - name: env
    ///       value: prod   # the input declares enum: [staging, production]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///     - name: env
    ///       value: production
    /// ```
    pub(crate) static RULE = ("AW422", "argument-not-in-enum", Error, "an argument value outside the input's enum");
}

pub(crate) fn diagnostic(
    span: Span,
    pointer: String,
    value: &str,
    input: &str,
    template: &str,
    allowed: &[String],
) -> Diagnostic {
    let shown: Vec<String> = allowed.iter().take(8).map(|v| format!("`{v}`")).collect();
    let d = Diagnostic::new(
        &RULE,
        span,
        format!("`{value}` is not an allowed value of input `{input}` of template `{template}`"),
    )
    .with_pointer(pointer)
    .with_label(format!("expected one of {}", shown.join(", ")));
    match did_you_mean(value, allowed.iter().map(String::as_str)) {
        Some(s) => d.with_help(format!("did you mean `{s}`?")),
        None => d,
    }
}
