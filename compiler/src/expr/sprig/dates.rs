//! sprig date functions (spec §6.7). `date`/`dateInZone`/`htmlDate` accept a time or Unix
//! seconds; anything else (strings included) silently means *now*, as upstream. "Local" is UTC.

use super::Args;
use crate::expr::time::{self, Duration, Time};
use crate::expr::value::Value;

/// sprig's `formatDate` input rule.
fn as_time(v: &Value, now: &Time) -> Time {
    match v {
        Value::Time(t) => (**t).clone(),
        Value::Int(s) | Value::Int64(s) => Time::from_unix(*s, 0),
        _ => now.clone(),
    }
}

fn want_time(v: &Value) -> Result<Time, String> {
    match v {
        Value::Time(t) => Ok((**t).clone()),
        Value::Nil => Ok(Time::zero()),
        other => Err(format!(
            "reflect: Call using {} as type time.Time",
            other.go_type()
        )),
    }
}

fn in_zone(t: &Time, zone: &str) -> Time {
    t.in_zone(zone)
        .or_else(|| t.in_zone("UTC"))
        .unwrap_or_else(|| t.clone())
}

pub(crate) fn call(name: &str, a: &Args<'_>, now: &Time) -> Option<Result<Value, String>> {
    let r = (|| -> Result<Option<Value>, String> {
        Ok(Some(match name {
            "now" => Value::Time(now.clone().into()),
            "date" => Value::str(in_zone(&as_time(a.any(1), now), "UTC").format(a.str(0)?)),
            "dateInZone" | "date_in_zone" => {
                Value::str(in_zone(&as_time(a.any(1), now), a.str(2)?).format(a.str(0)?))
            }
            "htmlDate" => Value::str(in_zone(&as_time(a.any(0), now), "UTC").format("2006-01-02")),
            "htmlDateInZone" => {
                Value::str(in_zone(&as_time(a.any(0), now), a.str(1)?).format("2006-01-02"))
            }
            "toDate" => Value::Time(
                time::parse(a.str(0)?, a.str(1)?, "UTC")
                    .unwrap_or_else(|_| Time::zero())
                    .into(),
            ),
            "mustToDate" => Value::Time(time::parse(a.str(0)?, a.str(1)?, "UTC")?.into()),
            "dateModify" | "date_modify" | "mustDateModify" | "must_date_modify" => {
                let t = want_time(a.any(1))?;
                match time::parse_duration(a.str(0)?) {
                    Ok(d) => Value::Time(t.add(d).into()),
                    Err(e) if name.starts_with("must") => return Err(e),
                    Err(_) => Value::Time(t.into()),
                }
            }
            "ago" => {
                let t = as_time(a.any(0), now);
                let d = now.sub(&t).0;
                let rounded = ((d as f64 / 1e9).round() as i64).saturating_mul(1_000_000_000);
                Value::str(Duration(rounded).go_string())
            }
            "duration" => {
                let secs = match a.any(0) {
                    Value::Str(s) => s.parse::<i64>().unwrap_or(0),
                    Value::Int64(n) => *n,
                    _ => 0,
                };
                Value::str(Duration(secs.saturating_mul(1_000_000_000)).go_string())
            }
            "durationRound" => {
                let d = match a.any(0) {
                    Value::Str(s) => time::parse_duration(s).map(|d| d.0).unwrap_or(0),
                    Value::Int64(n) => *n,
                    Value::Time(t) => now.sub(t).0,
                    _ => 0,
                };
                Value::str(duration_round(d))
            }
            "unixEpoch" => Value::str(want_time(a.any(0))?.unix().to_string()),
            _ => return Ok(None),
        }))
    })();
    r.transpose()
}

fn duration_round(d: i64) -> String {
    let u = d.unsigned_abs();
    const HOUR: u64 = 3_600_000_000_000;
    let units: [(u64, &str); 6] = [
        (HOUR * 24 * 365, "y"),
        (HOUR * 24 * 30, "mo"),
        (HOUR * 24, "d"),
        (HOUR, "h"),
        (60_000_000_000, "m"),
        (1_000_000_000, "s"),
    ];
    for (size, unit) in units {
        if u > size {
            return format!("{}{unit}", u / size);
        }
    }
    "0s".into()
}
