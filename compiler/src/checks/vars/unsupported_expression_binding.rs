//! AW415: a `let` binding or `$env` that Argo's variable pass reports missing.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports `let` bindings and `$env` in expressions. Argo's missing-variable pre-pass looks
/// them up as workflow variables: `$env` never resolves, and a `let` name fails wherever tags
/// must resolve (loop expansion, metrics, step arguments).
    ///
    /// ## Why is this bad?
    /// The tag is left unresolved or fails with `x is missing` depending on where it appears.
    ///
    /// ## Example
    /// ```yaml
    /// value: "{{= let n = asInt(inputs.parameters.n); n * 2 }}"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// value: "{{= asInt(inputs.parameters.n) * 2 }}"
    /// ```
    pub(crate) static RULE = ("AW415", "unsupported-expression-binding", Warning, "a `let` binding or `$env` that Argo's variable pass reports missing");
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
