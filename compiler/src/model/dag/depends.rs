//! A minimal parser for DAG `depends` expressions: task names, optional `.Result` suffixes,
//! `&&`, `||`, `!` and parentheses.
//!
//! Argo itself only extracts names with a regex and lets expr-lang fail at runtime (FN-02). This
//! parser keeps every operand with its byte range (so edges of the DAG graph point at the exact
//! name) and reports the first syntax error. It is private to the DAG model on purpose: the
//! expression engine will later provide a full one. Nesting is capped at [`MAX_DEPTH`], so hostile
//! input cannot exhaust the stack.

use std::ops::Range;

/// Deepest nesting of parentheses and `!` accepted.
pub(crate) const MAX_DEPTH: usize = 64;

/// The task results a `depends` operand may test.
pub(crate) const RESULTS: [&str; 8] = [
    "Succeeded",
    "Failed",
    "Errored",
    "Skipped",
    "Omitted",
    "Daemoned",
    "AnySucceeded",
    "AllFailed",
];

/// `task` or `task.Result`, with byte ranges into the expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Operand {
    pub name: Range<usize>,
    /// The range of the result word after the dot (without the dot).
    pub result: Option<Range<usize>>,
}

/// The first syntax error of an expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    pub range: Range<usize>,
    pub message: String,
    pub help: Option<&'static str>,
}

/// The operands of an expression (found even when its syntax is wrong) and its first error.
#[derive(Clone, Debug, Default)]
pub(crate) struct Depends {
    pub operands: Vec<Operand>,
    pub error: Option<SyntaxError>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    Operand(usize),
    And,
    Or,
    Not,
    Open,
    Close,
}

/// Parses `depends`. An empty or blank expression has no operands and no error.
pub(crate) fn parse(text: &str) -> Depends {
    let mut out = Depends::default();
    let toks = lex(text, &mut out);
    if out.error.is_none() && !toks.is_empty() {
        let mut p = Parser {
            toks: &toks,
            pos: 0,
            end: text.len(),
        };
        let res = p.or(0).and_then(|()| match p.toks.get(p.pos) {
            None => Ok(()),
            Some((Tok::Close, r)) => Err(err(r.clone(), "unmatched `)`")),
            Some((_, r)) => Err(SyntaxError {
                range: r.clone(),
                message: "expected `&&` or `||` between operands".to_string(),
                help: Some("combine dependencies with `&&` or `||`"),
            }),
        });
        out.error = res.err();
    }
    out
}

fn err(range: Range<usize>, message: &str) -> SyntaxError {
    SyntaxError {
        range,
        message: message.to_string(),
        help: None,
    }
}

fn is_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-' || c == b'_'
}

fn lex(text: &str, out: &mut Depends) -> Vec<(Tok, Range<usize>)> {
    let b = text.as_bytes();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let start = i;
        let tok = match c {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'&' | b'|' => {
                if b.get(i + 1) == Some(&c) {
                    i += 2;
                    if c == b'&' { Tok::And } else { Tok::Or }
                } else {
                    i += 1;
                    set_error(
                        out,
                        SyntaxError {
                            range: start..i,
                            message: format!("`{}` is not an operator", c as char),
                            help: Some(if c == b'&' {
                                "write `&&` for \"and\""
                            } else {
                                "write `||` for \"or\""
                            }),
                        },
                    );
                    continue;
                }
            }
            b'!' => {
                i += 1;
                Tok::Not
            }
            b'(' => {
                i += 1;
                Tok::Open
            }
            b')' => {
                i += 1;
                Tok::Close
            }
            c if is_name_char(c) => {
                while i < b.len() && is_name_char(b[i]) {
                    i += 1;
                }
                let name = start..i;
                let mut result = None;
                if b.get(i) == Some(&b'.') {
                    let rs = i + 1;
                    let mut j = rs;
                    while j < b.len() && b[j].is_ascii_alphanumeric() {
                        j += 1;
                    }
                    if j == rs {
                        set_error(out, err(i..i + 1, "expected a task result after `.`"));
                    }
                    result = Some(rs..j);
                    i = j;
                }
                out.operands.push(Operand { name, result });
                Tok::Operand(out.operands.len() - 1)
            }
            _ => {
                let len = text[i..].chars().next().map_or(1, char::len_utf8);
                i += len;
                set_error(
                    out,
                    err(
                        start..i,
                        &format!("unexpected `{}`", &text[start..i].escape_default()),
                    ),
                );
                continue;
            }
        };
        toks.push((tok, start..i));
    }
    toks
}

