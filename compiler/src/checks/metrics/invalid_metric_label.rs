//! AW841: a metric label key Prometheus does not accept, or a key used twice.

use super::{display, invalid_char, metrics};
use crate::checks::CheckContext;
use crate::checks::scalar::literal_str;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;

declare_rule! {
    /// ## What it does
    /// Checks metric label keys: Prometheus' legacy syntax `[a-zA-Z_][a-zA-Z0-9_]*`, and no key
    /// twice in one metric. Keys holding a template tag are skipped.
    ///
    /// Argo rule: ARGO-MET-002 (the duplicate check is Bosun's).
    ///
    /// ## Why is this bad?
    /// Argo rejects an invalid key (`metric label 'invalid.key' is invalid: keys may only
    /// contain alphanumeric characters or '_'`); a duplicate key fails when the metric is
    /// emitted.
    ///
    /// ## Example
    /// ```yaml
    /// labels:
    ///   - {key: step.name, value: build}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// labels:
    ///   - {key: step_name, value: build}
    /// ```
    pub(crate) static RULE = ("AW841", "invalid-metric-label", Error, "a metric label key Prometheus does not accept");
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    for m in metrics(obj) {
        let Some(labels) = m.labels() else { continue };
        let keys: Vec<_> = labels.iter().filter_map(|l| l.key()).collect();
        for (i, node) in keys.iter().enumerate() {
            let Some(key) = literal_str(*node) else {
                continue;
            };
            if invalid_char(key).is_some() {
                out.push(
                    Diagnostic::new(
                        &RULE,
                        node.span(),
                        format!("`{key}` is not a valid label key"),
                    )
                    .with_label(format!("on metric `{}`", display(&m)))
                    .with_pointer(node.pointer())
                    .with_help("use letters, digits and `_`, not starting with a digit"),
                );
            } else if let Some(first) = keys[..i].iter().find(|k| k.as_str() == Some(key)) {
                out.push(
                    Diagnostic::new(&RULE, node.span(), format!("label `{key}` is set twice"))
                        .with_pointer(node.pointer())
                        .with_secondary(first.span(), "first set here")
                        .with_help("remove one of the labels"),
                );
            }
        }
    }
}
