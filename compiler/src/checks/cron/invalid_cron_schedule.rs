//! AW601: a CronWorkflow schedule that Argo's cron parser rejects.

use super::{cron_spec, parsed_schedules};
use crate::checks::CheckContext;
use crate::checks::scalar::sub_span;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;

declare_rule! {
    /// ## What it does
    /// Checks every entry of `spec.schedules` with Argo's cron dialect (robfig/cron's standard
    /// parser): five fields (minute, hour, day of month, month, day of week) made of `*`, `?`,
    /// numbers, ranges, lists and steps; month names `JAN`–`DEC` and day names `SUN`–`SAT`; day
    /// of week `0`–`6` with Sunday as `0`; the descriptors `@yearly`, `@annually`, `@monthly`,
    /// `@weekly`, `@daily`, `@midnight`, `@hourly` and `@every <duration>`; an optional
    /// `CRON_TZ=<zone> ` prefix (not allowed when `spec.timezone` is set, since Argo adds its
    /// own).
    ///
    /// Argo rule: ARGO-CRON-003.
    ///
    /// ## Why is this bad?
    /// The CronWorkflow is rejected when it is created. Syntax from other cron dialects is a
    /// common trap: a seconds field, Quartz's `L`, `W` and `#`, or `7` for Sunday.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   schedules:
    ///     - "0 0 9 * * MON-FRI"
    ///     - "0 0 L * *"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// spec:
    ///   schedules:
    ///     - "0 9 * * MON-FRI"
    ///     - "0 0 28 * *"
    /// ```
    pub(crate) static RULE = ("AW601", "invalid-cron-schedule", Error, "a CronWorkflow schedule that Argo's cron parser rejects");
}

pub(crate) fn check(ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    let Some(spec) = cron_spec(obj) else { return };
    for s in parsed_schedules(&spec) {
        let Err(e) = s.result else { continue };
        let text = s.node.as_str().unwrap_or_default();
        let d = Diagnostic::new(
            &RULE,
            sub_span(ctx, s.node, e.start, e.end),
            format!("schedule `{text}` is not a valid cron expression"),
        )
        .with_label(e.message.clone())
        .with_pointer(s.node.pointer());
        out.push(with_help(d, text, &e.message));
    }
}

fn with_help(d: Diagnostic, text: &str, message: &str) -> Diagnostic {
    let fields = text.split_whitespace().count();
    if message.starts_with("expected exactly 5 fields") && (fields == 6 || fields == 7) {
        return d.with_help("Argo schedules have no seconds or year field: write minute hour day-of-month month day-of-week");
    }
    if message.contains("above maximum (6)") {
        return d.with_help("Sunday is `0` (or `SUN`); `7` is not accepted");
    }
    if let Some(rest) = message.strip_prefix("failed to parse int from ") {
        let token = rest.split(':').next().unwrap_or_default();
        if token.contains(['L', 'W', '#', 'l', 'w']) {
            return d.with_help(
                "Quartz extensions `L`, `W` and `#` are not supported by Argo's cron parser",
            );
        }
    }
    if message.contains("own time zone prefix") {
        return d
            .with_help("remove the prefix: `timezone` already sets the zone of every schedule");
    }
    if message.starts_with("unrecognized descriptor") {
        return d.with_help("use one of `@yearly`, `@monthly`, `@weekly`, `@daily`, `@hourly` or `@every <duration>`");
    }
    if message.starts_with("failed to parse duration") {
        return d.with_help("write a Go duration such as `30s`, `5m` or `1h30m`");
    }
    d.with_help("write five fields: minute hour day-of-month month day-of-week, e.g. `0 9 * * 1-5`")
}
