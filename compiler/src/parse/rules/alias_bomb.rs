//! AW005: aliases expand to more nodes than the budget allows.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Stops a document whose YAML aliases (`*name`) expand to more nodes than the configured
    /// budget (by default 250,000 copied nodes per document).
    ///
    /// ## Why is this bad?
    /// A few lines of nested anchors and aliases ("billion laughs") expand exponentially and can
    /// exhaust the memory of anything that loads them: the API server, the Argo controller, a CI
    /// job or this webhook. Real manifests never come near the budget.
    ///
    /// ## Example
    /// ```yaml
    /// a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]
    /// b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
    /// c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
    /// # ... nine levels later: a billion strings
    /// ```
    ///
    /// ## Use instead
    /// Write the repeated parts out, or share them with `templateRef` and `templateDefaults`.
    pub(crate) static RULE = ("AW005", "alias-expansion-limit", Error, "YAML aliases expand beyond the node budget");
}

pub(crate) fn diagnostic(span: Span, budget: usize) -> Diagnostic {
    Diagnostic::new(
        &RULE,
        span,
        format!("aliases in this document expand to more than {budget} nodes"),
    )
    .with_label("expansion stopped at this alias")
    .with_note("this looks like a \"billion laughs\" alias bomb; the document was not checked")
    .with_help("remove the nested aliases")
}
