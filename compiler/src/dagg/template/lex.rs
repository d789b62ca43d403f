//! The template lexer: text and `{{ … }}` actions (with `{{- ` and ` -}}` trim markers and
//! `{{/* … */}}` comments), and the tokens inside an action, each with its byte range.
//!
//! Works on bytes in one forward pass; strings inside actions are scanned so a `}}` in a string
//! does not end the action. Errors carry the byte range to report.

use std::ops::Range;

/// A token inside an action.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Tok {
    /// `.`
    Dot,
    /// `.Name` (one segment; a chain is several tokens).
    Field(String),
    /// `$` or `$name`.
    Var(String),
    /// A function name or a keyword.
    Ident(String),
    /// A quoted or raw string, unescaped.
    Str(String),
    /// A character constant (its code point).
    Char(u32),
    /// A number as written.
    Number(String),
    /// `:=`
    Declare,
    /// `=`
    Assign,
    Pipe,
    LParen,
    RParen,
    Comma,
}

/// One lexed action.
#[derive(Debug)]
pub(crate) struct Action {
    pub toks: Vec<(Tok, Range<usize>)>,
    /// From `{{` to `}}` inclusive.
    pub span: Range<usize>,
}

/// The template as a sequence of text and actions.
#[derive(Debug)]
pub(crate) enum Item {
    /// A byte range of the template text (already trimmed).
    Text(Range<usize>),
    Action(Action),
}

/// A lexing error: a message and where.
#[derive(Debug)]
pub(crate) struct LexError {
    pub message: String,
    pub range: Range<usize>,
}

