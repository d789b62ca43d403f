//! expr's builtin functions (spec §2.8) and Argo's helpers (`asInt`, `asFloat`, `toJson`,
//! `jsonpath`), dispatched by name. Predicate builtins (`filter`, `map`, `all`…) live in
//! [`super::predicates`]; this file holds the catalog used by the static checks too.

use std::collections::BTreeMap;

use super::error::{ErrorKind, ExprError};
use super::eval::{Evaluator, R, Stop};
use super::format::{self, JsonStyle};
use super::lang::ast::{Expr, TextRange};
use super::value::{Elem, Value};
use super::{conv, jsonpath, predicates, time};

/// A function's name and arity (`max == usize::MAX` for variadic).
#[derive(Clone, Copy, Debug)]
pub struct Signature {
    pub name: &'static str,
    pub min: usize,
    pub max: usize,
}

const V: usize = usize::MAX;

const fn sig(name: &'static str, min: usize, max: usize) -> Signature {
    Signature { name, min, max }
}

/// Every expr builtin.
pub const BUILTINS: &[Signature] = &[
    sig("all", 2, 2),
    sig("any", 2, 2),
    sig("one", 2, 2),
    sig("none", 2, 2),
    sig("map", 2, 2),
    sig("filter", 2, 2),
    sig("find", 2, 2),
    sig("findIndex", 2, 2),
    sig("findLast", 2, 2),
    sig("findLastIndex", 2, 2),
    sig("count", 1, 2),
    sig("sum", 1, 2),
    sig("groupBy", 2, 2),
    sig("sortBy", 2, 3),
    sig("reduce", 2, 3),
    sig("len", 1, 1),
    sig("type", 1, 1),
    sig("abs", 1, 1),
    sig("ceil", 1, 1),
    sig("floor", 1, 1),
    sig("round", 1, 1),
    sig("int", 1, 1),
    sig("float", 1, 1),
    sig("string", 1, 1),
    sig("trim", 1, 2),
    sig("trimPrefix", 1, 2),
    sig("trimSuffix", 1, 2),
    sig("upper", 1, 1),
    sig("lower", 1, 1),
    sig("split", 2, 3),
    sig("splitAfter", 2, 3),
    sig("replace", 3, 3),
    sig("repeat", 2, 2),
    sig("join", 1, 2),
    sig("indexOf", 2, 2),
    sig("lastIndexOf", 2, 2),
    sig("hasPrefix", 2, 2),
    sig("hasSuffix", 2, 2),
    sig("max", 1, V),
    sig("min", 1, V),
    sig("mean", 1, V),
    sig("median", 1, V),
    sig("toJSON", 1, 1),
    sig("fromJSON", 1, 1),
    sig("toBase64", 1, 1),
    sig("fromBase64", 1, 1),
    sig("now", 0, 0),
    sig("duration", 1, 1),
    sig("date", 1, 3),
    sig("timezone", 1, 1),
    sig("first", 1, 1),
    sig("last", 1, 1),
    sig("get", 2, 2),
    sig("take", 2, 2),
    sig("keys", 1, 1),
    sig("values", 1, 1),
    sig("toPairs", 1, 1),
    sig("fromPairs", 1, 1),
    sig("sort", 1, 2),
    sig("concat", 1, V),
    sig("flatten", 1, 1),
    sig("uniq", 1, 1),
    sig("reverse", 1, 1),
    sig("bitand", 2, 2),
    sig("bitor", 2, 2),
    sig("bitxor", 2, 2),
    sig("bitnand", 2, 2),
    sig("bitnot", 1, 1),
    sig("bitshl", 2, 2),
    sig("bitshr", 2, 2),
    sig("bitushr", 2, 2),
];

/// Argo's helpers, present where the environment is built as for tags (spec §2.2).
pub const ARGO_HELPERS: &[Signature] = &[
    sig("asInt", 1, 1),
    sig("asFloat", 1, 1),
    sig("toJson", 1, 1),
    sig("jsonpath", 2, 2),
];

/// Looks up a builtin or (when `helpers`) an Argo helper.
pub fn signature(name: &str, helpers: bool) -> Option<&'static Signature> {
    BUILTINS.iter().find(|s| s.name == name).or_else(|| {
        if helpers {
            ARGO_HELPERS.iter().find(|s| s.name == name)
        } else {
            None
        }
    })
}

