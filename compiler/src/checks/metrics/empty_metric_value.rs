//! AW844: a gauge, counter or histogram whose `value` is empty.

use super::{display, metrics};
use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;
use crate::model::view::View;

declare_rule! {
    /// ## What it does
    /// Reports a `gauge`, `counter` or `histogram` whose `value` is an empty string. (A missing
    /// `value` is reported as a missing required field.)
    ///
    /// Argo rule: ARGO-MET-004, ARGO-MET-006, ARGO-MET-007.
    ///
    /// ## Why is this bad?
    /// Argo rejects the template: `metric 'm' error: missing gauge.value`.
    ///
    /// ## Example
    /// ```yaml
    /// gauge:
    ///   value: ""
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// gauge:
    ///   value: "{{duration}}"
    /// ```
    pub(crate) static RULE = ("AW844", "empty-metric-value", Error, "a metric with an empty value");
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    for m in metrics(obj) {
        for kind in ["gauge", "counter", "histogram"] {
            let Some(value) = m.node().get(kind).and_then(|k| k.get("value")) else {
                continue;
            };
            if value.as_str() == Some("") {
                out.push(
                    Diagnostic::new(
                        &RULE,
                        value.span(),
                        format!("metric `{}` has an empty {kind} value", display(&m)),
                    )
                    .with_pointer(value.pointer())
                    .with_help("set the value to record, e.g. `\"{{duration}}\"` or `\"1\"`"),
                );
            }
        }
    }
}
