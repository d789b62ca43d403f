//! Function calls and regular expressions: unknown functions and arity (with did-you-mean),
//! sprig functions Argo removed or Bosun cannot evaluate, Go parameter types of sprig
//! functions, literal arguments that certainly fail (`asInt('1.5')`), known silent traps
//! (`sprig.date(fmt, <string>)`, `sprig.duration(<int>)`), and literal regex patterns.

use crate::diagnostics::Severity;
use crate::expr::builtins::{self, ARGO_HELPERS, BUILTINS};
use crate::expr::conv::{atoi, parse_float};
use crate::expr::lang::ast::{BinaryOp, Expr, ExprKind, TextRange};
use crate::expr::regex_go;
use crate::expr::sprig::{self, CATALOG, Support};
use crate::suggest::did_you_mean;

use super::types::{Ty, infer, sprig_params};
use super::{Ctx, FindingKind};

pub(super) fn walk(e: &Expr, src: &str, cx: &mut Ctx<'_>) {
    let mut stack = vec![e];
    while let Some(n) = stack.pop() {
        stack.extend(n.children());
        match &n.kind {
            ExprKind::Call { callee, args } => call(n, callee, args, src, cx),
            ExprKind::Binary {
                op: BinaryOp::Matches,
                rhs,
                ..
            } => literal_regex(rhs, src, cx),
            _ => {}
        }
    }
}

fn arity(name: &str, min: usize, max: usize, got: usize, range: TextRange, cx: &mut Ctx<'_>) {
    if got >= min && got <= max {
        return;
    }
    let want = match (min, max) {
        (a, b) if a == b => format!("{a}"),
        (a, usize::MAX) => format!("at least {a}"),
        (a, b) => format!("{a} to {b}"),
    };
    cx.push(
        FindingKind::WrongArity,
        Severity::Error,
        format!(
            "`{name}` takes {want} argument{}, got {got}",
            if want == "1" { "" } else { "s" }
        ),
        range,
        None,
    );
}

fn call(n: &Expr, callee: &Expr, args: &[Expr], src: &str, cx: &mut Ctx<'_>) {
    match &callee.kind {
        ExprKind::Ident(name) => {
            cx.callees.push(callee.range);
            let Some(sig) = builtins::signature(name, cx.opts.helpers) else {
                let names = BUILTINS
                    .iter()
                    .chain(if cx.opts.helpers { ARGO_HELPERS } else { &[] })
                    .map(|s| s.name);
                let help = did_you_mean(name, names).map(|s| format!("did you mean `{s}`?"));
                let msg = if !cx.opts.helpers && ARGO_HELPERS.iter().any(|h| h.name == name) {
                    format!("`{name}` is not available in this field (no Argo helpers)")
                } else {
                    format!("unknown function `{name}`")
                };
                cx.push(
                    FindingKind::UnknownFunction,
                    Severity::Error,
                    msg,
                    callee.range,
                    help,
                );
                return;
            };
            arity(name, sig.min, sig.max, args.len(), n.range, cx);
            literal_args(name, args, cx);
        }
        ExprKind::Member {
            object, property, ..
        } if matches!(&object.kind, ExprKind::Ident(s) if s == "sprig") => {
            cx.callees.push(callee.range);
            cx.callees.push(object.range);
            let name = property.const_key().unwrap_or_default();
            if !cx.opts.helpers {
                cx.push(
                    FindingKind::UnknownFunction,
                    Severity::Error,
                    "`sprig` is not available in this field".into(),
                    callee.range,
                    None,
                );
                return;
            }
            let Some(f) = sprig::lookup(name) else {
                let help = did_you_mean(
                    name,
                    CATALOG
                        .iter()
                        .filter(|f| f.support != Support::Disabled)
                        .map(|f| f.name),
                )
                .map(|s| format!("did you mean `sprig.{s}`?"));
                cx.push(
                    FindingKind::UnknownFunction,
                    Severity::Error,
                    format!("unknown function `sprig.{name}`"),
                    property.range,
                    help,
                );
                return;
            };
            match f.support {
                Support::Disabled => {
                    cx.push(
                        FindingKind::DisabledFunction,
                        Severity::Error,
                        format!("`sprig.{name}` is removed by Argo: the tag fails with `sprig.{name} is missing`"),
                        property.range,
                        Some("pass the value as a parameter instead".into()),
                    );
                    return;
                }
                Support::Refused => cx.push(
                    FindingKind::UnevaluatedFunction,
                    Severity::Info,
                    format!("`sprig.{name}` is random, network-dependent or generates keys: Bosun cannot preview its result"),
                    property.range,
                    None,
                ),
                Support::Yes => {}
            }
            arity(
                &format!("sprig.{name}"),
                f.min,
                f.max,
                args.len(),
                n.range,
                cx,
            );
            sprig_args(name, args, cx);
            if name.contains("egex")
                && name != "regexQuoteMeta"
                && let Some(p) = args.first()
            {
                literal_regex(p, src, cx);
            }
        }
        ExprKind::Member { object, .. } => {
            // A method call on a value (`date(x).Year()`): the receiver is checked as usual.
            let _ = object;
        }
        _ => {}
    }
}

