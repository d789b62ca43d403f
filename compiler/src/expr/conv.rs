//! Conversions with Go's exact rules: expr's `int`/`float` (strict `Atoi`/`ParseFloat`),
//! spf13/cast as sprig uses it (base prefixes, leading-zero octal, truncation, garbage → 0),
//! Go's `strings.SplitN`, base64/base32, and ordering for `sort`.

use std::cmp::Ordering;

use super::value::Value;

/// Go's `strconv.Atoi`: optional sign, decimal digits only.
pub fn atoi(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Go's `strconv.ParseFloat(s, 64)` (decimal forms, `Inf`/`NaN`, `_` between digits).
pub fn parse_float(s: &str) -> Option<f64> {
    let lower = s.to_ascii_lowercase();
    let body = lower.trim_start_matches(['+', '-']);
    if matches!(body, "inf" | "infinity" | "nan") {
        let neg = lower.starts_with('-');
        return Some(match body {
            "nan" => f64::NAN,
            _ if neg => f64::NEG_INFINITY,
            _ => f64::INFINITY,
        });
    }
    if body.starts_with("0x") {
        return parse_hex_float(&lower);
    }
    if s.contains('_') {
        let b = s.as_bytes();
        let ok = b.iter().enumerate().all(|(i, &c)| {
            c != b'_'
                || (i > 0
                    && b[i - 1].is_ascii_digit()
                    && b.get(i + 1).is_some_and(u8::is_ascii_digit))
        });
        if !ok {
            return None;
        }
    }
    let clean: String = s.chars().filter(|&c| c != '_').collect();
    if clean.is_empty() || clean.contains(|c: char| c.is_ascii_alphabetic() && c != 'e' && c != 'E')
    {
        return None;
    }
    clean.parse().ok()
}

fn parse_hex_float(s: &str) -> Option<f64> {
    let (neg, body) = match s.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let body = body.strip_prefix("0x")?;
    let (mant, exp) = match body.split_once('p') {
        Some((m, e)) => (m, e.parse::<i32>().ok()?),
        None => (body, 0),
    };
    let (int, frac) = mant.split_once('.').unwrap_or((mant, ""));
    let mut v = 0f64;
    for c in int.chars() {
        v = v * 16.0 + c.to_digit(16)? as f64;
    }
    let mut scale = 1.0 / 16.0;
    for c in frac.chars() {
        v += c.to_digit(16)? as f64 * scale;
        scale /= 16.0;
    }
    let v = v * 2f64.powi(exp);
    Some(if neg { -v } else { v })
}

/// expr's `int(x)` / Argo's `asInt(x)`.
pub fn expr_int(v: &Value) -> Result<Value, String> {
    Ok(Value::Int(match v {
        Value::Int(i) | Value::Int64(i) => *i,
        Value::Float(f) => go_f64_to_i64(*f),
        Value::Duration(d) => d.0,
        Value::Str(s) => atoi(s).ok_or_else(|| format!("invalid operation: int({s})"))?,
        other => return Err(format!("invalid operation: int({})", other.go_type())),
    }))
}

/// expr's `float(x)` / Argo's `asFloat(x)`.
pub fn expr_float(v: &Value) -> Result<Value, String> {
    Ok(Value::Float(match v {
        Value::Int(i) | Value::Int64(i) => *i as f64,
        Value::Float(f) => *f,
        Value::Str(s) => parse_float(s).ok_or_else(|| format!("invalid operation: float({s})"))?,
        other => return Err(format!("invalid operation: float({})", other.go_type())),
    }))
}

/// Go's float → int conversion (truncation; out of range saturates here instead of Go's
/// platform-defined value).
pub fn go_f64_to_i64(f: f64) -> i64 {
    if f.is_nan() { i64::MIN } else { f as i64 }
}

/// Go's `strconv.ParseInt(s, 0, 64)`: sign, `0x`/`0o`/`0b` prefixes, leading-zero octal, `_`.
pub fn parse_int_base0(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits, prefixed) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d, true)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d, true)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d, true)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..], true)
    } else {
        (10, lower.as_str(), false)
    };
    if digits.is_empty() {
        return None;
    }
    // Underscores only with a base prefix, and only between digits.
    if digits.contains('_') && (!prefixed || digits.ends_with('_') || digits.contains("__")) {
        return None;
    }
    let clean: String = digits.chars().filter(|&c| c != '_').collect();
    if clean.is_empty() {
        return Some(0);
    }
    let v = i128::from_str_radix(&clean, radix).ok()?;
    let v = if neg { -v } else { v };
    i64::try_from(v).ok()
}

/// spf13/cast `ToInt64E` as sprig uses it; errors become 0.
pub fn cast_int(v: &Value) -> i64 {
    match v {
        Value::Int(i) | Value::Int64(i) => *i,
        Value::Duration(d) => d.0,
        Value::Float(f) => go_f64_to_i64(*f),
        Value::Bool(b) => *b as i64,
        Value::Str(s) => {
            let s = match s.find('.') {
                Some(i) => &s[..i],
                None => s,
            };
            if s.is_empty() || s == "-" || s == "+" {
                return 0;
            }
            parse_int_base0(s).unwrap_or(0)
        }
        _ => 0,
    }
}

