//! Tokens of the expr language: numbers (decimal, hex, octal, binary, `_` separators, floats),
//! strings (`'…'`, `"…"` with Go escapes, raw `` `…` ``), identifiers, `#` pointers, operators
//! and comments. Stops with an error after [`Limits::max_tokens`] tokens.

use super::ast::TextRange;
use crate::expr::Limits;
use crate::expr::error::{ErrorKind, ExprError};

/// Token kinds.
#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    Int(i64),
    Float(f64),
    Str(String),
    Ident(String),
    /// `#`, `#index`, `#acc` (the name without `#`).
    Pointer(String),
    /// An operator or punctuation, e.g. `==`, `?.`, `(`.
    Op(&'static str),
    Eof,
}

/// A token and its range.
#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub tok: Tok,
    pub range: TextRange,
}

const OPS: &[&str] = &[
    "?.", "??", "..", "**", "==", "!=", "<=", ">=", "&&", "||", "?", ":", ".", "*", "/", "%", "+",
    "-", "^", "<", ">", "!", "|", "(", ")", "[", "]", "{", "}", ",", ";", "=",
];

/// Splits `src` into tokens, ending with [`Tok::Eof`].
pub fn lex(src: &str, limits: &Limits) -> Result<Vec<Token>, ExprError> {
    if src.len() > limits.max_len {
        return Err(ExprError::new(
            ErrorKind::TooComplex,
            format!(
                "expression is too long ({} bytes, the limit is {})",
                src.len(),
                limits.max_len
            ),
            TextRange::new(0, src.len()),
        ));
    }
    let mut lx = Lexer {
        src,
        b: src.as_bytes(),
        pos: 0,
    };
    let mut out = Vec::new();
    loop {
        let t = lx.next()?;
        let eof = t.tok == Tok::Eof;
        out.push(t);
        if eof {
            return Ok(out);
        }
        if out.len() > limits.max_tokens {
            return Err(ExprError::new(
                ErrorKind::TooComplex,
                format!(
                    "expression is too complex (more than {} tokens)",
                    limits.max_tokens
                ),
                TextRange::new(0, src.len()),
            ));
        }
    }
}

struct Lexer<'a> {
    src: &'a str,
    b: &'a [u8],
    pos: usize,
}

