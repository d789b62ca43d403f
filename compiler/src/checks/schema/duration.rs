//! Go's `time.ParseDuration` syntax, and Argo's `ParseStringToDuration` on top of it, for AW106.
//!
//! A duration is an optional sign and a sequence of decimal numbers, each with an optional
//! fraction and a unit: `300ms`, `-1.5h`, `2h45m`. Units are `ns`, `us` (`µs`, `μs`), `ms`, `s`,
//! `m`, `h`. A bare `0` is allowed; any other number needs a unit, and there is no `d`.
//! Durations beyond about 292 years overflow and are rejected, as in Go.

/// Why a string is not a Go duration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum DurationError {
    Empty,
    /// A number without a unit (`10`).
    MissingUnit,
    /// A unit Go does not know (`1d`, `5min`).
    UnknownUnit(String),
    /// Something other than digits where a number should be (`abc`, `1h.m`).
    Malformed,
    Overflow,
}

impl DurationError {
    pub(crate) fn reason(&self) -> String {
        match self {
            DurationError::Empty => "it is empty".to_string(),
            DurationError::MissingUnit => "a number needs a unit such as `s`".to_string(),
            DurationError::UnknownUnit(u) => format!("`{u}` is not a unit Go knows"),
            DurationError::Malformed => "it is not a sequence of numbers with units".to_string(),
            DurationError::Overflow => "it is longer than Go can represent".to_string(),
        }
    }
}

const NANOS_PER: [(&str, u128); 8] = [
    ("ns", 1),
    ("us", 1_000),
    ("µs", 1_000),
    ("μs", 1_000),
    ("ms", 1_000_000),
    ("s", 1_000_000_000),
    ("m", 60_000_000_000),
    ("h", 3_600_000_000_000),
];

/// Parses like Go's `time.ParseDuration`; returns nanoseconds.
pub(crate) fn parse_go_duration(text: &str) -> Result<i128, DurationError> {
    let (neg, mut s) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if s == "0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(if text.is_empty() {
            DurationError::Empty
        } else {
            DurationError::Malformed
        });
    }
    let mut total: u128 = 0;
    while !s.is_empty() {
        let int_len = s.bytes().take_while(u8::is_ascii_digit).count();
        let (int_part, rest) = s.split_at(int_len);
        let (frac_part, rest) = match rest.strip_prefix('.') {
            Some(r) => {
                let n = r.bytes().take_while(u8::is_ascii_digit).count();
                r.split_at(n)
            }
            None => ("", rest),
        };
        if int_part.is_empty() && frac_part.is_empty() {
            return Err(DurationError::Malformed);
        }
        let unit_len = rest
            .char_indices()
            .find(|&(_, c)| c == '.' || c.is_ascii_digit())
            .map_or(rest.len(), |(i, _)| i);
        let (unit, rest) = rest.split_at(unit_len);
        if unit.is_empty() {
            return Err(DurationError::MissingUnit);
        }
        let Some(&(_, per)) = NANOS_PER.iter().find(|(u, _)| *u == unit) else {
            return Err(DurationError::UnknownUnit(unit.to_string()));
        };
        let whole: u128 = if int_part.is_empty() {
            0
        } else {
            int_part.parse().map_err(|_| DurationError::Overflow)?
        };
        let mut value = whole.checked_mul(per).ok_or(DurationError::Overflow)?;
        // The fraction, to nanosecond precision like Go.
        let mut scale: u128 = 1;
        let mut frac: u128 = 0;
        for d in frac_part.bytes().take(30) {
            frac = frac * 10 + u128::from(d - b'0');
            scale *= 10;
        }
        value += frac * per / scale;
        total = total.checked_add(value).ok_or(DurationError::Overflow)?;
        if total > 1u128 << 63 {
            return Err(DurationError::Overflow);
        }
        s = rest;
    }
    if !neg && total == 1u128 << 63 {
        return Err(DurationError::Overflow);
    }
    let total = i128::try_from(total).map_err(|_| DurationError::Overflow)?;
    Ok(if neg { -total } else { total })
}

/// Argo's `ParseStringToDuration`: integer seconds (`"30"`), else a Go duration.
pub(crate) fn parse_seconds_or_duration(text: &str) -> Result<(), DurationError> {
    if is_go_int(text) {
        return Ok(());
    }
    parse_go_duration(text).map(|_| ())
}

/// `strconv.Atoi` syntax: an optional sign and decimal digits, within 64 bits.
pub(crate) fn is_go_int(text: &str) -> bool {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|c| c.is_ascii_digit()) && text.parse::<i64>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: i128 = 1_000_000_000;

    #[test]
    fn accepts_go_durations() {
        assert_eq!(parse_go_duration("1h30m"), Ok(5400 * S));
        assert_eq!(parse_go_duration("300ms"), Ok(300_000_000));
        assert_eq!(parse_go_duration("-1s"), Ok(-S));
        assert_eq!(parse_go_duration("+1s"), Ok(S));
        assert_eq!(parse_go_duration("1.5h"), Ok(5400 * S));
        assert_eq!(parse_go_duration(".5s"), Ok(S / 2));
        assert_eq!(parse_go_duration("1.s"), Ok(S));
        assert_eq!(parse_go_duration("0"), Ok(0));
        assert_eq!(parse_go_duration("-0"), Ok(0));
        assert_eq!(parse_go_duration("1µs"), Ok(1000));
        assert_eq!(parse_go_duration("2h45m0.5s"), Ok(9900 * S + S / 2));
    }

    #[test]
    fn rejects_what_go_rejects() {
        assert_eq!(parse_go_duration(""), Err(DurationError::Empty));
        assert_eq!(parse_go_duration("10"), Err(DurationError::MissingUnit));
        assert_eq!(parse_go_duration("1h30"), Err(DurationError::MissingUnit));
        assert_eq!(
            parse_go_duration("1d"),
            Err(DurationError::UnknownUnit("d".into()))
        );
        assert_eq!(
            parse_go_duration("5min"),
            Err(DurationError::UnknownUnit("min".into()))
        );
        assert_eq!(parse_go_duration("abc"), Err(DurationError::Malformed));
        assert_eq!(parse_go_duration("-"), Err(DurationError::Malformed));
        assert_eq!(parse_go_duration(".s"), Err(DurationError::Malformed));
        assert_eq!(
            parse_go_duration("1h "),
            Err(DurationError::UnknownUnit("h ".into()))
        );
        assert_eq!(parse_go_duration("3000000h"), Err(DurationError::Overflow));
        assert_eq!(
            parse_go_duration("99999999999999999999999999s"),
            Err(DurationError::Overflow)
        );
    }

    #[test]
    fn argo_durations_also_take_integer_seconds() {
        assert_eq!(parse_seconds_or_duration("10"), Ok(()));
        assert_eq!(parse_seconds_or_duration("-5"), Ok(()));
        assert_eq!(parse_seconds_or_duration("2m"), Ok(()));
        assert!(parse_seconds_or_duration("1d").is_err());
        assert!(parse_seconds_or_duration("").is_err());
        assert!(parse_seconds_or_duration("1.5").is_err());
    }
}
