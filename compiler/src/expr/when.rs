//! `when:` conditions: govaluate after tag substitution (spec §3).
//!
//! Bare words become string literals (Argo's VARIABLE→string rewrite for steps, tasks and
//! metrics; not for CronWorkflow `when`), numbers are float64, quoted strings that look like dates
//! become Unix seconds. Runs of symbol characters are one token (`==-1` is invalid). The result
//! must be a bool. Parsing is iterative per precedence level with a depth counter for `(`/prefix
//! operators, so hostile input cannot overflow the stack.

use super::error::{ErrorKind, ExprError};
use super::format::go_float;
use super::lang::ast::TextRange;
use super::{Limits, regex_go, time};

/// A govaluate token.
#[derive(Clone, Debug, PartialEq)]
pub enum WTok {
    Num(f64),
    Bool(bool),
    Str(String),
    /// A bare word (kept when `variables_as_strings` is off: an unknown parameter).
    Variable(String),
    /// `foo.bar`: govaluate accessor syntax, always an error here.
    Accessor(String),
    Op(String),
    Open,
    Close,
    Comma,
}

/// A token with its range.
#[derive(Clone, Debug, PartialEq)]
pub struct WToken {
    pub tok: WTok,
    pub range: TextRange,
}

/// Options for [`evaluate`].
#[derive(Clone, Copy, Debug)]
pub struct WhenOptions {
    /// Turn bare words into strings (steps, tasks, metrics: true; CronWorkflow: false).
    pub variables_as_strings: bool,
}

impl Default for WhenOptions {
    fn default() -> Self {
        WhenOptions {
            variables_as_strings: true,
        }
    }
}

/// A govaluate value.
#[derive(Clone, Debug, PartialEq)]
pub enum WValue {
    Nil,
    Bool(bool),
    Num(f64),
    Str(String),
    List(Vec<WValue>),
}

impl WValue {
    fn show(&self) -> String {
        match self {
            WValue::Nil => "<nil>".into(),
            WValue::Bool(b) => b.to_string(),
            WValue::Num(n) => go_float(*n),
            WValue::Str(s) => s.clone(),
            WValue::List(l) => format!(
                "[{}]",
                l.iter().map(WValue::show).collect::<Vec<_>>().join(" ")
            ),
        }
    }
}

fn err(msg: impl Into<String>, range: TextRange) -> ExprError {
    ExprError::new(ErrorKind::Syntax, msg, range)
}

const OPERATORS: &[&str] = &[
    "==", "!=", ">", ">=", "<", "<=", "=~", "!~", "&&", "||", "+", "-", "*", "/", "%", "**", "&",
    "|", "^", "<<", ">>", "!", "~", "?", ":", "??",
];

const DATE_LAYOUTS: &[&str] = &[
    "Mon Jan _2 15:04:05 2006",
    "Mon Jan _2 15:04:05 MST 2006",
    "Mon Jan 02 15:04:05 -0700 2006",
    "3:04PM",
    "2006-01-02T15:04:05Z07:00",
    "2006-01-02T15:04:05.999999999Z07:00",
    "2006-01-02",
    "2006-01-02 15:04",
    "2006-01-02 15:04:05",
    "2006-01-02 15:04:05-07:00",
    "2006-01-02T15Z0700",
    "2006-01-02T15:04Z0700",
    "2006-01-02T15:04:05Z0700",
    "2006-01-02T15:04:05.999999999Z0700",
];

/// Whether a quoted string can match one of [`DATE_LAYOUTS`]: every layout starts with a
/// number (`2006`, `3`) or a weekday name (`Mon`, matched case-insensitively by Go), so other
/// strings skip the 14 parse attempts.
fn may_be_date(s: &str) -> bool {
    const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    let b = s.as_bytes();
    b.first().is_some_and(u8::is_ascii_digit)
        || s.get(..3)
            .is_some_and(|d| DAYS.iter().any(|day| d.eq_ignore_ascii_case(day)))
}

