//! AW004: tabs used where YAML only allows spaces.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports a tab character used for indentation or as separation where YAML forbids it.
    ///
    /// ## Why is this bad?
    /// YAML indentation is made of spaces only. A tab makes the file unparsable (or, in some
    /// parsers, silently changes its structure). Editors that insert tabs are the usual cause.
    ///
    /// ## Example
    /// ```text
    /// spec:
    /// <TAB>entrypoint: main
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// spec:
    ///   entrypoint: main
    /// ```
    pub(crate) static RULE = ("AW004", "tab-indentation", Error, "a tab is used where YAML requires spaces");
}

pub(crate) fn diagnostic(span: Span, info: &str) -> Diagnostic {
    Diagnostic::new(&RULE, span, format!("tab character in indentation: {info}"))
        .with_help("indent with spaces; documents after this point were not checked")
}
