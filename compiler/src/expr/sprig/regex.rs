//! sprig regular-expression functions (spec §6.2): pattern first, subject second, Go RE2
//! semantics through [`crate::expr::regex_go`]. The plain variants fail on a bad pattern (Go
//! panics), except `regexMatch`, which silently gives `false`.

use super::Args;
use crate::expr::regex_go;
use crate::expr::value::{Elem, Value};

fn strs(items: Vec<String>) -> Value {
    Value::typed_array(items.into_iter().map(Value::from).collect(), Elem::Str)
}

pub(crate) fn call(name: &str, a: &Args<'_>) -> Option<Result<Value, String>> {
    let base = name.strip_prefix("must").map_or(name.to_string(), |b| {
        let mut c = b.chars();
        c.next()
            .map_or(String::new(), |f| f.to_lowercase().chain(c).collect())
    });
    if !base.starts_with("regex") {
        return None;
    }
    let r = (|| -> Result<Option<Value>, String> {
        if base == "regexQuoteMeta" {
            return Ok(Some(Value::str(quote_meta(a.str(0)?))));
        }
        let pattern = a.str(0)?;
        let compiled = regex_go::compile(pattern);
        if base == "regexMatch" && name == "regexMatch" {
            let s = a.str(1)?;
            return Ok(Some(Value::Bool(compiled.is_ok_and(|re| re.is_match(s)))));
        }
        let re = compiled?;
        let s = a.str(1)?;
        Ok(Some(match base.as_str() {
            "regexMatch" => Value::Bool(re.is_match(s)),
            "regexFind" => Value::str(re.find(s).map_or("", |m| m.as_str())),
            "regexFindAll" => {
                let n = a.int(2)?;
                if n == 0 {
                    return Ok(Some(Value::Nil));
                }
                let limit = if n < 0 { usize::MAX } else { n as usize };
                let found: Vec<String> = re
                    .find_iter(s)
                    .take(limit)
                    .map(|m| m.as_str().to_string())
                    .collect();
                if found.is_empty() {
                    Value::Nil
                } else {
                    strs(found)
                }
            }
            "regexReplaceAll" | "regexReplaceAllLiteral" if too_large(&re, s, a.str(2)?) => {
                return Err("regexReplaceAll result is too large".into());
            }
            "regexReplaceAll" => Value::str(re.replace_all(s, a.str(2)?).into_owned()),
            "regexReplaceAllLiteral" => {
                Value::str(re.replace_all(s, regex::NoExpand(a.str(2)?)).into_owned())
            }
            "regexSplit" => match regex_go::go_split(&re, s, a.int(2)?) {
                Some(parts) => strs(parts),
                None => Value::Nil,
            },
            _ => return Ok(None),
        }))
    })();
    r.transpose()
}

/// Whether replacing every match could exceed 1 MiB (each expansion is at most the template
/// plus the whole subject per group reference).
fn too_large(re: &regex::Regex, s: &str, repl: &str) -> bool {
    let refs = repl.matches('$').count() as u128;
    let per = repl.len() as u128 + refs * s.len() as u128;
    let n = re.find_iter(s).take(1 << 20).count() as u128;
    s.len() as u128 + n * per > (1 << 20)
}

/// Go's `regexp.QuoteMeta`.
fn quote_meta(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
