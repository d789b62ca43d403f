//! AW845: a realtime gauge that uses `resourcesDuration`.

use super::{display, metrics};
use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;

declare_rule! {
    /// ## What it does
    /// Reports a gauge with `realtime: true` whose `value` refers to `resourcesDuration.*`.
    ///
    /// Argo rule: ARGO-MET-005.
    ///
    /// ## Why is this bad?
    /// Resource durations are only known once the step has finished, so a realtime gauge cannot
    /// report them. Argo rejects the template: `'resourcesDuration.*' metrics cannot be used in
    /// real-time`.
    ///
    /// ## Example
    /// ```yaml
    /// gauge:
    ///   realtime: true
    ///   value: "{{resourcesDuration.cpu}}"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// gauge:
    ///   realtime: false
    ///   value: "{{resourcesDuration.cpu}}"
    /// ```
    pub(crate) static RULE = ("AW845", "realtime-resources-duration", Error, "a realtime gauge that uses resourcesDuration");
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    for m in metrics(obj) {
        let Some(gauge) = m.gauge() else { continue };
        let Some(realtime) = gauge.realtime().filter(|r| r.as_bool() == Some(true)) else {
            continue;
        };
        let Some(value) = gauge.value() else { continue };
        if value
            .as_str()
            .is_some_and(|v| v.contains("resourcesDuration."))
        {
            out.push(
                Diagnostic::new(
                    &RULE,
                    value.span(),
                    format!("realtime gauge `{}` uses `resourcesDuration`", display(&m)),
                )
                .with_pointer(value.pointer())
                .with_secondary(realtime.span(), "realtime set here")
                .with_help("set `realtime: false`, or record `{{duration}}` instead"),
            );
        }
    }
}
