//! CronWorkflow checks (AW6xx): schedules in Argo's cron dialect, the time zone, and the
//! numeric limits of a CronWorkflow spec. The embedded `workflowSpec` is checked by every
//! workflow check through `Object::workflow_spec()`.

mod dialect;
pub(crate) mod invalid_cron_schedule;
pub(crate) mod invalid_timezone;
pub(crate) mod missing_cron_schedule;
pub(crate) mod negative_cron_limit;
pub(crate) mod never_firing_schedule;

use dialect::{CronError, Parsed, TzPrefix};

use crate::model::Object;
use crate::model::views::{CronWorkflowSpec, Root};
use crate::parse::NodeRef;

/// The spec of a CronWorkflow; `None` for the other kinds.
fn cron_spec<'a>(obj: &Object<'a>) -> Option<CronWorkflowSpec<'a>> {
    match obj.typed() {
        Root::CronWorkflow(c) => c.spec(),
        _ => None,
    }
}

/// `spec.timezone` when it is a non-empty string: Argo then prefixes every schedule with
/// `CRON_TZ=<timezone> ` before parsing it.
fn timezone<'a>(spec: &CronWorkflowSpec<'a>) -> Option<&'a str> {
    spec.timezone()
        .and_then(|t| t.as_str())
        .filter(|t| !t.is_empty())
}

/// One schedule string and how it parsed.
struct ParsedSchedule<'a> {
    node: NodeRef<'a>,
    /// The schedule's own `TZ=`/`CRON_TZ=` prefix, if any.
    tz: Option<TzPrefix<'a>>,
    result: Result<Parsed, CronError>,
}

/// Every string entry of `spec.schedules`, parsed as Argo does (`GetSchedulesWithTimezone` then
/// robfig's `ParseStandard`).
fn parsed_schedules<'a>(spec: &CronWorkflowSpec<'a>) -> Vec<ParsedSchedule<'a>> {
    let Some(schedules) = spec.schedules() else {
        return Vec::new();
    };
    let with_timezone = timezone(spec).is_some();
    schedules
        .iter()
        .filter_map(|node| {
            let text = node.as_str()?;
            let (tz, result) = parse_schedule(text, with_timezone);
            Some(ParsedSchedule { node, tz, result })
        })
        .collect()
}

fn parse_schedule(
    text: &str,
    with_timezone: bool,
) -> (Option<TzPrefix<'_>>, Result<Parsed, CronError>) {
    if with_timezone {
        // robfig strips Argo's prefix and trims the rest; a second prefix is then a sixth field.
        let trimmed = text.trim_start();
        let offset = text.len() - trimmed.len();
        let trimmed = trimmed.trim_end();
        if trimmed.starts_with("TZ=") || trimmed.starts_with("CRON_TZ=") {
            let end = offset + trimmed.find(' ').unwrap_or(trimmed.len());
            let error = CronError {
                message: "a schedule cannot have its own time zone prefix when `timezone` is set"
                    .to_string(),
                start: offset,
                end,
            };
            return (None, Err(error));
        }
        return (None, dialect::parse_fields(trimmed, offset));
    }
    match dialect::split_tz(text) {
        Ok((tz, rest, offset)) => (tz, dialect::parse_fields(rest, offset)),
        Err(e) => (None, Err(e)),
    }
}

/// Go's `time.LoadLocation` with its embedded zone database: `""` is UTC, `Local` the
/// controller's zone, anything else an IANA name (case-sensitive).
fn is_known_zone(name: &str) -> bool {
    matches!(name, "" | "UTC" | "Local") || name.parse::<chrono_tz::Tz>().is_ok()
}
