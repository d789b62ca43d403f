//! Argo's `jsonpath(jsonText, path)` helper: the subset of the evilmonkeyinc/jsonpath dialect
//! that manifests use (`$`, `.key`, `['key']`, `[n]`, `[*]`, `.*`, `[a:b]`, unions `[a,b]`,
//! filters `[?(@.x == 'y' && @.n > 1)]`, recursive `..key`, `.length`).
//!
//! A definite path returns one value; a wildcard, filter, slice, union or recursive step makes
//! the result an array. A missing key is an error, as upstream. JSON numbers are `float64`.

use super::value::{Value, parse_json};

/// Evaluates `path` over the JSON document `text`.
pub fn query(text: &str, path: &str) -> Result<Value, String> {
    let doc = parse_json(text)?;
    let steps = parse_path(path)?;
    let mut current = vec![doc];
    let mut definite = true;
    for step in &steps {
        let mut next = Vec::new();
        for v in &current {
            apply(step, v, &mut next, &mut definite)?;
        }
        current = next;
    }
    if definite {
        Ok(current.into_iter().next().unwrap_or(Value::Nil))
    } else {
        Ok(Value::array(current))
    }
}

#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(i64),
    Wildcard,
    Slice(Option<i64>, Option<i64>),
    Union(Vec<Step>),
    Filter(String),
    Recursive(Box<Step>),
}

fn parse_path(path: &str) -> Result<Vec<Step>, String> {
    let p = path.trim();
    let rest = p
        .strip_prefix('$')
        .ok_or_else(|| format!("invalid path {path:?}: must start with $"))?;
    let b = rest.as_bytes();
    let mut i = 0;
    let mut steps = Vec::new();
    while i < b.len() {
        match b[i] {
            b'.' => {
                let recursive = b.get(i + 1) == Some(&b'.');
                i += if recursive { 2 } else { 1 };
                let (step, n) = if b.get(i) == Some(&b'[') {
                    bracket(&rest[i..])?
                } else {
                    let end = rest[i..].find(['.', '[']).map_or(rest.len(), |e| i + e);
                    let name = &rest[i..end];
                    if name.is_empty() {
                        return Err(format!("invalid path {path:?}"));
                    }
                    (
                        if name == "*" {
                            Step::Wildcard
                        } else {
                            Step::Key(name.to_string())
                        },
                        end - i,
                    )
                };
                i += n;
                steps.push(if recursive {
                    Step::Recursive(Box::new(step))
                } else {
                    step
                });
            }
            b'[' => {
                let (step, n) = bracket(&rest[i..])?;
                i += n;
                steps.push(step);
            }
            _ => return Err(format!("invalid path {path:?} at {i}")),
        }
    }
    Ok(steps)
}

/// Parses `[...]` at the start of `s`; returns the step and the bytes consumed.
fn bracket(s: &str) -> Result<(Step, usize), String> {
    let mut depth = 0;
    let mut quote: Option<char> = None;
    let mut end = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '[' | '(') => depth += 1,
            (None, ']' | ')') => {
                depth -= 1;
                if depth == 0 {
                    end = Some(i);
                    break;
                }
            }
            _ => {}
        }
    }
    let end = end.ok_or("unterminated [")?;
    let body = s[1..end].trim();
    let step = if let Some(f) = body.strip_prefix("?(").and_then(|f| f.strip_suffix(')')) {
        Step::Filter(f.to_string())
    } else if body == "*" {
        Step::Wildcard
    } else {
        let parts = split_top(body, ',');
        let mut steps = Vec::new();
        for part in &parts {
            let part = part.trim();
            steps.push(if let Some(k) = unquote(part) {
                Step::Key(k)
            } else if part.contains(':') {
                let (a, b) = part.split_once(':').unwrap_or((part, ""));
                let num = |x: &str| -> Result<Option<i64>, String> {
                    let x = x.split(':').next().unwrap_or("").trim();
                    if x.is_empty() {
                        Ok(None)
                    } else {
                        x.parse()
                            .map(Some)
                            .map_err(|_| format!("invalid slice {part}"))
                    }
                };
                Step::Slice(num(a)?, num(b)?)
            } else {
                Step::Index(part.parse().map_err(|_| format!("invalid index {part}"))?)
            });
        }
        if steps.len() == 1 {
            steps.remove(0)
        } else {
            Step::Union(steps)
        }
    };
    Ok((step, end + 1))
}

fn unquote(s: &str) -> Option<String> {
    let q = s.chars().next()?;
    if (q == '\'' || q == '"') && s.len() >= 2 && s.ends_with(q) {
        Some(s[1..s.len() - 1].to_string())
    } else {
        None
    }
}