/// Calls a function by name with unevaluated arguments.
pub(crate) fn call(
    ev: &mut Evaluator<'_>,
    name: &str,
    args: &[Expr],
    r: TextRange,
    name_range: TextRange,
) -> R {
    let Some(sig) = signature(name, ev.env.helpers) else {
        let msg = if ev.env.get(name).is_some() {
            format!("{name} is not callable")
        } else {
            format!("unknown func {name}")
        };
        return Err(ExprError::new(ErrorKind::Compile, msg, name_range).into());
    };
    if args.len() < sig.min || args.len() > sig.max {
        return Err(ExprError::new(
            ErrorKind::Compile,
            format!(
                "{}: {} arguments for {name}",
                if args.len() < sig.min {
                    "not enough"
                } else {
                    "too many"
                },
                args.len()
            ),
            r,
        )
        .into());
    }
    if let Some(v) = predicates::call(ev, name, args, r)? {
        return Ok(v);
    }
    let vals = ev.eval_args(args)?;
    ev.tick(vals.iter().map(cost).sum(), r)?;
    let v = call_values(ev, name, &vals, r).map_err(Stop::Error)?;
    // Pay for what was produced too, so repeated large results exhaust the step budget.
    ev.tick(cost(&v), r)?;
    Ok(v)
}

/// Rough work estimate of touching a value (its element count).
pub(crate) fn cost(v: &Value) -> u64 {
    match v {
        Value::Array(l) => l.items.len() as u64,
        Value::Map(d) => d.entries.len() as u64,
        Value::Str(s) => s.len() as u64 / 64,
        _ => 0,
    }
}

fn err(msg: impl Into<String>, r: TextRange) -> ExprError {
    ExprError::runtime(msg, r)
}

fn want_str<'v>(v: &'v Value, f: &str, r: TextRange) -> Result<&'v str, ExprError> {
    v.as_str().ok_or_else(|| {
        err(
            format!("invalid argument for {f} (type {})", v.go_type()),
            r,
        )
    })
}

fn want_list<'v>(v: &'v Value, f: &str, r: TextRange) -> Result<&'v [Value], ExprError> {
    v.as_items().ok_or_else(|| {
        err(
            format!("invalid argument for {f} (type {})", v.go_type()),
            r,
        )
    })
}

fn want_int(v: &Value, f: &str, r: TextRange) -> Result<i64, ExprError> {
    match v {
        Value::Int(i) | Value::Int64(i) => Ok(*i),
        _ => Err(err(
            format!("invalid argument for {f} (type {})", v.go_type()),
            r,
        )),
    }
}

fn strs(items: Vec<String>) -> Value {
    Value::typed_array(items.into_iter().map(Value::from).collect(), Elem::Str)
}

