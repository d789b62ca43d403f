//! AW007: a file or a document is larger than the size limit.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Stops a file larger than the file limit (by default 32 MiB) or a single YAML document larger
    /// than the document limit (by default 4 MiB). Both limits are configurable
    /// (`--max-file-size`, `--max-document-size`).
    ///
    /// ## Why is this bad?
    /// The Kubernetes API server refuses request bodies over 3 MiB and etcd stores objects up to
    /// about 1.5 MiB, so a larger Workflow can never be created. Bounding the input also bounds the
    /// memory and time Bosun spends on it.
    ///
    /// ## Example
    /// A generated Workflow with 40,000 inlined tasks in one document.
    ///
    /// ## Use instead
    /// Split the work into WorkflowTemplates referenced with `templateRef`, or use loops
    /// (`withItems`, `withParam`) instead of generating one task per item.
    pub(crate) static RULE = ("AW007", "input-too-large", Error, "a file or a document exceeds the size limit");
}

pub(crate) fn file_diagnostic(span: Span, size: u64, limit: usize) -> Diagnostic {
    Diagnostic::new(
        &RULE,
        span,
        format!("file is {size} bytes, over the {limit}-byte limit"),
    )
    .with_help("split the file or raise --max-file-size; it was not checked")
}

pub(crate) fn document_diagnostic(span: Span, limit: usize) -> Diagnostic {
    Diagnostic::new(
        &RULE,
        span,
        format!("document is larger than the {limit}-byte limit"),
    )
    .with_note("the Kubernetes API server rejects objects this large")
    .with_help("split the document or raise --max-document-size; it was not checked")
}
