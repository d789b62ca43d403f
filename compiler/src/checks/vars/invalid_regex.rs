//! AW409: a regular expression Go rejects.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports a literal regular expression (in `matches`, `sprig.regex*`) that Go's RE2 syntax
/// rejects: look-around, back-references, `(?x)`, repeat counts over 1000…
    ///
    /// ## Why is this bad?
    /// Argo evaluates regular expressions with Go: the expression fails to compile or panics at
/// run time.
    ///
    /// ## Example
    /// ```yaml
    /// when: "{{= inputs.parameters.v matches '(?=x)' }}"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// when: "{{= inputs.parameters.v matches 'x' }}"
    /// ```
    pub(crate) static RULE = ("AW409", "invalid-regex", Error, "a regular expression Go rejects");
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
