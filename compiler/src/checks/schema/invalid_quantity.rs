//! AW105: a resource amount is not a Kubernetes quantity.

use super::quantity::QuantityError;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports a resource amount (`resources.requests`, `resources.limits`, `emptyDir.sizeLimit`,
    /// volume claim storage) that does not follow Kubernetes' quantity syntax: a number with an
    /// optional suffix, `n`, `u`, `m`, `k`, `M`, `G`, `T`, `P`, `E` (powers of 10), `Ki`, `Mi`,
    /// `Gi`, `Ti`, `Pi`, `Ei` (powers of 2), or an exponent such as `e3`. Suffixes are
    /// case-sensitive: `1K` and `1mi` are errors. Strings holding an Argo template tag are not
    /// checked.
    ///
    /// ## Why is this bad?
    /// The pod for the step cannot be created, so the step fails at runtime with `quantities
    /// must match the regular expression`. A workflow can run for hours before it reaches it.
    ///
    /// ## Example
    /// ```yaml
    /// resources:
    ///   requests:
    ///     cpu: 100x
    ///     memory: 1GB
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// resources:
    ///   requests:
    ///     cpu: 100m
    ///     memory: 1Gi
    /// ```
    pub(crate) static RULE = ("AW105", "invalid-quantity", Error, "a resource amount that is not a Kubernetes quantity");
}

const SUFFIXES: [&str; 15] = [
    "n", "u", "m", "k", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei",
];

pub(crate) fn diagnostic(
    span: Span,
    pointer: String,
    place: &str,
    value: &str,
    error: QuantityError,
) -> Diagnostic {
    let d = Diagnostic::new(
        &RULE,
        span,
        format!("`{value}` is not a valid quantity for {place}"),
    )
    .with_label(error.reason())
    .with_pointer(pointer);
    let number_len = value
        .trim()
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '+' | '-')))
        .unwrap_or(value.len());
    let (number, suffix) = value.trim().split_at(number_len.min(value.trim().len()));
    if let Some(fixed) = SUFFIXES.iter().find(|s| s.eq_ignore_ascii_case(suffix)) {
        return d.with_help(format!(
            "suffixes are case-sensitive: did you mean `{number}{fixed}`?"
        ));
    }
    // `1GB`, `512mb`: byte units written the way disks are sold.
    let upper = suffix.to_ascii_uppercase();
    if let Some(prefix) = upper
        .strip_suffix('B')
        .filter(|p| matches!(*p, "K" | "M" | "G" | "T" | "P" | "E"))
    {
        let decimal = if prefix == "K" { "k" } else { prefix };
        return d.with_help(format!(
            "write `{number}{decimal}` for powers of 10 or `{number}{prefix}i` for powers of 2"
        ));
    }
    d.with_help("write a number with an optional suffix, e.g. `500m`, `2`, `1.5Gi` or `1e3`")
}
