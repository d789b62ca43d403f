//! AW001: the input is not well-formed YAML (or JSON).

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports text that the YAML parser cannot read: unbalanced brackets, bad indentation,
    /// unterminated quotes, an undefined alias, a stray `:` and the like. JSON files are read as
    /// YAML (JSON is a subset of YAML 1.2), so malformed JSON is reported here too.
    ///
    /// ## Why is this bad?
    /// `kubectl apply` rejects the whole file, and every document after the error is never read.
    /// Documents that parsed completely before the error are still checked.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   entrypoint: main
    ///   templates: [{name: main
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// spec:
    ///   entrypoint: main
    ///   templates: [{name: main}]
    /// ```
    pub(crate) static RULE = ("AW001", "yaml-syntax-error", Error, "the input is not well-formed YAML or JSON");
}

pub(crate) fn diagnostic(span: Span, info: &str) -> Diagnostic {
    Diagnostic::new(&RULE, span, format!("YAML syntax error: {info}"))
        .with_help("fix the syntax; documents after this point were not checked")
}
