//! AW106: a duration string does not parse.

use super::duration::DurationError;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports a duration that Argo cannot parse. Duration fields use Go's syntax: numbers with
    /// units `ns`, `us`, `ms`, `s`, `m` or `h`, such as `30s`, `1h30m` or `1.5h`. There is no
    /// unit for days. `timeout`, `pendingTimeout`, `podGC.deleteDelayDuration`,
    /// `memoize.maxAge` and `containerSet.retryStrategy.duration` need a unit; `suspend.duration`
    /// and the `retryStrategy.backoff` durations also accept a plain number of seconds written
    /// as a string (`"30"`). Strings holding an Argo template tag are not checked.
    ///
    /// ## Why is this bad?
    /// `argo lint` does not check these values: the workflow is accepted and fails when the
    /// controller reads the field, often only when the step runs (`time: unknown unit "d" in
    /// duration "1d"`).
    ///
    /// ## Example
    /// ```yaml
    /// - name: wait
    ///   suspend:
    ///     duration: 1d
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// - name: wait
    ///   suspend:
    ///     duration: 24h
    /// ```
    pub(crate) static RULE = ("AW106", "invalid-duration", Error, "a duration string that does not parse");
}

pub(crate) fn diagnostic(
    span: Span,
    pointer: String,
    place: &str,
    value: &str,
    error: &DurationError,
    seconds_allowed: bool,
) -> Diagnostic {
    let d = Diagnostic::new(
        &RULE,
        span,
        format!("`{value}` is not a valid duration for {place}"),
    )
    .with_label(error.reason())
    .with_pointer(pointer);
    let d = match error {
        DurationError::UnknownUnit(u) if u == "d" => {
            d.with_help("Go durations have no unit for days: use hours, e.g. `24h`")
        }
        DurationError::MissingUnit if value.bytes().all(|b| b.is_ascii_digit()) => {
            d.with_help(format!("add a unit, e.g. `{value}s`"))
        }
        _ => d.with_help("write a Go duration such as `30s`, `5m` or `1h30m`"),
    };
    if seconds_allowed {
        d.with_note(
            "this field also accepts a whole number of seconds written as a string, e.g. `\"30\"`",
        )
    } else {
        d
    }
}
