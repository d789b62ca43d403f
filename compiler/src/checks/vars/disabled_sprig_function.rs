//! AW408: a sprig function Argo removes.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports `sprig.env` and `sprig.expandenv`, which Argo removes from the expression environment
/// so that workflows cannot read the controller's environment.
    ///
    /// ## Why is this bad?
    /// The expression fails with `sprig.env is missing`.
    ///
    /// ## Example
    /// ```yaml
    /// value: "{{= sprig.env('HOME') }}"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// value: "{{= inputs.parameters.home }}"
    /// ```
    pub(crate) static RULE = ("AW408", "disabled-sprig-function", Error, "a sprig function Argo removes");
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