fn split_top(s: &str, sep: char) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quote = None;
    for c in s.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == sep => {
                out.push(String::new());
                continue;
            }
            _ => {}
        }
        if let Some(last) = out.last_mut() {
            last.push(c);
        }
    }
    out
}

fn apply(step: &Step, v: &Value, out: &mut Vec<Value>, definite: &mut bool) -> Result<(), String> {
    match step {
        Step::Key(k) => match v {
            Value::Map(d) => match d.entries.get(k) {
                Some(x) => out.push(x.clone()),
                None if *definite => return Err(format!("key: invalid token key '{k}' not found")),
                None => {}
            },
            Value::Array(l) if k == "length" => out.push(Value::Float(l.items.len() as f64)),
            Value::Str(s) if k == "length" => out.push(Value::Float(s.chars().count() as f64)),
            _ if *definite => {
                return Err(format!(
                    "key: invalid token target. expected [map] got [{}]",
                    v.go_kind()
                ));
            }
            _ => {}
        },
        Step::Index(i) => match v {
            Value::Array(l) => {
                let len = l.items.len() as i64;
                let j = if *i < 0 { i + len } else { *i };
                match usize::try_from(j).ok().and_then(|j| l.items.get(j)) {
                    Some(x) => out.push(x.clone()),
                    None if *definite => {
                        return Err(format!("index: invalid token out of range {i}"));
                    }
                    None => {}
                }
            }
            _ if *definite => {
                return Err(format!(
                    "index: invalid token target. expected [array] got [{}]",
                    v.go_kind()
                ));
            }
            _ => {}
        },
        Step::Wildcard => {
            *definite = false;
            match v {
                Value::Array(l) => out.extend(l.items.iter().cloned()),
                Value::Map(d) => out.extend(d.entries.values().cloned()),
                _ => {}
            }
        }
        Step::Slice(a, b) => {
            *definite = false;
            if let Value::Array(l) = v {
                let len = l.items.len() as i64;
                let norm = |x: i64| (if x < 0 { x + len } else { x }).clamp(0, len) as usize;
                let from = norm(a.unwrap_or(0));
                let to = norm(b.unwrap_or(len));
                if from < to {
                    out.extend(l.items[from..to].iter().cloned());
                }
            }
        }
        Step::Union(steps) => {
            *definite = false;
            for s in steps {
                let mut d = false;
                apply(s, v, out, &mut d)?;
            }
        }
        Step::Filter(f) => {
            *definite = false;
            let items: Vec<Value> = match v {
                Value::Array(l) => l.items.clone(),
                Value::Map(d) => d.entries.values().cloned().collect(),
                _ => vec![],
            };
            for item in items {
                if super::jsonpath_filter::matches(f, &item)? {
                    out.push(item);
                }
            }
        }
        Step::Recursive(inner) => {
            *definite = false;
            let mut stack = vec![v.clone()];
            let mut visited = 0usize;
            while let Some(cur) = stack.pop() {
                visited += 1;
                if visited > 100_000 {
                    return Err("jsonpath: document too large for a recursive query".into());
                }
                let mut d = false;
                apply(inner, &cur, out, &mut d)?;
                match &cur {
                    Value::Array(l) => stack.extend(l.items.iter().rev().cloned()),
                    Value::Map(m) => stack.extend(m.entries.values().rev().cloned()),
                    _ => {}
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::format::{JsonStyle, to_json};

    const DOC: &str = r#"{"employees":[{"name":"Baris","age":43},{"name":"Mo","age":42},{"name":"Jai","age":44}]}"#;

    fn q(path: &str) -> String {
        match query(DOC, path) {
            Ok(v) => to_json(&v, JsonStyle::COMPACT).unwrap_or_default(),
            Err(e) => format!("ERR {e}"),
        }
    }

    #[test]
    fn definite_and_indefinite_paths() {
        assert_eq!(q("$.employees[*].name"), r#"["Baris","Mo","Jai"]"#);
        assert_eq!(q("$.employees[0]"), r#"{"age":43,"name":"Baris"}"#);
        assert_eq!(q("$.employees[0:1]"), r#"[{"age":43,"name":"Baris"}]"#);
        assert_eq!(q("$.employees.length"), "3");
        assert_eq!(q("$..name"), r#"["Baris","Mo","Jai"]"#);
        assert!(q("$.missing").starts_with("ERR key: invalid token key 'missing' not found"));
    }
}
