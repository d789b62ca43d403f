//! Go's builtin template functions over already evaluated arguments (`and` and `or` are lazy and
//! live in the evaluator): `not`, `len`, `index`, `slice`, the comparisons, `print`, `printf`,
//! `println`, `html`, `js`, `urlquery` and `call`. Errors are Go's messages without the
//! `error calling NAME: ` prefix, which the evaluator adds.

use std::cmp::Ordering;
use std::fmt::Write as _;

use super::printf::{sprint, sprintf, sprintln};
use super::value::{Val, Value};

/// How many arguments a builtin takes: exactly, or at least.
pub(crate) enum Arity {
    Exactly(usize),
    AtLeast(usize),
}

pub(crate) fn arity(name: &str) -> Arity {
    match name {
        "not" | "len" => Arity::Exactly(1),
        "ne" | "lt" | "le" | "gt" | "ge" => Arity::Exactly(2),
        "index" | "slice" | "printf" | "eq" | "and" | "or" | "call" => Arity::AtLeast(1),
        _ => Arity::AtLeast(0),
    }
}

/// A function error: `Arg` errors are Go's argument-type errors (reported without the
/// `error calling` prefix), `Call` errors come from inside the function.
pub(crate) enum FuncError {
    Arg(String),
    Call(String),
}

/// Calls builtin `name` (arity already checked).
pub(crate) fn call(name: &str, args: &[Val]) -> Result<Val, FuncError> {
    let call_err = |m: String| FuncError::Call(m);
    let text = |s: String| Val::from(Value::Str(s.into()));
    match name {
        "not" => Ok(Value::Bool(!args[0].truth()).into()),
        "len" => len(&args[0])
            .map(|n| Value::Int(n as i64).into())
            .map_err(call_err),
        "index" => index(&args[0], &args[1..]).map_err(call_err),
        "slice" => slice(&args[0], &args[1..]).map_err(call_err),
        "eq" => eq(&args[0], &args[1..])
            .map(|b| Value::Bool(b).into())
            .map_err(call_err),
        "ne" => eq(&args[0], &args[1..2])
            .map(|b| Value::Bool(!b).into())
            .map_err(call_err),
        "lt" | "le" | "gt" | "ge" => {
            let ord = compare(&args[0], &args[1]).map_err(call_err)?;
            let b = match name {
                "lt" => ord == Ordering::Less,
                "le" => ord != Ordering::Greater,
                "gt" => ord == Ordering::Greater,
                _ => ord != Ordering::Less,
            };
            Ok(Value::Bool(b).into())
        }
        "print" => Ok(with_origin(text(sprint(args)), args)),
        "println" => Ok(with_origin(text(sprintln(args)), args)),
        "printf" => {
            let Value::Str(format) = &args[0].value else {
                return Err(FuncError::Arg(match args[0].value {
                    Value::Missing | Value::Nil => "invalid value; expected string".to_string(),
                    _ => format!("expected string; found {}", args[0].to_text()),
                }));
            };
            Ok(with_origin(text(sprintf(format, &args[1..])), &args[1..]))
        }
        "html" => Ok(text(html(&eval_args(args)))),
        "js" => Ok(text(js(&eval_args(args)))),
        "urlquery" => Ok(text(urlquery(&eval_args(args)))),
        "call" => Err(FuncError::Call(format!(
            "non-function of type {}",
            args[0].type_name()
        ))),
        other => Err(FuncError::Call(format!("{other} is not a function"))),
    }
}

/// The origin of the first argument that has one: `printf "%s-%s" .Name .Option.repo` points
/// at the job's name.
fn with_origin(mut v: Val, args: &[Val]) -> Val {
    v.origin = args.iter().find_map(|a| a.origin);
    v
}

/// `html`, `js`, `urlquery`: one string argument as is, anything else through `fmt.Sprint`.
fn eval_args(args: &[Val]) -> String {
    match args {
        [
            Val {
                value: Value::Str(s),
                ..
            },
        ] => s.to_string(),
        _ => sprint(args),
    }
}

fn len(v: &Val) -> Result<usize, String> {
    match &v.value {
        Value::Str(s) => Ok(s.len()),
        Value::List { items, .. } => Ok(items.len()),
        Value::Map(m) => Ok(m.len()),
        Value::Missing | Value::Nil => Err("len of nil value".into()),
        _ => Err(format!("len of type {}", v.type_name())),
    }
}

fn int_index(v: &Val, what: &str) -> Result<i64, String> {
    match v.value {
        Value::Int(i) => Ok(i),
        Value::Missing | Value::Nil => Err(format!("cannot index {what} with nil")),
        _ => Err(format!("cannot index {what} with type {}", v.type_name())),
    }
}