/// Tokenises a `when` string.
pub fn tokenize(src: &str, opts: WhenOptions, limits: &Limits) -> Result<Vec<WToken>, ExprError> {
    if src.len() > limits.max_len {
        return Err(ExprError::new(
            ErrorKind::TooComplex,
            "condition is too long",
            TextRange::new(0, src.len()),
        ));
    }
    let b = src.as_bytes();
    let mut i = 0;
    let mut out = Vec::new();
    while i < b.len() {
        let c = b[i];
        let start = i;
        let ch = src[i..].chars().next().unwrap_or(' ');
        let tok = if ch.is_whitespace() {
            i += ch.len_utf8();
            continue;
        } else if c.is_ascii_digit() {
            let (t, n) = number(&src[i..]).map_err(|m| err(m, TextRange::new(i, i + 1)))?;
            i += n;
            t
        } else if ch.is_alphabetic() || c == b'_' {
            let n = src[i..]
                .char_indices()
                .find(|(_, c)| !(c.is_alphanumeric() || *c == '_' || *c == '.'))
                .map_or(src.len() - i, |(j, _)| j);
            let word = &src[i..i + n];
            i += n;
            match word {
                "true" => WTok::Bool(true),
                "false" => WTok::Bool(false),
                "in" | "IN" => WTok::Op("in".into()),
                w if w.contains('.') => WTok::Accessor(w.into()),
                w if opts.variables_as_strings => WTok::Str(w.into()),
                w => WTok::Variable(w.into()),
            }
        } else if c == b'[' {
            let end = src[i..]
                .find(']')
                .ok_or_else(|| err("Unclosed parameter bracket", TextRange::new(i, src.len())))?;
            let word = &src[i + 1..i + end];
            i += end + 1;
            if opts.variables_as_strings {
                WTok::Str(word.into())
            } else {
                WTok::Variable(word.into())
            }
        } else if c == b'\'' || c == b'"' {
            let mut s = String::new();
            let mut j = i + 1;
            let mut closed = false;
            while let Some(ch) = src[j..].chars().next() {
                j += ch.len_utf8();
                match ch {
                    '\\' => {
                        if let Some(n) = src[j..].chars().next() {
                            s.push(n);
                            j += n.len_utf8();
                        }
                    }
                    '\'' | '"' => {
                        closed = true;
                        break;
                    }
                    other => s.push(other),
                }
            }
            if !closed {
                return Err(err("Unclosed string literal", TextRange::new(i, src.len())));
            }
            i = j;
            let date = if may_be_date(&s) {
                DATE_LAYOUTS
                    .iter()
                    .find_map(|l| time::parse(l, &s, "UTC").ok())
            } else {
                None
            };
            match date {
                Some(t) => WTok::Num(t.unix() as f64 + t.nanos() as f64 / 1e9),
                None => WTok::Str(s),
            }
        } else if c == b'(' {
            i += 1;
            WTok::Open
        } else if c == b')' {
            i += 1;
            WTok::Close
        } else if c == b',' {
            i += 1;
            WTok::Comma
        } else {
            let n = src[i..]
                .char_indices()
                .find(|(_, c)| c.is_alphanumeric() || c.is_whitespace() || "()[]'\",_".contains(*c))
                .map_or(src.len() - i, |(j, _)| j)
                // At least the whole first character (`፹` is numeric but not a digit).
                .max(ch.len_utf8());
            let sym = &src[i..i + n];
            i += n;
            if !OPERATORS.contains(&sym) {
                return Err(err(
                    format!("Invalid token: '{sym}'"),
                    TextRange::new(start, i),
                ));
            }
            WTok::Op(sym.into())
        };
        out.push(WToken {
            tok,
            range: TextRange::new(start, i),
        });
        if out.len() > limits.max_tokens {
            return Err(ExprError::new(
                ErrorKind::TooComplex,
                "condition has too many tokens",
                TextRange::new(0, src.len()),
            ));
        }
    }
    Ok(out)
}

