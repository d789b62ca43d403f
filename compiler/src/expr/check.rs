//! Static analysis of expressions against a caller-provided [`Scope`]: syntax errors with
//! positions, unknown variables and functions with did-you-mean, wrong arity, functions Argo
//! removed (`env`, `expandenv`), regular expressions Go rejects or reads differently from other
//! dialects, and type errors that are certain (errors) or likely (warnings).
//!
//! Findings carry a byte range in the checked text; turning them into [`crate::Diagnostic`]s
//! (codes, spans in the YAML source) is the caller's job. Type rules live in [`types`], regex
//! and function rules in [`calls`].

mod calls;
mod fields;
pub mod scope;
pub mod types;

use crate::diagnostics::Severity;
use crate::suggest::did_you_mean;

use super::error::{ErrorKind, ExprError};
use super::lang::ast::{BinaryOp, Expr, ExprKind, TextRange, UnaryOp};
use super::tags::{Piece, TagKind, tokenize};
use super::{Limits, parse, refs};
pub use fields::{DagTask, check_depends, check_when};
pub use scope::{EnvScope, PathScope, Resolution, Scope};
use types::{Ty, infer};

/// What a finding is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FindingKind {
    /// The text does not parse (also an unclosed `{{`).
    Syntax,
    /// Over a parsing budget.
    TooComplex,
    /// A variable or path not defined in the scope.
    UnknownVariable,
    /// A function that does not exist (expr builtin, Argo helper or sprig).
    UnknownFunction,
    /// A known function called with the wrong number of arguments.
    WrongArity,
    /// `sprig.env` / `sprig.expandenv`: removed by Argo.
    DisabledFunction,
    /// A random, network or crypto sprig function: valid, but Bosun cannot preview it.
    UnevaluatedFunction,
    /// A regular expression Go rejects.
    InvalidRegex,
    /// A regular-expression construct whose meaning differs between Go and other dialects.
    RegexDialect,
    /// A type error that will certainly happen.
    TypeError,
    /// A probable mistake (always-false comparison, silently ignored argument…).
    LikelyTypeError,
    /// `a.b-c`: read as `a.b - c`.
    HyphenatedName,
    /// A whole-collection name that expressions see as a map (`inputs.parameters`).
    ShadowedCollection,
    /// Something Argo's missing-variable pass treats specially (`let`, `$env`).
    ArgoQuirk,
}

/// One finding.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub kind: FindingKind,
    pub severity: Severity,
    pub message: String,
    /// Byte range in the checked text.
    pub range: TextRange,
    pub help: Option<String>,
}

/// Options for checking.
#[derive(Clone, Copy, Debug)]
pub struct CheckOptions {
    /// Argo helpers and `sprig` are available (false for `stopStrategy`, HTTP conditions, data
    /// transformations).
    pub helpers: bool,
    pub limits: Limits,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            helpers: true,
            limits: Limits::default(),
        }
    }
}

pub(crate) struct Ctx<'a> {
    pub scope: &'a dyn Scope,
    pub opts: CheckOptions,
    pub out: Vec<Finding>,
    pub locals: Vec<String>,
    /// Ranges of callee expressions (function names), which are not variables.
    pub callees: Vec<TextRange>,
}

impl Ctx<'_> {
    pub(crate) fn is_callee(&self, r: TextRange) -> bool {
        self.callees.contains(&r)
    }

    pub(crate) fn push(
        &mut self,
        kind: FindingKind,
        severity: Severity,
        message: String,
        range: TextRange,
        help: Option<String>,
    ) {
        self.out.push(Finding {
            kind,
            severity,
            message,
            range,
            help,
        });
    }
}

fn from_error(e: &ExprError) -> Finding {
    Finding {
        kind: if e.kind == ErrorKind::TooComplex {
            FindingKind::TooComplex
        } else {
            FindingKind::Syntax
        },
        severity: Severity::Error,
        message: e.message.clone(),
        range: e.range,
        help: None,
    }
}

/// Checks one expression (the body of a `{{= }}` tag or an `expression:` field).
pub fn check_expression(src: &str, scope: &dyn Scope, opts: CheckOptions) -> Vec<Finding> {
    let expr = match parse(src, &opts.limits) {
        Ok(e) => e,
        Err(e) => return vec![from_error(&e)],
    };
    check_parsed(&expr, src, scope, opts)
}