fn set_error(out: &mut Depends, e: SyntaxError) {
    out.error.get_or_insert(e);
}

struct Parser<'t> {
    toks: &'t [(Tok, Range<usize>)],
    pos: usize,
    end: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(t, _)| t)
    }

    fn or(&mut self, depth: usize) -> Result<(), SyntaxError> {
        self.and(depth)?;
        while self.peek() == Some(&Tok::Or) {
            self.pos += 1;
            self.and(depth)?;
        }
        Ok(())
    }

    fn and(&mut self, depth: usize) -> Result<(), SyntaxError> {
        self.unary(depth)?;
        while self.peek() == Some(&Tok::And) {
            self.pos += 1;
            self.unary(depth)?;
        }
        Ok(())
    }

    fn unary(&mut self, depth: usize) -> Result<(), SyntaxError> {
        if depth >= MAX_DEPTH {
            let r = self
                .toks
                .get(self.pos)
                .map_or(self.end..self.end, |t| t.1.clone());
            return Err(err(r, "expression nests too deeply"));
        }
        let Some((tok, range)) = self.toks.get(self.pos) else {
            return Err(err(self.end..self.end, "expected a task name"));
        };
        match tok {
            Tok::Not => {
                self.pos += 1;
                self.unary(depth + 1)
            }
            Tok::Open => {
                self.pos += 1;
                self.or(depth + 1)?;
                if self.peek() == Some(&Tok::Close) {
                    self.pos += 1;
                    Ok(())
                } else {
                    Err(err(range.clone(), "unclosed `(`"))
                }
            }
            Tok::Operand(_) => {
                self.pos += 1;
                Ok(())
            }
            Tok::And | Tok::Or | Tok::Close => Err(err(range.clone(), "expected a task name")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<&str> {
        parse(text)
            .operands
            .iter()
            .map(|o| &text[o.name.clone()])
            .collect()
    }

    fn error(text: &str) -> Option<String> {
        parse(text).error.map(|e| e.message)
    }

    #[test]
    fn operands_with_and_without_results() {
        let text = "(A.Succeeded || B-1) && !C.AnySucceeded";
        assert_eq!(names(text), ["A", "B-1", "C"]);
        let d = parse(text);
        assert_eq!(d.error, None);
        assert_eq!(&text[d.operands[2].result.clone().unwrap()], "AnySucceeded");
    }

    #[test]
    fn blank_is_empty() {
        let d = parse("  ");
        assert!(d.operands.is_empty() && d.error.is_none());
    }

    #[test]
    fn syntax_errors() {
        assert_eq!(error("A &&").as_deref(), Some("expected a task name"));
        assert_eq!(error("(A").as_deref(), Some("unclosed `(`"));
        assert_eq!(error("A)").as_deref(), Some("unmatched `)`"));
        assert_eq!(error("A & B").as_deref(), Some("`&` is not an operator"));
        assert_eq!(
            error("A B").as_deref(),
            Some("expected `&&` or `||` between operands")
        );
        assert_eq!(
            error("A.").as_deref(),
            Some("expected a task result after `.`")
        );
        assert_eq!(error("A # B").as_deref(), Some("unexpected `#`"));
        // Names are still found for the graph.
        assert_eq!(names("A & B"), ["A", "B"]);
    }

    #[test]
    fn depth_is_bounded() {
        let deep = format!("{}A{}", "(".repeat(10_000), ")".repeat(10_000));
        assert_eq!(error(&deep).as_deref(), Some("expression nests too deeply"));
        let nots = format!("{}A", "!".repeat(10_000));
        assert_eq!(error(&nots).as_deref(), Some("expression nests too deeply"));
        let ok = format!("{}A{}", "(".repeat(20), ")".repeat(20));
        assert_eq!(error(&ok), None);
    }
}
