//! AW604: a CronWorkflow time zone that is not an IANA zone name.

use super::{cron_spec, is_known_zone, parsed_schedules};
use crate::checks::CheckContext;
use crate::checks::scalar::sub_span;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;
use crate::source::Span;
use crate::suggest::did_you_mean;

declare_rule! {
    /// ## What it does
    /// Checks `spec.timezone` and the `CRON_TZ=`/`TZ=` prefix of each schedule against the IANA
    /// time zone database, as Go's `time.LoadLocation` does: names are case-sensitive
    /// (`America/New_York`), `UTC` and `Local` are accepted, and an empty value means UTC.
    ///
    /// Argo rule: ARGO-CRON-004 (and the location check inside ARGO-CRON-003).
    ///
    /// ## Why is this bad?
    /// Argo rejects the CronWorkflow (`invalid timezone`, or `provided bad location` for a
    /// schedule prefix).
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   timezone: america/new_york
    ///   schedules:
    ///     - "CRON_TZ=Europe/Pariss 0 9 * * *"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// spec:
    ///   timezone: America/New_York
    ///   schedules:
    ///     - "0 9 * * *"
    /// ```
    pub(crate) static RULE = ("AW604", "invalid-timezone", Error, "a time zone that is not an IANA zone name");
}

pub(crate) fn check(ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    let Some(spec) = cron_spec(obj) else { return };
    if let Some(node) = spec.timezone()
        && let Some(zone) = node.as_str()
        && !is_known_zone(zone)
    {
        out.push(diagnostic(node.span(), node.pointer(), zone));
    }
    for s in parsed_schedules(&spec) {
        let Some(tz) = s.tz else { continue };
        if !is_known_zone(tz.zone) {
            let span = sub_span(ctx, s.node, tz.start, tz.end);
            out.push(diagnostic(span, s.node.pointer(), tz.zone));
        }
    }
}

fn diagnostic(span: Span, pointer: String, zone: &str) -> Diagnostic {
    let d = Diagnostic::new(&RULE, span, format!("`{zone}` is not a known time zone"))
        .with_pointer(pointer);
    let names = chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name());
    match did_you_mean(zone, names) {
        Some(name) => d.with_help(format!("did you mean `{name}`?")),
        None => {
            d.with_help("use an IANA time zone name such as `Europe/Paris` or `America/New_York`")
        }
    }
}
