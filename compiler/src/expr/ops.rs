//! expr's operators on values: arithmetic (Go wrapping ints, float division), comparison,
//! membership, string operators, member access, slicing and the methods of time, duration and
//! semver values.

use super::error::ExprError;
use super::lang::ast::{BinaryOp, TextRange};
use super::regex_go;
use super::time::Duration;
use super::value::Value;

fn invalid(op: &str, l: &Value, r: &Value, range: TextRange) -> ExprError {
    ExprError::runtime(
        format!("invalid operation: {} {op} {}", l.go_type(), r.go_type()),
        range,
    )
}

/// A binary operator other than `&&`, `||`, `??` and `..` (which the evaluator handles).
pub fn binary(op: BinaryOp, l: &Value, r: &Value, range: TextRange) -> Result<Value, ExprError> {
    use BinaryOp as B;
    use Value as V;
    let sym = op.symbol();
    Ok(match op {
        B::Eq => V::Bool(l.loose_eq(r)),
        B::Ne => V::Bool(!l.loose_eq(r)),
        B::Lt | B::Le | B::Gt | B::Ge => {
            let ord = match (l, r) {
                (V::Str(a), V::Str(b)) => a.as_bytes().cmp(b.as_bytes()),
                (V::Time(a), V::Time(b)) => a.instant().cmp(&b.instant()),
                (V::Duration(a), V::Duration(b)) => a.cmp(b),
                (a, b) if a.is_number() && b.is_number() => match (a, b) {
                    (V::Int(x) | V::Int64(x), V::Int(y) | V::Int64(y)) => x.cmp(y),
                    _ => {
                        let (x, y) = (a.as_f64().unwrap_or(0.0), b.as_f64().unwrap_or(0.0));
                        match x.partial_cmp(&y) {
                            Some(o) => o,
                            None => return Ok(V::Bool(false)),
                        }
                    }
                },
                _ => return Err(invalid(sym, l, r, range)),
            };
            V::Bool(match op {
                B::Lt => ord.is_lt(),
                B::Le => ord.is_le(),
                B::Gt => ord.is_gt(),
                _ => ord.is_ge(),
            })
        }
        B::In => match r {
            V::Array(list) => V::Bool(list.items.iter().any(|x| l.loose_eq(x))),
            V::Map(d) => match l {
                V::Str(k) => V::Bool(d.entries.contains_key(&**k)),
                _ => V::Bool(false),
            },
            V::Nil => V::Bool(false),
            other => {
                return Err(ExprError::runtime(
                    format!("operator \"in\" not defined on {}", other.go_type()),
                    range,
                ));
            }
        },
        B::Matches => match (l, r) {
            (V::Str(s), V::Str(p)) => {
                let re = regex_go::compile(p).map_err(|e| ExprError::runtime(e, range))?;
                V::Bool(re.is_match(s))
            }
            _ => return Err(invalid(sym, l, r, range)),
        },
        B::Contains | B::StartsWith | B::EndsWith => match (l, r) {
            (V::Str(s), V::Str(p)) => V::Bool(match op {
                B::Contains => s.contains(&**p),
                B::StartsWith => s.starts_with(&**p),
                _ => s.ends_with(&**p),
            }),
            _ => return Err(invalid(sym, l, r, range)),
        },
        B::Add => match (l, r) {
            (V::Str(a), V::Str(b)) => V::str(format!("{a}{b}")),
            (V::Time(t), V::Duration(d)) | (V::Duration(d), V::Time(t)) => {
                V::Time(t.add(*d).into())
            }
            (V::Duration(a), V::Duration(b)) => V::Duration(Duration(a.0.wrapping_add(b.0))),
            _ => arith(op, l, r, range)?,
        },
        B::Sub => match (l, r) {
            (V::Time(a), V::Time(b)) => V::Duration(a.sub(b)),
            (V::Time(t), V::Duration(d)) => V::Time(t.add(Duration(d.0.wrapping_neg())).into()),
            (V::Duration(a), V::Duration(b)) => V::Duration(Duration(a.0.wrapping_sub(b.0))),
            _ => arith(op, l, r, range)?,
        },
        B::Mul | B::Div | B::Pow => arith(op, l, r, range)?,
        B::Mod => match (l, r) {
            (V::Int(_) | V::Int64(_), V::Int(0) | V::Int64(0)) => {
                return Err(ExprError::runtime("integer divide by zero", range));
            }
            (V::Int(a) | V::Int64(a), V::Int(b) | V::Int64(b)) => V::Int(a.wrapping_rem(*b)),
            _ => return Err(invalid(sym, l, r, range)),
        },
        B::And | B::Or | B::Coalesce | B::Range => return Err(invalid(sym, l, r, range)),
    })
}

fn arith(op: BinaryOp, l: &Value, r: &Value, range: TextRange) -> Result<Value, ExprError> {
    use BinaryOp as B;
    if !l.is_number() || !r.is_number() {
        return Err(invalid(op.symbol(), l, r, range));
    }
    if let (Value::Int(a) | Value::Int64(a), Value::Int(b) | Value::Int64(b)) = (l, r) {
        match op {
            B::Add => return Ok(Value::Int(a.wrapping_add(*b))),
            B::Sub => return Ok(Value::Int(a.wrapping_sub(*b))),
            B::Mul => return Ok(Value::Int(a.wrapping_mul(*b))),
            _ => {}
        }
    }
    let (a, b) = (l.as_f64().unwrap_or(0.0), r.as_f64().unwrap_or(0.0));
    Ok(Value::Float(match op {
        B::Add => a + b,
        B::Sub => a - b,
        B::Mul => a * b,
        B::Div => a / b,
        _ => a.powf(b),
    }))
}

