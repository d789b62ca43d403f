//! DAG `depends:` expressions (spec §4): task names with optional `.Result`, combined with `&&`,
//! `||`, `!` and parentheses. [`parse`] yields the tree and every referenced task with its
//! range; [`evaluate`] applies Argo's expansion of a bare name to
//! `(T.Succeeded || T.Skipped || T.Daemoned)`.

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

fn tokens(src: &str, limits: &Limits) -> Result<Vec<(T, TextRange)>, ExprError> {
    if src.len() > limits.max_len {
        return Err(ExprError::new(
            ErrorKind::TooComplex,
            "depends is too long",
            TextRange::new(0, src.len()),
        ));
    }
    let b = src.as_bytes();
    let mut i = 0;
    let mut out = Vec::new();
    while i < b.len() {
        let c = b[i];
        let start = i;
        let t = match c {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'&' if b.get(i + 1) == Some(&b'&') => {
                i += 2;
                T::And
            }
            b'|' if b.get(i + 1) == Some(&b'|') => {
                i += 2;
                T::Or
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
            c if c.is_ascii_alphanumeric() || c == b'-' || c == b'_' => {
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'-' || b[i] == b'_')
                {
                    i += 1;
                }
                let task = src[start..i].to_string();
                let task_range = TextRange::new(start, i);
                if matches!(task.as_str(), "and" | "or" | "not") {
                    return Err(ExprError::new(
                        ErrorKind::Syntax,
                        format!("`{task}` is read as a task name in depends; use && || !"),
                        task_range,
                    ));
                }
                let (result, result_range) = if b.get(i) == Some(&b'.') {
                    let rs = i + 1;
                    i += 1;
                    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                        i += 1;
                    }
                    (Some(src[rs..i].to_string()), Some(TextRange::new(rs, i)))
                } else {
                    (None, None)
                };
                T::Ref(TaskRef {
                    task,
                    task_range,
                    result,
                    result_range,
                })
            }
            _ => {
                let ch = src[i..].chars().next().unwrap_or('?');
                return Err(ExprError::new(
                    ErrorKind::Syntax,
                    format!("unexpected character {ch:?} in depends"),
                    TextRange::new(i, i + ch.len_utf8()),
                ));
            }
        };
        out.push((t, TextRange::new(start, i)));
        if out.len() > limits.max_tokens {
            return Err(ExprError::new(
                ErrorKind::TooComplex,
                "depends has too many tokens",
                TextRange::new(0, src.len()),
            ));
        }
    }
    Ok(out)
}

/// Parses a `depends` string.
pub fn parse(src: &str, limits: &Limits) -> Result<Depends, ExprError> {
    let toks = tokens(src, limits)?;
    let mut p = P {
        toks,
        pos: 0,
        depth: 0,
        limits,
        end: src.len(),
    };
    let d = p.or()?;
    if let Some((_, r)) = p.toks.get(p.pos) {
        return Err(ExprError::new(
            ErrorKind::Syntax,
            "expected && or || in depends",
            *r,
        ));
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
                        "missing ) in depends",
                        self.here(),
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
