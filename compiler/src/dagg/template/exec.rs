//! The evaluator: walks the parsed tree over a data value, as Go's `text/template/exec.go`.
//!
//! Variables live on one stack marked and popped at the end of each control structure and each
//! `range` iteration; `and`/`or` short-circuit; a pipeline's value is passed as the last argument
//! of the next command. Every node and command costs a step, and output is capped, so a template
//! stops with an error instead of hanging or filling memory. Recursion follows the parsed tree,
//! whose depth the parser bounds.

use std::ops::Range;

use super::funcs::{self, Arity, FuncError};
use super::parse::{Arg, Cmd, Node, Operand, Pipe};
use super::value::{Val, Value, write_value};
use super::{ExecError, Limits, Output};

enum Flow {
    Next,
    Break,
    Continue,
}

pub(crate) struct State<'t> {
    src: &'t str,
    limits: &'t Limits,
    out: Output,
    steps: u64,
    vars: Vec<(String, Val)>,
}

type R<T> = Result<T, ExecError>;

fn fail<T>(message: impl Into<String>, range: &Range<usize>) -> R<T> {
    Err(ExecError {
        message: message.into(),
        range: range.clone(),
    })
}

pub(crate) fn execute(src: &str, nodes: &[Node], data: &Val, limits: &Limits) -> R<Output> {
    let mut s = State {
        src,
        limits,
        out: Output::default(),
        steps: 0,
        vars: vec![("$".to_string(), data.clone())],
    };
    s.walk(data, nodes)?;
    Ok(s.out)
}