/// Checks an already parsed expression.
pub fn check_parsed(expr: &Expr, src: &str, scope: &dyn Scope, opts: CheckOptions) -> Vec<Finding> {
    let mut cx = Ctx {
        scope,
        opts,
        out: Vec::new(),
        locals: Vec::new(),
        callees: Vec::new(),
    };
    let hyphen = hyphenated(expr, src, &mut cx);
    calls::walk(expr, src, &mut cx);
    variables(expr, &hyphen, &mut cx);
    typecheck(expr, &mut cx);
    cx.out.sort_by_key(|f| (f.range.start, f.range.end));
    cx.out
}

/// The first error expr's compiler would report for `expr` in `env` (statically mismatched
/// types, unknown functions, wrong arity), as an [`ErrorKind::Compile`] error.
pub fn compile_error(expr: &Expr, src: &str, env: &super::Env) -> Option<ExprError> {
    let scope = scope::EnvScope(env);
    let opts = CheckOptions {
        helpers: env.helpers,
        limits: Limits::default(),
    };
    check_parsed(expr, src, &scope, opts)
        .into_iter()
        .find(|f| {
            // Operator type errors are compile errors in expr; bad literal arguments to
            // functions only fail when called (their run-time message is Go's).
            f.severity == Severity::Error
                && (matches!(
                    f.kind,
                    FindingKind::UnknownFunction | FindingKind::WrongArity
                ) || f.kind == FindingKind::TypeError
                    && (f.message.starts_with("invalid operation:")
                        || f.message.starts_with("non-bool")))
        })
        .map(|f| ExprError::new(ErrorKind::Compile, f.message, f.range))
}

/// Checks a field value: every tag; simple tags under Argo's checked prefixes must resolve.
pub fn check_value(value: &str, scope: &dyn Scope, opts: CheckOptions) -> Vec<Finding> {
    let pieces = match tokenize(value) {
        Ok(p) => p,
        Err(e) => {
            return vec![Finding {
                kind: FindingKind::Syntax,
                severity: Severity::Error,
                message: "`{{` is never closed: Argo fails the whole field".into(),
                range: TextRange::new(e.range.start, e.range.end),
                help: Some(
                    "there is no escape for `{{`; build it in an expression: {{='{{'}}".into(),
                ),
            }];
        }
    };
    let mut out = Vec::new();
    for p in pieces {
        let Piece::Tag(tag) = p else { continue };
        match tag.kind {
            TagKind::Expression => {
                let (src, r) = tag.expression();
                let after_brace = value[tag.range.end..].starts_with('}');
                for mut f in check_expression(src, scope, opts) {
                    if f.kind == FindingKind::Syntax && after_brace {
                        f.help = Some("the first `}}` ends the tag; put a space before the closing braces: `{{= {a: 1} }}`".into());
                    }
                    f.range = TextRange::new(f.range.start + r.start, f.range.end + r.start);
                    out.push(f);
                }
            }
            TagKind::Simple => {
                let key = tag.key();
                let checked = [
                    "item.",
                    "steps.",
                    "inputs.",
                    "outputs.",
                    "pod.",
                    "workflow.",
                    "tasks.",
                ]
                .iter()
                .any(|p| key.starts_with(p));
                if !checked {
                    continue;
                }
                let path: Vec<&str> = key.split('.').collect();
                if scope.resolve(&path) == Resolution::Unknown {
                    let (parent, last) = path.split_at(path.len().saturating_sub(1));
                    let cands = scope.children(parent);
                    let help = last
                        .first()
                        .and_then(|l| did_you_mean(l, cands.iter().map(String::as_str)))
                        .map(|s| {
                            let mut p: Vec<&str> = parent.to_vec();
                            p.push(s);
                            format!("did you mean `{}`?", p.join("."))
                        });
                    let start =
                        tag.inner_range.start + (tag.inner.len() - tag.inner.trim_start().len());
                    out.push(Finding {
                        kind: FindingKind::UnknownVariable,
                        severity: Severity::Error,
                        message: format!("`{key}` is not defined here"),
                        range: TextRange::new(start, start + key.len()),
                        help,
                    });
                }
            }
        }
    }
    out
}