fn number(s: &str) -> Result<(WTok, usize), String> {
    if let Some(h) = s.strip_prefix("0x") {
        let n = h.bytes().take_while(u8::is_ascii_hexdigit).count();
        let v = u64::from_str_radix(&h[..n], 16)
            .map_err(|_| format!("Unable to parse hex value '{}' to uint64", &s[..n + 2]))?;
        return Ok((WTok::Num(v as f64), n + 2));
    }
    let n = s
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b'.')
        .count();
    let text = &s[..n];
    let v: f64 = text
        .parse()
        .map_err(|_| format!("Unable to parse numeric value '{text}' to float64"))?;
    Ok((WTok::Num(v), n))
}

/// Evaluates a `when` string (already substituted). Empty means "run".
pub fn evaluate(src: &str, opts: WhenOptions, limits: &Limits) -> Result<bool, ExprError> {
    if src.trim().is_empty() {
        return Ok(true);
    }
    let toks = tokenize(src, opts, limits)?;
    let mut p = Parser {
        skip: 0,
        toks: &toks,
        pos: 0,
        depth: 0,
        limits,
        src_len: src.len(),
    };
    let v = p.ternary()?;
    if let Some(t) = p.toks.get(p.pos) {
        return Err(err(
            format!("Cannot transition token types: unexpected {:?}", t.tok),
            t.range,
        ));
    }
    match v {
        WValue::Bool(b) => Ok(b),
        other => Err(ExprError::runtime(
            format!(
                "Expected boolean evaluation for '{src}'. Got {}",
                other.show()
            ),
            TextRange::new(0, src.len()),
        )),
    }
}

struct Parser<'t> {
    toks: &'t [WToken],
    pos: usize,
    depth: usize,
    /// > 0 inside a short-circuited operand: evaluation errors are ignored.
    skip: u32,
    limits: &'t Limits,
    src_len: usize,
}

const LEVELS: &[&[&str]] = &[
    &["||"],
    &["&&"],
    &["==", "!=", ">", ">=", "<", "<=", "=~", "!~", "in"],
    &["&", "|", "^"],
    &["<<", ">>"],
    &["+", "-"],
    &["*", "/", "%"],
    &["**"],
];

