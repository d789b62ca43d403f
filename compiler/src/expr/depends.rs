//! DAG `depends:` expressions (spec §4): task names with optional `.Result`, combined with `&&`,
//! `||`, `!` and parentheses. This is Bosun's only `depends` parser: [`scan`] yields every
//! referenced task with its range (even when the syntax is wrong, for the DAG graph) and the
//! tree or the first error, within the [`Limits`] budgets; [`parse`] is its tree; [`evaluate`]
//! applies Argo's expansion of a bare name to `(T.Succeeded || T.Skipped || T.Daemoned)`.

use std::collections::BTreeMap;

use super::Limits;
use super::error::{ErrorKind, ExprError};
use super::lang::ast::TextRange;

/// The results a task can be tested for.
pub const RESULTS: &[&str] = &[
    "Succeeded",
    "Failed",
    "Errored",
    "Skipped",
    "Omitted",
    "Daemoned",
    "AnySucceeded",
    "AllFailed",
];

/// A task reference: `name` or `name.Result`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskRef {
    pub task: String,
    pub task_range: TextRange,
    /// The result after the dot, verbatim (may be invalid, e.g. `succeeded`).
    pub result: Option<String>,
    pub result_range: Option<TextRange>,
}

/// A `depends` tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Depends {
    Task(TaskRef),
    Not(Box<Depends>),
    And(Box<Depends>, Box<Depends>),
    Or(Box<Depends>, Box<Depends>),
}

impl Depends {
    /// Every task reference, in source order.
    pub fn refs(&self) -> Vec<&TaskRef> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(d) = stack.pop() {
            match d {
                Depends::Task(t) => out.push(t),
                Depends::Not(x) => stack.push(x),
                Depends::And(a, b) | Depends::Or(a, b) => {
                    stack.push(b);
                    stack.push(a);
                }
            }
        }
        out
    }
}

#[derive(Debug, Clone, PartialEq)]
enum T {
    Ref(TaskRef),
    And,
    Or,
    Not,
    Open,
    Close,
}

/// Tokens, every task reference (in source order) and the first lexical error. Lexing goes on
/// after an error so that references are still found (the DAG graph needs them even when the
/// expression is malformed).
struct Lexed {
    toks: Vec<(T, TextRange)>,
    refs: Vec<TaskRef>,
    error: Option<ExprError>,
}

fn is_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-' || c == b'_'
}

fn tokens(src: &str, limits: &Limits) -> Lexed {
    let mut lx = Lexed {
        toks: Vec::new(),
        refs: Vec::new(),
        error: None,
    };
    if src.len() > limits.max_len {
        lx.error = Some(ExprError::new(
            ErrorKind::TooComplex,
            "depends is too long",
            TextRange::new(0, src.len()),
        ));
        return lx;
    }
    let syntax = |lx: &mut Lexed, message: String, range: TextRange| {
        lx.error
            .get_or_insert_with(|| ExprError::new(ErrorKind::Syntax, message, range));
    };
    let b = src.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let start = i;
        let t = match c {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'&' | b'|' if b.get(i + 1) == Some(&c) => {
                i += 2;
                if c == b'&' { T::And } else { T::Or }
            }
            b'&' | b'|' => {
                i += 1;
                let c = c as char;
                syntax(
                    &mut lx,
                    format!("`{c}` is not an operator in depends; write `{c}{c}`"),
                    TextRange::new(start, i),
                );
                continue;
            }
            b'!' => {
                i += 1;
                T::Not
            }
            b'(' => {
                i += 1;
                T::Open
            }
            b')' => {
                i += 1;
                T::Close
            }
            c if is_name_char(c) => {
                while i < b.len() && is_name_char(b[i]) {
                    i += 1;
                }
                let task = src[start..i].to_string();
                let task_range = TextRange::new(start, i);
                if matches!(task.as_str(), "and" | "or" | "not") {
                    syntax(
                        &mut lx,
                        format!("`{task}` is read as a task name in depends; use && || !"),
                        task_range,
                    );
                }
                let (result, result_range) = if b.get(i) == Some(&b'.') {
                    let rs = i + 1;
                    i += 1;
                    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                        i += 1;
                    }
                    if i == rs {
                        syntax(
                            &mut lx,
                            "expected a task result after `.` in depends".into(),
                            TextRange::new(rs - 1, rs),
                        );
                    }
                    (Some(src[rs..i].to_string()), Some(TextRange::new(rs, i)))
                } else {
                    (None, None)
                };
                let r = TaskRef {
                    task,
                    task_range,
                    result,
                    result_range,
                };
                lx.refs.push(r.clone());
                T::Ref(r)
            }
            _ => {
                let ch = src[i..].chars().next().unwrap_or('?');
                i += ch.len_utf8();
                syntax(
                    &mut lx,
                    format!("unexpected character {ch:?} in depends"),
                    TextRange::new(start, i),
                );
                continue;
            }
        };
        lx.toks.push((t, TextRange::new(start, i)));
        if lx.toks.len() > limits.max_tokens {
            lx.error = Some(ExprError::new(
                ErrorKind::TooComplex,
                "depends has too many tokens",
                TextRange::new(0, src.len()),
            ));
            return lx;
        }
    }
    lx
}

