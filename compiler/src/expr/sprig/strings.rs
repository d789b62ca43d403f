//! sprig string functions (spec §6.1). Offsets are bytes, as in Go: `trunc` and `substr` can
//! split a code point, which becomes U+FFFD (Go's JSON output does the same).

use std::collections::BTreeMap;

use sha1::Digest as _;

use super::{Args, strval};
use crate::expr::Limits;
use crate::expr::conv;
use crate::expr::format::{go_quote, go_v};
use crate::expr::value::{Elem, Value};

fn lossy(b: &[u8]) -> Value {
    Value::str(String::from_utf8_lossy(b).into_owned())
}

fn strs(items: Vec<String>) -> Value {
    Value::typed_array(items.into_iter().map(Value::from).collect(), Elem::Str)
}

/// sprig's `strslice`: a list's elements as strings (nils dropped), a scalar as one string.
pub(crate) fn strslice(v: &Value) -> Vec<String> {
    match v {
        Value::Array(l) => l.items.iter().filter(|x| !x.is_nil()).map(strval).collect(),
        Value::Nil => Vec::new(),
        other => vec![strval(other)],
    }
}

fn repeat_checked(s: &str, n: i64, limits: &Limits) -> Result<String, String> {
    if n < 0 {
        return Err("strings: negative Repeat count".into());
    }
    if (s.len() as u128) * (n as u128) > limits.max_string as u128 {
        return Err("repeat result is too large".into());
    }
    Ok(s.repeat(n as usize))
}

pub(crate) fn call(name: &str, a: &Args<'_>, limits: &Limits) -> Option<Result<Value, String>> {
    run(name, a, limits)
}