impl Parser<'_> {
    fn peek_op(&self) -> Option<&str> {
        match self.toks.get(self.pos).map(|t| &t.tok) {
            Some(WTok::Op(o)) => Some(o),
            _ => None,
        }
    }

    fn here(&self) -> TextRange {
        self.toks
            .get(self.pos)
            .map_or(TextRange::new(self.src_len, self.src_len), |t| t.range)
    }

    fn enter(&mut self) -> Result<(), ExprError> {
        self.depth += 1;
        if self.depth > self.limits.max_depth {
            return Err(ExprError::new(
                ErrorKind::TooComplex,
                "condition is nested too deeply",
                self.here(),
            ));
        }
        Ok(())
    }

    fn ternary(&mut self) -> Result<WValue, ExprError> {
        self.enter()?;
        let cond = self.binary(0)?;
        let out = match self.peek_op() {
            Some("?") => {
                self.pos += 1;
                let a = self.ternary()?;
                let b = if self.peek_op() == Some(":") {
                    self.pos += 1;
                    Some(self.ternary()?)
                } else {
                    None
                };
                match cond {
                    WValue::Bool(true) => a,
                    WValue::Bool(false) => b.unwrap_or(WValue::Nil),
                    other => {
                        return Err(ExprError::runtime(
                            format!(
                                "Value '{}' cannot be used with the ternary operator '?', it is not a bool",
                                other.show()
                            ),
                            self.here(),
                        ));
                    }
                }
            }
            Some("??") => {
                self.pos += 1;
                let b = self.ternary()?;
                if cond == WValue::Nil { b } else { cond }
            }
            _ => cond,
        };
        self.depth -= 1;
        Ok(out)
    }

    /// Precedence climbing over [`LEVELS`]: recursion happens only for right operands, so a
    /// parenthesis costs a constant number of frames.
    fn binary(&mut self, min_level: usize) -> Result<WValue, ExprError> {
        let mut l = self.prefix()?;
        while let Some((op, level)) = self
            .peek_op()
            .and_then(|o| {
                LEVELS
                    .iter()
                    .position(|ops| ops.contains(&o))
                    .map(|lv| (o.to_string(), lv))
            })
            .filter(|(_, lv)| *lv >= min_level)
        {
            let range = self.here();
            self.pos += 1;
            let short =
                op == "&&" && l == WValue::Bool(false) || op == "||" && l == WValue::Bool(true);
            if short {
                // govaluate does not evaluate the right side; it must still parse.
                self.skip += 1;
                let r = self.binary(level + 1);
                self.skip -= 1;
                r?;
                continue;
            }
            let r = self.binary(level + 1)?;
            l = match apply(&op, l, r, range) {
                Ok(v) => v,
                Err(_) if self.skip > 0 => WValue::Nil,
                Err(e) => return Err(e),
            };
        }
        Ok(l)
    }

    fn prefix(&mut self) -> Result<WValue, ExprError> {
        if let Some(op) = self
            .peek_op()
            .filter(|o| matches!(*o, "-" | "!" | "~"))
            .map(str::to_string)
        {
            let range = self.here();
            self.pos += 1;
            self.enter()?;
            let v = self.prefix()?;
            self.depth -= 1;
            return match (op.as_str(), v) {
                ("-", WValue::Num(n)) => Ok(WValue::Num(-n)),
                ("!", WValue::Bool(b)) => Ok(WValue::Bool(!b)),
                ("~", WValue::Num(n)) => Ok(WValue::Num(!(n as i64) as f64)),
                (_, v) => Err(ExprError::runtime(
                    format!("Value '{}' cannot be used with the prefix '{op}'", v.show()),
                    range,
                )),
            };
        }
        let Some(t) = self.toks.get(self.pos) else {
            return Err(err("Unexpected end of expression", self.here()));
        };
        self.pos += 1;
        match &t.tok {
            WTok::Num(n) => Ok(WValue::Num(*n)),
            WTok::Bool(b) => Ok(WValue::Bool(*b)),
            WTok::Str(s) => Ok(WValue::Str(s.clone())),
            WTok::Variable(v) => Err(ExprError::new(
                ErrorKind::Missing,
                format!("No parameter '{v}' found."),
                t.range,
            )),
            WTok::Accessor(a) => {
                let (head, field) = a.split_once('.').unwrap_or((a, ""));
                let msg = if head.chars().next().is_some_and(char::is_lowercase)
                    && !field.is_empty()
                    && field.chars().next().is_some_and(char::is_lowercase)
                {
                    format!("Unable to access unexported field '{field}' in token '{a}'")
                } else {
                    format!("No parameter '{head}' found.")
                };
                Err(ExprError::new(ErrorKind::Syntax, msg, t.range))
            }
            WTok::Open => {
                self.enter()?;
                let mut items = vec![self.ternary()?];
                while matches!(self.toks.get(self.pos).map(|t| &t.tok), Some(WTok::Comma)) {
                    self.pos += 1;
                    items.push(self.ternary()?);
                }
                if !matches!(self.toks.get(self.pos).map(|t| &t.tok), Some(WTok::Close)) {
                    return Err(err("Unbalanced parenthesis", self.here()));
                }
                self.pos += 1;
                self.depth -= 1;
                Ok(if items.len() == 1 {
                    items.remove(0)
                } else {
                    WValue::List(items)
                })
            }
            other => Err(err(
                format!("Cannot transition token types: unexpected {other:?}"),
                t.range,
            )),
        }
    }
}

