//! sprig encodings, POSIX paths and URLs (spec §6.8). Decode errors of `b64dec`/`b32dec` are
//! returned *as the value*, as upstream does.

use std::collections::BTreeMap;

use super::Args;
use crate::expr::conv;
use crate::expr::value::Value;

pub(crate) fn call(name: &str, a: &Args<'_>) -> Option<Result<Value, String>> {
    let r = (|| -> Result<Option<Value>, String> {
        Ok(Some(match name {
            "b64enc" => Value::str(conv::base64_encode(a.str(0)?.as_bytes())),
            "b64dec" => Value::str(match conv::base64_decode(a.str(0)?) {
                Ok(b) => String::from_utf8_lossy(&b).into_owned(),
                Err(e) => e,
            }),
            "b32enc" => Value::str(conv::base32_encode(a.str(0)?.as_bytes())),
            "b32dec" => Value::str(match conv::base32_decode(a.str(0)?) {
                Ok(b) => String::from_utf8_lossy(&b).into_owned(),
                Err(e) => e,
            }),
            "base" | "osBase" => Value::str(base(a.str(0)?)),
            "dir" | "osDir" => Value::str(dir(a.str(0)?)),
            "clean" | "osClean" => Value::str(clean(a.str(0)?)),
            "ext" | "osExt" => {
                let s = a.str(0)?;
                let tail = &s[s.rfind('/').map_or(0, |i| i + 1)..];
                Value::str(tail.rfind('.').map_or("", |i| &tail[i..]))
            }
            "isAbs" | "osIsAbs" => Value::Bool(a.str(0)?.starts_with('/')),
            "urlParse" => url_parse(a.str(0)?)?,
            "urlJoin" => url_join(&a.dict(0)?),
            _ => return Ok(None),
        }))
    })();
    r.transpose()
}

/// Go's `path.Base`.
pub(crate) fn base(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let t = p.trim_end_matches('/');
    if t.is_empty() {
        return "/".into();
    }
    t[t.rfind('/').map_or(0, |i| i + 1)..].to_string()
}

/// Go's `path.Dir`.
pub(crate) fn dir(p: &str) -> String {
    let cut = p.rfind('/').map_or(0, |i| i + 1);
    clean(&p[..cut])
}

/// Go's `path.Clean`.
pub(crate) fn clean(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let rooted = p.starts_with('/');
    let mut out: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if out.last().is_some_and(|l| *l != "..") {
                    out.pop();
                } else if !rooted {
                    out.push("..");
                }
            }
            s => out.push(s),
        }
    }
    let joined = out.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

fn url_parse(s: &str) -> Result<Value, String> {
    let mut rest = s;
    let mut m: BTreeMap<String, Value> = BTreeMap::new();
    let mut put = |k: &str, v: &str| {
        m.insert(k.to_string(), Value::from(v));
    };
    let (before_frag, frag) = rest.split_once('#').unwrap_or((rest, ""));
    put("fragment", frag);
    rest = before_frag;
    let scheme = match rest.find(':') {
        Some(i)
            if rest[..i]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && i > 0 =>
        {
            let sc = &rest[..i];
            rest = &rest[i + 1..];
            sc.to_ascii_lowercase()
        }
        _ => String::new(),
    };
    put("scheme", &scheme);
    let (before_q, query) = rest.split_once('?').unwrap_or((rest, ""));
    put("query", query);
    rest = before_q;
    let (mut host, mut userinfo, mut opaque, mut path) = ("", "", "", rest);
    if let Some(after) = rest.strip_prefix("//") {
        let end = after.find('/').unwrap_or(after.len());
        let authority = &after[..end];
        path = &after[end..];
        match authority.rsplit_once('@') {
            Some((u, h)) => {
                userinfo = u;
                host = h;
            }
            None => host = authority,
        }
    } else if !scheme.is_empty() && !rest.starts_with('/') {
        opaque = rest;
        path = "";
    }
    let hostname = match host.strip_prefix('[') {
        Some(h) => h.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(h, _)| h),
    };
    put("host", host);
    put("hostname", hostname);
    put("userinfo", userinfo);
    put("opaque", opaque);
    put("path", path);
    Ok(Value::map(m))
}

fn url_join(d: &BTreeMap<String, Value>) -> Value {
    let get = |k: &str| d.get(k).map(super::strval).unwrap_or_default();
    let mut out = String::new();
    let scheme = get("scheme");
    if !scheme.is_empty() {
        out.push_str(&scheme);
        out.push(':');
    }
    let opaque = get("opaque");
    if !opaque.is_empty() {
        out.push_str(&opaque);
    } else {
        let host = get("host");
        let user = get("userinfo");
        if !host.is_empty() || !user.is_empty() {
            out.push_str("//");
            if !user.is_empty() {
                out.push_str(&user);
                out.push('@');
            }
            out.push_str(&host);
        }
        out.push_str(&get("path"));
    }
    let q = get("query");
    if !q.is_empty() {
        out.push('?');
        out.push_str(&q);
    }
    let f = get("fragment");
    if !f.is_empty() {
        out.push('#');
        out.push_str(&f);
    }
    Value::str(out)
}
