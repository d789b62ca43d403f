//! AW410: a regular expression that means something else in Go.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports regular-expression constructs whose meaning differs between Go's RE2 and the
/// dialects people test with (ASCII-only `\d`, `\w`, `\s` and `\b` in Go, `&&` in classes).
    ///
    /// ## Why is this bad?
    /// A pattern tested elsewhere silently matches different text in Argo.
    ///
    /// ## Example
    /// ```yaml
    /// value: "{{= sprig.regexMatch('[a-z&&[^aeiou]]', inputs.parameters.v) }}"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// value: "{{= sprig.regexMatch('[b-df-hj-np-tv-z]', inputs.parameters.v) }}"
    /// ```
    pub(crate) static RULE = ("AW410", "regex-dialect-difference", Warning, "a regular expression that means something else in Go");
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
