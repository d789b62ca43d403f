//! AW405: an expression that does not parse.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports a syntax error in a `{{= }}` expression tag or a raw expression field
/// (`retryStrategy.expression`, hook `expression`, `valueFrom.expression`, `fromExpression`,
/// `labelsFrom[*].expression`, HTTP `successCondition`, data transformations, CronWorkflow
/// `stopStrategy.expression`), and expressions over the complexity budget.
    ///
    /// ## Why is this bad?
    /// Argo's validator never parses expressions (FN-01): the error surfaces at run time, when the
/// step that needs the value fails.
    ///
    /// ## Example
    /// ```yaml
    /// value: "{{= inputs.parameters.n + }}"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// value: "{{= asInt(inputs.parameters.n) + 1 }}"
    /// ```
    pub(crate) static RULE = ("AW405", "expression-syntax-error", Error, "an expression that does not parse");
}

pub(crate) fn diagnostic(
    span: Span,
    pointer: String,
    message: String,
    help: Option<String>,
) -> Diagnostic {
    let d = Diagnostic::new(&RULE, span, format!("invalid expression: {message}"))
        .with_pointer(pointer);
    match help {
        Some(h) => d.with_help(h),
        None => d,
    }
}
