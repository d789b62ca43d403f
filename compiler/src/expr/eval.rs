//! The tree-walking evaluator for expr, with Go semantics (spec §2.8) and budgets.
//!
//! Recursion depth is bounded by the parser's tree height limit; evaluation steps, collection
//! sizes, string sizes and value nesting are bounded here. Nothing in this module panics on data:
//! integer arithmetic wraps like Go's, division by zero is an error, indexing is checked.
//! Operators live in [`super::ops`]; functions in [`super::builtins`] and [`super::sprig`].

use std::collections::BTreeMap;

use super::Limits;
use super::builtins;
use super::env::Env;
use super::error::{ErrorKind, ExprError};
use super::lang::ast::{BinaryOp, Expr, ExprKind, TextRange, UnaryOp};
use super::ops;
use super::value::Value;

/// Why evaluation stopped early.
pub(crate) enum Stop {
    Error(ExprError),
    /// A `?.` step met nil: the enclosing chain evaluates to nil.
    NilChain,
}

impl From<ExprError> for Stop {
    fn from(e: ExprError) -> Self {
        Stop::Error(e)
    }
}

pub(crate) type R = Result<Value, Stop>;

/// One predicate scope: the element `#`, `#index` and `#acc`.
struct Scope {
    element: Value,
    index: i64,
    acc: Value,
}

/// Evaluation state for one expression.
pub(crate) struct Evaluator<'e> {
    pub(crate) env: &'e Env,
    pub(crate) limits: Limits,
    steps: u64,
    locals: Vec<(String, Value)>,
    scopes: Vec<Scope>,
    /// > 0 while evaluating the left side of `??`: fetching from nil gives nil.
    soft: u32,
}

/// Evaluates a parsed expression.
pub fn evaluate(expr: &Expr, env: &Env, limits: &Limits) -> Result<Value, ExprError> {
    let mut ev = Evaluator {
        env,
        limits: *limits,
        steps: 0,
        locals: Vec::new(),
        scopes: Vec::new(),
        soft: 0,
    };
    match ev.eval(expr) {
        Ok(v) => Ok(v),
        Err(Stop::Error(e)) => Err(e),
        Err(Stop::NilChain) => Ok(Value::Nil),
    }
}

