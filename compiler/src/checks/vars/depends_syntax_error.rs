//! AW417: a `depends` expression that does not parse.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports `depends` expressions that do not parse: a dangling operator, unbalanced parentheses,
/// a single `&` or `|`. Unknown task names are reported by the DAG checks.
    ///
    /// ## Why is this bad?
    /// Argo's validator only extracts task names with a regular expression (FN-02): `A &&` passes
/// lint and the task errors at run time with `unable to evaluate expression`.
    ///
    /// ## Example
    /// ```yaml
    /// depends: "a &&"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// depends: "a && b"
    /// ```
    pub(crate) static RULE = ("AW417", "depends-syntax-error", Error, "a `depends` expression that does not parse");
}

pub(crate) fn diagnostic(span: Span, pointer: String, message: String) -> Diagnostic {
    Diagnostic::new(
        &RULE,
        span,
        format!("invalid `depends` expression: {message}"),
    )
    .with_pointer(pointer)
}