/// spf13/cast `ToFloat64E`; errors become 0.
pub fn cast_float(v: &Value) -> f64 {
    match v {
        Value::Int(i) | Value::Int64(i) => *i as f64,
        Value::Float(f) => *f,
        Value::Bool(b) => *b as i64 as f64,
        Value::Str(s) => parse_float(s).unwrap_or(0.0),
        _ => 0.0,
    }
}

/// Go's `strings.SplitN` / `SplitAfterN` (n < 0: all).
pub fn go_split(s: &str, sep: &str, n: i64, after: bool) -> Vec<String> {
    if n == 0 {
        return Vec::new();
    }
    if sep.is_empty() {
        let chars: Vec<String> = s.chars().map(String::from).collect();
        if n > 0 && (n as usize) < chars.len() {
            let k = n as usize - 1;
            let mut out = chars[..k].to_vec();
            out.push(chars[k..].concat());
            return out;
        }
        return chars;
    }
    let mut out = Vec::new();
    let mut rest = s;
    while n < 0 || (out.len() as i64) < n - 1 {
        let Some(i) = rest.find(sep) else { break };
        let end = if after { i + sep.len() } else { i };
        out.push(rest[..end].to_string());
        rest = &rest[i + sep.len()..];
    }
    out.push(rest.to_string());
    out
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

pub fn base64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Go's `base64.StdEncoding.DecodeString` (padding required), with Go's error text.
pub fn base64_decode(s: &str) -> Result<Vec<u8>, String> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let mut n = 0u32;
        let mut got: usize = 0;
        for j in 0..4 {
            let pos = i + j;
            let Some(&c) = b.get(pos) else {
                return Err(format!("illegal base64 data at input byte {}", b.len()));
            };
            if c == b'=' {
                // Padding: the rest of the quantum must be '='.
                if j < 2
                    || b[pos..(i + 4).min(b.len())].iter().any(|&x| x != b'=')
                    || i + 4 != b.len()
                {
                    return Err(format!("illegal base64 data at input byte {pos}"));
                }
                break;
            }
            let v = B64
                .iter()
                .position(|&x| x == c)
                .ok_or_else(|| format!("illegal base64 data at input byte {pos}"))?;
            n |= (v as u32) << (18 - 6 * j);
            got += 1;
        }
        for k in 0..got.saturating_sub(1) {
            out.push((n >> (16 - 8 * k) & 0xff) as u8);
        }
        i += 4;
    }
    Ok(out)
}

const B32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

pub fn base32_encode(data: &[u8]) -> String {
    let mut out = String::new();
    for chunk in data.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..chunk.len()].copy_from_slice(chunk);
        let n = buf.iter().fold(0u64, |acc, &x| acc << 8 | x as u64);
        let chars = (chunk.len() * 8).div_ceil(5);
        for i in 0..8 {
            if i < chars {
                out.push(B32[(n >> (35 - 5 * i) & 31) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

pub fn base32_decode(s: &str) -> Result<Vec<u8>, String> {
    let b = s.as_bytes();
    if !b.len().is_multiple_of(8) {
        return Err(format!(
            "illegal base32 data at input byte {}",
            b.len() / 8 * 8
        ));
    }
    let mut out = Vec::new();
    for (ci, chunk) in b.chunks(8).enumerate() {
        let mut n = 0u64;
        let mut got = 0;
        for (j, &c) in chunk.iter().enumerate() {
            if c == b'=' {
                break;
            }
            let v = B32
                .iter()
                .position(|&x| x == c)
                .ok_or_else(|| format!("illegal base32 data at input byte {}", ci * 8 + j))?;
            n |= (v as u64) << (35 - 5 * j);
            got += 1;
        }
        for k in 0..(got * 5 / 8) {
            out.push((n >> (32 - 8 * k) & 0xff) as u8);
        }
    }
    Ok(out)
}

/// Orders two sortable values (numbers, strings); `None` if they are not comparable.
pub fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Str(x), Value::Str(y)) => Some(x.as_bytes().cmp(y.as_bytes())),
        (x, y) if x.is_number() && y.is_number() => x.as_f64()?.partial_cmp(&y.as_f64()?),
        _ => None,
    }
}

/// Sorts numbers or strings (stable); mixed kinds are an error.
pub fn sort_values(items: &mut [Value]) -> Result<(), String> {
    if let (Some(first), true) = (items.first(), items.len() > 1) {
        for v in items.iter() {
            if compare(first, v).is_none() {
                return Err(format!(
                    "cannot sort {} with {}",
                    first.go_type(),
                    v.go_type()
                ));
            }
        }
    }
    items.sort_by(|a, b| compare(a, b).unwrap_or(Ordering::Equal));
    Ok(())
}

/// Appends the leaves of nested arrays.
pub fn flatten(items: &[Value], out: &mut Vec<Value>) {
    for v in items {
        match v {
            Value::Array(l) => flatten(&l.items, out),
            other => out.push(other.clone()),
        }
    }
}

/// `strings.Replace(s, old, new, -1)`, refusing results longer than `limit` before allocating.
pub fn checked_replace(s: &str, old: &str, new: &str, limit: usize) -> Result<String, String> {
    let n = if old.is_empty() {
        s.chars().count() + 1
    } else {
        s.matches(old).count()
    };
    let size = (s.len() as u128) + (n as u128) * (new.len() as u128);
    if size > limit as u128 {
        return Err(format!(
            "replace result is too large (more than {limit} bytes)"
        ));
    }
    Ok(s.replace(old, new))
}