impl Evaluator<'_> {
    /// Counts `n` steps against the budget.
    pub(crate) fn tick(&mut self, n: u64, range: TextRange) -> Result<(), ExprError> {
        self.steps = self.steps.saturating_add(n);
        if self.steps > self.limits.max_steps {
            return Err(ExprError::new(
                ErrorKind::TooComplex,
                format!(
                    "evaluation is too expensive (more than {} steps)",
                    self.limits.max_steps
                ),
                range,
            ));
        }
        Ok(())
    }

    /// Checks a produced value against the size budgets.
    pub(crate) fn check_size(&self, v: &Value, range: TextRange) -> Result<(), ExprError> {
        let too = |what: String| Err(ExprError::new(ErrorKind::TooComplex, what, range));
        match v {
            Value::Str(s) if s.len() > self.limits.max_string => too(format!(
                "string result is too large ({} bytes, the limit is {})",
                s.len(),
                self.limits.max_string
            )),
            Value::Array(_) | Value::Map(_) if v.depth() > self.limits.max_value_depth => {
                too(format!(
                    "value is nested too deeply (more than {} levels)",
                    self.limits.max_value_depth
                ))
            }
            Value::Array(l) if l.items.len() > self.limits.max_items => too(format!(
                "array is too large (more than {} items)",
                self.limits.max_items
            )),
            _ => Ok(()),
        }
    }

    pub(crate) fn eval(&mut self, e: &Expr) -> R {
        self.tick(1, e.range)?;
        let v = self.eval_kind(e)?;
        if matches!(v, Value::Str(_) | Value::Array(_) | Value::Map(_)) {
            self.check_size(&v, e.range)?;
        }
        Ok(v)
    }

    /// Dispatches on the node kind; each non-trivial kind is evaluated in its own (never
    /// inlined) function so the frames on the recursive path stay small.
    fn eval_kind(&mut self, e: &Expr) -> R {
        let r = e.range;
        match &e.kind {
            ExprKind::Nil => Ok(Value::Nil),
            ExprKind::Bool(b) => Ok(Value::Bool(*b)),
            ExprKind::Int(i) => Ok(Value::Int(*i)),
            ExprKind::Float(f) => Ok(Value::Float(*f)),
            ExprKind::Str(s) => Ok(Value::str(s.as_str())),
            ExprKind::Ident(name) => self.ident(name, r),
            ExprKind::Pointer(name) => self.pointer(name, r),
            ExprKind::Unary { op, operand } => self.unary(*op, operand, r),
            ExprKind::Binary { op, lhs, rhs } => self.binary(*op, lhs, rhs, r),
            ExprKind::Member {
                object,
                property,
                optional,
                ..
            } => self.member(object, property, *optional, r),
            ExprKind::Slice { object, from, to } => {
                self.slice(object, from.as_deref(), to.as_deref(), r)
            }
            ExprKind::Chain(inner) => match self.eval(inner) {
                Err(Stop::NilChain) => Ok(Value::Nil),
                other => other,
            },
            ExprKind::Call { callee, args } => self.call(callee, args, r),
            ExprKind::Closure(body) => self.eval(body),
            ExprKind::Conditional {
                cond,
                then,
                otherwise,
            } => self.conditional(cond, then.as_deref(), otherwise),
            ExprKind::Array(items) => self.array(items),
            ExprKind::Map(entries) => self.map(entries),
            ExprKind::Let {
                name, value, body, ..
            } => self.let_in(name, value, body),
        }
    }

    #[inline(never)]
    fn unary(&mut self, op: UnaryOp, operand: &Expr, r: TextRange) -> R {
        let v = self.eval(operand)?;
        let bad =
            |v: &Value, sym: &str| type_err(format!("invalid operation: {sym} {}", v.go_type()), r);
        Ok(match (op, v) {
            (UnaryOp::Not, Value::Bool(b)) => Value::Bool(!b),
            (UnaryOp::Not, other) => return Err(bad(&other, "!")),
            (UnaryOp::Neg, Value::Int(i)) => Value::Int(i.wrapping_neg()),
            (UnaryOp::Neg, Value::Int64(i)) => Value::Int64(i.wrapping_neg()),
            (UnaryOp::Neg, Value::Float(f)) => Value::Float(-f),
            (UnaryOp::Neg, Value::Duration(d)) => {
                Value::Duration(super::time::Duration(d.0.wrapping_neg()))
            }
            (UnaryOp::Neg, other) => return Err(bad(&other, "-")),
            (UnaryOp::Plus, v) if v.is_number() => v,
            (UnaryOp::Plus, other) => return Err(bad(&other, "+")),
        })
    }

    #[inline(never)]
    fn member(&mut self, object: &Expr, property: &Expr, optional: bool, r: TextRange) -> R {
        let obj = self.eval(object)?;
        if obj.is_nil() && (optional || self.soft > 0) {
            return Err(Stop::NilChain);
        }
        let key = self.eval(property)?;
        Ok(ops::fetch(&obj, &key, r)?)
    }

    #[inline(never)]
    fn slice(&mut self, object: &Expr, from: Option<&Expr>, to: Option<&Expr>, r: TextRange) -> R {
        let obj = self.eval(object)?;
        let from = match from {
            Some(f) => Some(self.eval(f)?),
            None => None,
        };
        let to = match to {
            Some(t) => Some(self.eval(t)?),
            None => None,
        };
        Ok(ops::slice(&obj, from.as_ref(), to.as_ref(), r)?)
    }

    #[inline(never)]
    fn conditional(&mut self, cond: &Expr, then: Option<&Expr>, otherwise: &Expr) -> R {
        let c = self.eval(cond)?;
        let Value::Bool(b) = c else {
            return Err(type_err(
                format!(
                    "non-bool expression (type {}) used as condition",
                    c.go_type()
                ),
                cond.range,
            ));
        };
        match (b, then) {
            (true, Some(t)) => self.eval(t),
            (true, None) => Ok(c),
            (false, _) => self.eval(otherwise),
        }
    }

    #[inline(never)]
    fn array(&mut self, items: &[Expr]) -> R {
        let mut out = Vec::with_capacity(items.len());
        for i in items {
            out.push(self.eval(i)?);
        }
        Ok(Value::array(out))
    }

    #[inline(never)]
    fn map(&mut self, entries: &[(Expr, Expr)]) -> R {
        let mut out = BTreeMap::new();
        for (k, v) in entries {
            let key = match self.eval(k)? {
                Value::Str(s) => s.to_string(),
                other => super::format::go_v(&other),
            };
            let val = self.eval(v)?;
            out.insert(key, val);
        }
        Ok(Value::map(out))
    }

    #[inline(never)]
    fn let_in(&mut self, name: &str, value: &Expr, body: &Expr) -> R {
        let v = self.eval(value)?;
        self.locals.push((name.to_string(), v));
        let out = self.eval(body);
        self.locals.pop();
        out
    }

    fn ident(&mut self, name: &str, r: TextRange) -> R {
        if let Some((_, v)) = self.locals.iter().rev().find(|(n, _)| n == name) {
            return Ok(v.clone());
        }
        match self.env.get(name) {
            Some(v) => Ok(v.clone()),
            None => Err(ExprError::new(ErrorKind::Missing, format!("{name} is missing"), r).into()),
        }
    }

    fn pointer(&mut self, name: &str, r: TextRange) -> R {
        let Some(scope) = self.scopes.last() else {
            return Err(ExprError::new(
                ErrorKind::Syntax,
                "cannot use pointer accessor outside predicate",
                r,
            )
            .into());
        };
        match name {
            "" => Ok(scope.element.clone()),
            "index" => Ok(Value::Int(scope.index)),
            "acc" => Ok(scope.acc.clone()),
            other => {
                Err(
                    ExprError::new(ErrorKind::Compile, format!("unknown pointer #{other}"), r)
                        .into(),
                )
            }
        }
    }

    /// Runs a predicate body with `#` bound to `element`.
    pub(crate) fn with_element(
        &mut self,
        body: &Expr,
        element: Value,
        index: i64,
        acc: Value,
    ) -> R {
        self.scopes.push(Scope {
            element,
            index,
            acc,
        });
        let out = self.eval(body);
        self.scopes.pop();
        out
    }

    #[inline(never)]
    fn binary(&mut self, op: BinaryOp, lhs: &Expr, rhs: &Expr, r: TextRange) -> R {
        match op {
            BinaryOp::And | BinaryOp::Or => {
                let l = self.eval(lhs)?;
                let Value::Bool(lb) = l else {
                    return Err(type_err(
                        format!("invalid operation: {} {} bool", l.go_type(), op.symbol()),
                        r,
                    ));
                };
                if (op == BinaryOp::And && !lb) || (op == BinaryOp::Or && lb) {
                    return Ok(Value::Bool(lb));
                }
                match self.eval(rhs)? {
                    Value::Bool(b) => Ok(Value::Bool(b)),
                    other => Err(type_err(
                        format!(
                            "invalid operation: bool {} {}",
                            op.symbol(),
                            other.go_type()
                        ),
                        r,
                    )),
                }
            }
            BinaryOp::Coalesce => {
                self.soft += 1;
                let l = self.eval(lhs);
                self.soft -= 1;
                match l {
                    Ok(Value::Nil) | Err(Stop::NilChain) => self.eval(rhs),
                    other => other,
                }
            }
            BinaryOp::Range => {
                let l = self.eval(lhs)?;
                let rr = self.eval(rhs)?;
                let (Value::Int(a), Value::Int(b)) = (&l, &rr) else {
                    return Err(type_err(
                        format!("invalid operation: {} .. {}", l.go_type(), rr.go_type()),
                        r,
                    ));
                };
                let n = if b < a {
                    0
                } else {
                    (*b as i128 - *a as i128 + 1) as u128
                };
                if n > self.limits.max_items as u128 {
                    return Err(ExprError::new(
                        ErrorKind::TooComplex,
                        format!(
                            "range {a}..{b} is too large (more than {} items)",
                            self.limits.max_items
                        ),
                        r,
                    )
                    .into());
                }
                self.tick(n as u64, r)?;
                Ok(Value::array(
                    (0..n as i64).map(|i| Value::Int(a + i)).collect(),
                ))
            }
            _ => {
                let l = self.eval(lhs)?;
                let rv = self.eval(rhs)?;
                Ok(ops::binary(op, &l, &rv, r)?)
            }
        }
    }

    #[inline(never)]
    fn call(&mut self, callee: &Expr, args: &[Expr], r: TextRange) -> R {
        match &callee.kind {
            ExprKind::Ident(name) => builtins::call(self, name, args, r, callee.range),
            ExprKind::Member {
                object, property, ..
            } => {
                let method = property.const_key().unwrap_or_default().to_string();
                if matches!(&object.kind, ExprKind::Ident(n) if n == "sprig")
                    && self.env.helpers
                    && !self.locals.iter().any(|(n, _)| n == "sprig")
                {
                    let vals = self.eval_args(args)?;
                    return super::sprig::call(self, &method, vals, r, callee.range);
                }
                let obj = self.eval(object)?;
                if obj.is_nil() && self.soft > 0 {
                    return Err(Stop::NilChain);
                }
                let vals = self.eval_args(args)?;
                Ok(ops::method(&obj, &method, &vals, r)?)
            }
            _ => {
                let v = self.eval(callee)?;
                Err(type_err(format!("{} is not a function", v.go_type()), r))
            }
        }
    }

    pub(crate) fn eval_args(&mut self, args: &[Expr]) -> Result<Vec<Value>, Stop> {
        let mut out = Vec::with_capacity(args.len());
        for a in args {
            out.push(self.eval(a)?);
        }
        Ok(out)
    }
}

fn type_err(msg: String, r: TextRange) -> Stop {
    Stop::Error(ExprError::runtime(msg, r))
}
