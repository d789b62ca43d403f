//! AW104: a string is not one of the values its field accepts.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;
use crate::suggest::did_you_mean;

declare_rule! {
    /// ## What it does
    /// Reports a value outside the fixed set its field accepts: `retryPolicy`, `podGC.strategy`,
    /// `imagePullPolicy`, `concurrencyPolicy`, `resource.action` and other enumerations of Argo
    /// and Kubernetes. Values are case-sensitive. Strings holding an Argo template tag are not
    /// checked, since they are substituted at runtime.
    ///
    /// ## Why is this bad?
    /// Depending on the field, the API server rejects the object, the controller fails the
    /// workflow when it reads the value, or the value is silently treated as the default (a
    /// misspelled `retryPolicy` means the step is retried under a different policy).
    ///
    /// ## Example
    /// ```yaml
    /// retryStrategy:
    ///   limit: 3
    ///   retryPolicy: OnFailed
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// retryStrategy:
    ///   limit: 3
    ///   retryPolicy: OnFailure
    /// ```
    pub(crate) static RULE = ("AW104", "invalid-enum-value", Error, "a value outside the set its field accepts");
}

/// Lists at most this many allowed values in the label.
const LIST_UP_TO: usize = 8;

pub(crate) fn diagnostic(
    span: Span,
    pointer: String,
    place: &str,
    value: &str,
    allowed: &[&str],
) -> Diagnostic {
    let shown: Vec<String> = allowed
        .iter()
        .take(LIST_UP_TO)
        .map(|v| format!("`{}`", if v.is_empty() { "\"\"" } else { v }))
        .collect();
    let more = if allowed.len() > LIST_UP_TO {
        ", ..."
    } else {
        ""
    };
    let d = Diagnostic::new(
        &RULE,
        span,
        format!("`{value}` is not a valid value for {place}"),
    )
    .with_label(format!("expected one of {}{more}", shown.join(", ")))
    .with_pointer(pointer);
    match did_you_mean(value, allowed.iter().copied().filter(|v| !v.is_empty())) {
        Some(s) => d.with_help(format!("did you mean `{s}`?")),
        None => d,
    }
}
