//! Parsing times with Go layouts (`time.ParseInLocation`) and expr's layout-less `date(str)`.

use chrono::{FixedOffset, NaiveDate};

use super::{Chunk, DAYS, MONTHS, Time, chunks, zone_offset};

/// Parses `value` with a Go layout; a zone absent from the layout means `zone` (UTC by default).
pub fn parse(layout: &str, value: &str, zone: &str) -> Result<Time, String> {
    let err = || format!("parsing time \"{value}\" as \"{layout}\": cannot parse");
    let mut s = value;
    let (mut year, mut month, mut day, mut hour, mut min, mut sec, mut nanos) =
        (1i32, 1u32, 1u32, 0u32, 0u32, 0u32, 0u32);
    let mut pm: Option<bool> = None;
    let mut offset: Option<i32> = None;
    for chunk in chunks(layout) {
        match chunk {
            Chunk::Lit(l) => s = s.strip_prefix(l).ok_or_else(err)?,
            Chunk::Std(std) => {
                let (n, rest) = match std {
                    "2006" => take_num(s, 4, 4),
                    "01" | "02" | "15" | "03" | "04" | "05" | "06" => take_num(s, 2, 2),
                    "1" | "2" | "3" | "4" | "5" | "_2" => take_num(s.trim_start(), 1, 2),
                    "002" => take_num(s, 3, 3),
                    "Jan" | "January" => {
                        let idx = MONTHS.iter().position(|m| {
                            let m = if std == "Jan" { &m[..3] } else { m };
                            s.get(..m.len()).is_some_and(|p| p.eq_ignore_ascii_case(m))
                        });
                        let i = idx.ok_or_else(err)?;
                        let len = if std == "Jan" { 3 } else { MONTHS[i].len() };
                        (Some(i as i64 + 1), &s[len..])
                    }
                    "Mon" | "Monday" => {
                        let idx = DAYS.iter().find(|d| {
                            let d = if std == "Mon" { &d[..3] } else { d };
                            s.get(..d.len()).is_some_and(|p| p.eq_ignore_ascii_case(d))
                        });
                        let d = idx.ok_or_else(err)?;
                        let len = if std == "Mon" { 3 } else { d.len() };
                        (Some(0), &s[len..])
                    }
                    "PM" | "pm" => {
                        let p = s.get(..2).ok_or_else(err)?;
                        pm = Some(p.eq_ignore_ascii_case("pm"));
                        (Some(0), &s[2..])
                    }
                    "MST" => {
                        let n = s.bytes().take_while(u8::is_ascii_uppercase).count();
                        if n < 3 {
                            return Err(err());
                        }
                        if &s[..n] == "UTC" || &s[..n] == "GMT" {
                            offset.get_or_insert(0);
                        }
                        (Some(0), &s[n..])
                    }
                    z if z.starts_with('Z') || z.starts_with('-') => {
                        let (o, rest) = take_offset(s, z).ok_or_else(err)?;
                        offset = Some(o);
                        (Some(0), rest)
                    }
                    f if f.starts_with('.') || f.starts_with(',') => {
                        let (n, rest) = take_frac(s);
                        nanos = n;
                        (Some(0), rest)
                    }
                    _ => (None, s),
                };
                let n = n.ok_or_else(err)?;
                match std {
                    "2006" => year = n as i32,
                    "06" => {
                        year = if n >= 69 {
                            1900 + n as i32
                        } else {
                            2000 + n as i32
                        }
                    }
                    "01" | "1" | "Jan" | "January" => month = n as u32,
                    "02" | "2" | "_2" => day = n as u32,
                    "15" | "03" | "3" => hour = n as u32,
                    "04" | "4" => min = n as u32,
                    "05" | "5" => {
                        sec = n as u32;
                        // Go accepts fractional seconds after `05` even without them in the layout.
                        if rest.starts_with('.')
                            && rest[1..].starts_with(|c: char| c.is_ascii_digit())
                        {
                            let (n, r) = take_frac(rest);
                            nanos = n;
                            s = r;
                            continue;
                        }
                    }
                    _ => {}
                }
                s = rest;
            }
        }
    }
    if !s.is_empty() {
        return Err(format!("parsing time \"{value}\": extra text: \"{s}\""));
    }
    if let Some(p) = pm {
        if p && hour < 12 {
            hour += 12;
        } else if !p && hour == 12 {
            hour = 0;
        }
    }
    let naive = NaiveDate::from_ymd_opt(year, month, day)
        .and_then(|d| d.and_hms_nano_opt(hour, min, sec, nanos))
        .ok_or_else(|| format!("parsing time \"{value}\": day out of range"))?;
    let utc_secs = naive.and_utc().timestamp();
    match offset {
        Some(o) => {
            let t = Time::from_unix(utc_secs - o as i64, nanos);
            let zone = FixedOffset::east_opt(o).map_or("UTC".to_string(), |_| String::new());
            Ok(Time {
                offset: o,
                zone: if o == 0 { "UTC".into() } else { zone.into() },
                ..t
            })
        }
        None => {
            let (o, _) = zone_offset(zone, utc_secs).unwrap_or((0, String::new()));
            let t = Time::from_unix(utc_secs - o as i64, nanos);
            Ok(t.in_zone(zone).unwrap_or(t))
        }
    }
}

fn take_num(s: &str, min: usize, max: usize) -> (Option<i64>, &str) {
    let n = s.bytes().take(max).take_while(u8::is_ascii_digit).count();
    if n < min {
        return (None, s);
    }
    (s[..n].parse().ok(), &s[n..])
}

fn take_frac(s: &str) -> (u32, &str) {
    let body = &s[1..];
    let n = body.bytes().take_while(u8::is_ascii_digit).count();
    let digits = &body[..n];
    let mut padded = format!("{:0<9}", digits);
    padded.truncate(9);
    (padded.parse().unwrap_or(0), &body[n..])
}

fn take_offset<'a>(s: &'a str, std: &str) -> Option<(i32, &'a str)> {
    if std.starts_with('Z') && s.starts_with('Z') {
        return Some((0, &s[1..]));
    }
    let sign = match s.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let body = &s[1..];
    let colon = std.contains(':');
    let (h, m, sec, used) = match (std.trim_start_matches(['Z', '-']), colon) {
        ("07", _) => (body.get(..2)?, "00", "00", 2),
        ("07:00", _) => (body.get(..2)?, body.get(3..5)?, "00", 5),
        ("0700", _) => (body.get(..2)?, body.get(2..4)?, "00", 4),
        ("07:00:00", _) => (body.get(..2)?, body.get(3..5)?, body.get(6..8)?, 8),
        _ => return None,
    };
    let v =
        h.parse::<i32>().ok()? * 3600 + m.parse::<i32>().ok()? * 60 + sec.parse::<i32>().ok()?;
    Some((sign * v, &body[used..]))
}

/// expr's `date(str)` without a layout: tries Go's fixed list of layouts.
pub fn parse_any(value: &str, zone: &str) -> Result<Time, String> {
    const LAYOUTS: &[&str] = &[
        "2006-01-02",
        "15:04:05",
        "2006-01-02 15:04:05",
        "2006-01-02T15:04:05Z07:00",
        "02 Jan 06 15:04 MST",
        "Monday, 02-Jan-06 15:04:05 MST",
        "Mon, 02 Jan 2006 15:04:05 MST",
    ];
    LAYOUTS
        .iter()
        .find_map(|l| parse(l, value, zone).ok())
        .ok_or_else(|| format!("invalid date {value}"))
}