/// A `depends` string read for the DAG model: every task reference (found even when the
/// syntax is wrong) and the parsed tree or the first error.
#[derive(Clone, Debug)]
pub struct Scan {
    pub refs: Vec<TaskRef>,
    pub tree: Result<Depends, ExprError>,
}

/// Reads a `depends` string: its references and its tree. A blank string has no references
/// and is an error ("unexpected end").
pub fn scan(src: &str, limits: &Limits) -> Scan {
    let lx = tokens(src, limits);
    let tree = match lx.error {
        Some(e) => Err(e),
        None => parse_tokens(lx.toks, src.len(), limits),
    };
    Scan {
        refs: lx.refs,
        tree,
    }
}

/// Parses a `depends` string.
pub fn parse(src: &str, limits: &Limits) -> Result<Depends, ExprError> {
    scan(src, limits).tree
}

fn parse_tokens(
    toks: Vec<(T, TextRange)>,
    end: usize,
    limits: &Limits,
) -> Result<Depends, ExprError> {
    let mut p = P {
        toks,
        pos: 0,
        depth: 0,
        limits,
        end,
    };
    let d = p.or()?;
    if let Some((t, r)) = p.toks.get(p.pos) {
        let message = if *t == T::Close {
            "unmatched ) in depends"
        } else {
            "expected && or || in depends"
        };
        return Err(ExprError::new(ErrorKind::Syntax, message, *r));
    }
    Ok(d)
}

struct P<'l> {
    toks: Vec<(T, TextRange)>,
    pos: usize,
    depth: usize,
    limits: &'l Limits,
    end: usize,
}

impl P<'_> {
    fn here(&self) -> TextRange {
        self.toks
            .get(self.pos)
            .map_or(TextRange::new(self.end, self.end), |t| t.1)
    }

    fn or(&mut self) -> Result<Depends, ExprError> {
        self.depth += 1;
        if self.depth > self.limits.max_depth {
            return Err(ExprError::new(
                ErrorKind::TooComplex,
                "depends is nested too deeply",
                self.here(),
            ));
        }
        let mut l = self.and()?;
        while matches!(self.toks.get(self.pos), Some((T::Or, _))) {
            self.pos += 1;
            l = Depends::Or(Box::new(l), Box::new(self.and()?));
        }
        self.depth -= 1;
        Ok(l)
    }

    fn and(&mut self) -> Result<Depends, ExprError> {
        let mut l = self.unary()?;
        while matches!(self.toks.get(self.pos), Some((T::And, _))) {
            self.pos += 1;
            l = Depends::And(Box::new(l), Box::new(self.unary()?));
        }
        Ok(l)
    }

    fn unary(&mut self) -> Result<Depends, ExprError> {
        let here = self.here();
        let Some((t, _)) = self.toks.get(self.pos).cloned() else {
            return Err(ExprError::new(
                ErrorKind::Syntax,
                "unexpected end of depends",
                here,
            ));
        };
        self.pos += 1;
        match t {
            T::Ref(r) => Ok(Depends::Task(r)),
            T::Not => {
                self.depth += 1;
                if self.depth > self.limits.max_depth {
                    return Err(ExprError::new(
                        ErrorKind::TooComplex,
                        "depends is nested too deeply",
                        here,
                    ));
                }
                let inner = self.unary()?;
                self.depth -= 1;
                Ok(Depends::Not(Box::new(inner)))
            }
            T::Open => {
                let inner = self.or()?;
                if !matches!(self.toks.get(self.pos), Some((T::Close, _))) {
                    return Err(ExprError::new(
                        ErrorKind::Syntax,
                        "this ( is not closed in depends",
                        here,
                    ));
                }
                self.pos += 1;
                Ok(inner)
            }
            _ => Err(ExprError::new(
                ErrorKind::Syntax,
                "expected a task name in depends",
                here,
            )),
        }
    }
}

/// The state of a finished task, as `depends` sees it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TaskStatus {
    /// `Succeeded`, `Failed`, `Error`, `Skipped`, `Omitted`, …
    pub phase: String,
    pub daemoned: bool,
    /// Phases of the children when the task is a loop group.
    pub children: Option<Vec<String>>,
}

