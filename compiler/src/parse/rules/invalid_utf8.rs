//! AW002: the file is not valid UTF-8.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports a file containing bytes that are not valid UTF-8, pointing at the first such byte.
    ///
    /// ## Why is this bad?
    /// YAML streams and Kubernetes manifests must be UTF-8. `kubectl` refuses the file, and the
    /// text around the bad bytes cannot be interpreted reliably, so Bosun does not check it.
    /// Common causes are files saved as Latin-1 or Shift_JIS, or a binary file given by mistake.
    ///
    /// ## Example
    /// A `description:` written in Shift_JIS by an editor that does not default to UTF-8.
    ///
    /// ## Use instead
    /// Re-encode the file: `iconv -f SHIFT_JIS -t UTF-8 wf.yaml > wf.utf8.yaml`.
    pub(crate) static RULE = ("AW002", "invalid-utf8", Error, "the file is not valid UTF-8");
}

pub(crate) fn diagnostic(span: Span, byte_offset: usize) -> Diagnostic {
    Diagnostic::new(
        &RULE,
        span,
        format!("file is not valid UTF-8 (first invalid byte at offset {byte_offset})"),
    )
    .with_help("re-encode the file as UTF-8; it was not checked")
}