fn apply(op: &str, l: WValue, r: WValue, range: TextRange) -> Result<WValue, ExprError> {
    use WValue as W;
    let not_num = |v: &W, kind: &str| {
        ExprError::runtime(
            format!(
                "Value '{}' cannot be used with the {kind} '{op}', it is not a number",
                v.show()
            ),
            range,
        )
    };
    let nums = |kind: &str| -> Result<(f64, f64), ExprError> {
        match (&l, &r) {
            (W::Num(a), W::Num(b)) => Ok((*a, *b)),
            (W::Num(_), other) | (other, _) => Err(not_num(other, kind)),
        }
    };
    Ok(match op {
        "==" => W::Bool(l == r),
        "!=" => W::Bool(l != r),
        ">" | ">=" | "<" | "<=" => {
            let ord = match (&l, &r) {
                (W::Str(a), W::Str(b)) => a.cmp(b),
                _ => {
                    let (a, b) = nums("comparator")?;
                    a.partial_cmp(&b).unwrap_or(std::cmp::Ordering::Equal)
                }
            };
            W::Bool(match op {
                ">" => ord.is_gt(),
                ">=" => ord.is_ge(),
                "<" => ord.is_lt(),
                _ => ord.is_le(),
            })
        }
        "=~" | "!~" => match (&l, &r) {
            (W::Str(s), W::Str(p)) => {
                let re = regex_go::compile(p).map_err(|e| ExprError::runtime(e, range))?;
                W::Bool(re.is_match(s) == (op == "=~"))
            }
            _ => {
                return Err(ExprError::runtime(
                    format!(
                        "Value '{}' cannot be used with the comparator '{op}', it is not a string",
                        l.show()
                    ),
                    range,
                ));
            }
        },
        "in" => match &r {
            W::List(items) => W::Bool(items.contains(&l)),
            other => W::Bool(*other == l),
        },
        "&&" | "||" => match (&l, &r) {
            (W::Bool(a), W::Bool(b)) => W::Bool(if op == "&&" { *a && *b } else { *a || *b }),
            _ => {
                return Err(ExprError::runtime(
                    format!(
                        "Value '{}' cannot be used with the logical operator '{op}', it is not a bool",
                        if matches!(l, W::Bool(_)) {
                            r.show()
                        } else {
                            l.show()
                        }
                    ),
                    range,
                ));
            }
        },
        "+" => match (&l, &r) {
            (W::Str(_), _) | (_, W::Str(_)) => W::Str(format!("{}{}", l.show(), r.show())),
            _ => {
                let (a, b) = nums("modifier")?;
                W::Num(a + b)
            }
        },
        _ => {
            let (a, b) = nums("modifier")?;
            let (x, y) = (a as i64, b as i64);
            W::Num(match op {
                "-" => a - b,
                "*" => a * b,
                "/" => a / b,
                "%" => a % b,
                "**" => a.powf(b),
                "&" => (x & y) as f64,
                "|" => (x | y) as f64,
                "^" => (x ^ y) as f64,
                "<<" => x.checked_shl(y.clamp(0, 63) as u32).unwrap_or(0) as f64,
                _ => x.checked_shr(y.clamp(0, 63) as u32).unwrap_or(0) as f64,
            })
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(s: &str) -> Result<bool, String> {
        evaluate(s, WhenOptions::default(), &Limits::default()).map_err(|e| e.message)
    }

    #[test]
    fn short_circuit_skips_evaluation_errors_on_the_right() {
        assert_eq!(eval("false && (1 > 'a')"), Ok(false));
        assert_eq!(eval("true || my-value"), Ok(true));
        assert!(eval("true && (1 > 'a')").is_err());
    }

    #[test]
    fn cron_when_keeps_bare_words_as_parameters() {
        let opts = WhenOptions {
            variables_as_strings: false,
        };
        let r = evaluate("x == x", opts, &Limits::default());
        assert!(r.is_err_and(|e| e.message == "No parameter 'x' found."));
    }

    #[test]
    fn only_strings_that_may_be_dates_are_parsed_as_dates() {
        assert!(may_be_date("2021-01-01") && may_be_date("3:04PM"));
        assert!(may_be_date("Mon Jan  2 15:04:05 2006") && may_be_date("sat"));
        assert!(!may_be_date("ok") && !may_be_date("") && !may_be_date("today"));
        assert_eq!(eval("'2021-01-01' == '2021-01-01 00:00'"), Ok(true));
        assert_eq!(eval("'Mon Jan  4 00:00:00 2021' == '2021-01-04'"), Ok(true));
        assert_eq!(eval("'ok' == 'ok'"), Ok(true));
    }

    #[test]
    fn ternary_and_coalesce() {
        assert_eq!(eval("(true ? 1 : 2) == 1"), Ok(true));
        assert_eq!(eval("(false ? 1) == 1"), Ok(false));
    }
}
