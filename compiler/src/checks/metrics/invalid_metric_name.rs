//! AW840: a metric name Prometheus does not accept.

use super::{invalid_char, metrics};
use crate::checks::CheckContext;
use crate::checks::scalar::{literal_str, sub_span};
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;

declare_rule! {
    /// ## What it does
    /// Checks metric names against Prometheus' legacy name syntax without colons:
    /// `[a-zA-Z_][a-zA-Z0-9_]*`. Names holding a template tag are skipped.
    ///
    /// Argo rule: ARGO-MET-001 (also applied to workflow-level `spec.metrics`, which Argo does
    /// not check).
    ///
    /// ## Why is this bad?
    /// Argo rejects the template (`metric name 'invalid.metric.name' is invalid. Metric names
    /// must contain alphanumeric characters or '_'`); workflow-level metrics fail when emitted.
    ///
    /// ## Example
    /// ```yaml
    /// metrics:
    ///   prometheus:
    ///     - name: build.duration
    ///       help: Duration of the build
    ///       gauge: {value: "{{duration}}"}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// metrics:
    ///   prometheus:
    ///     - name: build_duration
    ///       help: Duration of the build
    ///       gauge: {value: "{{duration}}"}
    /// ```
    pub(crate) static RULE = ("AW840", "invalid-metric-name", Error, "a metric name Prometheus does not accept");
}

pub(crate) fn check(ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    for m in metrics(obj) {
        let Some(node) = m.name() else { continue };
        let Some(name) = literal_str(node) else {
            continue;
        };
        let Some(at) = invalid_char(name) else {
            continue;
        };
        let (span, label) = match name[at..].chars().next() {
            Some(c) => (
                sub_span(ctx, node, at, at + c.len_utf8()),
                format!("`{c}` is not allowed here"),
            ),
            None => (node.span(), "the name is empty".to_string()),
        };
        out.push(
            Diagnostic::new(&RULE, span, format!("`{name}` is not a valid metric name"))
                .with_label(label)
                .with_pointer(node.pointer())
                .with_help(format!(
                    "use letters, digits and `_`, not starting with a digit, e.g. `{}`",
                    suggestion(name)
                )),
        );
    }
}

fn suggestion(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    s
}
