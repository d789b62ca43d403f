//! sprig dict functions (spec §6.6) and the defaults/JSON/reflection group (§6.4).

use std::collections::BTreeMap;

use super::{Args, strval};
use crate::expr::format::{JsonStyle, to_json};
use crate::expr::value::{Elem, Value, parse_json};

fn strs(items: Vec<String>) -> Value {
    Value::typed_array(items.into_iter().map(Value::from).collect(), Elem::Str)
}

/// mergo's `Merge`: fills keys missing in `dst` (recursively for nested maps); with
/// `overwrite`, values from `src` win.
fn merge_into(dst: &mut BTreeMap<String, Value>, src: &BTreeMap<String, Value>, overwrite: bool) {
    for (k, v) in src {
        match (dst.get_mut(k), v) {
            (Some(Value::Map(d)), Value::Map(s)) => {
                let mut inner = d.entries.clone();
                merge_into(&mut inner, &s.entries, overwrite);
                dst.insert(k.clone(), Value::map(inner));
            }
            (Some(existing), _) => {
                if overwrite || existing.is_empty_sprig() {
                    *existing = v.clone();
                }
            }
            (None, _) => {
                dst.insert(k.clone(), v.clone());
            }
        }
    }
}

pub(crate) fn call(name: &str, a: &Args<'_>) -> Option<Result<Value, String>> {
    let r = (|| -> Result<Option<Value>, String> {
        Ok(Some(match name {
            "dict" => {
                let mut m = BTreeMap::new();
                for pair in a.vals.chunks(2) {
                    let k = strval(&pair[0]);
                    m.insert(k, pair.get(1).cloned().unwrap_or_else(|| Value::from("")));
                }
                Value::map(m)
            }
            "get" => a
                .dict(0)?
                .get(a.str(1)?)
                .cloned()
                .unwrap_or_else(|| Value::from("")),
            "set" => {
                let mut d = a.dict(0)?;
                if a.any(0).is_nil() {
                    return Err("assignment to entry in nil map".into());
                }
                d.insert(a.str(1)?.to_string(), a.any(2).clone());
                Value::map(d)
            }
            "unset" => {
                let mut d = a.dict(0)?;
                d.remove(a.str(1)?);
                Value::map(d)
            }
            "hasKey" => Value::Bool(a.dict(0)?.contains_key(a.str(1)?)),
            "pluck" => {
                let key = a.str(0)?;
                let mut out = Vec::new();
                for i in 1..a.vals.len() {
                    if let Some(v) = a.dict(i)?.get(key) {
                        out.push(v.clone());
                    }
                }
                Value::array(out)
            }
            "keys" => {
                let mut out = Vec::new();
                for i in 0..a.vals.len() {
                    out.extend(a.dict(i)?.into_keys());
                }
                strs(out)
            }
            "values" => Value::array(a.dict(0)?.into_values().collect()),
            "pick" | "omit" => {
                let d = a.dict(0)?;
                let mut names = Vec::new();
                for i in 1..a.vals.len() {
                    names.push(a.str(i)?.to_string());
                }
                let keep = name == "pick";
                Value::map(
                    d.into_iter()
                        .filter(|(k, _)| names.contains(k) == keep)
                        .collect(),
                )
            }
            "merge" | "mergeOverwrite" | "mustMerge" | "mustMergeOverwrite" => {
                let mut dst = a.dict(0)?;
                for i in 1..a.vals.len() {
                    merge_into(&mut dst, &a.dict(i)?, name.ends_with("Overwrite"));
                }
                Value::map(dst)
            }
            "dig" => {
                let n = a.vals.len();
                let mut cur = a.dict(n - 1)?;
                let keys = &a.vals[..n - 2];
                let default = a.any(n - 2).clone();
                for (i, k) in keys.iter().enumerate() {
                    let k = match k {
                        Value::Str(s) => s.to_string(),
                        other => {
                            return Err(format!(
                                "interface conversion: interface {{}} is {}, not string",
                                other.go_type()
                            ));
                        }
                    };
                    match cur.get(&k) {
                        None => return Ok(Some(default)),
                        Some(v) if i + 1 == keys.len() => return Ok(Some(v.clone())),
                        Some(Value::Map(m)) => cur = m.entries.clone(),
                        Some(_) => return Ok(Some(default)),
                    }
                }
                Value::map(cur)
            }
            // Defaults and flow.
            "default" => {
                let given = a.rest(1);
                if given.first().is_none_or(Value::is_empty_sprig) {
                    a.any(0).clone()
                } else {
                    given[0].clone()
                }
            }
            "empty" => Value::Bool(a.any(0).is_empty_sprig()),
            "coalesce" => a
                .vals
                .iter()
                .find(|v| !v.is_empty_sprig())
                .cloned()
                .unwrap_or(Value::Nil),
            "all" => Value::Bool(a.vals.iter().all(|v| !v.is_empty_sprig())),
            "any" => Value::Bool(a.vals.iter().any(|v| !v.is_empty_sprig())),
            "ternary" => {
                if a.bool(2)? {
                    a.any(0).clone()
                } else {
                    a.any(1).clone()
                }
            }
            "fail" => return Err(a.str(0)?.to_string()),
            // JSON.
            "fromJson" => parse_json(a.str(0)?).unwrap_or(Value::Nil),
            "mustFromJson" => parse_json(a.str(0)?)?,
            "toJson" | "toPrettyJson" | "toRawJson" | "mustToJson" | "mustToPrettyJson"
            | "mustToRawJson" => {
                let style = match name.trim_start_matches("must") {
                    "ToPrettyJson" | "toPrettyJson" => JsonStyle {
                        html_escape: true,
                        indent: 2,
                    },
                    "ToRawJson" | "toRawJson" => JsonStyle {
                        html_escape: false,
                        indent: 0,
                    },
                    _ => JsonStyle::COMPACT,
                };
                match to_json(a.any(0), style) {
                    Ok(s) => Value::str(s),
                    Err(e) if name.starts_with("must") => return Err(e),
                    Err(_) => Value::from(""),
                }
            }
            "deepCopy" | "mustDeepCopy" => a.any(0).clone(),
            // Reflection.
            "typeOf" => Value::str(a.any(0).go_type()),
            "typeIs" => Value::Bool(a.str(0)? == a.any(1).go_type()),
            "typeIsLike" => {
                let t = a.any(1).go_type();
                let want = a.str(0)?;
                Value::Bool(want == t || want == format!("*{t}"))
            }
            "kindOf" => Value::str(a.any(0).go_kind()),
            "kindIs" => Value::Bool(a.str(0)? == a.any(1).go_kind()),
            "deepEqual" => Value::Bool(a.any(0).deep_eq(a.any(1))),
            _ => return Ok(None),
        }))
    })();
    r.transpose()
}
