//! AW412: an expression that probably does not do what it says.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports expressions that evaluate but almost certainly not as intended: comparing an Argo
/// variable (always a string) with a number (always false), arguments a function silently
/// ignores.
    ///
    /// ## Why is this bad?
    /// The condition is constant and the branch it guards never (or always) runs.
    ///
    /// ## Example
    /// ```yaml
    /// when: "{{= inputs.parameters.count == 3 }}"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// when: "{{= asInt(inputs.parameters.count) == 3 }}"
    /// ```
    pub(crate) static RULE = ("AW412", "likely-type-error", Warning, "an expression that probably does not do what it says");
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
