//! AW414: a whole-collection variable that expressions see as a map.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports `inputs.parameters`, `workflow.parameters`, `workflow.labels`,
/// `workflow.annotations` and `workflow.creationTimestamp` used whole inside an expression,
/// where they are maps rather than the JSON text the simple tag gives.
    ///
    /// ## Why is this bad?
    /// The value is not what the simple tag `{{inputs.parameters}}` prints: code expecting the JSON
/// list gets a map.
    ///
    /// ## Example
    /// ```yaml
    /// value: "{{= toJson(workflow.parameters) }}"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// value: "{{workflow.parameters.json}}"
    /// ```
    pub(crate) static RULE = ("AW414", "shadowed-collection", Warning, "a whole-collection variable that expressions see as a map");
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
