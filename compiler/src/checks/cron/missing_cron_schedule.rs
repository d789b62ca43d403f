//! AW603: a CronWorkflow with an empty `schedules` list.

use super::cron_spec;
use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;
use crate::model::view::View;

declare_rule! {
    /// ## What it does
    /// Reports a CronWorkflow whose `spec.schedules` is an empty list. (A missing `schedules`
    /// field is reported as a missing required field.)
    ///
    /// Argo rule: ARGO-CRON-002.
    ///
    /// ## Why is this bad?
    /// Argo rejects the CronWorkflow: `cron workflow must have at least one schedule`.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   schedules: []
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// spec:
    ///   schedules:
    ///     - "0 * * * *"
    /// ```
    pub(crate) static RULE = ("AW603", "missing-cron-schedule", Error, "a CronWorkflow without any schedule");
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    let Some(schedules) = cron_spec(obj).and_then(|s| s.schedules()) else {
        return;
    };
    if schedules.node().is_seq() && schedules.is_empty() {
        out.push(
            Diagnostic::new(&RULE, schedules.span(), "CronWorkflow has no schedule")
                .with_pointer(schedules.pointer())
                .with_help("add at least one cron expression, e.g. `\"0 * * * *\"`"),
        );
    }
}