fn err<T>(message: impl Into<String>, range: Range<usize>) -> Result<T, LexError> {
    Err(LexError {
        message: message.into(),
        range,
    })
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_alnum(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

/// Splits `src` into text and actions, applying trim markers to the neighbouring text.
pub(crate) fn lex(src: &str) -> Result<Vec<Item>, LexError> {
    let bytes = src.as_bytes();
    let mut items: Vec<Item> = Vec::new();
    let mut pos = 0usize;
    let mut trim_next = false;
    while pos < bytes.len() {
        let Some(rel) = src[pos..].find("{{") else {
            push_text(&mut items, src, pos..src.len(), trim_next, false);
            break;
        };
        let open = pos + rel;
        let mut inner = open + 2;
        let trim_left =
            bytes.get(inner) == Some(&b'-') && bytes.get(inner + 1).copied().is_some_and(is_space);
        if trim_left {
            inner += 2;
        }
        push_text(&mut items, src, pos..open, trim_next, trim_left);
        // A comment: `{{/*` or `{{- /*`.
        let mut c = inner;
        if trim_left {
            while c < bytes.len() && is_space(bytes[c]) {
                c += 1;
            }
        }
        if src[c..].starts_with("/*") {
            let Some(end_rel) = src[c + 2..].find("*/") else {
                return err("unclosed comment", open..src.len());
            };
            let mut after = c + 2 + end_rel + 2;
            let (close, trim_right) = if src[after..].starts_with(" -}}")
                || (after < bytes.len()
                    && is_space(bytes[after])
                    && src[after + 1..].starts_with("-}}"))
            {
                (after + 1, true)
            } else {
                (after, false)
            };
            if !src[close..].starts_with(if trim_right { "-}}" } else { "}}" }) {
                return err(
                    "comment ends before closing delimiter",
                    open..after.min(src.len()),
                );
            }
            after = close + if trim_right { 3 } else { 2 };
            trim_next = trim_right;
            pos = after;
            continue;
        }
        let (toks, end, trim_right) = lex_action(src, inner, open)?;
        items.push(Item::Action(Action {
            toks,
            span: open..end,
        }));
        trim_next = trim_right;
        pos = end;
    }
    Ok(items)
}

fn push_text(items: &mut Vec<Item>, src: &str, r: Range<usize>, trim_start: bool, trim_end: bool) {
    let bytes = src.as_bytes();
    let (mut s, mut e) = (r.start, r.end);
    if trim_start {
        while s < e && is_space(bytes[s]) {
            s += 1;
        }
    }
    if trim_end {
        while e > s && is_space(bytes[e - 1]) {
            e -= 1;
        }
    }
    if s < e {
        items.push(Item::Text(s..e));
    }
}

/// Lexes the inside of an action from `start`; returns its tokens, the offset after `}}`, and
/// whether it ended with ` -}}`.
#[allow(clippy::type_complexity)]
fn lex_action(
    src: &str,
    start: usize,
    open: usize,
) -> Result<(Vec<(Tok, Range<usize>)>, usize, bool), LexError> {
    let bytes = src.as_bytes();
    let mut toks = Vec::new();
    let mut i = start;
    let mut parens = 0i32;
    loop {
        let Some(&b) = bytes.get(i) else {
            return err("unclosed action", open..src.len());
        };
        if is_space(b) {
            // ` -}}` closes with trimming.
            let mut j = i;
            while j < bytes.len() && is_space(bytes[j]) {
                j += 1;
            }
            if src[j..].starts_with("-}}") {
                return Ok((toks, j + 3, true));
            }
            i = j;
            continue;
        }
        if src[i..].starts_with("}}") {
            return Ok((toks, i + 2, false));
        }
        let tok_start = i;
        let tok = match b {
            b'|' => {
                i += 1;
                Tok::Pipe
            }
            b'(' => {
                i += 1;
                parens += 1;
                Tok::LParen
            }
            b')' => {
                i += 1;
                parens -= 1;
                if parens < 0 {
                    return err("unexpected \")\" in command", tok_start..i);
                }
                Tok::RParen
            }
            b',' => {
                i += 1;
                Tok::Comma
            }
            b':' => {
                if bytes.get(i + 1) != Some(&b'=') {
                    return err("expected :=", i..i + 1);
                }
                i += 2;
                Tok::Declare
            }
            b'=' => {
                i += 1;
                Tok::Assign
            }
            b'"' => {
                let (s, end) = quoted(src, i)?;
                i = end;
                Tok::Str(s)
            }
            b'`' => {
                let Some(rel) = src[i + 1..].find('`') else {
                    return err("unterminated raw quoted string", i..src.len());
                };
                let s = src[i + 1..i + 1 + rel].to_string();
                i += rel + 2;
                Tok::Str(s)
            }
            b'\'' => {
                let (c, end) = char_constant(src, i)?;
                i = end;
                Tok::Char(c)
            }
            b'$' => {
                i += 1;
                let name_end = ident_end(src, i);
                let name = format!("${}", &src[i..name_end]);
                i = name_end;
                Tok::Var(name)
            }
            b'.' => {
                let next = src[i + 1..].chars().next();
                if next.is_some_and(|c| c.is_ascii_digit()) {
                    let end = number_end(src, i);
                    let text = src[i..end].to_string();
                    i = end;
                    Tok::Number(text)
                } else if next.is_some_and(is_alnum) {
                    let end = ident_end(src, i + 1);
                    let name = src[i + 1..end].to_string();
                    i = end;
                    Tok::Field(name)
                } else {
                    i += 1;
                    Tok::Dot
                }
            }
            b'0'..=b'9' | b'+' | b'-' => {
                let end = number_end(src, i);
                if end == i + 1 && matches!(b, b'+' | b'-') {
                    return err(
                        format!("bad character {:?}", b as char),
                        tok_start..tok_start + 1,
                    );
                }
                let text = src[i..end].to_string();
                i = end;
                Tok::Number(text)
            }
            _ => {
                let c = src[i..].chars().next().unwrap_or(' ');
                if is_alnum(c) {
                    let end = ident_end(src, i);
                    let name = src[i..end].to_string();
                    i = end;
                    Tok::Ident(name)
                } else {
                    return err(format!("unexpected {c:?} in command"), i..i + c.len_utf8());
                }
            }
        };
        // A field chain (`$x.Name`, `(...).Name`, `.A.B`) continues without spaces; anything
        // else must be followed by a space, a delimiter or punctuation.
        toks.push((tok, tok_start..i));
    }
}

fn ident_end(src: &str, from: usize) -> usize {
    src[from..]
        .char_indices()
        .find(|&(_, c)| !is_alnum(c))
        .map_or(src.len(), |(k, _)| from + k)
}

fn number_end(src: &str, from: usize) -> usize {
    let bytes = src.as_bytes();
    let mut i = from;
    if matches!(bytes.get(i), Some(b'+' | b'-')) {
        i += 1;
    }
    while let Some(&b) = bytes.get(i) {
        let exp_sign = matches!(b, b'+' | b'-')
            && i > from
            && matches!(bytes[i - 1], b'e' | b'E' | b'p' | b'P')
            && !src[from..i].starts_with("0x")
            && !src[from..i].starts_with("0X");
        if b.is_ascii_alphanumeric() || b == b'.' || b == b'_' || exp_sign {
            i += 1;
        } else {
            break;
        }
    }
    i
}

/// A `"…"` string with Go escapes; returns the value and the offset after the closing quote.
fn quoted(src: &str, start: usize) -> Result<(String, usize), LexError> {
    let mut out = String::new();
    let mut chars = src[start + 1..].char_indices();
    while let Some((k, c)) = chars.next() {
        let at = start + 1 + k;
        match c {
            '"' => return Ok((out, at + 1)),
            '\n' => return err("unterminated quoted string", start..at),
            '\\' => {
                let Some((_, e)) = chars.next() else {
                    break;
                };
                let simple = match e {
                    'n' => Some('\n'),
                    't' => Some('\t'),
                    'r' => Some('\r'),
                    '\\' => Some('\\'),
                    '"' => Some('"'),
                    '\'' => Some('\''),
                    'a' => Some('\u{7}'),
                    'b' => Some('\u{8}'),
                    'f' => Some('\u{c}'),
                    'v' => Some('\u{b}'),
                    _ => None,
                };
                if let Some(c) = simple {
                    out.push(c);
                    continue;
                }
                let digits = match e {
                    'x' => 2,
                    'u' => 4,
                    'U' => 8,
                    '0'..='7' => 2,
                    _ => return err(format!("invalid escape \\{e} in string"), at..at + 2),
                };
                let mut hex = String::new();
                if matches!(e, '0'..='7') {
                    hex.push(e);
                }
                for _ in 0..digits {
                    match chars.next() {
                        Some((_, d)) => hex.push(d),
                        None => return err("unterminated quoted string", start..src.len()),
                    }
                }
                let radix = if matches!(e, '0'..='7') { 8 } else { 16 };
                let code = u32::from_str_radix(&hex, radix).map_err(|_| LexError {
                    message: format!("invalid escape in string: \\{e}{hex}"),
                    range: at..at + 2 + hex.len(),
                })?;
                match char::from_u32(code) {
                    Some(c) if e == 'u' || e == 'U' => out.push(c),
                    // \x and octal escapes are bytes; keep ASCII ones, replace the rest.
                    Some(c) if code < 0x80 => out.push(c),
                    _ => out.push('\u{fffd}'),
                }
            }
            c => out.push(c),
        }
    }
    err("unterminated quoted string", start..src.len())
}

fn char_constant(src: &str, start: usize) -> Result<(u32, usize), LexError> {
    let rest = &src[start + 1..];
    let mut chars = rest.char_indices();
    let Some((_, c)) = chars.next() else {
        return err("unterminated character constant", start..src.len());
    };
    let (value, next) = if c == '\\' {
        // Reuse the string unescaper on `"\x"`.
        let close = rest.find('\'').unwrap_or(rest.len());
        let (s, _) = quoted(&format!("\"{}\"", &rest[..close]), 0)?;
        let mut it = s.chars();
        match (it.next(), it.next()) {
            (Some(v), None) => (v as u32, close),
            _ => return err("malformed character constant", start..start + 1 + close),
        }
    } else {
        (c as u32, c.len_utf8())
    };
    if rest[next..].starts_with('\'') {
        Ok((value, start + 1 + next + 1))
    } else {
        err("unterminated character constant", start..start + 1 + next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(src: &str) -> Vec<String> {
        lex(src)
            .unwrap()
            .iter()
            .map(|i| match i {
                Item::Text(r) => format!("T:{}", &src[r.clone()]),
                Item::Action(a) => format!("A:{}", a.toks.len()),
            })
            .collect()
    }

    #[test]
    fn trim_markers_eat_whitespace_on_their_side() {
        assert_eq!(texts("a  {{- 1 -}}  b"), ["T:a", "A:1", "T:b"]);
        assert_eq!(texts("a {{-1}} b"), ["T:a ", "A:1", "T: b"]);
        assert_eq!(texts("a\n{{- /* c */ -}}\nb"), ["T:a", "T:b"]);
        assert_eq!(texts("x{{/* c */}}y"), ["T:x", "T:y"]);
    }

    #[test]
    fn strings_may_contain_delimiters() {
        let items = lex(r#"{{ "a}}b\n" | printf `%s` }}"#).unwrap();
        let Item::Action(a) = &items[0] else { panic!() };
        assert_eq!(a.toks[0].0, Tok::Str("a}}b\n".into()));
        assert_eq!(a.toks[2].0, Tok::Ident("printf".into()));
        assert_eq!(a.toks[3].0, Tok::Str("%s".into()));
    }

    #[test]
    fn errors_have_positions() {
        let e = lex("ab {{ .Name ").unwrap_err();
        assert_eq!((e.message.as_str(), e.range.start), ("unclosed action", 3));
        let e = lex("{{ \"abc }}").unwrap_err();
        assert_eq!(e.message, "unterminated quoted string");
        assert!(lex("{{ ) }}").is_err());
        assert!(lex("{{ # }}").is_err());
    }
}
