//! AG009: the Go template fails while rendering the DAG file.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports an error raised while the template runs over the DAG file, at the action that
    /// raised it, with Go's message: a field the data does not have
    /// (`can't evaluate field Image in type Job`), an `index` out of range, values of different
    /// types compared with `eq`, a wrong number of arguments. The output budget (bytes written)
    /// and the step budget (actions run) are reported here too, so a template that loops over
    /// its own output or nests `range`s deeply stops instead of hanging.
    ///
    /// ## Why is this bad?
    /// The template produced no usable manifest for this DAG file.
    ///
    /// ## Example
    /// ```text
    /// image: registry/{{ .Option.repo }}:{{ .Tag }}
    /// ```
    ///
    /// ## Use instead
    /// ```text
    /// image: registry/{{ .Option.repo }}:{{ index .Option "tag" }}
    /// ```
    pub(crate) static RULE = ("AG009", "template-execution-error", Error, "the Go template fails while rendering the DAG file");
}

pub(crate) fn diagnostic(span: Span, message: &str) -> Diagnostic {
    Diagnostic::new(&RULE, span, message.to_string())
}
