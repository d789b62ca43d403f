//! Argo's cron dialect: robfig/cron v3 `ParseStandard`, re-implemented line by line.
//!
//! Accepted: five fields (minute, hour, day of month, month, day of week), each a comma list of
//! `*`, `?`, `N`, `N-M`, with an optional `/step` (`N/step` means `N-max/step`); month names
//! `jan`–`dec` and day names `sun`–`sat` in any case; day of week 0–6 (Sunday is 0); the
//! descriptors `@yearly @annually @monthly @weekly @daily @midnight @hourly` and `@every <Go
//! duration>`; an optional `TZ=<zone> ` or `CRON_TZ=<zone> ` prefix. Rejected like robfig:
//! seconds fields, `L`, `W`, `#`, day of week 7.
//!
//! Messages follow robfig's wording. Parsing is a single pass over the text, and
//! [`Schedule::never_fires`] is a closed-form test over the parsed bit sets (no time search).
//!
//! Why not croner at runtime: croner accepts a superset (Quartz `L`/`W`/`#`, day of week 7, six
//! and seven fields) and differs in corner cases robfig accepts (`*-5`, `+5`); undoing that with a
//! pre-filter is more code than robfig's parser itself. croner is used in tests as an oracle for
//! the firing semantics (see `tests` below).

use crate::checks::schema::duration::parse_go_duration;

/// Bit 63 marks a field written as `*` or `?` (robfig's `starBit`): it switches day matching
/// from OR to AND.
const STAR: u64 = 1 << 63;

/// Bounds and names of one field.
struct Bounds {
    min: u32,
    max: u32,
    names: &'static [(&'static str, u32)],
}

const MINUTES: Bounds = Bounds {
    min: 0,
    max: 59,
    names: &[],
};
const HOURS: Bounds = Bounds {
    min: 0,
    max: 23,
    names: &[],
};
const DOM: Bounds = Bounds {
    min: 1,
    max: 31,
    names: &[],
};
const MONTHS: Bounds = Bounds {
    min: 1,
    max: 12,
    names: &[
        ("jan", 1),
        ("feb", 2),
        ("mar", 3),
        ("apr", 4),
        ("may", 5),
        ("jun", 6),
        ("jul", 7),
        ("aug", 8),
        ("sep", 9),
        ("oct", 10),
        ("nov", 11),
        ("dec", 12),
    ],
};
const DOW: Bounds = Bounds {
    min: 0,
    max: 6,
    names: &[
        ("sun", 0),
        ("mon", 1),
        ("tue", 2),
        ("wed", 3),
        ("thu", 4),
        ("fri", 5),
        ("sat", 6),
    ],
};

/// A parsed five-field schedule: one bit set per field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Schedule {
    pub minute: u64,
    pub hour: u64,
    pub dom: u64,
    pub month: u64,
    pub dow: u64,
}

/// What a schedule string turned out to be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Parsed {
    /// Five fields (descriptors other than `@every` are expanded to fields too).
    Fields(Schedule),
    /// `@every <duration>`.
    Every,
}

/// A parse error: robfig's message and the byte range of the offending part of the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CronError {
    pub message: String,
    pub start: usize,
    pub end: usize,
}

impl CronError {
    fn at(message: impl Into<String>, start: usize, end: usize) -> Self {
        CronError {
            message: message.into(),
            start,
            end,
        }
    }
}

/// The zone named by a `TZ=`/`CRON_TZ=` prefix, with its byte range in the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TzPrefix<'s> {
    pub zone: &'s str,
    pub start: usize,
    pub end: usize,
}

