//! AW003: a mapping defines the same key twice.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports a key that appears twice in the same mapping.
    ///
    /// ## Why is this bad?
    /// Kubernetes keeps only the *last* value, silently. The first one is usually the one the
    /// author meant to change: a second `args:` pasted under a container, or two `name:` keys in a
    /// task after a copy-paste, makes the manifest do something nobody reads in it.
    ///
    /// ## Example
    /// ```yaml
    /// - name: build
    ///   template: compile
    ///   template: compile-v2
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// - name: build
    ///   template: compile-v2
    /// ```
    pub(crate) static RULE = ("AW003", "duplicate-key", Warning, "a mapping defines the same key twice");
}

pub(crate) fn diagnostic(span: Span, first: Span, key: &str) -> Diagnostic {
    Diagnostic::new(
        &RULE,
        span,
        format!("key `{key}` is defined twice in this mapping"),
    )
    .with_label("this value wins")
    .with_secondary(first, "first defined here, then ignored")
    .with_help("remove one of the two definitions")
}
