//! AW407: a function called with the wrong number of arguments.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports a call to a known function with too few or too many arguments.
    ///
    /// ## Why is this bad?
    /// Go functions are called by reflection: the call fails at run time and the node errors.
    ///
    /// ## Example
    /// ```yaml
    /// value: "{{= sprig.trunc(inputs.parameters.name) }}"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// value: "{{= sprig.trunc(5, inputs.parameters.name) }}"
    /// ```
    pub(crate) static RULE = ("AW407", "wrong-argument-count", Error, "a function called with the wrong number of arguments");
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