/// Splits off a `TZ=`/`CRON_TZ=` prefix like robfig: the zone runs to the first space, and the
/// rest is trimmed. `Err` when there is no space (robfig panics on that input).
pub(crate) fn split_tz(spec: &str) -> Result<(Option<TzPrefix<'_>>, &str, usize), CronError> {
    if !(spec.starts_with("TZ=") || spec.starts_with("CRON_TZ=")) {
        return Ok((None, spec, 0));
    }
    let eq = spec.find('=').unwrap_or(0);
    let Some(space) = spec.find(' ') else {
        return Err(CronError::at(
            "a time zone prefix must be followed by a space and the schedule",
            0,
            spec.len(),
        ));
    };
    let zone = TzPrefix {
        zone: spec.get(eq + 1..space).unwrap_or(""),
        start: eq + 1,
        end: space,
    };
    let rest = &spec[space..];
    let trimmed = rest.trim_start();
    let offset = space + (rest.len() - trimmed.len());
    Ok((Some(zone), trimmed.trim_end(), offset))
}

/// Parses `spec` (already without any time zone prefix) like robfig's standard parser.
/// `offset` is added to error positions.
pub(crate) fn parse_fields(spec: &str, offset: usize) -> Result<Parsed, CronError> {
    let whole = |m: String| CronError::at(m, offset, offset + spec.len());
    if spec.is_empty() {
        return Err(whole("empty spec string".to_string()));
    }
    if spec.starts_with('@') {
        return parse_descriptor(spec, offset);
    }
    let fields: Vec<(usize, &str)> = fields_with_offsets(spec);
    if fields.len() != 5 {
        let list: Vec<&str> = fields.iter().map(|(_, f)| *f).collect();
        return Err(whole(format!(
            "expected exactly 5 fields, found {}: [{}]",
            fields.len(),
            list.join(" ")
        )));
    }
    let bounds = [&MINUTES, &HOURS, &DOM, &MONTHS, &DOW];
    let mut bits = [0u64; 5];
    for (i, ((at, text), b)) in fields.iter().zip(bounds).enumerate() {
        bits[i] = field_bits(text, b, offset + at)?;
    }
    Ok(Parsed::Fields(Schedule {
        minute: bits[0],
        hour: bits[1],
        dom: bits[2],
        month: bits[3],
        dow: bits[4],
    }))
}

fn fields_with_offsets(spec: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in spec.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                out.push((s, &spec[s..i]));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, &spec[s..]));
    }
    out
}

fn parse_descriptor(spec: &str, offset: usize) -> Result<Parsed, CronError> {
    let every_field = |minute, hour, dom, month, dow| {
        Parsed::Fields(Schedule {
            minute: bit(minute),
            hour: bit(hour),
            dom,
            month,
            dow,
        })
    };
    let all = |b: &Bounds| bits(b.min, b.max, 1) | STAR;
    Ok(match spec {
        "@yearly" | "@annually" => every_field(0, 0, bit(1), bit(1), all(&DOW)),
        "@monthly" => every_field(0, 0, bit(1), all(&MONTHS), all(&DOW)),
        "@weekly" => every_field(0, 0, all(&DOM), all(&MONTHS), bit(0)),
        "@daily" | "@midnight" => every_field(0, 0, all(&DOM), all(&MONTHS), all(&DOW)),
        "@hourly" => Parsed::Fields(Schedule {
            minute: bit(0),
            hour: all(&HOURS),
            dom: all(&DOM),
            month: all(&MONTHS),
            dow: all(&DOW),
        }),
        _ => {
            let Some(duration) = spec.strip_prefix("@every ") else {
                return Err(CronError::at(
                    format!("unrecognized descriptor: {spec}"),
                    offset,
                    offset + spec.len(),
                ));
            };
            if let Err(e) = parse_go_duration(duration) {
                return Err(CronError::at(
                    format!("failed to parse duration {spec}: {}", e.reason()),
                    offset + 7,
                    offset + spec.len(),
                ));
            }
            Parsed::Every
        }
    })
}

/// robfig's `getField`: a comma list of ranges.
fn field_bits(field: &str, b: &Bounds, at: usize) -> Result<u64, CronError> {
    let mut bits = 0;
    let mut pos = at;
    for part in field.split(',') {
        bits |= range_bits(part, b, pos)?;
        pos += part.len() + 1;
    }
    Ok(bits)
}