/// Certain failures of literal arguments to conversions, and argument traps.
fn literal_args(name: &str, args: &[Expr], cx: &mut Ctx<'_>) {
    let Some(arg) = args.first() else { return };
    match (name, &arg.kind) {
        ("asInt" | "int", ExprKind::Str(s)) if atoi(s).is_none() => cx.push(
            FindingKind::TypeError,
            Severity::Error,
            format!("`{name}('{s}')` always fails: not a base-10 integer"),
            arg.range,
            parse_float(s).map(|_| "use asFloat() for decimals".to_string()),
        ),
        ("asFloat" | "float", ExprKind::Str(s)) if parse_float(s).is_none() => cx.push(
            FindingKind::TypeError,
            Severity::Error,
            format!("`{name}('{s}')` always fails: not a number"),
            arg.range,
            None,
        ),
        ("asInt" | "int", _) if arg.const_path().is_some_and(|p| p == ["lastRetry", "duration"]) => cx.push(
            FindingKind::LikelyTypeError,
            Severity::Warning,
            format!("`lastRetry.duration` is a decimal number of seconds: `{name}` fails on values such as `12.5`"),
            arg.range,
            Some("use asFloat(lastRetry.duration)".into()),
        ),
        _ => {}
    }
}

/// Go reflection rules for sprig parameters whose static type is known.
fn sprig_args(name: &str, args: &[Expr], cx: &mut Ctx<'_>) {
    let types: Vec<Ty> = args
        .iter()
        .map(|a| infer(a, cx.scope, &cx.locals))
        .collect();
    if let Some(params) = sprig_params(name) {
        for ((kind, arg), ty) in params.chars().zip(args).zip(&types) {
            let want = match kind {
                'i' => "int",
                's' => "string",
                'b' => "bool",
                _ => continue,
            };
            let ok = match kind {
                'i' => matches!(ty, Ty::Int | Ty::Nil | Ty::Unknown),
                's' => matches!(ty, Ty::Str | Ty::Nil | Ty::Unknown),
                _ => matches!(ty, Ty::Bool | Ty::Nil | Ty::Unknown),
            };
            if !ok {
                let help = match (kind, ty) {
                    ('i', Ty::Str | Ty::Float) => Some("convert with asInt()".to_string()),
                    ('s', _) => Some("convert with string()".to_string()),
                    _ => None,
                };
                cx.push(
                    FindingKind::TypeError,
                    Severity::Error,
                    format!("`sprig.{name}` needs a Go {want} here, got {}: `reflect: Call using {} as type {want}`", ty.name(), ty.name()),
                    arg.range,
                    help,
                );
            } else if kind == 'i' && is_jsonpath(arg) {
                cx.push(
                    FindingKind::LikelyTypeError,
                    Severity::Warning,
                    format!("`jsonpath` numbers are float64, but `sprig.{name}` needs a Go int"),
                    arg.range,
                    Some("wrap it in asInt()".into()),
                );
            }
        }
    }
    match (name, types.get(1), types.first()) {
        ("date" | "dateInZone" | "date_in_zone", Some(Ty::Str), _) => cx.push(
            FindingKind::LikelyTypeError,
            Severity::Warning,
            format!("`sprig.{name}` ignores a string date and formats the current time"),
            args.get(1).map_or(TextRange::default(), |a| a.range),
            Some("parse it first: sprig.toDate('2006-01-02T15:04:05Z07:00', …)".into()),
        ),
        ("htmlDate" | "htmlDateInZone", _, Some(Ty::Str)) => cx.push(
            FindingKind::LikelyTypeError,
            Severity::Warning,
            format!("`sprig.{name}` ignores a string date and formats the current time"),
            args.first().map_or(TextRange::default(), |a| a.range),
            None,
        ),
        ("duration", _, Some(Ty::Int)) => cx.push(
            FindingKind::LikelyTypeError,
            Severity::Warning,
            "`sprig.duration` ignores Go ints and returns `0s`".into(),
            args.first().map_or(TextRange::default(), |a| a.range),
            Some("pass the seconds as a string: sprig.duration('95')".into()),
        ),
        _ => {}
    }
}

fn is_jsonpath(e: &Expr) -> bool {
    matches!(&e.kind, ExprKind::Call { callee, .. } if matches!(&callee.kind, ExprKind::Ident(n) if n == "jsonpath"))
}

/// A literal pattern: Go rejects it (error) or reads it differently from other dialects (info).
fn literal_regex(p: &Expr, src: &str, cx: &mut Ctx<'_>) {
    let ExprKind::Str(pattern) = &p.kind else {
        return;
    };
    // Map pattern offsets into the source only when the literal has no escapes.
    let raw = src
        .get(p.range.start + 1..p.range.end.saturating_sub(1))
        .unwrap_or("");
    let exact = raw == pattern;
    let sub = |r: std::ops::Range<usize>| {
        if exact {
            TextRange::new(p.range.start + 1 + r.start, p.range.start + 1 + r.end)
        } else {
            p.range
        }
    };
    if let Err(e) = regex_go::compile(pattern) {
        cx.push(
            FindingKind::InvalidRegex,
            Severity::Error,
            format!("invalid regular expression: {e}"),
            p.range,
            None,
        );
        return;
    }
    for note in regex_go::dialect_notes(pattern) {
        cx.push(
            FindingKind::RegexDialect,
            Severity::Info,
            note.message,
            sub(note.range),
            None,
        );
    }
}
