//! AW602: a CronWorkflow schedule that parses but never fires.

use super::dialect::Parsed;
use super::{cron_spec, parsed_schedules};
use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;

declare_rule! {
    /// ## What it does
    /// Warns about a schedule whose day of month exists in none of its months, such as
    /// `0 0 30 2 *` (February 30) or `0 0 31 4 *` (April 31), while its day of week is `*` or
    /// `?`. When both the day of month and the day of week are restricted, Argo fires on either,
    /// so such schedules are not reported.
    ///
    /// Argo rule: none (Argo accepts these schedules; see §2.14 of the rule inventory).
    ///
    /// ## Why is this bad?
    /// Argo's cron parser accepts the schedule, and the CronWorkflow silently never runs.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   schedules:
    ///     - "0 0 30 2 *"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// spec:
    ///   schedules:
    ///     - "0 0 28 2 *"
    /// ```
    pub(crate) static RULE = ("AW602", "never-firing-schedule", Warning, "a CronWorkflow schedule that never fires");
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    let Some(spec) = cron_spec(obj) else { return };
    for s in parsed_schedules(&spec) {
        let Ok(Parsed::Fields(fields)) = s.result else {
            continue;
        };
        if !fields.never_fires() {
            continue;
        }
        let text = s.node.as_str().unwrap_or_default();
        out.push(
            Diagnostic::new(
                &RULE,
                s.node.span(),
                format!("schedule `{text}` never fires"),
            )
            .with_label("no selected month has this day of month")
            .with_pointer(s.node.pointer())
            .with_help("check the day-of-month and month fields"),
        );
    }
}