/// Evaluates a parsed `depends` against task results. Task names are compared after Argo's
/// `-` → `_` rewrite, so `a-b` and `a_b` collide as upstream.
pub fn evaluate(d: &Depends, tasks: &BTreeMap<String, TaskStatus>) -> Result<bool, ExprError> {
    let norm: BTreeMap<String, &TaskStatus> = tasks
        .iter()
        .map(|(k, v)| (k.replace('-', "_"), v))
        .collect();
    eval(d, &norm)
}

fn eval(d: &Depends, tasks: &BTreeMap<String, &TaskStatus>) -> Result<bool, ExprError> {
    Ok(match d {
        Depends::Not(x) => !eval(x, tasks)?,
        Depends::And(a, b) => eval(a, tasks)? && eval(b, tasks)?,
        Depends::Or(a, b) => eval(a, tasks)? || eval(b, tasks)?,
        Depends::Task(r) => {
            let Some(st) = tasks.get(&r.task.replace('-', "_")) else {
                return Err(ExprError::new(
                    ErrorKind::Missing,
                    format!("dependency '{}' not defined", r.task),
                    r.task_range,
                ));
            };
            let is = |p: &str| st.phase == p;
            let result = |name: &str| -> Result<bool, ExprError> {
                Ok(match name {
                    "Succeeded" => is("Succeeded"),
                    "Failed" => is("Failed"),
                    "Errored" => is("Error"),
                    "Skipped" => is("Skipped"),
                    "Omitted" => is("Omitted"),
                    "Daemoned" => st.daemoned && !is("Pending"),
                    "AnySucceeded" => st
                        .children
                        .as_ref()
                        .is_some_and(|c| c.iter().any(|p| p == "Succeeded")),
                    "AllFailed" => st
                        .children
                        .as_ref()
                        .is_some_and(|c| !c.is_empty() && c.iter().all(|p| p == "Failed")),
                    other => {
                        return Err(ExprError::new(
                            ErrorKind::Compile,
                            format!("task result '{other}' for task '{}' is invalid", r.task),
                            r.result_range.unwrap_or(r.task_range),
                        ));
                    }
                })
            };
            match &r.result {
                Some(res) => result(res)?,
                None => result("Succeeded")? || result("Skipped")? || result("Daemoned")?,
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(src: &str) -> Vec<String> {
        scan(src, &Limits::default())
            .refs
            .into_iter()
            .map(|r| r.task)
            .collect()
    }

    fn error(src: &str) -> Option<String> {
        scan(src, &Limits::default()).tree.err().map(|e| e.message)
    }

    #[test]
    fn references_with_ranges_and_results() {
        let src = "(A.Succeeded || B-1) && !C.AnySucceeded";
        let s = scan(src, &Limits::default());
        assert!(s.tree.is_ok());
        let refs: Vec<(&str, Option<&str>)> = s
            .refs
            .iter()
            .map(|r| (&src[r.task_range.range()], r.result.as_deref()))
            .collect();
        assert_eq!(
            refs,
            [
                ("A", Some("Succeeded")),
                ("B-1", None),
                ("C", Some("AnySucceeded"))
            ]
        );
    }

    #[test]
    fn references_survive_syntax_errors() {
        assert_eq!(names("A & B"), ["A", "B"]);
        assert_eq!(names("(A || B"), ["A", "B"]);
        assert_eq!(names("A # B"), ["A", "B"]);
        assert_eq!(
            error("A & B").as_deref(),
            Some("`&` is not an operator in depends; write `&&`")
        );
        assert_eq!(
            error("(A").as_deref(),
            Some("this ( is not closed in depends")
        );
        assert_eq!(error("A)").as_deref(), Some("unmatched ) in depends"));
        assert_eq!(
            error("A B").as_deref(),
            Some("expected && or || in depends")
        );
        assert_eq!(
            error("A.").as_deref(),
            Some("expected a task result after `.` in depends")
        );
        assert_eq!(error("A &&").as_deref(), Some("unexpected end of depends"));
    }

    #[test]
    fn nesting_and_size_are_bounded() {
        let limits = Limits {
            max_depth: 64,
            ..Limits::default()
        };
        let deep = format!("{}A{}", "(".repeat(10_000), ")".repeat(10_000));
        let s = scan(
            &deep,
            &Limits {
                max_len: usize::MAX,
                max_tokens: usize::MAX,
                ..limits
            },
        );
        assert_eq!(s.tree.map_err(|e| e.kind), Err(ErrorKind::TooComplex));
        assert_eq!(s.refs.len(), 1);
        let nots = format!("{}A", "!".repeat(10_000));
        assert!(parse(&nots, &limits).is_err());
        let ok = format!("{}A{}", "(".repeat(20), ")".repeat(20));
        assert!(parse(&ok, &limits).is_ok());
        let long = "A && ".repeat(5_000) + "A";
        assert_eq!(
            parse(&long, &Limits::default()).map_err(|e| e.kind),
            Err(ErrorKind::TooComplex)
        );
    }
}
