//! `withSequence` expansion (spec §5): `start` (default 0), `end` or `count`, counting down when
//! start > end, each value formatted with Go's `fmt.Sprintf(format, i)`.

use super::Limits;
use super::conv::atoi;

/// Expands a sequence to its items. Inputs are the strings after substitution.
pub fn expand(
    start: Option<&str>,
    end: Option<&str>,
    count: Option<&str>,
    format: Option<&str>,
    limits: &Limits,
) -> Result<Vec<String>, String> {
    let parse =
        |s: &str| atoi(s).ok_or_else(|| format!("strconv.Atoi: parsing {s:?}: invalid syntax"));
    let start = match start {
        Some(s) if !s.is_empty() => parse(s)?,
        _ => 0,
    };
    let (from, to) = match (end, count) {
        (Some(_), Some(_)) => {
            return Err("only one of count or end can be defined in withSequence".into());
        }
        (Some(e), None) => (start, parse(e)?),
        (None, Some(c)) => {
            let c = parse(c)?;
            if c <= 0 {
                return Ok(Vec::new());
            }
            (start, start.saturating_add(c - 1))
        }
        (None, None) => return Err("either count or end must be defined in withSequence".into()),
    };
    let n = (from as i128 - to as i128).unsigned_abs() + 1;
    if n > limits.max_items as u128 {
        return Err(format!(
            "sequence has {n} items, more than the limit of {}",
            limits.max_items
        ));
    }
    let step: i64 = if from <= to { 1 } else { -1 };
    let fmt = format.filter(|f| !f.is_empty()).unwrap_or("%d");
    Ok((0..n as i64)
        .map(|k| sprintf_int(fmt, from + k * step))
        .collect())
}

/// Go's `fmt.Sprintf(format, i)` for one integer argument: verbs `d x X o O b c q U v` with
/// flags `-+ 0#` and widths; other verbs give Go's `%!s(int=1)`; extra verbs `%!d(MISSING)`.
pub fn sprintf_int(format: &str, value: i64) -> String {
    let mut out = String::new();
    let mut chars = format.chars().peekable();
    let mut used = false;
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let (mut minus, mut plus, mut zero, mut space, mut sharp) =
            (false, false, false, false, false);
        while let Some(&f) = chars.peek() {
            match f {
                '-' => minus = true,
                '+' => plus = true,
                '0' => zero = true,
                ' ' => space = true,
                '#' => sharp = true,
                _ => break,
            }
            chars.next();
        }
        let mut width = 0usize;
        while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
            width = (width * 10 + d as usize).min(1000);
            chars.next();
        }
        let Some(verb) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        if used {
            out.push_str(&format!("%!{verb}(MISSING)"));
            continue;
        }
        used = true;
        let neg = value < 0;
        let mag = value.unsigned_abs();
        let (digits, prefix) = match verb {
            'd' | 'v' => (mag.to_string(), ""),
            'x' => (format!("{mag:x}"), if sharp { "0x" } else { "" }),
            'X' => (format!("{mag:X}"), if sharp { "0X" } else { "" }),
            'o' => (format!("{mag:o}"), if sharp { "0" } else { "" }),
            'O' => (format!("{mag:o}"), "0o"),
            'b' => (format!("{mag:b}"), ""),
            'c' => {
                out.push(char::from_u32(value as u32).unwrap_or('\u{FFFD}'));
                continue;
            }
            'q' => {
                let ch = char::from_u32(value as u32).unwrap_or('\u{FFFD}');
                out.push_str(&format!("'{ch}'"));
                continue;
            }
            'U' => {
                out.push_str(&format!("U+{mag:04X}"));
                continue;
            }
            other => {
                out.push_str(&format!("%!{other}(int={value})"));
                continue;
            }
        };
        let sign = if neg {
            "-"
        } else if plus {
            "+"
        } else if space {
            " "
        } else {
            ""
        };
        let body_len = sign.len() + prefix.len() + digits.len();
        let pad = width.saturating_sub(body_len);
        if minus {
            out.push_str(sign);
            out.push_str(prefix);
            out.push_str(&digits);
            out.push_str(&" ".repeat(pad));
        } else if zero {
            out.push_str(sign);
            out.push_str(prefix);
            out.push_str(&"0".repeat(pad));
            out.push_str(&digits);
        } else {
            out.push_str(&" ".repeat(pad));
            out.push_str(sign);
            out.push_str(prefix);
            out.push_str(&digits);
        }
    }
    out
}