fn call_values(
    ev: &Evaluator<'_>,
    name: &str,
    a: &[Value],
    r: TextRange,
) -> Result<Value, ExprError> {
    let arg = |i: usize| a.get(i).unwrap_or(&Value::Nil);
    let a0 = arg(0);
    Ok(match name {
        "len" => match a0 {
            Value::Str(s) => Value::Int(s.chars().count() as i64),
            Value::Array(l) => Value::Int(l.items.len() as i64),
            Value::Map(d) => Value::Int(d.entries.len() as i64),
            other => {
                return Err(err(
                    format!("invalid argument for len (type {})", other.go_type()),
                    r,
                ));
            }
        },
        "type" => Value::str(a0.expr_type()),
        "string" => Value::str(format::go_v(a0)),
        "int" | "asInt" => conv::expr_int(a0).map_err(|e| err(e, r))?,
        "float" | "asFloat" => conv::expr_float(a0).map_err(|e| err(e, r))?,
        "abs" => match a0 {
            Value::Int(i) => Value::Int(i.wrapping_abs()),
            Value::Float(f) => Value::Float(f.abs()),
            other => {
                return Err(err(
                    format!("invalid argument for abs (type {})", other.go_type()),
                    r,
                ));
            }
        },
        "ceil" | "floor" | "round" => {
            let f = a0.as_f64().ok_or_else(|| {
                err(
                    format!("invalid argument for {name} (type {})", a0.go_type()),
                    r,
                )
            })?;
            Value::Float(match name {
                "ceil" => f.ceil(),
                "floor" => f.floor(),
                _ => f.round(),
            })
        }
        "upper" => Value::str(want_str(a0, name, r)?.to_uppercase()),
        "lower" => Value::str(want_str(a0, name, r)?.to_lowercase()),
        "trim" | "trimPrefix" | "trimSuffix" => {
            let s = want_str(a0, name, r)?;
            match (name, a.get(1)) {
                ("trim", None) => Value::str(s.trim()),
                ("trim", Some(c)) => {
                    let cut = want_str(c, name, r)?;
                    Value::str(s.trim_matches(|ch| cut.contains(ch)))
                }
                ("trimPrefix", c) => {
                    let p = c.map(|c| want_str(c, name, r)).transpose()?.unwrap_or(" ");
                    Value::str(s.strip_prefix(p).unwrap_or(s))
                }
                (_, c) => {
                    let p = c.map(|c| want_str(c, name, r)).transpose()?.unwrap_or(" ");
                    Value::str(s.strip_suffix(p).unwrap_or(s))
                }
            }
        }
        "split" | "splitAfter" => {
            let s = want_str(a0, name, r)?;
            let sep = want_str(arg(1), name, r)?;
            let n = match a.get(2) {
                Some(n) => want_int(n, name, r)?,
                None => -1,
            };
            strs(conv::go_split(s, sep, n, name == "splitAfter"))
        }
        "replace" => Value::str(
            conv::checked_replace(
                want_str(a0, name, r)?,
                want_str(arg(1), name, r)?,
                want_str(arg(2), name, r)?,
                ev.limits.max_string,
            )
            .map_err(|e| ExprError::new(ErrorKind::TooComplex, e, r))?,
        ),
        "repeat" => {
            let s = want_str(a0, name, r)?;
            let n = want_int(arg(1), name, r)?;
            if n < 0 {
                return Err(err("strings: negative Repeat count", r));
            }
            if (s.len() as u128) * (n as u128) > ev.limits.max_string as u128 {
                return Err(ExprError::new(
                    ErrorKind::TooComplex,
                    "repeat result is too large",
                    r,
                ));
            }
            Value::str(s.repeat(n as usize))
        }
        "indexOf" | "lastIndexOf" => {
            let s = want_str(a0, name, r)?;
            let sub = want_str(arg(1), name, r)?;
            let found = if name == "indexOf" {
                s.find(sub)
            } else {
                s.rfind(sub)
            };
            Value::Int(found.map_or(-1, |b| s[..b].chars().count() as i64))
        }
        "hasPrefix" => Value::Bool(want_str(a0, name, r)?.starts_with(want_str(arg(1), name, r)?)),
        "hasSuffix" => Value::Bool(want_str(a0, name, r)?.ends_with(want_str(arg(1), name, r)?)),
        "join" => {
            let items = want_list(a0, name, r)?;
            let sep = match a.get(1) {
                Some(s) => want_str(s, name, r)?,
                None => "",
            };
            let parts: Result<Vec<&str>, _> = items.iter().map(|i| want_str(i, name, r)).collect();
            Value::str(parts?.join(sep))
        }
        "max" | "min" | "mean" | "median" => numeric_agg(name, a, r)?,
        "toJSON" => Value::str(
            format::to_json(
                a0,
                JsonStyle {
                    html_escape: true,
                    indent: 2,
                },
            )
            .map_err(|e| err(e, r))?,
        ),
        "toJson" => Value::str(format::to_json(a0, JsonStyle::COMPACT).map_err(|e| err(e, r))?),
        "fromJSON" => super::value::parse_json(want_str(a0, name, r)?).map_err(|e| err(e, r))?,
        "toBase64" => Value::str(conv::base64_encode(want_str(a0, name, r)?.as_bytes())),
        "fromBase64" => {
            let bytes = conv::base64_decode(want_str(a0, name, r)?).map_err(|e| err(e, r))?;
            Value::str(String::from_utf8_lossy(&bytes).into_owned())
        }
        "jsonpath" => jsonpath::query(want_str(a0, name, r)?, want_str(arg(1), name, r)?)
            .map_err(|e| err(e, r))?,
        "now" => Value::Time(ev.env.now.clone().into()),
        "duration" => {
            Value::Duration(time::parse_duration(want_str(a0, name, r)?).map_err(|e| err(e, r))?)
        }
        "date" => {
            let s = want_str(a0, name, r)?;
            let zone = match a.get(2) {
                Some(z) => want_str(z, name, r)?,
                None => "UTC",
            };
            let t = match a.get(1) {
                Some(l) => time::parse(want_str(l, name, r)?, s, zone),
                None => time::parse_any(s, zone),
            };
            Value::Time(t.map_err(|e| err(e, r))?.into())
        }
        "timezone" => {
            let z = want_str(a0, name, r)?;
            time::zone_offset(z, 0).ok_or_else(|| err(format!("unknown time zone {z}"), r))?;
            Value::str(z)
        }
        "first" | "last" => {
            let items = want_list(a0, name, r)?;
            let v = if name == "first" {
                items.first()
            } else {
                items.last()
            };
            v.cloned().unwrap_or(Value::Nil)
        }
        "get" => match (a0, arg(1)) {
            (Value::Array(l), Value::Int(i)) => {
                let len = l.items.len() as i64;
                let j = if *i < 0 { i + len } else { *i };
                usize::try_from(j)
                    .ok()
                    .and_then(|j| l.items.get(j))
                    .cloned()
                    .unwrap_or(Value::Nil)
            }
            (Value::Map(d), Value::Str(k)) => d.entries.get(&**k).cloned().unwrap_or(Value::Nil),
            _ => Value::Nil,
        },
        "take" => {
            let items = want_list(a0, name, r)?;
            let n = want_int(arg(1), name, r)?.clamp(0, items.len() as i64) as usize;
            Value::array(items[..n].to_vec())
        }
        "keys" | "values" => {
            let m = a0
                .as_map()
                .ok_or_else(|| err(format!("cannot get {name} from {}", a0.go_type()), r))?;
            if name == "keys" {
                strs(m.keys().cloned().collect())
            } else {
                Value::array(m.values().cloned().collect())
            }
        }
        "toPairs" => {
            let m = a0
                .as_map()
                .ok_or_else(|| err(format!("cannot transform {} to pairs", a0.go_type()), r))?;
            Value::array(
                m.iter()
                    .map(|(k, v)| Value::array(vec![Value::from(k.as_str()), v.clone()]))
                    .collect(),
            )
        }
        "fromPairs" => {
            let mut out = BTreeMap::new();
            for p in want_list(a0, name, r)? {
                match p.as_items() {
                    Some([k, v]) => {
                        out.insert(format::go_v(k), v.clone());
                    }
                    _ => return Err(err("invalid pair", r)),
                }
            }
            Value::map(out)
        }
        "sort" => {
            let mut items = want_list(a0, name, r)?.to_vec();
            let desc = match a.get(1) {
                Some(o) => match want_str(o, name, r)? {
                    "asc" => false,
                    "desc" => true,
                    other => return Err(err(format!("unknown order {other}, use asc or desc"), r)),
                },
                None => false,
            };
            conv::sort_values(&mut items).map_err(|e| err(e, r))?;
            if desc {
                items.reverse();
            }
            Value::array(items)
        }
        "concat" => {
            let mut out = Vec::new();
            for v in a {
                out.extend_from_slice(want_list(v, name, r)?);
                if out.len() > ev.limits.max_items {
                    return Err(ExprError::new(
                        ErrorKind::TooComplex,
                        "concat result is too large",
                        r,
                    ));
                }
            }
            Value::array(out)
        }
        "flatten" => {
            let mut out = Vec::new();
            conv::flatten(want_list(a0, name, r)?, &mut out);
            Value::array(out)
        }
        "uniq" => {
            let mut out: Vec<Value> = Vec::new();
            for v in want_list(a0, name, r)? {
                if !out.iter().any(|o| o.loose_eq(v)) {
                    out.push(v.clone());
                }
            }
            Value::array(out)
        }
        "reverse" => {
            let mut items = want_list(a0, name, r)?.to_vec();
            items.reverse();
            Value::array(items)
        }
        n if n.starts_with("bit") => {
            let x = want_int(a0, name, r)?;
            let y = if n == "bitnot" {
                0
            } else {
                want_int(arg(1), name, r)?
            };
            let shift = || u32::try_from(y).ok().filter(|s| *s < 64);
            Value::Int(match n {
                "bitand" => x & y,
                "bitor" => x | y,
                "bitxor" => x ^ y,
                "bitnand" => x & !y,
                "bitnot" => !x,
                "bitshl" => shift().map_or(0, |s| x.wrapping_shl(s)),
                "bitshr" => shift().map_or(if x < 0 { -1 } else { 0 }, |s| x >> s),
                _ => shift().map_or(0, |s| ((x as u64) >> s) as i64),
            })
        }
        other => {
            return Err(ExprError::new(
                ErrorKind::Compile,
                format!("unknown func {other}"),
                r,
            ));
        }
    })
}