/// `obj[key]` / `obj.key`.
pub fn fetch(obj: &Value, key: &Value, range: TextRange) -> Result<Value, ExprError> {
    match (obj, key) {
        (Value::Map(d), Value::Str(k)) => Ok(d.entries.get(&**k).cloned().unwrap_or(Value::Nil)),
        (Value::Map(_), _) => Ok(Value::Nil),
        (Value::Array(l), k) => {
            let i = index_of(k, range)?;
            let len = l.items.len() as i64;
            let j = if i < 0 { i + len } else { i };
            if j < 0 || j >= len {
                return Err(ExprError::runtime(
                    format!("index out of range: {i} (array length is {len})"),
                    range,
                ));
            }
            Ok(l.items[j as usize].clone())
        }
        (Value::Str(s), k) => {
            let i = index_of(k, range)?;
            let len = s.len() as i64;
            let j = if i < 0 { i + len } else { i };
            match s.as_bytes().get(usize::try_from(j).unwrap_or(usize::MAX)) {
                Some(b) => Ok(Value::Int(*b as i64)),
                None => Err(ExprError::runtime(
                    format!("index out of range: {i} (array length is {len})"),
                    range,
                )),
            }
        }
        (Value::Nil, k) => Err(ExprError::runtime(
            format!("cannot fetch {} from <nil>", super::format::go_v(k)),
            range,
        )),
        (o, k) => Err(ExprError::runtime(
            format!(
                "cannot fetch {} from {}",
                super::format::go_v(k),
                o.go_type()
            ),
            range,
        )),
    }
}

fn index_of(k: &Value, range: TextRange) -> Result<i64, ExprError> {
    match k {
        Value::Int(i) | Value::Int64(i) => Ok(*i),
        Value::Float(f) => Ok(*f as i64),
        other => Err(ExprError::runtime(
            format!("invalid index type {}", other.go_type()),
            range,
        )),
    }
}

/// `obj[from:to]`: bounds are clamped; negative bounds count from the end.
pub fn slice(
    obj: &Value,
    from: Option<&Value>,
    to: Option<&Value>,
    range: TextRange,
) -> Result<Value, ExprError> {
    let len = match obj {
        Value::Array(l) => l.items.len(),
        Value::Str(s) => s.len(),
        other => {
            return Err(ExprError::runtime(
                format!("cannot slice {}", other.go_type()),
                range,
            ));
        }
    } as i64;
    let bound = |v: Option<&Value>, dflt: i64| -> Result<usize, ExprError> {
        let i = match v {
            Some(v) => index_of(v, range)?,
            None => dflt,
        };
        let i = if i < 0 { i + len } else { i };
        Ok(i.clamp(0, len) as usize)
    };
    let a = bound(from, 0)?;
    let b = bound(to, len)?.max(a);
    Ok(match obj {
        Value::Array(l) => Value::array(l.items[a..b].to_vec()),
        Value::Str(s) => Value::str(String::from_utf8_lossy(&s.as_bytes()[a..b]).into_owned()),
        _ => Value::Nil,
    })
}

/// A method call on a value: time (`Year()`, `Unix()`, `Format(l)`, `In(tz)`…), duration
/// (`Seconds()`, `Minutes()`, `Hours()`…) and semver (`Major()`, `Minor()`, `Patch()`…).
pub fn method(
    obj: &Value,
    name: &str,
    args: &[Value],
    range: TextRange,
) -> Result<Value, ExprError> {
    let err = || {
        ExprError::runtime(
            format!("type {} has no method {name}", obj.go_type()),
            range,
        )
    };
    match obj {
        Value::Time(t) => match (name, args) {
            ("Format", [Value::Str(l)]) => Ok(Value::str(t.format(l))),
            ("In", [Value::Str(z)]) => t
                .in_zone(z)
                .map(|t| Value::Time(t.into()))
                .ok_or_else(|| ExprError::runtime(format!("unknown time zone {z}"), range)),
            ("UTC", []) => Ok(Value::Time(
                t.in_zone("UTC").unwrap_or_else(|| (**t).clone()).into(),
            )),
            ("String", []) => Ok(Value::str(t.go_string())),
            ("Sub", [Value::Time(o)]) => Ok(Value::Duration(t.sub(o))),
            ("Add", [Value::Duration(d)]) => Ok(Value::Time(t.add(*d).into())),
            ("Before", [Value::Time(o)]) => Ok(Value::Bool(t.instant() < o.instant())),
            ("After", [Value::Time(o)]) => Ok(Value::Bool(t.instant() > o.instant())),
            ("Equal", [Value::Time(o)]) => Ok(Value::Bool(t.instant() == o.instant())),
            ("IsZero", []) => Ok(Value::Bool(
                t.instant() == super::time::Time::zero().instant(),
            )),
            (n, []) => t.component(n).map(Value::Int).ok_or_else(err),
            _ => Err(err()),
        },
        Value::Duration(d) => Ok(match name {
            "Hours" => Value::Float(d.0 as f64 / 3.6e12),
            "Minutes" => Value::Float(d.0 as f64 / 6e10),
            "Seconds" => Value::Float(d.seconds()),
            "Milliseconds" => Value::Int64(d.0 / 1_000_000),
            "Microseconds" => Value::Int64(d.0 / 1_000),
            "Nanoseconds" => Value::Int64(d.0),
            "String" => Value::str(d.go_string()),
            _ => return Err(err()),
        }),
        Value::Version(v) => v.method(name, args).ok_or_else(err),
        _ => Err(err()),
    }
}
