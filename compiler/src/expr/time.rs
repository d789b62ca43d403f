//! Go's `time.Time` and `time.Duration` as expressions see them: Go layout strings (the
//! reference time `Mon Jan 2 15:04:05 MST 2006`) for formatting and parsing, Go's duration syntax
//! and `Duration.String()`, and IANA zones through `chrono-tz`.
//!
//! Only what expr, sprig and Argo use is implemented; a layout element Go knows but this module
//! does not is copied literally (formatting) or rejected (parsing).

pub use parse::{parse, parse_any};

mod parse;

use std::rc::Rc;

use chrono::{DateTime, Datelike, NaiveDateTime, Offset, TimeZone, Timelike};

/// A nanosecond count, Go's `time.Duration`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Duration(pub i64);

/// An instant with the zone it is displayed in.
#[derive(Clone, Debug)]
pub struct Time {
    secs: i64,
    nanos: u32,
    offset: i32,
    zone: Rc<str>,
}

const NS: i64 = 1;
const US: i64 = 1_000;
const MS: i64 = 1_000_000;
const SEC: i64 = 1_000_000_000;
const MIN: i64 = 60 * SEC;
const HOUR: i64 = 60 * MIN;

impl Duration {
    /// Go's `Duration.String()`: `1h2m3.5s`, `1.5ms`, `0s`.
    pub fn go_string(self) -> String {
        let d = self.0;
        if d == 0 {
            return "0s".into();
        }
        let neg = d < 0;
        let u = d.unsigned_abs();
        let mut out = String::new();
        if neg {
            out.push('-');
        }
        if u < SEC as u64 {
            let (unit, div) = if u < US as u64 {
                ("ns", 1)
            } else if u < MS as u64 {
                ("µs", US as u64)
            } else {
                ("ms", MS as u64)
            };
            out.push_str(&frac(u, div));
            out.push_str(unit);
            return out;
        }
        let h = u / HOUR as u64;
        let rem = u % HOUR as u64;
        let m = rem / MIN as u64;
        let s = rem % MIN as u64;
        if h > 0 {
            out.push_str(&format!("{h}h"));
        }
        if h > 0 || m > 0 {
            out.push_str(&format!("{m}m"));
        }
        out.push_str(&frac(s, SEC as u64));
        out.push('s');
        out
    }

    pub fn seconds(self) -> f64 {
        let s = self.0 / SEC;
        let ns = self.0 % SEC;
        s as f64 + ns as f64 / 1e9
    }
}

