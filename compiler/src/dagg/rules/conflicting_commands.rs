//! AG007: a job sets both `command` and `commands`.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports a job that has both `command` (one shell command line) and `commands` (the
    /// container's command as a list).
    ///
    /// ## Why is this bad?
    /// Templates use one or the other, usually `{{ if .Commands }}…{{ else }}…{{ end }}`: one
    /// of the two is silently dropped, and which one depends on the template.
    ///
    /// ## Example
    /// ```yaml
    /// - name: report
    ///   command: bin/report --daily
    ///   commands: [bin/report, --weekly]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// - name: report
    ///   commands: [bin/report, --daily]
    /// ```
    pub(crate) static RULE = ("AG007", "conflicting-commands", Error, "a job sets both `command` and `commands`");
}

pub(crate) fn diagnostic(span: Span, other: Span) -> Diagnostic {
    Diagnostic::new(&RULE, span, "job sets both `command` and `commands`")
        .with_label("`commands` here")
        .with_secondary(other, "`command` here")
        .with_help("keep one: `command` for a shell line, `commands` for an argument list")
}
