//! AW413: a hyphenated name read as a subtraction.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports `inputs.parameters.my-param` written with dots inside an expression: expr reads it
/// as `inputs.parameters.my - param`.
    ///
    /// ## Why is this bad?
    /// The expression fails with `inputs.parameters.my is missing`, or subtracts strings.
    ///
    /// ## Example
    /// ```yaml
    /// value: "{{= inputs.parameters.my-param }}"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// value: "{{= inputs.parameters['my-param'] }}"
    /// ```
    pub(crate) static RULE = ("AW413", "hyphenated-variable-name", Error, "a hyphenated name read as a subtraction");
}

pub(crate) fn diagnostic(
    span: Span,
    pointer: String,
    message: String,
    help: Option<String>,
) -> Diagnostic {
    let d = Diagnostic::new(&RULE, span, message).with_pointer(pointer);
    match help {
        Some(h) => d.with_help(h),
        None => d,
    }
}