impl Lexer<'_> {
    fn err(&self, msg: impl Into<String>, start: usize) -> ExprError {
        ExprError::new(
            ErrorKind::Syntax,
            msg,
            TextRange::new(start, self.pos.max(start + 1)),
        )
    }

    fn peek(&self, off: usize) -> u8 {
        self.b.get(self.pos + off).copied().unwrap_or(0)
    }

    fn skip_trivia(&mut self) -> Result<(), ExprError> {
        loop {
            let c = self.peek(0);
            if c == b' ' || c == b'\t' || c == b'\n' || c == b'\r' {
                self.pos += 1;
            } else if c == b'/' && self.peek(1) == b'/' {
                while self.pos < self.b.len() && self.b[self.pos] != b'\n' {
                    self.pos += 1;
                }
            } else if c == b'/' && self.peek(1) == b'*' {
                let start = self.pos;
                match self.src[self.pos + 2..].find("*/") {
                    Some(i) => self.pos += 2 + i + 2,
                    None => {
                        self.pos = self.b.len();
                        return Err(self.err("unclosed comment", start));
                    }
                }
            } else {
                return Ok(());
            }
        }
    }

    fn next(&mut self) -> Result<Token, ExprError> {
        self.skip_trivia()?;
        let start = self.pos;
        let tok = |t: Tok, end: usize| Token {
            tok: t,
            range: TextRange::new(start, end),
        };
        let Some(&c) = self.b.get(self.pos) else {
            return Ok(tok(Tok::Eof, start));
        };
        if c.is_ascii_digit() || (c == b'.' && self.peek(1).is_ascii_digit()) {
            let t = self.number()?;
            return Ok(tok(t, self.pos));
        }
        if c == b'\'' || c == b'"' {
            let s = self.string(c)?;
            return Ok(tok(Tok::Str(s), self.pos));
        }
        if c == b'`' {
            self.pos += 1;
            let Some(i) = self.src[self.pos..].find('`') else {
                self.pos = self.b.len();
                return Err(self.err("literal not terminated", start));
            };
            let s = self.src[self.pos..self.pos + i].to_string();
            self.pos += i + 1;
            return Ok(tok(Tok::Str(s), self.pos));
        }
        if c == b'#' {
            self.pos += 1;
            let name = self.word();
            return Ok(tok(Tok::Pointer(name.to_string()), self.pos));
        }
        let ch = self.src[self.pos..].chars().next().unwrap_or('\0');
        if ch.is_alphabetic() || ch == '_' || ch == '$' {
            let w = self.word().to_string();
            return Ok(tok(Tok::Ident(w), self.pos));
        }
        for op in OPS {
            if self.src[self.pos..].starts_with(op) {
                // `?.` followed by a digit is a ternary with a float (`a?.5:1`).
                if *op == "?." && self.peek(2).is_ascii_digit() {
                    continue;
                }
                self.pos += op.len();
                return Ok(tok(Tok::Op(op), self.pos));
            }
        }
        self.pos += ch.len_utf8();
        Err(self.err(format!("unexpected character {ch:?}"), start))
    }

    fn word(&mut self) -> &str {
        let start = self.pos;
        while let Some(ch) = self.src[self.pos..].chars().next() {
            if ch.is_alphanumeric() || ch == '_' || ch == '$' {
                self.pos += ch.len_utf8();
            } else {
                break;
            }
        }
        &self.src[start..self.pos]
    }

    fn number(&mut self) -> Result<Tok, ExprError> {
        let start = self.pos;
        let radix = if self.peek(0) == b'0' {
            match self.peek(1) {
                b'x' | b'X' => 16,
                b'o' | b'O' => 8,
                b'b' | b'B' => 2,
                _ => 10,
            }
        } else {
            10
        };
        if radix != 10 {
            self.pos += 2;
            let ds = self.pos;
            while self.peek(0).is_ascii_alphanumeric() || self.peek(0) == b'_' {
                self.pos += 1;
            }
            let digits: String = self.src[ds..self.pos]
                .chars()
                .filter(|&c| c != '_')
                .collect();
            return i64::from_str_radix(&digits, radix)
                .map(Tok::Int)
                .map_err(|_| {
                    self.err(
                        format!("invalid number {}", &self.src[start..self.pos]),
                        start,
                    )
                });
        }
        let mut is_float = false;
        while self.peek(0).is_ascii_digit() || self.peek(0) == b'_' {
            self.pos += 1;
        }
        if self.peek(0) == b'.' && self.peek(1) != b'.' && !self.peek(1).is_ascii_alphabetic() {
            is_float = true;
            self.pos += 1;
            while self.peek(0).is_ascii_digit() || self.peek(0) == b'_' {
                self.pos += 1;
            }
        }
        if matches!(self.peek(0), b'e' | b'E')
            && (self.peek(1).is_ascii_digit()
                || (matches!(self.peek(1), b'+' | b'-') && self.peek(2).is_ascii_digit()))
        {
            is_float = true;
            self.pos += 2;
            while self.peek(0).is_ascii_digit() {
                self.pos += 1;
            }
        }
        let text: String = self.src[start..self.pos]
            .chars()
            .filter(|&c| c != '_')
            .collect();
        if self.peek(0).is_ascii_alphabetic() || self.peek(0) == b'_' {
            self.word();
            return Err(self.err(
                format!("invalid number {}", &self.src[start..self.pos]),
                start,
            ));
        }
        if is_float {
            text.parse::<f64>()
                .map(Tok::Float)
                .map_err(|_| self.err(format!("invalid float literal {text}"), start))
        } else {
            text.parse::<i64>()
                .map(Tok::Int)
                .map_err(|_| self.err(format!("invalid integer literal {text}"), start))
        }
    }

    fn string(&mut self, quote: u8) -> Result<String, ExprError> {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let Some(ch) = self.src[self.pos..].chars().next() else {
                return Err(self.err("literal not terminated", start));
            };
            self.pos += ch.len_utf8();
            if ch as u32 == quote as u32 {
                return Ok(out);
            }
            if ch == '\n' {
                return Err(self.err("literal not terminated", start));
            }
            if ch != '\\' {
                out.push(ch);
                continue;
            }
            let esc_start = self.pos - 1;
            let e = self.peek(0);
            // Step over the whole escaped character: none at the end of the text, several bytes
            // for a non-ASCII one (error ranges must stay inside the text, on char boundaries).
            let Some(escaped) = self.src[self.pos..].chars().next() else {
                return Err(self.err("invalid escape sequence", esc_start));
            };
            self.pos += escaped.len_utf8();
            let c = match e {
                b'n' => '\n',
                b't' => '\t',
                b'r' => '\r',
                b'a' => '\u{7}',
                b'b' => '\u{8}',
                b'f' => '\u{c}',
                b'v' => '\u{b}',
                b'\\' => '\\',
                b'\'' => '\'',
                b'"' => '"',
                b'x' | b'u' | b'U' => {
                    let n = match e {
                        b'x' => 2,
                        b'u' => 4,
                        _ => 8,
                    };
                    let hex = self.src.get(self.pos..self.pos + n).unwrap_or("");
                    let v = u32::from_str_radix(hex, 16)
                        .map_err(|_| self.err("invalid escape sequence", esc_start))?;
                    self.pos += n;
                    char::from_u32(v)
                        .ok_or_else(|| self.err("invalid Unicode code point", esc_start))?
                }
                b'0'..=b'7' => {
                    let oct = self.src.get(self.pos - 1..self.pos + 2).unwrap_or("");
                    let v = u32::from_str_radix(oct, 8)
                        .map_err(|_| self.err("invalid escape sequence", esc_start))?;
                    self.pos += 2;
                    char::from_u32(v)
                        .ok_or_else(|| self.err("invalid escape sequence", esc_start))?
                }
                _ => return Err(self.err("invalid escape sequence", esc_start)),
            };
            out.push(c);
        }
    }
}
