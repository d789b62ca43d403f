//! AW401: a reference to a variable that does not exist.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports a `{{…}}` tag or a name in an expression that refers to a variable that does not exist anywhere
/// it could be used: an input the template does not declare, a workflow parameter that is not in
/// `spec.arguments`, a misspelled root (`input.parameters`), a step or task that does not exist.
/// Tags with roots Argo does not own (`{{user.name}}`, Helm or Jinja text) are left alone.
    ///
    /// ## Why is this bad?
    /// Argo substitutes what it knows and leaves the rest: an unknown tag in a container's
/// arguments reaches the program verbatim (`{{inputs.parameters.comand}}`), an unknown name in
/// an expression fails the node at run time. Argo's validator misses every case inside `{{= }}`
/// expressions and many tag roots (FN-01, FN-07).
    ///
    /// ## Example
    /// ```yaml
    /// templates:
///   - name: job
///     inputs:
///       parameters:
///         - name: command
///     container:
///       image: alpine
///       args: ["{{inputs.parameters.comand}}"]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///     container:
///       image: alpine
///       args: ["{{inputs.parameters.command}}"]
    /// ```
    pub(crate) static RULE = ("AW401", "undefined-variable", Error, "a reference to a variable that does not exist");
}

pub(crate) fn diagnostic(
    span: Span,
    pointer: String,
    shown: &str,
    help: Option<String>,
) -> Diagnostic {
    let d = Diagnostic::new(&RULE, span, format!("`{shown}` is not defined")).with_pointer(pointer);
    match help {
        Some(h) => d.with_help(h),
        None => d,
    }
}