/// robfig's `getRange`: `*`, `?`, `N`, `N-M`, each with an optional `/step`.
fn range_bits(expr: &str, b: &Bounds, at: usize) -> Result<u64, CronError> {
    let err = |m: String| CronError::at(m, at, at + expr.len());
    let range_and_step: Vec<&str> = expr.split('/').collect();
    let low_and_high: Vec<&str> = range_and_step[0].split('-').collect();
    let single = low_and_high.len() == 1;
    let (start, mut end, mut extra);
    if low_and_high[0] == "*" || low_and_high[0] == "?" {
        start = b.min;
        end = b.max;
        extra = STAR;
    } else {
        start = int_or_name(low_and_high[0], b).map_err(err)?;
        end = match low_and_high.len() {
            1 => start,
            2 => int_or_name(low_and_high[1], b).map_err(err)?,
            _ => return Err(err(format!("too many hyphens: {expr}"))),
        };
        extra = 0;
    }
    let step = match range_and_step.len() {
        1 => 1,
        2 => {
            let step = must_parse_int(range_and_step[1]).map_err(err)?;
            if single {
                end = b.max;
            }
            if step > 1 {
                extra = 0;
            }
            step
        }
        _ => return Err(err(format!("too many slashes: {expr}"))),
    };
    if start < b.min {
        return Err(err(format!(
            "beginning of range ({start}) below minimum ({}): {expr}",
            b.min
        )));
    }
    if end > b.max {
        return Err(err(format!(
            "end of range ({end}) above maximum ({}): {expr}",
            b.max
        )));
    }
    if start > end {
        return Err(err(format!(
            "beginning of range ({start}) beyond end of range ({end}): {expr}"
        )));
    }
    if step == 0 {
        return Err(err(format!(
            "step of range should be a positive number: {expr}"
        )));
    }
    Ok(bits(start, end, step) | extra)
}

fn int_or_name(expr: &str, b: &Bounds) -> Result<u32, String> {
    let lower = expr.to_ascii_lowercase();
    if let Some(&(_, v)) = b.names.iter().find(|(n, _)| *n == lower) {
        return Ok(v);
    }
    must_parse_int(expr)
}

/// Go's `strconv.Atoi` followed by robfig's sign check. Values beyond `u32` are out of every
/// field's range anyway, so they are clamped.
fn must_parse_int(expr: &str) -> Result<u32, String> {
    let digits = expr.strip_prefix(['+', '-']).unwrap_or(expr);
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return Err(format!(
            "failed to parse int from {expr}: strconv.Atoi: parsing {expr:?}: invalid syntax"
        ));
    }
    let Ok(n) = expr.parse::<i64>() else {
        return Err(format!(
            "failed to parse int from {expr}: strconv.Atoi: parsing {expr:?}: value out of range"
        ));
    };
    if n < 0 {
        return Err(format!("negative number ({n}) not allowed: {expr}"));
    }
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

fn bit(n: u32) -> u64 {
    1 << n
}

/// Bits `min..=max` every `step` (all below 63, since every field's maximum is at most 59).
fn bits(min: u32, max: u32, step: u32) -> u64 {
    if step == 1 {
        return (!(u64::MAX << (max + 1))) & (u64::MAX << min);
    }
    let mut out = 0;
    let mut i = min;
    while i <= max {
        out |= 1 << i;
        i += step;
    }
    out
}

/// Days in each month (1-based), counting February 29 (leap years come within robfig's
/// five-year search window).
const MAX_DAYS: [u32; 13] = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

impl Schedule {
    /// Whether robfig never finds a time for this schedule. Minutes and hours always have a bit
    /// set, and any restricted day of week occurs in every month, so only a day of month that no
    /// selected month has (with day-of-week unrestricted, so that robfig ANDs them) can fail.
    pub(crate) fn never_fires(&self) -> bool {
        let and_semantics = self.dom & STAR != 0 || self.dow & STAR != 0;
        if !and_semantics || self.dow & STAR == 0 || self.dom & STAR != 0 {
            return false;
        }
        !(1..=12u32).any(|m| {
            self.month & (1 << m) != 0
                && (1..=MAX_DAYS[m as usize]).any(|d| self.dom & (1 << d) != 0)
        })
    }
}

#[cfg(test)]
mod tests;
