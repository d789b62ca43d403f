//! AW006: the document nests deeper than the limit.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Stops a document whose mappings and sequences nest deeper than the limit (by default 100
    /// levels; the deepest real Argo manifests use about 20).
    ///
    /// ## Why is this bad?
    /// Pathologically deep input is a denial-of-service vector: recursive parsers and decoders
    /// overflow their stack or burn seconds of CPU on it (serde_yaml took a minute on 200 KB of
    /// `[[[[`). No valid workflow needs it, so it is rejected early and cheaply.
    ///
    /// ## Example
    /// ```yaml
    /// spec: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ ... ]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]
    /// ```
    ///
    /// ## Use instead
    /// A manifest with the structure the Argo API defines.
    pub(crate) static RULE = ("AW006", "nesting-too-deep", Error, "the document nests deeper than the limit");
}

pub(crate) fn diagnostic(span: Span, limit: usize) -> Diagnostic {
    Diagnostic::new(
        &RULE,
        span,
        format!("document nests deeper than {limit} levels"),
    )
    .with_label("limit exceeded here")
    .with_help("flatten the structure; the document was not checked")
}
