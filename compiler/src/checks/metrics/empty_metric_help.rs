//! AW842: a metric whose `help` is empty.

use super::{display, metrics};
use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;

declare_rule! {
    /// ## What it does
    /// Reports a metric whose `help` is an empty string. (A missing `help` is reported as a
    /// missing required field.)
    ///
    /// Argo rule: ARGO-MET-003.
    ///
    /// ## Why is this bad?
    /// Argo rejects the template: `metric 'm' must contain a help string under 'help: ' field`.
    ///
    /// ## Example
    /// ```yaml
    /// - name: builds
    ///   help: ""
    ///   counter: {value: "1"}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// - name: builds
    ///   help: Number of builds
    ///   counter: {value: "1"}
    /// ```
    pub(crate) static RULE = ("AW842", "empty-metric-help", Error, "a metric with an empty help string");
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    for m in metrics(obj) {
        let Some(help) = m.help() else { continue };
        if help.as_str() == Some("") {
            out.push(
                Diagnostic::new(
                    &RULE,
                    help.span(),
                    format!("metric `{}` has an empty help string", display(&m)),
                )
                .with_pointer(help.pointer())
                .with_help("describe what the metric measures"),
            );
        }
    }
}
