//! expr's predicate builtins: `all`, `any`, `one`, `none`, `map`, `filter`, `find*`, `count`,
//! `sum`, `groupBy`, `sortBy`, `reduce`. The predicate is evaluated per element with `#`,
//! `#index` and `#acc` bound; every element costs one step.

use std::collections::BTreeMap;

use super::error::ExprError;
use super::eval::{Evaluator, Stop};
use super::format;
use super::lang::ast::{Expr, TextRange};
use super::value::Value;
use super::{conv, ops};

fn want_bool(v: Value, r: TextRange) -> Result<bool, Stop> {
    match v {
        Value::Bool(b) => Ok(b),
        other => Err(ExprError::runtime(
            format!("predicate should return bool, got {}", other.go_type()),
            r,
        )
        .into()),
    }
}

/// Runs a predicate builtin; `Ok(None)` when `name` is not one (or has no predicate argument).
pub(crate) fn call(
    ev: &mut Evaluator<'_>,
    name: &str,
    args: &[Expr],
    r: TextRange,
) -> Result<Option<Value>, Stop> {
    let is_pred = matches!(
        name,
        "all"
            | "any"
            | "one"
            | "none"
            | "map"
            | "filter"
            | "find"
            | "findIndex"
            | "findLast"
            | "findLastIndex"
            | "groupBy"
            | "sortBy"
            | "reduce"
    ) || (matches!(name, "count" | "sum") && args.len() == 2);
    if !is_pred {
        if matches!(name, "count" | "sum") {
            return simple(ev, name, args, r).map(Some);
        }
        return Ok(None);
    }
    let (Some(list_expr), Some(pred)) = (args.first(), args.get(1)) else {
        return Ok(None);
    };
    let list = ev.eval(list_expr)?;
    let items: Vec<Value> = match &list {
        Value::Array(l) => l.items.clone(),
        Value::Nil => Vec::new(),
        other => {
            return Err(ExprError::runtime(
                format!("cannot iterate over {}", other.go_type()),
                list_expr.range,
            )
            .into());
        }
    };
    ev.tick(items.len() as u64, r)?;
    let pr = pred.range;
    let v = match name {
        "all" | "any" | "one" | "none" => {
            let mut hits = 0;
            for (i, it) in items.into_iter().enumerate() {
                let b = want_bool(ev.with_element(pred, it, i as i64, Value::Nil)?, pr)?;
                if b {
                    hits += 1;
                }
                match name {
                    "all" if !b => return Ok(Some(Value::Bool(false))),
                    "any" if b => return Ok(Some(Value::Bool(true))),
                    "none" if b => return Ok(Some(Value::Bool(false))),
                    _ => {}
                }
            }
            Value::Bool(match name {
                "all" | "none" => true,
                "any" => false,
                _ => hits == 1,
            })
        }
        "map" => {
            let mut out = Vec::with_capacity(items.len());
            for (i, it) in items.into_iter().enumerate() {
                out.push(ev.with_element(pred, it, i as i64, Value::Nil)?);
            }
            Value::array(out)
        }
        "filter" => {
            let mut out = Vec::new();
            for (i, it) in items.into_iter().enumerate() {
                if want_bool(ev.with_element(pred, it.clone(), i as i64, Value::Nil)?, pr)? {
                    out.push(it);
                }
            }
            Value::array(out)
        }
        "find" | "findIndex" | "findLast" | "findLastIndex" => {
            let last = name.starts_with("findLast");
            let want_index = name.ends_with("Index");
            let mut order: Vec<(usize, Value)> = items.into_iter().enumerate().collect();
            if last {
                order.reverse();
            }
            for (i, it) in order {
                if want_bool(ev.with_element(pred, it.clone(), i as i64, Value::Nil)?, pr)? {
                    return Ok(Some(if want_index { Value::Int(i as i64) } else { it }));
                }
            }
            if want_index {
                Value::Int(-1)
            } else {
                Value::Nil
            }
        }
        "count" => {
            let mut n = 0;
            for (i, it) in items.into_iter().enumerate() {
                if want_bool(ev.with_element(pred, it, i as i64, Value::Nil)?, pr)? {
                    n += 1;
                }
            }
            Value::Int(n)
        }
        "sum" => {
            let mut acc = Value::Int(0);
            for (i, it) in items.into_iter().enumerate() {
                let v = ev.with_element(pred, it, i as i64, Value::Nil)?;
                acc = ops::binary(super::lang::ast::BinaryOp::Add, &acc, &v, r)?;
            }
            acc
        }
        "groupBy" => {
            let mut groups: BTreeMap<String, Vec<Value>> = BTreeMap::new();
            for (i, it) in items.into_iter().enumerate() {
                let k = ev.with_element(pred, it.clone(), i as i64, Value::Nil)?;
                groups.entry(format::go_v(&k)).or_default().push(it);
            }
            Value::map(
                groups
                    .into_iter()
                    .map(|(k, v)| (k, Value::array(v)))
                    .collect(),
            )
        }
        "sortBy" => {
            let mut keyed = Vec::with_capacity(items.len());
            for (i, it) in items.into_iter().enumerate() {
                let k = ev.with_element(pred, it.clone(), i as i64, Value::Nil)?;
                keyed.push((k, it));
            }
            let mut keys: Vec<Value> = keyed.iter().map(|(k, _)| k.clone()).collect();
            conv::sort_values(&mut keys).map_err(|e| ExprError::runtime(e, r))?;
            let desc = match args.get(2) {
                Some(o) => matches!(ev.eval(o)?.as_str(), Some("desc")),
                None => false,
            };
            keyed
                .sort_by(|(a, _), (b, _)| conv::compare(a, b).unwrap_or(std::cmp::Ordering::Equal));
            if desc {
                keyed.reverse();
            }
            Value::array(keyed.into_iter().map(|(_, v)| v).collect())
        }
        _ => {
            // reduce
            let mut iter = items.into_iter().enumerate();
            let mut acc = match args.get(2) {
                Some(init) => ev.eval(init)?,
                None => match iter.next() {
                    Some((_, first)) => first,
                    None => {
                        return Err(ExprError::runtime(
                            "reduce of empty array with no initial value",
                            r,
                        )
                        .into());
                    }
                },
            };
            for (i, it) in iter {
                acc = ev.with_element(pred, it, i as i64, acc)?;
                ev.check_size(&acc, r)?;
            }
            acc
        }
    };
    Ok(Some(v))
}

/// `count(arr)` counts `true` elements; `sum(arr)` adds numbers.
fn simple(ev: &mut Evaluator<'_>, name: &str, args: &[Expr], r: TextRange) -> Result<Value, Stop> {
    let Some(first) = args.first() else {
        return Ok(Value::Nil);
    };
    let list = ev.eval(first)?;
    let items = list.as_items().unwrap_or_default();
    ev.tick(items.len() as u64, r)?;
    if name == "count" {
        return Ok(Value::Int(
            items
                .iter()
                .filter(|v| matches!(v, Value::Bool(true)))
                .count() as i64,
        ));
    }
    let mut acc = Value::Int(0);
    for v in items {
        acc = ops::binary(super::lang::ast::BinaryOp::Add, &acc, v, r)?;
    }
    Ok(acc)
}