impl State<'_> {
    fn step(&mut self, at: &Range<usize>) -> R<()> {
        self.steps += 1;
        if self.steps > self.limits.max_steps {
            return fail(
                format!(
                    "the template ran more than {} steps (a step limit keeps loops bounded)",
                    self.limits.max_steps
                ),
                at,
            );
        }
        Ok(())
    }

    fn write(&mut self, text: &str, at: &Range<usize>) -> R<Range<usize>> {
        if self.out.text.len() + text.len() > self.limits.max_output {
            return fail(
                format!(
                    "the output is larger than {} bytes (an output limit keeps generation bounded)",
                    self.limits.max_output
                ),
                at,
            );
        }
        let start = self.out.text.len();
        self.out.text.push_str(text);
        Ok(start..self.out.text.len())
    }

    /// `{{ action }}` at `at`, printed the way Go prints a value at the top level.
    fn print(&mut self, v: &Val, at: &Range<usize>, dot: &Val) -> R<()> {
        if matches!(v.value, Value::Missing) {
            self.out.missing.push((at.clone(), dot.origin));
        }
        let mut text = String::new();
        write_value(&mut text, &v.value, true);
        let range = self.write(&text, at)?;
        if let Some(origin) = v.origin {
            self.out.origins.push((range, origin));
        }
        Ok(())
    }

    fn walk(&mut self, dot: &Val, nodes: &[Node]) -> R<Flow> {
        for node in nodes {
            match node {
                Node::Text(r) => {
                    self.step(r)?;
                    let src = self.src;
                    self.write(&src[r.clone()], r)?;
                }
                Node::Action(pipe) => {
                    self.step(&pipe.span)?;
                    let v = self.pipeline(dot, pipe)?;
                    if pipe.decl.is_empty() {
                        self.print(&v, &pipe.span, dot)?;
                    }
                }
                Node::Cond {
                    with,
                    pipe,
                    body,
                    otherwise,
                } => {
                    self.step(&pipe.span)?;
                    let mark = self.vars.len();
                    let v = self.pipeline(dot, pipe)?;
                    let flow = if v.truth() {
                        let d = if *with { &v } else { dot };
                        self.walk(d, body)?
                    } else {
                        self.walk(dot, otherwise)?
                    };
                    self.vars.truncate(mark);
                    if !matches!(flow, Flow::Next) {
                        return Ok(flow);
                    }
                }
                Node::Range {
                    pipe,
                    body,
                    otherwise,
                } => {
                    self.step(&pipe.span)?;
                    let mark = self.vars.len();
                    self.range(dot, pipe, body, otherwise)?;
                    self.vars.truncate(mark);
                }
                Node::Break(r) => {
                    self.step(r)?;
                    return Ok(Flow::Break);
                }
                Node::Continue(r) => {
                    self.step(r)?;
                    return Ok(Flow::Continue);
                }
            }
        }
        Ok(Flow::Next)
    }

    fn range(&mut self, dot: &Val, pipe: &Pipe, body: &[Node], otherwise: &[Node]) -> R<()> {
        let v = self.pipeline(dot, pipe)?;
        let pairs: Vec<(Val, Val)> = match &v.value {
            Value::List { items, .. } => items
                .iter()
                .enumerate()
                .map(|(i, e)| (Value::Int(i as i64).into(), e.clone()))
                .collect(),
            Value::Map(entries) => entries
                .iter()
                .map(|(k, e)| (Val::str(k), e.clone()))
                .collect(),
            Value::Missing | Value::Nil => Vec::new(),
            _ => {
                let mut text = String::new();
                write_value(&mut text, &v.value, false);
                return fail(format!("range can't iterate over {text}"), &pipe.span);
            }
        };
        if pairs.is_empty() {
            self.walk(dot, otherwise)?;
            return Ok(());
        }
        let top = self.vars.len();
        for (index, elem) in pairs {
            self.step(&pipe.span)?;
            if pipe.assign {
                if let Some((name, _)) = pipe.decl.last() {
                    self.set_var(name, elem.clone());
                }
                if let [(name, _), _] = pipe.decl.as_slice() {
                    self.set_var(name, index.clone());
                }
            } else {
                match pipe.decl.len() {
                    1 => self.vars[top - 1].1 = elem.clone(),
                    2 => {
                        self.vars[top - 1].1 = elem.clone();
                        self.vars[top - 2].1 = index;
                    }
                    _ => {}
                }
            }
            let flow = self.walk(&elem, body)?;
            self.vars.truncate(top);
            if matches!(flow, Flow::Break) {
                break;
            }
        }
        Ok(())
    }

    fn set_var(&mut self, name: &str, v: Val) {
        if let Some(slot) = self.vars.iter_mut().rev().find(|(n, _)| n == name) {
            slot.1 = v;
        }
    }

    fn var(&self, name: &str) -> Val {
        self.vars
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map_or(Value::Missing.into(), |(_, v)| v.clone())
    }

    fn pipeline(&mut self, dot: &Val, pipe: &Pipe) -> R<Val> {
        let mut value: Option<Val> = None;
        for cmd in &pipe.cmds {
            value = Some(self.command(dot, cmd, value)?);
        }
        let v = value.unwrap_or_else(|| Value::Missing.into());
        for (name, _) in &pipe.decl {
            if pipe.assign {
                self.set_var(name, v.clone());
            } else {
                self.vars.push((name.clone(), v.clone()));
            }
        }
        Ok(v)
    }

    fn command(&mut self, dot: &Val, cmd: &Cmd, fin: Option<Val>) -> R<Val> {
        self.step(&cmd.span)?;
        let first = &cmd.args[0];
        let has_args = cmd.args.len() > 1 || fin.is_some();
        match &first.arg {
            Arg::Func(name) => self.call(dot, name, &cmd.args[1..], fin, &cmd.span),
            Arg::Field(chain) => self.chain(dot.clone(), chain, has_args, &first.span),
            Arg::Var(name, chain) => {
                let v = self.var(name);
                if chain.is_empty() {
                    not_a_function(has_args, first, self.src)?;
                    return Ok(v);
                }
                self.chain(v, chain, has_args, &first.span)
            }
            Arg::Paren(pipe, chain) => {
                let v = self.pipeline(dot, pipe)?;
                if chain.is_empty() {
                    not_a_function(has_args, first, self.src)?;
                    return Ok(v);
                }
                self.chain(v, chain, has_args, &first.span)
            }
            Arg::Nil => fail("nil is not a command", &first.span),
            _ => {
                not_a_function(has_args, first, self.src)?;
                self.operand(dot, first)
            }
        }
    }

    /// `.A.B.C` on `receiver`; `has_args` makes the last field an (impossible) method call.
    fn chain(
        &mut self,
        receiver: Val,
        chain: &[String],
        has_args: bool,
        at: &Range<usize>,
    ) -> R<Val> {
        let mut cur = receiver;
        for (i, name) in chain.iter().enumerate() {
            let last = i + 1 == chain.len();
            cur = match &cur.value {
                Value::Missing => return Ok(Value::Missing.into()),
                Value::Struct(s) => match s.fields.iter().find(|(n, _)| n == name) {
                    Some((_, v)) if last && has_args => {
                        let _ = v;
                        return fail(
                            format!("{name} has arguments but cannot be invoked as function"),
                            at,
                        );
                    }
                    Some((_, v)) => v.clone(),
                    None => {
                        return fail(
                            format!("can't evaluate field {name} in type {}", s.type_name),
                            at,
                        );
                    }
                },
                Value::Map(entries) => {
                    if last && has_args {
                        return fail(format!("{name} is not a method but has arguments"), at);
                    }
                    entries
                        .iter()
                        .find(|(k, _)| **k == **name)
                        .map_or_else(|| Value::Missing.into(), |(_, v)| v.clone())
                }
                Value::Nil => {
                    return fail(format!("nil pointer evaluating interface {{}}.{name}"), at);
                }
                _ => {
                    return fail(
                        format!("can't evaluate field {name} in type {}", cur.type_name()),
                        at,
                    );
                }
            };
        }
        Ok(cur)
    }

    /// An operand used as an argument.
    fn operand(&mut self, dot: &Val, op: &Operand) -> R<Val> {
        Ok(match &op.arg {
            Arg::Dot => dot.clone(),
            Arg::Field(chain) => self.chain(dot.clone(), chain, false, &op.span)?,
            Arg::Var(name, chain) => {
                let v = self.var(name);
                self.chain(v, chain, false, &op.span)?
            }
            Arg::Paren(pipe, chain) => {
                let v = self.pipeline(dot, pipe)?;
                self.chain(v, chain, false, &op.span)?
            }
            Arg::Func(name) => self.call(dot, name, &[], None, &op.span)?,
            Arg::Bool(b) => Value::Bool(*b).into(),
            Arg::Nil => Value::Nil.into(),
            Arg::Str(s) => Val::str(s),
            Arg::Int(i) => Value::Int(*i).into(),
            Arg::Float(f) => Value::Float(*f).into(),
        })
    }

    fn call(
        &mut self,
        dot: &Val,
        name: &str,
        args: &[Operand],
        fin: Option<Val>,
        at: &Range<usize>,
    ) -> R<Val> {
        let got = args.len() + usize::from(fin.is_some());
        match funcs::arity(name) {
            Arity::Exactly(n) if got != n => {
                return fail(
                    format!("wrong number of args for {name}: want {n} got {got}"),
                    at,
                );
            }
            Arity::AtLeast(n) if got < n => {
                return fail(
                    format!("wrong number of args for {name}: want at least {n} got {got}"),
                    at,
                );
            }
            _ => {}
        }
        if name == "and" || name == "or" {
            let want = name == "or";
            let mut v: Val = Value::Missing.into();
            for a in args {
                v = self.operand(dot, a)?;
                if v.truth() == want {
                    return Ok(v);
                }
            }
            return Ok(fin.unwrap_or(v));
        }
        let mut values = Vec::with_capacity(got);
        for a in args {
            if matches!(a.arg, Arg::Nil) && name != "print" && name != "println" && name != "printf"
            {
                return fail("cannot assign nil to reflect.Value", &a.span);
            }
            values.push(self.operand(dot, a)?);
        }
        values.extend(fin);
        match funcs::call(name, &values) {
            Ok(v) => Ok(v),
            Err(FuncError::Arg(m)) => fail(m, at),
            Err(FuncError::Call(m)) => fail(format!("error calling {name}: {m}"), at),
        }
    }
}

fn not_a_function(has_args: bool, op: &Operand, src: &str) -> R<()> {
    if has_args {
        let text = src.get(op.span.clone()).unwrap_or("");
        return fail(
            format!("can't give argument to non-function {text}"),
            &op.span,
        );
    }
    Ok(())
}