fn index(item: &Val, indices: &[Val]) -> Result<Val, String> {
    let mut cur = item.clone();
    for idx in indices {
        cur = match &cur.value {
            Value::List { items, .. } => {
                let i = int_index(idx, "slice/array")?;
                usize::try_from(i)
                    .ok()
                    .and_then(|u| items.get(u))
                    .cloned()
                    .ok_or_else(|| format!("index out of range: {i}"))?
            }
            Value::Str(s) => {
                let i = int_index(idx, "slice/array")?;
                let b = usize::try_from(i)
                    .ok()
                    .and_then(|u| s.as_bytes().get(u))
                    .ok_or_else(|| format!("index out of range: {i}"))?;
                Value::Int(i64::from(*b)).into()
            }
            Value::Map(entries) => {
                let Value::Str(key) = &idx.value else {
                    return Err(match idx.value {
                        Value::Missing | Value::Nil => "value is nil; should be string".into(),
                        _ => format!("value has type {}; should be string", idx.type_name()),
                    });
                };
                match entries.iter().find(|(k, _)| k == key) {
                    Some((_, v)) => v.clone(),
                    // A missing key gives the element type's zero value.
                    None => Val::str(""),
                }
            }
            Value::Missing | Value::Nil => return Err("index of untyped nil".into()),
            _ => return Err(format!("can't index item of type {}", cur.type_name())),
        };
    }
    Ok(cur)
}

fn slice(item: &Val, indices: &[Val]) -> Result<Val, String> {
    let len = match &item.value {
        Value::Str(s) => s.len(),
        Value::List { items, .. } => items.len(),
        Value::Missing | Value::Nil => return Err("slice of untyped nil".into()),
        _ => return Err(format!("can't slice item of type {}", item.type_name())),
    };
    if indices.len() > 3 {
        return Err(format!("too many slice indexes: {}", indices.len()));
    }
    if indices.len() == 3 && matches!(item.value, Value::Str(_)) {
        return Err("cannot 3-index slice a string".into());
    }
    let mut idx = [0usize, len, len];
    for (k, v) in indices.iter().enumerate() {
        let i = int_index(v, "slice/array")?;
        let u = usize::try_from(i)
            .ok()
            .filter(|&u| u <= len)
            .ok_or_else(|| format!("index out of range: {i}"))?;
        idx[k] = u;
    }
    if idx[0] > idx[1] {
        return Err(format!("invalid slice index: {} > {}", idx[0], idx[1]));
    }
    if indices.len() == 3 && idx[1] > idx[2] {
        return Err(format!("invalid slice index: {} > {}", idx[1], idx[2]));
    }
    let value = match &item.value {
        Value::Str(s) => Value::Str(String::from_utf8_lossy(&s.as_bytes()[idx[0]..idx[1]]).into()),
        Value::List { elem, items } => Value::List {
            elem,
            items: items[idx[0]..idx[1]].into(),
        },
        _ => Value::Missing,
    };
    Ok(Val {
        value,
        origin: item.origin,
    })
}

#[derive(PartialEq, Eq)]
enum Kind {
    Invalid,
    Bool,
    Int,
    Float,
    Str,
    Other,
}

fn kind(v: &Val) -> Kind {
    match v.value {
        Value::Missing | Value::Nil => Kind::Invalid,
        Value::Bool(_) => Kind::Bool,
        Value::Int(_) => Kind::Int,
        Value::Float(_) => Kind::Float,
        Value::Str(_) => Kind::Str,
        _ => Kind::Other,
    }
}

fn eq(a: &Val, others: &[Val]) -> Result<bool, String> {
    if others.is_empty() {
        return Err("missing argument for comparison".into());
    }
    let ka = kind(a);
    for b in others {
        let kb = kind(b);
        let truth = if ka != kb {
            if ka != Kind::Invalid && kb != Kind::Invalid {
                return Err("incompatible types for comparison".into());
            }
            false
        } else {
            match (&a.value, &b.value) {
                (Value::Bool(x), Value::Bool(y)) => x == y,
                (Value::Int(x), Value::Int(y)) => x == y,
                (Value::Float(x), Value::Float(y)) => x == y,
                (Value::Str(x), Value::Str(y)) => x == y,
                _ if ka == Kind::Invalid => true,
                _ => {
                    let mut text = String::new();
                    super::value::write_value(&mut text, &a.value, false);
                    return Err(format!("non-comparable type {text}: {}", a.type_name()));
                }
            }
        };
        if truth {
            return Ok(true);
        }
    }
    Ok(false)
}

fn compare(a: &Val, b: &Val) -> Result<Ordering, String> {
    let (ka, kb) = (kind(a), kind(b));
    let basic = |k: &Kind| matches!(k, Kind::Int | Kind::Float | Kind::Str | Kind::Bool);
    if !basic(&ka) || !basic(&kb) {
        return Err("invalid type for comparison".into());
    }
    if ka != kb {
        return Err("incompatible types for comparison".into());
    }
    match (&a.value, &b.value) {
        (Value::Int(x), Value::Int(y)) => Ok(x.cmp(y)),
        (Value::Float(x), Value::Float(y)) => Ok(x.partial_cmp(y).unwrap_or(Ordering::Equal)),
        (Value::Str(x), Value::Str(y)) => Ok(x.cmp(y)),
        _ => Err("invalid type for comparison".into()),
    }
}

/// `template.HTMLEscapeString`.
fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\0' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// `template.JSEscapeString`.
fn js(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c if (c as u32) >= 0x80 && c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// `url.QueryEscape`.
fn urlquery(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapers_match_go() {
        assert_eq!(html("<a&\"b>"), "&lt;a&amp;&#34;b&gt;");
        assert_eq!(urlquery("a b&c"), "a+b%26c");
        assert_eq!(js("a'b<"), "a\\'b\\u003C");
    }
}
