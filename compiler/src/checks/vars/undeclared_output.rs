//! AW403: a reference to an output the called template does not declare.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports `steps.X.outputs.parameters.P`, `tasks.X.outputs.artifacts.A`, `outputs.result`,
/// `exitCode` or `ip` of a step or task whose template does not declare or produce it:
/// undeclared output names, `outputs.result` of a template type without one (resource,
/// suspend, steps, dag), `ip` of a template that is not a daemon. Callees reached through a
    /// `templateRef` are checked against the referenced template; a dynamic, external or missing
    /// reference leaves its outputs unchecked.
    ///
    /// ## Why is this bad?
    /// The reference never resolves: Argo's controller waits for a value that will not come or fails
/// the consuming step with `unable to resolve`.
    ///
    /// ## Example
    /// ```yaml
    /// - name: consume
///   template: print
///   arguments:
///     parameters:
///       - name: x
///         value: "{{steps.gen.outputs.parameters.reslt}}"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///       - name: x
///         value: "{{steps.gen.outputs.parameters.result}}"
    /// ```
    pub(crate) static RULE = ("AW403", "undeclared-output", Error, "a reference to an output the called template does not declare");
}

pub(crate) fn diagnostic(
    span: Span,
    pointer: String,
    message: String,
    help: Option<String>,
    decl: Option<Span>,
) -> Diagnostic {
    let mut d = Diagnostic::new(&RULE, span, message).with_pointer(pointer);
    if let Some(at) = decl {
        d = d.with_secondary(at, "the called template");
    }
    match help {
        Some(h) => d.with_help(h),
        None => d,
    }
}
