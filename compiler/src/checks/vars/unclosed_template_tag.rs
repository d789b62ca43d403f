//! AW404: a `{{` that is never closed.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports a `{{` with no `}}` after it in the same field.
    ///
    /// ## Why is this bad?
    /// Argo's template engine has no escape for `{{`: the substitution of the whole field fails with
/// `Cannot find end tag="}}"` and the node errors.
    ///
    /// ## Example
    /// ```yaml
    /// args: ["echo {{inputs.parameters.msg"]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// args: ["echo {{inputs.parameters.msg}}"]
    /// ```
    pub(crate) static RULE = ("AW404", "unclosed-template-tag", Error, "a `{{` that is never closed");
}

pub(crate) fn diagnostic(span: Span, pointer: String) -> Diagnostic {
    Diagnostic::new(
        &RULE,
        span,
        "`{{` is never closed: Argo fails the whole field",
    )
    .with_pointer(pointer)
}
