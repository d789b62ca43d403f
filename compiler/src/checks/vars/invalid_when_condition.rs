//! AW416: a `when` condition govaluate cannot parse.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports `when` conditions (steps, tasks, metrics) that govaluate cannot parse once their
/// tags are substituted, and conditions without tags that cannot evaluate to a boolean.
    ///
    /// ## Why is this bad?
    /// Argo's validator never parses `when` (FN-02): the step errors at run time with
/// `Invalid 'when' expression`.
    ///
    /// ## Example
    /// ```yaml
    /// when: "{{steps.flip.outputs.result}} === heads"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// when: "{{steps.flip.outputs.result}} == heads"
    /// ```
    pub(crate) static RULE = ("AW416", "invalid-when-condition", Error, "a `when` condition govaluate cannot parse");
}

pub(crate) fn diagnostic(
    span: Span,
    pointer: String,
    message: String,
    with_tags: bool,
) -> Diagnostic {
    let d = Diagnostic::new(
        &RULE,
        span,
        format!("this `when` condition fails in Argo: {message}"),
    )
    .with_pointer(pointer);
    if with_tags {
        d.with_note("checked with every tag replaced by a plain word")
    } else {
        d
    }
}
