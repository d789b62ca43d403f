//! Argo's tag replacement (spec §1.2–1.3, §2.1–2.6): resolve simple tags from the flat map,
//! evaluate expression tags, and decide between "error", "leave the tag for a later pass" and
//! "insert" according to the mode. Also the `valueFrom.expression` path (Go `%v` output).
//!
//! This models one substitution pass over one field value; Argo's multiple passes are the
//! caller's business (run [`substitute`] again with more bindings).

use super::env::{Bindings, Env};
use super::error::{ErrorKind, ExprError};
use super::format::{self, JsonStyle};
use super::lang::ast::TextRange;
use super::tags::{Piece, TagKind, tokenize};
use super::value::Value;
use super::{Limits, builtins, evaluate, parse, refs, sprig};

/// How unresolved simple tags and missing identifiers are treated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    /// `allowUnresolved=false`: every tag must resolve.
    Strict,
    /// `allowUnresolved=true`: unresolved tags are left verbatim.
    Lenient,
    /// Step/task arguments and `when`: only tags under these prefixes (e.g. `steps`, `tasks`) must
    /// resolve, except `….outputs.artifacts.…`.
    StrictPrefix(Vec<String>),
}

/// A substitution failure, with the range of the offending tag in the value.
#[derive(Clone, Debug, PartialEq)]
pub struct SubstError {
    pub message: String,
    pub range: std::ops::Range<usize>,
    /// The underlying expression error, if an expression failed.
    pub cause: Option<ExprError>,
}

impl std::fmt::Display for SubstError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

fn fail(
    message: impl Into<String>,
    range: std::ops::Range<usize>,
    cause: Option<ExprError>,
) -> SubstError {
    SubstError {
        message: message.into(),
        range,
        cause,
    }
}

/// Whether Go's `strconv.Quote` would produce an escape that is invalid in JSON (`\x7f`, `\a`,
/// `\v`, `\U…`), which makes Argo fail the field.
fn breaks_json(s: &str) -> bool {
    s.chars().any(|c| {
        let u = c as u32;
        (u < 0x20 && !matches!(c, '\u{8}' | '\u{c}' | '\n' | '\r' | '\t'))
            || u == 0x7f
            || (u >= 0xE0000 && u != 0xE0001 && !(0xE0020..=0xE007F).contains(&u))
    })
}

fn prefix_match(key: &str, prefixes: &[String]) -> bool {
    prefixes.iter().any(|p| {
        key == p
            || key
                .strip_prefix(p.as_str())
                .is_some_and(|r| r.starts_with('.'))
    })
}

/// One substitution pass over a field value.
pub fn substitute(
    text: &str,
    bindings: &Bindings,
    mode: &Mode,
    limits: &Limits,
) -> Result<String, SubstError> {
    let pieces = tokenize(text).map_err(|e| fail(e.to_string(), e.range, None))?;
    let mut env: Option<Env> = None;
    let mut out = String::with_capacity(text.len());
    for piece in pieces {
        let tag = match piece {
            Piece::Text { text, .. } => {
                out.push_str(text);
                continue;
            }
            Piece::Tag(t) => t,
        };
        let verbatim = &text[tag.range.clone()];
        match tag.kind {
            TagKind::Simple => {
                let key = tag.key();
                match bindings.get(key) {
                    Some(Some(v)) => {
                        if breaks_json(v) {
                            return Err(fail(
                                "cannot finish template replacement because the result was invalid JSON",
                                tag.range.clone(),
                                None,
                            ));
                        }
                        out.push_str(v);
                    }
                    Some(None) => {
                        return Err(fail(
                            format!(
                                "unable to substitute {{{{{key}}}}}: output is an absent optional and has no default"
                            ),
                            tag.range.clone(),
                            None,
                        ));
                    }
                    None => {
                        if let Some(i) = tag.inner.rfind("{{").filter(|&i| i > 0) {
                            let inner_key = tag.inner[i + 2..].trim();
                            match bindings.get(inner_key) {
                                Some(Some(v)) => {
                                    out.push_str("{{");
                                    out.push_str(&tag.inner[..i]);
                                    out.push_str(v);
                                    continue;
                                }
                                Some(None) => {
                                    return Err(fail(
                                        format!(
                                            "unable to substitute {{{{{inner_key}}}}}: output is an absent optional and has no default"
                                        ),
                                        tag.range.clone(),
                                        None,
                                    ));
                                }
                                None => {}
                            }
                        }
                        let strict = match mode {
                            Mode::Strict => true,
                            Mode::Lenient => false,
                            Mode::StrictPrefix(p) => {
                                prefix_match(key, p) && !key.contains(".outputs.artifacts.")
                            }
                        };
                        if strict {
                            return Err(fail(
                                format!("failed to resolve {{{{{key}}}}}"),
                                tag.range.clone(),
                                None,
                            ));
                        }
                        out.push_str(verbatim);
                    }
                }
            }
            TagKind::Expression => {
                let env = env.get_or_insert_with(|| Env::from_flat(bindings));
                let (src, src_range) = tag.expression();
                match expression_tag(src, env, mode, limits) {
                    Ok(Some(s)) => out.push_str(&s),
                    Ok(None) => out.push_str(verbatim),
                    Err(e) => {
                        let r = src_range.start + e.range.start..src_range.start + e.range.end;
                        return Err(fail(
                            format!("failed to evaluate expression: {}", e.message),
                            r,
                            Some(e),
                        ));
                    }
                }
            }
        }
    }
    Ok(out)
}

