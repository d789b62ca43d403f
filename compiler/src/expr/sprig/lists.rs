//! sprig list functions (spec §6.5). Non-list inputs give sprig's error text (the plain variants
//! panic with it, which expr turns into an error; the `must` variants return it).

use super::Args;
use crate::expr::Limits;
use crate::expr::value::Value;

fn list<'a>(v: &'a Value, what: &str) -> Result<&'a [Value], String> {
    match v {
        Value::Array(l) => Ok(&l.items),
        other => Err(format!("Cannot {what} on type {}", other.go_kind())),
    }
}

pub(crate) fn call(name: &str, a: &Args<'_>, limits: &Limits) -> Option<Result<Value, String>> {
    let base = name.strip_prefix("must").map_or(name.to_string(), |b| {
        let mut c = b.chars();
        c.next()
            .map_or(String::new(), |f| f.to_lowercase().chain(c).collect())
    });
    let r = (|| -> Result<Option<Value>, String> {
        Ok(Some(match base.as_str() {
            "list" | "tuple" if !name.starts_with("must") => Value::array(a.vals.to_vec()),
            "first" | "last" => {
                let l = list(a.any(0), &format!("find {base}"))?;
                let v = if base == "first" { l.first() } else { l.last() };
                v.cloned().unwrap_or(Value::Nil)
            }
            "rest" | "initial" => {
                let l = list(a.any(0), &format!("find {base}"))?;
                if l.is_empty() {
                    Value::Nil
                } else if base == "rest" {
                    Value::array(l[1..].to_vec())
                } else {
                    Value::array(l[..l.len() - 1].to_vec())
                }
            }
            "append" | "push" => {
                let mut l = list(a.any(0), "push")?.to_vec();
                l.push(a.any(1).clone());
                Value::array(l)
            }
            "prepend" => {
                let mut l = vec![a.any(1).clone()];
                l.extend_from_slice(list(a.any(0), "prepend")?);
                Value::array(l)
            }
            "reverse" => {
                let mut l = list(a.any(0), "find reverse")?.to_vec();
                l.reverse();
                Value::array(l)
            }
            "uniq" => {
                let mut out: Vec<Value> = Vec::new();
                for v in list(a.any(0), "find uniq")? {
                    if !out.iter().any(|o| o.deep_eq(v)) {
                        out.push(v.clone());
                    }
                }
                Value::array(out)
            }
            "without" => {
                let omit = a.rest(1);
                let l = list(a.any(0), "find without")?;
                Value::array(
                    l.iter()
                        .filter(|v| !omit.iter().any(|o| o.deep_eq(v)))
                        .cloned()
                        .collect(),
                )
            }
            "has" => match a.any(1) {
                Value::Nil => Value::Bool(false),
                hay => Value::Bool(list(hay, "find has")?.iter().any(|v| v.deep_eq(a.any(0)))),
            },
            "slice" => {
                let l = list(a.any(0), "slice")?;
                let idx = |i: usize, d: usize| -> Result<usize, String> {
                    match a.vals.get(i) {
                        None => Ok(d),
                        Some(v) => {
                            let n = crate::expr::conv::cast_int(v);
                            usize::try_from(n).map_err(|_| {
                                format!("runtime error: slice bounds out of range [{n}:]")
                            })
                        }
                    }
                };
                let (s, e) = (idx(1, 0)?, idx(2, l.len())?);
                if s > e || e > l.len() {
                    return Err(format!(
                        "runtime error: slice bounds out of range [{s}:{e}] with capacity {}",
                        l.len()
                    ));
                }
                Value::array(l[s..e].to_vec())
            }
            "compact" => {
                let l = list(a.any(0), "compact")?;
                Value::array(l.iter().filter(|v| !v.is_empty_sprig()).cloned().collect())
            }
            "chunk" => {
                let size = a.int(0)?;
                let l = list(a.any(1), "chunk")?;
                if size <= 0 {
                    return Err("runtime error: integer divide by zero".into());
                }
                Value::array(
                    l.chunks(size as usize)
                        .map(|c| Value::array(c.to_vec()))
                        .collect(),
                )
            }
            "concat" if !name.starts_with("must") => {
                let mut out = Vec::new();
                for v in a.vals {
                    match v {
                        Value::Array(l) => out.extend(l.items.iter().cloned()),
                        other => {
                            return Err(format!("Cannot concat type {} as list", other.go_kind()));
                        }
                    }
                    if out.len() > limits.max_items {
                        return Err("concat result is too large".into());
                    }
                }
                Value::array(out)
            }
            _ => return Ok(None),
        }))
    })();
    r.transpose()
}