fn run(name: &str, a: &Args<'_>, limits: &Limits) -> Option<Result<Value, String>> {
    let r = (|| -> Result<Value, String> {
        Ok(match name {
            "hello" => Value::from("Hello!"),
            "trim" => Value::str(a.str(0)?.trim()),
            "upper" => Value::str(a.str(0)?.to_uppercase()),
            "lower" => Value::str(a.str(0)?.to_lowercase()),
            "title" => Value::str(title(a.str(0)?)),
            "untitle" => Value::str(untitle(a.str(0)?)),
            "trimall" | "trimAll" => {
                let cut = a.str(0)?;
                Value::str(a.str(1)?.trim_matches(|c| cut.contains(c)))
            }
            "trimPrefix" => {
                let s = a.str(1)?;
                Value::str(s.strip_prefix(a.str(0)?).unwrap_or(s))
            }
            "trimSuffix" => {
                let s = a.str(1)?;
                Value::str(s.strip_suffix(a.str(0)?).unwrap_or(s))
            }
            "nospace" => Value::str(
                a.str(0)?
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect::<String>(),
            ),
            "initials" => Value::str(
                a.str(0)?
                    .split_whitespace()
                    .filter_map(|w| w.chars().next())
                    .collect::<String>(),
            ),
            "swapcase" => Value::str(
                a.str(0)?
                    .chars()
                    .flat_map(|c| {
                        if c.is_uppercase() {
                            c.to_lowercase().collect::<Vec<_>>()
                        } else {
                            c.to_uppercase().collect::<Vec<_>>()
                        }
                    })
                    .collect::<String>(),
            ),
            "snakecase" => Value::str(delimited(a.str(0)?, '_')),
            "kebabcase" => Value::str(delimited(a.str(0)?, '-')),
            "camelcase" => Value::str(camel(a.str(0)?)),
            "repeat" => Value::str(repeat_checked(a.str(1)?, a.int(0)?, limits)?),
            "trunc" => {
                let (c, s) = (a.int(0)?, a.str(1)?.as_bytes());
                let len = s.len() as i64;
                if c < 0 && len + c > 0 {
                    lossy(&s[(len + c) as usize..])
                } else if c >= 0 && len > c {
                    lossy(&s[..c as usize])
                } else {
                    lossy(s)
                }
            }
            "substr" => {
                let (start, end, s) = (a.int(0)?, a.int(1)?, a.str(2)?.as_bytes());
                let len = s.len() as i64;
                let oob = |a: String, b: String| {
                    format!("runtime error: slice bounds out of range [{a}:{b}]")
                };
                if start < 0 {
                    if end < 0 || end > len {
                        return Err(format!(
                            "runtime error: slice bounds out of range [:{end}] with length {len}"
                        ));
                    }
                    lossy(&s[..end as usize])
                } else if end < 0 || end > len {
                    if start > len {
                        return Err(oob(start.to_string(), len.to_string()));
                    }
                    lossy(&s[start as usize..])
                } else {
                    if start > end {
                        return Err(oob(start.to_string(), end.to_string()));
                    }
                    lossy(&s[start as usize..end as usize])
                }
            }
            "abbrev" => {
                let (w, s) = (a.int(0)?, a.str(1)?);
                if w < 4 {
                    Value::str(s)
                } else {
                    Value::str(abbreviate(s, 0, w))
                }
            }
            "abbrevboth" => {
                let (l, w, s) = (a.int(0)?, a.int(1)?, a.str(2)?);
                if w < 4 || (l > 0 && w < 7) {
                    Value::str(s)
                } else {
                    Value::str(abbreviate(s, l, w))
                }
            }
            "wrap" => Value::str(wrap(a.str(1)?, a.int(0)?, "\n", false)),
            "wrapWith" => {
                let sep = a.str(1)?;
                if (a.str(2)?.len() as u128) * (sep.len() as u128 + 1) > limits.max_string as u128 {
                    return Err("wrapWith result is too large".into());
                }
                Value::str(wrap(
                    a.str(2)?,
                    a.int(0)?,
                    if sep.is_empty() { "\n" } else { sep },
                    true,
                ))
            }
            "contains" => Value::Bool(a.str(1)?.contains(a.str(0)?)),
            "hasPrefix" => Value::Bool(a.str(1)?.starts_with(a.str(0)?)),
            "hasSuffix" => Value::Bool(a.str(1)?.ends_with(a.str(0)?)),
            "quote" => Value::str(
                a.vals
                    .iter()
                    .filter(|v| !v.is_nil())
                    .map(|v| go_quote(&strval(v)))
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            "squote" => Value::str(
                a.vals
                    .iter()
                    .filter(|v| !v.is_nil())
                    .map(|v| format!("'{}'", strval(v)))
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            "cat" => Value::str(
                a.vals
                    .iter()
                    .filter(|v| !v.is_nil())
                    .map(go_v)
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            "indent" | "nindent" => {
                let pad = repeat_checked(" ", a.int(0)?, limits)?;
                let body = format!(
                    "{pad}{}",
                    conv::checked_replace(a.str(1)?, "\n", &format!("\n{pad}"), limits.max_string)?
                );
                Value::str(if name == "nindent" {
                    format!("\n{body}")
                } else {
                    body
                })
            }
            "replace" => Value::str(conv::checked_replace(
                a.str(2)?,
                a.str(0)?,
                a.str(1)?,
                limits.max_string,
            )?),
            "plural" => Value::str(if a.int(2)? == 1 { a.str(0)? } else { a.str(1)? }),
            "sha1sum" => Value::str(hex(&sha1::Sha1::digest(a.str(0)?.as_bytes()))),
            "sha256sum" => Value::str(hex(&sha2::Sha256::digest(a.str(0)?.as_bytes()))),
            "sha512sum" => Value::str(hex(&sha2::Sha512::digest(a.str(0)?.as_bytes()))),
            "adler32sum" => Value::str(adler32(a.str(0)?.as_bytes()).to_string()),
            "toString" => Value::str(strval(a.any(0))),
            "toStrings" => strs(strslice(a.any(0))),
            "split" | "splitn" => {
                let (sep, n, s) = if name == "split" {
                    (a.str(0)?, -1, a.str(1)?)
                } else {
                    (a.str(0)?, a.int(1)?, a.str(2)?)
                };
                let parts = conv::go_split(s, sep, n, false);
                Value::map(
                    parts
                        .into_iter()
                        .enumerate()
                        .map(|(i, p)| (format!("_{i}"), Value::from(p)))
                        .collect::<BTreeMap<_, _>>(),
                )
            }
            "splitList" => strs(conv::go_split(a.str(1)?, a.str(0)?, -1, false)),
            "join" => Value::str(strslice(a.any(1)).join(a.str(0)?)),
            "sortAlpha" => {
                let mut v = strslice(a.any(0));
                v.sort();
                strs(v)
            }
            _ => return Err(String::new()),
        })
    })();
    match r {
        Err(e) if e.is_empty() => None,
        other => Some(other),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &x in data {
        a = (a + x as u32) % 65521;
        b = (b + a) % 65521;
    }
    b << 16 | a
}

/// Go's `strings.Title`: upper-cases letters that start a word.
fn title(s: &str) -> String {
    let mut prev = ' ';
    s.chars()
        .map(|c| {
            let sep = !(prev.is_alphanumeric() || prev == '_');
            prev = c;
            if sep {
                c.to_uppercase().next().unwrap_or(c)
            } else {
                c
            }
        })
        .collect()
}

fn untitle(s: &str) -> String {
    let mut prev_space = true;
    s.chars()
        .map(|c| {
            let out = if prev_space {
                c.to_lowercase().next().unwrap_or(c)
            } else {
                c
            };
            prev_space = c.is_whitespace();
            out
        })
        .collect()
}

/// Words for xstrings' case conversions: split at non-alphanumerics and lower→upper changes.
fn words(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let prev = if i > 0 {
            chars.get(i - 1).copied()
        } else {
            None
        };
        let next = chars.get(i + 1).copied();
        let boundary = c.is_uppercase()
            && !cur.is_empty()
            && (prev.is_some_and(|p| p.is_lowercase() || p.is_ascii_digit())
                || (prev.is_some_and(char::is_uppercase) && next.is_some_and(char::is_lowercase)));
        if boundary {
            out.push(std::mem::take(&mut cur));
        }
        cur.push(c);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn delimited(s: &str, sep: char) -> String {
    words(s)
        .iter()
        .map(|w| w.to_lowercase())
        .collect::<Vec<_>>()
        .join(&sep.to_string())
}

fn camel(s: &str) -> String {
    s.split(['_', ' ', '-'])
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut c = p.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect::<String>(),
                None => String::new(),
            }
        })
        .collect()
}

/// goutils `AbbreviateFull` (byte offsets).
fn abbreviate(s: &str, offset: i64, max: i64) -> String {
    let b = s.as_bytes();
    let len = b.len() as i64;
    if s.is_empty() || len <= max {
        return s.to_string();
    }
    let mut offset = offset.min(len);
    if len - offset < max - 3 {
        offset = len - (max - 3);
    }
    let cut = |from: i64, to: i64| {
        String::from_utf8_lossy(&b[from.max(0) as usize..to.clamp(0, len) as usize]).into_owned()
    };
    if offset <= 4 {
        return format!("{}...", cut(0, max - 3));
    }
    if max < 7 {
        return String::new();
    }
    if offset + max - 3 < len {
        let tail = &s[offset as usize..];
        return format!("...{}", abbreviate(tail, 0, max - 3));
    }
    format!("...{}", cut(len - (max - 3), len))
}

/// goutils `WrapCustom` (byte offsets).
fn wrap(s: &str, width: i64, nl: &str, long_words: bool) -> String {
    let b = s.as_bytes();
    let width = width.max(1) as usize;
    let mut out = Vec::new();
    let mut off = 0;
    while b.len() - off > width {
        if b[off] == b' ' {
            off += 1;
            continue;
        }
        let end = (width + off + 1).min(b.len());
        match b[off..end].iter().rposition(|&c| c == b' ') {
            Some(p) => {
                out.extend_from_slice(&b[off..off + p]);
                out.extend_from_slice(nl.as_bytes());
                off += p + 1;
            }
            None if long_words => {
                out.extend_from_slice(&b[off..off + width]);
                out.extend_from_slice(nl.as_bytes());
                off += width;
            }
            None => match b[off + width..].iter().position(|&c| c == b' ') {
                None => {
                    out.extend_from_slice(&b[off..]);
                    off = b.len();
                }
                Some(i) => {
                    let at = off + width + i;
                    out.extend_from_slice(&b[off..at]);
                    out.extend_from_slice(nl.as_bytes());
                    off = at + 1;
                }
            },
        }
    }
    out.extend_from_slice(&b[off..]);
    String::from_utf8_lossy(&out).into_owned()
}
