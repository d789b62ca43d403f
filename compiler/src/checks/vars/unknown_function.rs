//! AW406: a call to a function that does not exist.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports a call to a function that is neither an expr builtin, an Argo helper (`asInt`,
/// `asFloat`, `jsonpath`, `toJson`) nor a sprig function, with a did-you-mean.
    ///
    /// ## Why is this bad?
    /// expr compiles against a strict environment: the expression fails to compile and the node
/// errors at run time.
    ///
    /// ## Example
    /// ```yaml
    /// value: "{{= sprig.toUpper(inputs.parameters.name) }}"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// value: "{{= sprig.upper(inputs.parameters.name) }}"
    /// ```
    pub(crate) static RULE = ("AW406", "unknown-function", Error, "a call to a function that does not exist");
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