fn frac(v: u64, div: u64) -> String {
    let whole = v / div;
    let rest = v % div;
    if rest == 0 {
        return whole.to_string();
    }
    let width = div.to_string().len() - 1;
    let digits = format!("{rest:0width$}");
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

/// Go's `time.ParseDuration`.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let err = || format!("time: invalid duration \"{s}\"");
    let (neg, mut rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if rest == "0" {
        return Ok(Duration(0));
    }
    if rest.is_empty() {
        return Err(err());
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let num_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let num = &rest[..num_end];
        if num.is_empty() || num == "." {
            return Err(err());
        }
        let value: f64 = num.parse().map_err(|_| err())?;
        rest = &rest[num_end..];
        let unit_end = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit = match &rest[..unit_end] {
            "ns" => NS,
            "us" | "µs" | "μs" => US,
            "ms" => MS,
            "s" => SEC,
            "m" => MIN,
            "h" => HOUR,
            _ => return Err(err()),
        };
        rest = &rest[unit_end..];
        total += value * unit as f64;
    }
    if total > i64::MAX as f64 {
        return Err(err());
    }
    let v = total.round() as i64;
    Ok(Duration(if neg { -v } else { v }))
}

impl Time {
    pub fn from_unix(secs: i64, nanos: u32) -> Time {
        Time {
            secs,
            nanos,
            offset: 0,
            zone: "UTC".into(),
        }
    }

    /// Go's zero time, `0001-01-01T00:00:00Z`.
    pub fn zero() -> Time {
        Time::from_unix(-62_135_596_800, 0)
    }

    pub fn unix(&self) -> i64 {
        self.secs
    }

    pub fn nanos(&self) -> u32 {
        self.nanos
    }

    /// Seconds and nanoseconds since the epoch, for comparisons.
    pub fn instant(&self) -> (i64, u32) {
        (self.secs, self.nanos)
    }

    pub fn sub(&self, other: &Time) -> Duration {
        let s = self.secs.saturating_sub(other.secs).saturating_mul(SEC);
        Duration(s.saturating_add(self.nanos as i64 - other.nanos as i64))
    }

    pub fn add(&self, d: Duration) -> Time {
        let total = (self.nanos as i64).saturating_add(d.0);
        let secs = self.secs.saturating_add(total.div_euclid(SEC));
        let mut t = self.clone();
        t.secs = secs;
        t.nanos = total.rem_euclid(SEC) as u32;
        t
    }

    /// The same instant shown in an IANA zone (`UTC`, `Local` and `""` mean UTC).
    pub fn in_zone(&self, zone: &str) -> Option<Time> {
        let (offset, abbr) = zone_offset(zone, self.secs)?;
        Some(Time {
            secs: self.secs,
            nanos: self.nanos,
            offset,
            zone: abbr.into(),
        })
    }

    fn local(&self) -> NaiveDateTime {
        DateTime::from_timestamp(self.secs.saturating_add(self.offset as i64), self.nanos)
            .map(|d| d.naive_utc())
            .unwrap_or_default()
    }

    pub fn year(&self) -> i64 {
        self.local().year() as i64
    }

    /// A date component by Go method name (`Year`, `Month`, `Day`, `Hour`, …).
    pub fn component(&self, name: &str) -> Option<i64> {
        let l = self.local();
        Some(match name {
            "Year" => l.year() as i64,
            "Month" => l.month() as i64,
            "Day" => l.day() as i64,
            "Hour" => l.hour() as i64,
            "Minute" => l.minute() as i64,
            "Second" => l.second() as i64,
            "Nanosecond" => self.nanos as i64,
            "YearDay" => l.ordinal() as i64,
            "Weekday" => l.weekday().num_days_from_sunday() as i64,
            "Unix" => self.secs,
            "UnixMilli" => self
                .secs
                .saturating_mul(1000)
                .saturating_add(self.nanos as i64 / 1_000_000),
            "UnixNano" => self
                .secs
                .saturating_mul(SEC)
                .saturating_add(self.nanos as i64),
            _ => return None,
        })
    }

    /// Formats with a Go layout string.
    pub fn format(&self, layout: &str) -> String {
        let l = self.local();
        let mut out = String::new();
        for chunk in chunks(layout) {
            match chunk {
                Chunk::Lit(s) => out.push_str(s),
                Chunk::Std(std) => self.push_std(&mut out, &l, std),
            }
        }
        out
    }

    fn push_std(&self, out: &mut String, l: &NaiveDateTime, std: &str) {
        let off = self.offset;
        let (sign, oh, om, os) = {
            let a = off.unsigned_abs();
            (
                if off < 0 { '-' } else { '+' },
                a / 3600,
                a % 3600 / 60,
                a % 60,
            )
        };
        let s = match std {
            "2006" => format!("{:04}", l.year()),
            "06" => format!("{:02}", l.year().rem_euclid(100)),
            "January" => MONTHS[l.month0() as usize].to_string(),
            "Jan" => MONTHS[l.month0() as usize][..3].to_string(),
            "01" => format!("{:02}", l.month()),
            "1" => l.month().to_string(),
            "Monday" => DAYS[l.weekday().num_days_from_sunday() as usize].to_string(),
            "Mon" => DAYS[l.weekday().num_days_from_sunday() as usize][..3].to_string(),
            "02" => format!("{:02}", l.day()),
            "_2" => format!("{:>2}", l.day()),
            "2" => l.day().to_string(),
            "002" => format!("{:03}", l.ordinal()),
            "__2" => format!("{:>3}", l.ordinal()),
            "15" => format!("{:02}", l.hour()),
            "03" => format!("{:02}", hour12(l.hour())),
            "3" => hour12(l.hour()).to_string(),
            "04" => format!("{:02}", l.minute()),
            "4" => l.minute().to_string(),
            "05" => format!("{:02}", l.second()),
            "5" => l.second().to_string(),
            "PM" => (if l.hour() >= 12 { "PM" } else { "AM" }).to_string(),
            "pm" => (if l.hour() >= 12 { "pm" } else { "am" }).to_string(),
            "MST" => self.zone.to_string(),
            "Z07:00" | "Z0700" | "Z07" | "Z07:00:00" if off == 0 => "Z".to_string(),
            "Z07:00" | "-07:00" => format!("{sign}{oh:02}:{om:02}"),
            "Z0700" | "-0700" => format!("{sign}{oh:02}{om:02}"),
            "Z07" | "-07" => format!("{sign}{oh:02}"),
            "Z07:00:00" | "-07:00:00" => format!("{sign}{oh:02}:{om:02}:{os:02}"),
            frac if frac.len() > 1 && (frac.starts_with('.') || frac.starts_with(',')) => {
                let digits = format!("{:09}", self.nanos);
                let n = frac.len() - 1;
                let d = &digits[..n.min(9)];
                if frac.as_bytes().get(1) == Some(&b'9') {
                    let t = d.trim_end_matches('0');
                    if t.is_empty() {
                        String::new()
                    } else {
                        format!("{}{t}", &frac[..1])
                    }
                } else {
                    format!("{}{d}", &frac[..1])
                }
            }
            other => other.to_string(),
        };
        out.push_str(&s);
    }

    /// Go's `Time.String()`: `2006-01-02 15:04:05.999999999 -0700 MST`.
    pub fn go_string(&self) -> String {
        self.format("2006-01-02 15:04:05.999999999 -0700 MST")
    }

    /// Go's JSON encoding: RFC 3339 with nanoseconds.
    pub fn rfc3339_nano(&self) -> String {
        self.format("2006-01-02T15:04:05.999999999Z07:00")
    }
}

fn hour12(h: u32) -> u32 {
    match h % 12 {
        0 => 12,
        x => x,
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

/// The offset (seconds east of UTC) and abbreviation of a zone at an instant.
pub fn zone_offset(zone: &str, secs: i64) -> Option<(i32, String)> {
    if zone.is_empty() || zone == "UTC" || zone == "Local" {
        return Some((0, "UTC".into()));
    }
    let tz: chrono_tz::Tz = zone.parse().ok()?;
    let utc = DateTime::from_timestamp(secs, 0)?.naive_utc();
    let off = tz.offset_from_utc_datetime(&utc);
    let fixed = off.fix().local_minus_utc();
    let abbr = chrono_tz::OffsetName::abbreviation(&off)
        .map(str::to_string)
        .unwrap_or_else(|| {
            let a = fixed.unsigned_abs();
            format!(
                "{}{:02}{:02}",
                if fixed < 0 { '-' } else { '+' },
                a / 3600,
                a % 3600 / 60
            )
        });
    Some((fixed, abbr))
}

enum Chunk<'a> {
    Lit(&'a str),
    Std(&'a str),
}

const STD: &[&str] = &[
    "January",
    "Monday",
    "2006",
    "Z07:00:00",
    "-07:00:00",
    "Z07:00",
    "-07:00",
    "Z0700",
    "-0700",
    "Jan",
    "Mon",
    "MST",
    "002",
    "__2",
    "Z07",
    "-07",
    "01",
    "02",
    "_2",
    "15",
    "03",
    "04",
    "05",
    "06",
    "PM",
    "pm",
    "1",
    "2",
    "3",
    "4",
    "5",
];

/// Splits a Go layout into literal text and standard elements (longest match first).
fn chunks(layout: &str) -> Vec<Chunk<'_>> {
    let mut out = Vec::new();
    let mut lit = 0;
    let mut i = 0;
    let b = layout.as_bytes();
    while i < b.len() {
        let rest = &layout[i..];
        let mut found = STD.iter().find(|s| rest.starts_with(**s)).map(|s| s.len());
        // Fractional seconds: `.000` / `.999` (also with `,`) after a digit element.
        if found.is_none() && (b[i] == b'.' || b[i] == b',') {
            let d = b.get(i + 1).copied();
            if d == Some(b'0') || d == Some(b'9') {
                let run = rest[1..].bytes().take_while(|&c| Some(c) == d).count();
                let after = rest.as_bytes().get(1 + run);
                if !after.is_some_and(u8::is_ascii_digit) {
                    found = Some(1 + run);
                }
            }
        }
        match found {
            Some(n) => {
                if lit < i {
                    out.push(Chunk::Lit(&layout[lit..i]));
                }
                out.push(Chunk::Std(&layout[i..i + n]));
                i += n;
                lit = i;
            }
            None => i += rest.chars().next().map_or(1, char::len_utf8),
        }
    }
    if lit < layout.len() {
        out.push(Chunk::Lit(&layout[lit..]));
    }
    out
}
