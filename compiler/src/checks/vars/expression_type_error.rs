//! AW411: an expression that certainly fails on types.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports operations whose operand types are known and incompatible: `'a' + 1`, `!'x'`,
/// `asInt('abc')`, a non-boolean ternary condition.
    ///
    /// ## Why is this bad?
    /// expr rejects the expression when it compiles or evaluates it: the node errors.
    ///
    /// ## Example
    /// ```yaml
    /// value: "{{= 'retry-' + 1 }}"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// value: "{{= 'retry-' + string(1) }}"
    /// ```
    pub(crate) static RULE = ("AW411", "expression-type-error", Error, "an expression that certainly fails on types");
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
