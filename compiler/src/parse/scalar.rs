//! Resolution of plain YAML scalars the way Kubernetes reads manifests.
//!
//! `kubectl` and Argo decode YAML through `sigs.k8s.io/yaml`, which uses a YAML 1.1 resolver:
//! `yes`/`no`/`on`/`off` are booleans, `0777` is octal, `~` is null. Quoted and block scalars are
//! always strings. This module only classifies text; it never fails.

use super::tree::Value;

/// Resolves a plain (unquoted) scalar.
pub fn resolve_plain(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return Value::Bool(true);
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return Value::Bool(false);
        }
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    let first = text.as_bytes()[0];
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return Value::Str(text.into());
    }
    if let Some(i) = parse_int(text) {
        return Value::Int(i);
    }
    if is_float(text)
        && let Ok(f) = text.parse::<f64>()
    {
        return Value::Float(f);
    }
    Value::Str(text.into())
}

/// Go's `strconv.ParseInt(s, 0, 64)` after yaml.v2 removed underscores: sign, then `0x`, `0o`,
/// `0b` or a leading `0` (octal) prefix, else decimal.
fn parse_int(text: &str) -> Option<i64> {
    let cleaned: String;
    let text = if text.contains('_') {
        cleaned = text.replace('_', "");
        &cleaned
    } else {
        text
    };
    let (neg, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() {
        return None;
    }
    let (radix, body) = if let Some(rest) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        (16, rest)
    } else if let Some(rest) = digits
        .strip_prefix("0o")
        .or_else(|| digits.strip_prefix("0O"))
    {
        (8, rest)
    } else if let Some(rest) = digits
        .strip_prefix("0b")
        .or_else(|| digits.strip_prefix("0B"))
    {
        (2, rest)
    } else if digits.len() > 1 && digits.starts_with('0') {
        (8, &digits[1..])
    } else {
        (10, digits)
    };
    if body.is_empty() || !body.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u64::from_str_radix(body, radix).ok()?;
    if neg {
        if magnitude == 1u64 << 63 {
            Some(i64::MIN)
        } else {
            i64::try_from(magnitude).ok().map(|m| -m)
        }
    } else {
        i64::try_from(magnitude).ok()
    }
}

/// yaml.v2's float pattern: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_float(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    if i < b.len() && matches!(b[i], b'-' | b'+') {
        i += 1;
    }
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let int_digits = i - int_start;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let frac_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if int_digits == 0 && i == frac_start {
            return false;
        }
    } else if int_digits == 0 {
        return false;
    }
    if i < b.len() && matches!(b[i], b'e' | b'E') {
        i += 1;
        if i < b.len() && matches!(b[i], b'-' | b'+') {
            i += 1;
        }
        let exp_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == exp_start {
            return false;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(text: &str) -> String {
        match resolve_plain(text) {
            Value::Null => "null".into(),
            Value::Bool(b) => format!("bool:{b}"),
            Value::Int(i) => format!("int:{i}"),
            Value::Float(f) => format!("float:{f}"),
            Value::Str(s) => format!("str:{s}"),
            _ => unreachable!(),
        }
    }

    #[test]
    fn yaml_1_1_booleans_and_nulls() {
        assert_eq!(kind("yes"), "bool:true");
        assert_eq!(kind("Off"), "bool:false");
        assert_eq!(kind("~"), "null");
        assert_eq!(kind("nil"), "str:nil");
    }

    #[test]
    fn integers_follow_go_parse_int_base_zero() {
        assert_eq!(kind("42"), "int:42");
        assert_eq!(kind("-7"), "int:-7");
        assert_eq!(kind("0777"), "int:511");
        assert_eq!(kind("0x1F"), "int:31");
        assert_eq!(kind("1_000"), "int:1000");
        assert_eq!(kind("9223372036854775807"), "int:9223372036854775807");
        assert_eq!(kind("-9223372036854775808"), "int:-9223372036854775808");
        // Too big for int64: yaml.v2 falls back to a float.
        assert_eq!(kind("99999999999999999999"), "float:100000000000000000000");
        // Not octal, but matches the float pattern.
        assert_eq!(kind("08"), "float:8");
    }

    #[test]
    fn floats_and_strings() {
        assert_eq!(kind("1.5"), "float:1.5");
        assert_eq!(kind("1e3"), "float:1000");
        assert_eq!(kind(".5"), "float:0.5");
        assert_eq!(kind("1.2.3"), "str:1.2.3");
        assert_eq!(kind("100m"), "str:100m");
        assert_eq!(kind("-"), "str:-");
        assert_eq!(kind("."), "str:.");
        assert_eq!(kind("2024-01-01"), "str:2024-01-01");
    }
}