/// `a.b-c` written without spaces: Argo reads `a.b - c`. Returns the ranges of the operands so
/// the unknown-variable pass does not report them again.
fn hyphenated(e: &Expr, src: &str, cx: &mut Ctx<'_>) -> Vec<TextRange> {
    let mut ranges = Vec::new();
    let mut stack = vec![e];
    while let Some(n) = stack.pop() {
        if let ExprKind::Binary {
            op: BinaryOp::Sub,
            lhs,
            rhs,
        } = &n.kind
        {
            let tight = rhs.range.start == lhs.range.end + 1
                && src.get(lhs.range.end..rhs.range.start) == Some("-");
            if let (true, Some(path), ExprKind::Ident(tail)) = (tight, lhs.const_path(), &rhs.kind)
                && path.len() >= 2
            {
                let (base, last) = path.split_at(path.len() - 1);
                let name = format!("{}-{tail}", last.first().copied().unwrap_or_default());
                cx.push(
                    FindingKind::HyphenatedName,
                    Severity::Error,
                    format!(
                        "`{}.{name}` is read as `{} - {tail}`",
                        base.join("."),
                        path.join(".")
                    ),
                    n.range,
                    Some(format!(
                        "use bracket access: `{}['{name}']`",
                        base.join(".")
                    )),
                );
                ranges.push(lhs.range);
                ranges.push(rhs.range);
                continue;
            }
        }
        stack.extend(n.children());
    }
    ranges
}

const SHADOWED: &[(&str, &str)] = &[
    (
        "inputs.parameters",
        "a map of parameter names to values, not the JSON list `{{inputs.parameters}}` gives",
    ),
    (
        "workflow.parameters",
        "a map of parameter names to values; use `workflow.parameters.json` for the JSON list",
    ),
    (
        "workflow.labels",
        "a map; use `workflow.labels.json` for JSON text",
    ),
    (
        "workflow.annotations",
        "a map; use `workflow.annotations.json` for JSON text",
    ),
    (
        "workflow.creationTimestamp",
        "a map of strftime fields; use `workflow.creationTimestamp.RFC3339`",
    ),
];

/// Unknown variables (with did-you-mean), `let`/`$env` quirks, shadowed collections.
fn variables(e: &Expr, skip: &[TextRange], cx: &mut Ctx<'_>) {
    let lets = let_names(e);
    let mut reported: Vec<Vec<String>> = Vec::new();
    let refs = refs::collect(e);
    for r in &refs {
        if skip
            .iter()
            .any(|s| s.start <= r.range.start && r.range.end <= s.end)
            || cx.is_callee(r.range)
        {
            continue;
        }
        if reported.iter().any(|p| r.path.starts_with(p)) {
            continue;
        }
        let root = r.path.first().map(String::as_str).unwrap_or_default();
        if lets.iter().any(|(n, _)| n == root) {
            continue;
        }
        if root == "$env" {
            cx.push(
                FindingKind::ArgoQuirk,
                Severity::Error,
                "`$env` is not available in Argo expressions".into(),
                r.range,
                None,
            );
            reported.push(r.path.clone());
            continue;
        }
        if cx.opts.helpers && root == "sprig" {
            continue;
        }
        let path: Vec<&str> = r.path.iter().map(String::as_str).collect();
        match cx.scope.resolve(&path) {
            Resolution::Unknown => {
                let (parent, last) = path.split_at(path.len() - 1);
                let cands = cx.scope.children(parent);
                let help = last
                    .first()
                    .and_then(|l| did_you_mean(l, cands.iter().map(String::as_str)))
                    .map(|s| format!("did you mean `{s}`?"));
                let severity = if r.required {
                    Severity::Error
                } else {
                    Severity::Warning
                };
                cx.push(
                    FindingKind::UnknownVariable,
                    severity,
                    format!("`{}` is not defined here", r.dotted()),
                    r.range,
                    help,
                );
                reported.push(r.path.clone());
            }
            Resolution::Dynamic => reported.push(r.path.clone()),
            Resolution::Map | Resolution::Leaf { .. } => {}
        }
    }
    for (name, range) in lets {
        cx.push(
            FindingKind::ArgoQuirk,
            Severity::Warning,
            format!("Argo's missing-variable check reports `{name}` as missing: this fails where tags must resolve (loops, metrics, step arguments)"),
            range,
            Some("inline the value instead of `let`".into()),
        );
    }
    for (path, range) in terminal_paths(e) {
        if let Some((p, what)) = SHADOWED.iter().find(|(p, _)| *p == path) {
            cx.push(
                FindingKind::ShadowedCollection,
                Severity::Warning,
                format!("in expressions `{p}` is {what}"),
                range,
                None,
            );
        }
    }
}

fn let_names(e: &Expr) -> Vec<(String, TextRange)> {
    let mut out = Vec::new();
    let mut stack = vec![e];
    while let Some(n) = stack.pop() {
        if let ExprKind::Let {
            name, name_range, ..
        } = &n.kind
        {
            out.push((name.clone(), *name_range));
        }
        stack.extend(n.children());
    }
    out
}

