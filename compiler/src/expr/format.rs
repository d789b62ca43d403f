//! Turning values into text exactly as Go does: `encoding/json` (inline tags, `toJson`,
//! `toJSON`) and `fmt`'s `%v` (`valueFrom.expression`, `string()`, sprig's `toString`).
//!
//! Floats use the shortest round-trip digits (Rust's `{:e}` gives the same digits as Go's
//! `strconv`); only the choice between plain and exponent form and the exponent's spelling differ
//! between the two formats.

use std::fmt::Write as _;

use super::value::Value;

/// The shortest round-trip digits of a finite, non-zero `f` and its decimal exponent, so that
/// `f = 0.d1d2d3… × 10^(exp+1)`; i.e. `exp` is the exponent in `d1.d2d3…e<exp>`.
fn digits(f: f64) -> (String, i32) {
    let s = format!("{:e}", f.abs());
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    (mant.replace('.', ""), exp.parse().unwrap_or(0))
}

fn plain(neg: bool, digs: &str, exp: i32) -> String {
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    let n = digs.len() as i32;
    if exp < 0 {
        out.push_str("0.");
        for _ in 0..(-exp - 1) {
            out.push('0');
        }
        out.push_str(digs);
    } else if exp + 1 >= n {
        out.push_str(digs);
        for _ in 0..(exp + 1 - n) {
            out.push('0');
        }
    } else {
        let (a, b) = digs.split_at((exp + 1) as usize);
        out.push_str(a);
        out.push('.');
        out.push_str(b);
    }
    out
}

fn exponent(neg: bool, digs: &str, exp: i32, min_exp_digits: usize) -> String {
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    let (first, rest) = digs.split_at(1.min(digs.len()));
    out.push_str(first);
    if !rest.is_empty() {
        out.push('.');
        out.push_str(rest);
    }
    out.push('e');
    out.push(if exp < 0 { '-' } else { '+' });
    let _ = write!(out, "{:0w$}", exp.unsigned_abs(), w = min_exp_digits);
    out
}

/// Go's `encoding/json` float: plain unless the exponent is < −6 or ≥ 21 (`1e+21`, `1e-7`).
/// NaN and infinities are errors, as in Go.
pub fn json_float(f: f64) -> Result<String, String> {
    if !f.is_finite() {
        return Err(format!("json: unsupported value: {}", go_float(f)));
    }
    if f == 0.0 {
        return Ok(if f.is_sign_negative() { "-0" } else { "0" }.into());
    }
    let (d, e) = digits(f);
    let neg = f < 0.0;
    Ok(if !(-6..21).contains(&e) {
        exponent(neg, &d, e, 1)
    } else {
        plain(neg, &d, e)
    })
}

/// Go's `%v` / `strconv.FormatFloat(f, 'g', -1, 64)`: exponent form when the decimal exponent is
/// < −4 or ≥ 6, i.e. `1e+06`, `1e-05`, `+Inf`, `NaN`.
pub fn go_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf" } else { "-Inf" }.into();
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0" } else { "0" }.into();
    }
    let (d, e) = digits(f);
    let neg = f < 0.0;
    if !(-4..6).contains(&e) {
        exponent(neg, &d, e, 2)
    } else {
        plain(neg, &d, e)
    }
}

/// Options for JSON output.
#[derive(Clone, Copy, Debug, Default)]
pub struct JsonStyle {
    /// Escape `<`, `>`, `&` as `\u003c` etc. (Go's default).
    pub html_escape: bool,
    /// Indent with this many spaces (0 = compact).
    pub indent: usize,
}

impl JsonStyle {
    pub const COMPACT: JsonStyle = JsonStyle {
        html_escape: true,
        indent: 0,
    };
}

/// Go's `json.Marshal` (or `MarshalIndent`) of a value.
pub fn to_json(v: &Value, style: JsonStyle) -> Result<String, String> {
    let mut out = String::new();
    write_json(&mut out, v, style, 0)?;
    Ok(out)
}

fn newline(out: &mut String, style: JsonStyle, level: usize) {
    if style.indent > 0 {
        out.push('\n');
        for _ in 0..style.indent * level {
            out.push(' ');
        }
    }
}

fn write_json(out: &mut String, v: &Value, style: JsonStyle, level: usize) -> Result<(), String> {
    match v {
        Value::Nil => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) | Value::Int64(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Duration(d) => {
            let _ = write!(out, "{}", d.0);
        }
        Value::Float(f) => out.push_str(&json_float(*f)?),
        Value::Str(s) => json_string(out, s, style.html_escape),
        Value::Time(t) => json_string(out, &t.rfc3339_nano(), style.html_escape),
        Value::Version(ver) => json_string(out, &ver.to_string(), style.html_escape),
        Value::Array(l) => {
            if l.items.is_empty() {
                out.push_str("[]");
                return Ok(());
            }
            out.push('[');
            for (i, item) in l.items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, style, level + 1);
                write_json(out, item, style, level + 1)?;
            }
            newline(out, style, level);
            out.push(']');
        }
        Value::Map(d) => {
            if d.entries.is_empty() {
                out.push_str("{}");
                return Ok(());
            }
            out.push('{');
            for (i, (k, item)) in d.entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, style, level + 1);
                json_string(out, k, style.html_escape);
                out.push(':');
                if style.indent > 0 {
                    out.push(' ');
                }
                write_json(out, item, style, level + 1)?;
            }
            newline(out, style, level);
            out.push('}');
        }
    }
    Ok(())
}

/// A Go JSON string literal.
pub fn json_string(out: &mut String, s: &str, html: bool) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' if html => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Go's `fmt.Sprintf("%v", v)`.
pub fn go_v(v: &Value) -> String {
    let mut out = String::new();
    write_v(&mut out, v);
    out
}

fn write_v(out: &mut String, v: &Value) {
    match v {
        Value::Nil => out.push_str("<nil>"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) | Value::Int64(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Float(f) => out.push_str(&go_float(*f)),
        Value::Str(s) => out.push_str(s),
        Value::Duration(d) => out.push_str(&d.go_string()),
        Value::Time(t) => out.push_str(&t.go_string()),
        Value::Version(ver) => out.push_str(&ver.to_string()),
        Value::Array(l) => {
            out.push('[');
            for (i, item) in l.items.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                write_v(out, item);
            }
            out.push(']');
        }
        Value::Map(d) => {
            out.push_str("map[");
            for (i, (k, item)) in d.entries.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(k);
                out.push(':');
                write_v(out, item);
            }
            out.push(']');
        }
    }
}

/// Go's `%q` of a string (`strconv.Quote`).
pub fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_floats_follow_go_thresholds() {
        let cases = [
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (1e-7, "1e-7"),
            (0.000001, "0.000001"),
            (0.1 + 0.2, "0.30000000000000004"),
            (3.0, "3"),
            (2.5, "2.5"),
            (35.8, "35.8"),
            (-4.0, "-4"),
        ];
        for (f, want) in cases {
            assert_eq!(json_float(f).as_deref(), Ok(want), "{f}");
        }
        assert!(json_float(f64::INFINITY).is_err());
    }

    #[test]
    fn percent_v_floats_switch_to_exponent_at_e6() {
        let cases = [
            (1000000.0, "1e+06"),
            (123456789.0, "1.23456789e+08"),
            (100000.0, "100000"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1e21, "1e+21"),
            (1.5, "1.5"),
            (5.0, "5"),
            (123456.0, "123456"),
            (1234567.0, "1.234567e+06"),
        ];
        for (f, want) in cases {
            assert_eq!(go_float(f), want, "{f}");
        }
    }
}