fn numeric_agg(name: &str, a: &[Value], r: TextRange) -> Result<Value, ExprError> {
    let mut nums: Vec<Value> = Vec::new();
    for v in a {
        match v {
            Value::Array(l) => conv::flatten(&l.items, &mut nums),
            other => nums.push(other.clone()),
        }
    }
    if let Some(bad) = nums.iter().find(|v| !v.is_number()) {
        return Err(err(
            format!("invalid argument for {name} (type {})", bad.go_type()),
            r,
        ));
    }
    if nums.is_empty() {
        return Ok(match name {
            "mean" | "median" => Value::Float(0.0),
            _ => Value::Nil,
        });
    }
    let f = |v: &Value| v.as_f64().unwrap_or(0.0);
    Ok(match name {
        "max" | "min" => {
            let mut best = nums[0].clone();
            for v in &nums[1..] {
                let better = if name == "max" {
                    f(v) > f(&best)
                } else {
                    f(v) < f(&best)
                };
                if better {
                    best = v.clone();
                }
            }
            best
        }
        "mean" => Value::Float(nums.iter().map(f).sum::<f64>() / nums.len() as f64),
        _ => {
            let mut fs: Vec<f64> = nums.iter().map(f).collect();
            fs.sort_by(f64::total_cmp);
            let n = fs.len();
            Value::Float(if n.is_multiple_of(2) {
                (fs[n / 2 - 1] + fs[n / 2]) / 2.0
            } else {
                fs[n / 2]
            })
        }
    })
}