/// Constant member chains used as values (not as the object of a further member access).
fn terminal_paths(e: &Expr) -> Vec<(String, TextRange)> {
    let mut out = Vec::new();
    let mut stack = vec![(e, false)];
    while let Some((n, is_object)) = stack.pop() {
        if !is_object && let Some(p) = n.const_path() {
            out.push((p.join("."), n.range));
        }
        match &n.kind {
            ExprKind::Member {
                object, property, ..
            } => {
                stack.push((object, true));
                stack.push((property, false));
            }
            ExprKind::Call { callee, args } => {
                stack.push((callee, true));
                stack.extend(args.iter().map(|a| (a, false)));
            }
            _ => stack.extend(n.children().into_iter().map(|c| (c, false))),
        }
    }
    out
}

/// Operator type errors.
fn typecheck(e: &Expr, cx: &mut Ctx<'_>) {
    let mut stack = vec![e];
    while let Some(n) = stack.pop() {
        stack.extend(n.children());
        let ty = |x: &Expr| infer(x, cx.scope, &cx.locals);
        match &n.kind {
            ExprKind::Binary { op, lhs, rhs } => {
                let (l, r) = (ty(lhs), ty(rhs));
                if !l.known() || !r.known() || l == Ty::Nil || r == Ty::Nil {
                    continue;
                }
                let is_var = |x: &Expr| x.const_path().is_some();
                let bad = match op {
                    BinaryOp::Add => {
                        !(l == r && matches!(l, Ty::Str) || l.is_number() && r.is_number())
                    }
                    BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div | BinaryOp::Pow => {
                        !(l.is_number() && r.is_number())
                    }
                    BinaryOp::Mod => !(l == Ty::Int && r == Ty::Int),
                    BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => {
                        !(l == r && l == Ty::Str || l.is_number() && r.is_number())
                    }
                    BinaryOp::And | BinaryOp::Or => l != Ty::Bool || r != Ty::Bool,
                    BinaryOp::In => r == Ty::Str || r.is_number() || r == Ty::Bool,
                    BinaryOp::Matches
                    | BinaryOp::Contains
                    | BinaryOp::StartsWith
                    | BinaryOp::EndsWith => l != Ty::Str || r != Ty::Str,
                    BinaryOp::Eq | BinaryOp::Ne => {
                        let mismatch = l != r && !(l.is_number() && r.is_number());
                        if mismatch && (is_var(lhs) || is_var(rhs)) {
                            cx.push(
                                FindingKind::LikelyTypeError,
                                Severity::Warning,
                                format!("comparing a {} with a {} is always {}", l.name(), r.name(), *op == BinaryOp::Ne),
                                n.range,
                                Some("Argo variables are strings: compare with a string, or convert with asInt()/asFloat()".into()),
                            );
                            continue;
                        }
                        mismatch
                            && matches!(
                                (l, r),
                                (
                                    Ty::Str | Ty::Int | Ty::Float | Ty::Bool,
                                    Ty::Str | Ty::Int | Ty::Float | Ty::Bool
                                )
                            )
                    }
                    BinaryOp::Range | BinaryOp::Coalesce => false,
                };
                if bad {
                    let help = if (l == Ty::Str || r == Ty::Str) && (l.is_number() || r.is_number())
                    {
                        Some(
                            "Argo variables are strings: convert with asInt() or asFloat()"
                                .to_string(),
                        )
                    } else {
                        None
                    };
                    cx.push(
                        FindingKind::TypeError,
                        Severity::Error,
                        format!(
                            "invalid operation: {} {} {}",
                            l.name(),
                            op.symbol(),
                            r.name()
                        ),
                        n.range,
                        help,
                    );
                }
            }
            ExprKind::Unary {
                op: UnaryOp::Not,
                operand,
            } => {
                let t = ty(operand);
                if t.known() && t != Ty::Bool {
                    cx.push(
                        FindingKind::TypeError,
                        Severity::Error,
                        format!("invalid operation: ! {}", t.name()),
                        n.range,
                        None,
                    );
                }
            }
            ExprKind::Conditional { cond, .. } => {
                let t = ty(cond);
                if t.known() && t != Ty::Bool {
                    cx.push(
                        FindingKind::TypeError,
                        Severity::Error,
                        format!("non-bool expression (type {}) used as condition", t.name()),
                        cond.range,
                        None,
                    );
                }
            }
            _ => {}
        }
    }
}
