//! sprig math (spec §6.3): lenient `int64` arithmetic through spf13/cast, `*f` functions in
//! decimal arithmetic (shopspring/decimal: `mulf(0.1, 3)` is `0.3`), sequences and conversions.

use super::Args;
use crate::expr::Limits;
use crate::expr::conv::{cast_float, cast_int};
use crate::expr::value::{Elem, Value};

pub(crate) fn call(name: &str, a: &Args<'_>, limits: &Limits) -> Option<Result<Value, String>> {
    let ints = |vals: &[Value]| vals.iter().map(cast_int).collect::<Vec<i64>>();
    Some(Ok(match name {
        "atoi" => Value::Int(
            crate::expr::conv::atoi(match a.str(0) {
                Ok(s) => s,
                Err(e) => return Some(Err(e)),
            })
            .unwrap_or(0),
        ),
        "int" => Value::Int(cast_int(a.any(0))),
        "int64" => Value::Int64(cast_int(a.any(0))),
        "float64" => Value::Float(cast_float(a.any(0))),
        "toDecimal" => {
            let s = super::strval(a.any(0));
            Value::Int64(i64::from_str_radix(&s, 8).unwrap_or(0))
        }
        "add1" => Value::Int64(cast_int(a.any(0)).wrapping_add(1)),
        "add" => Value::Int64(ints(a.vals).into_iter().fold(0i64, i64::wrapping_add)),
        "sub" => Value::Int64(cast_int(a.any(0)).wrapping_sub(cast_int(a.any(1)))),
        "mul" => Value::Int64(ints(a.vals).into_iter().fold(1i64, i64::wrapping_mul)),
        "div" | "mod" => {
            let (x, y) = (cast_int(a.any(0)), cast_int(a.any(1)));
            if y == 0 {
                return Some(Err("runtime error: integer divide by zero".into()));
            }
            Value::Int64(if name == "div" {
                x.wrapping_div(y)
            } else {
                x.wrapping_rem(y)
            })
        }
        "max" | "biggest" => Value::Int64(ints(a.vals).into_iter().max().unwrap_or(0)),
        "min" => Value::Int64(ints(a.vals).into_iter().min().unwrap_or(0)),
        "maxf" | "minf" => {
            let fs = a.vals.iter().map(cast_float);
            Value::Float(if name == "maxf" {
                fs.fold(f64::NEG_INFINITY, f64::max)
            } else {
                fs.fold(f64::INFINITY, f64::min)
            })
        }
        "add1f" => Value::Float(dec_fold(
            &[a.any(0).clone(), Value::Int(1)],
            Dec::add,
            |x, y| x + y,
        )),
        "addf" => Value::Float(if a.vals.is_empty() {
            0.0
        } else {
            dec_fold(a.vals, Dec::add, |x, y| x + y)
        }),
        "subf" => Value::Float(dec_fold(a.vals, Dec::sub, |x, y| x - y)),
        "mulf" => Value::Float(dec_fold(a.vals, Dec::mul, |x, y| x * y)),
        "divf" => {
            let mut acc = cast_float(a.any(0));
            for v in a.rest(1) {
                let d = cast_float(v);
                if d == 0.0 {
                    return Some(Err("decimal division by 0".into()));
                }
                acc = dec_div(acc, d);
            }
            Value::Float(acc)
        }
        "floor" => Value::Float(cast_float(a.any(0)).floor()),
        "ceil" => Value::Float(cast_float(a.any(0)).ceil()),
        "round" => {
            let places = match a.int(1) {
                Ok(p) => p,
                Err(e) => return Some(Err(e)),
            };
            let on = a.vals.get(2).map_or(0.5, cast_float);
            let val = cast_float(a.any(0));
            let pow = 10f64.powf(places as f64);
            let digit = pow * val;
            let frac = digit.fract();
            Value::Float(
                if frac >= on {
                    digit.ceil()
                } else {
                    digit.floor()
                } / pow,
            )
        }
        "until" => match a.int(0) {
            Ok(n) => return Some(until_step(0, n, if n < 0 { -1 } else { 1 }, limits)),
            Err(e) => return Some(Err(e)),
        },
        "untilStep" => match (a.int(0), a.int(1), a.int(2)) {
            (Ok(s), Ok(e), Ok(st)) => return Some(until_step(s, e, st, limits)),
            (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return Some(Err(e)),
        },
        "seq" => {
            let mut p = Vec::new();
            for i in 0..a.vals.len() {
                match a.int(i) {
                    Ok(n) => p.push(n),
                    Err(e) => return Some(Err(e)),
                }
            }
            let list = match p.as_slice() {
                [end] => {
                    let inc = if *end < 1 { -1 } else { 1 };
                    until_step(1, end.wrapping_add(inc), inc, limits)
                }
                [start, end] => {
                    let step = if end < start { -1 } else { 1 };
                    until_step(*start, end.wrapping_add(step), step, limits)
                }
                [start, step, end] => {
                    let inc = if end < start { -1 } else { 1 };
                    if end < start && *step > 0 {
                        Ok(Value::array(vec![]))
                    } else {
                        until_step(*start, end.wrapping_add(inc), *step, limits)
                    }
                }
                _ => Ok(Value::array(vec![])),
            };
            match list {
                Ok(v) => Value::str(
                    v.as_items()
                        .unwrap_or_default()
                        .iter()
                        .map(crate::expr::format::go_v)
                        .collect::<Vec<_>>()
                        .join(" "),
                ),
                Err(e) => return Some(Err(e)),
            }
        }
        _ => return None,
    }))
}

fn until_step(start: i64, stop: i64, step: i64, limits: &Limits) -> Result<Value, String> {
    let count = if stop < start {
        if step >= 0 {
            0
        } else {
            ((start as i128 - stop as i128 - 1) / -(step as i128)) + 1
        }
    } else if step <= 0 || stop == start {
        0
    } else {
        ((stop as i128 - start as i128 - 1) / step as i128) + 1
    };
    if count > limits.max_items as i128 {
        return Err(format!(
            "sequence is too large (more than {} items)",
            limits.max_items
        ));
    }
    let items = (0..count)
        .map(|i| Value::Int((start as i128 + i * step as i128) as i64))
        .collect();
    Ok(Value::typed_array(items, Elem::Int))
}

/// A decimal number `mant × 10^exp` (shopspring/decimal, enough for sprig's `*f` functions).
#[derive(Clone, Copy)]
struct Dec {
    mant: i128,
    exp: i32,
}

impl Dec {
    /// The shortest decimal that round-trips `f` (`decimal.NewFromFloat`).
    fn from_f64(f: f64) -> Option<Dec> {
        if !f.is_finite() {
            return None;
        }
        let s = format!("{:e}", f);
        let (m, e) = s.split_once('e')?;
        let e: i32 = e.parse().ok()?;
        let (int, frac) = m.split_once('.').unwrap_or((m, ""));
        let mant: i128 = format!("{int}{frac}").parse().ok()?;
        Some(Dec {
            mant,
            exp: e - frac.len() as i32,
        })
    }

    fn align(a: Dec, b: Dec) -> Option<(i128, i128, i32)> {
        let exp = a.exp.min(b.exp);
        let sa = a
            .mant
            .checked_mul(10i128.checked_pow((a.exp - exp) as u32)?)?;
        let sb = b
            .mant
            .checked_mul(10i128.checked_pow((b.exp - exp) as u32)?)?;
        Some((sa, sb, exp))
    }

    fn add(a: Dec, b: Dec) -> Option<Dec> {
        let (x, y, exp) = Dec::align(a, b)?;
        Some(Dec {
            mant: x.checked_add(y)?,
            exp,
        })
    }

    fn sub(a: Dec, b: Dec) -> Option<Dec> {
        let (x, y, exp) = Dec::align(a, b)?;
        Some(Dec {
            mant: x.checked_sub(y)?,
            exp,
        })
    }

    fn mul(a: Dec, b: Dec) -> Option<Dec> {
        Some(Dec {
            mant: a.mant.checked_mul(b.mant)?,
            exp: a.exp.checked_add(b.exp)?,
        })
    }

    fn to_f64(self) -> f64 {
        format!("{}e{}", self.mant, self.exp).parse().unwrap_or(0.0)
    }
}

/// Folds values with a decimal operation, falling back to `f64` if the decimal overflows.
fn dec_fold(vals: &[Value], op: fn(Dec, Dec) -> Option<Dec>, fop: fn(f64, f64) -> f64) -> f64 {
    let fs: Vec<f64> = vals.iter().map(cast_float).collect();
    let Some((&first, rest)) = fs.split_first() else {
        return 0.0;
    };
    let mut acc = Dec::from_f64(first);
    for &x in rest {
        acc = acc.and_then(|a| op(a, Dec::from_f64(x)?));
    }
    match acc {
        Some(d) => d.to_f64(),
        None => rest.iter().fold(first, |a, &b| fop(a, b)),
    }
}

/// Decimal division with shopspring's default 16 fractional digits.
fn dec_div(a: f64, b: f64) -> f64 {
    let q = a / b;
    format!("{q:.16}")
        .parse::<f64>()
        .map(|r| {
            let s = format!("{r}");
            s.parse().unwrap_or(r)
        })
        .unwrap_or(q)
}