/// Whether a referenced path is present: in the environment, or an Argo helper / sprig function.
pub fn is_present(env: &Env, path: &[&str]) -> bool {
    if env.has_path(path) {
        return true;
    }
    if !env.helpers || env.get(path.first().copied().unwrap_or_default()).is_some() {
        return false;
    }
    match path {
        [name] => *name == "sprig" || builtins::ARGO_HELPERS.iter().any(|h| h.name == *name),
        ["sprig", f] => sprig::lookup(f).is_some_and(|f| f.support != sprig::Support::Disabled),
        _ => false,
    }
}

/// The first required reference that is missing, as Argo reports it.
pub fn first_missing(expr: &super::Expr, env: &Env) -> Vec<refs::Ref> {
    refs::collect(expr)
        .into_iter()
        .filter(|r| r.required)
        .filter(|r| !is_present(env, &r.path.iter().map(String::as_str).collect::<Vec<_>>()))
        .collect()
}

/// Evaluates one expression tag: `Ok(Some(text))` to insert, `Ok(None)` to leave it verbatim.
fn expression_tag(
    src: &str,
    env: &Env,
    mode: &Mode,
    limits: &Limits,
) -> Result<Option<String>, ExprError> {
    let expr = parse(src, limits)?;
    let compile = super::check::compile_error(&expr, src, env);
    let missing = first_missing(&expr, env);
    match mode {
        Mode::Strict => {
            if let Some(m) = missing.first() {
                return Err(ExprError::new(
                    ErrorKind::Missing,
                    format!("{} is missing", m.dotted()),
                    m.range,
                ));
            }
        }
        Mode::StrictPrefix(prefixes) => {
            if let Some(m) = missing.iter().find(|m| prefix_match(&m.dotted(), prefixes)) {
                return Err(ExprError::new(
                    ErrorKind::Missing,
                    format!("{} is missing", m.dotted()),
                    m.range,
                ));
            }
        }
        Mode::Lenient => {}
    }
    let result = match compile {
        Some(e) => Err(e),
        None => evaluate(&expr, env, limits),
    }
    .and_then(|v| {
        if v.is_nil() {
            return Err(ExprError::runtime(
                format!("failed to evaluate expression \"{src}\""),
                TextRange::new(0, src.len()),
            ));
        }
        inline_text(&v).map_err(|e| ExprError::runtime(e, TextRange::new(0, src.len())))
    });
    match (result, mode) {
        (Ok(s), _) => Ok(Some(s)),
        (Err(e), _) if e.kind == ErrorKind::TooComplex => Err(e),
        (Err(e), Mode::Strict) => Err(e),
        (Err(e), Mode::StrictPrefix(_)) if missing.is_empty() => Err(e),
        (Err(_), _) => Ok(None),
    }
}

/// How an inline tag inserts a value (spec §2.5): strings raw, everything else as Go JSON.
pub fn inline_text(v: &Value) -> Result<String, String> {
    match v {
        Value::Str(s) => Ok(s.to_string()),
        Value::Nil => Err("nil result".into()),
        other => format::to_json(other, JsonStyle::COMPACT),
    }
}

/// Evaluates a raw `expression:` field such as `valueFrom.expression` and formats the result
/// with Go's `%v`; `nil` is an error.
pub fn evaluate_raw(src: &str, env: &Env, limits: &Limits) -> Result<String, ExprError> {
    let expr = parse(src, limits)?;
    if let Some(e) = super::check::compile_error(&expr, src, env) {
        return Err(e);
    }
    let v = evaluate(&expr, env, limits)?;
    if v.is_nil() {
        return Err(ExprError::runtime(
            "expression evaluated to nil",
            TextRange::new(0, src.len()),
        ));
    }
    Ok(format::go_v(&v))
}
