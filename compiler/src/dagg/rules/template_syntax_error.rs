//! AG008: the Go template cannot be parsed.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports a syntax error in the template given to `bosun gen DAGFILE TEMPLATE`: an
    /// unclosed action, an `{{ end }}` without its `{{ if }}`/`{{ range }}`/`{{ with }}`, an
    /// undefined variable, an unknown function, a malformed string or number. Bosun implements
    /// the part of Go's `text/template` that dagg templates use; the message says when a
    /// construct is outside it.
    ///
    /// ## Why is this bad?
    /// Nothing can be generated until the template parses.
    ///
    /// ## Example
    /// ```text
    /// {{ range .Jobs }}
    /// - name: {{ .Name }}
    /// ```
    ///
    /// ## Use instead
    /// ```text
    /// {{ range .Jobs }}
    /// - name: {{ .Name }}
    /// {{ end }}
    /// ```
    pub(crate) static RULE = ("AG008", "template-syntax-error", Error, "the Go template cannot be parsed");
}

pub(crate) fn diagnostic(span: Span, message: &str, help: Option<&str>) -> Diagnostic {
    let d = Diagnostic::new(&RULE, span, message.to_string());
    match help {
        Some(h) => d.with_help(h.to_string()),
        None => d,
    }
}
