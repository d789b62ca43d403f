//! The identifiers and constant member paths an expression references, as Argo's
//! missing-variable pre-pass collects them (spec §2.6).
//!
//! Every bare identifier is a reference, and so is every prefix of a chain of constant keys
//! (`steps['a'].outputs.result` → `steps`, `steps.a`, `steps.a.outputs`, `steps.a.outputs.result`).
//! Children of a chain on the left of `??` and after a `?.` step are *guarded*: not required.
//! `let` names and `$env` are references too (Argo reports them missing). Builtin function names
//! used as callees are not.

use super::builtins;
use super::lang::ast::{BinaryOp, Expr, ExprKind, TextRange};

/// A referenced path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ref {
    pub path: Vec<String>,
    /// The text of the reference (the identifier or the whole member chain up to this level).
    pub range: TextRange,
    /// `false` for guarded children (`a.b ?? x`, `a?.b`): their absence is fine.
    pub required: bool,
}

impl Ref {
    pub fn dotted(&self) -> String {
        self.path.join(".")
    }
}

/// Collects references in source order (parents before children).
pub fn collect(e: &Expr) -> Vec<Ref> {
    let mut out = Vec::new();
    walk(e, false, &mut out);
    out
}

/// Adds the references of a member chain; returns `false` if `e` is not a constant chain.
fn chain(e: &Expr, guarded: bool, out: &mut Vec<Ref>) -> bool {
    match &e.kind {
        ExprKind::Ident(name) => {
            out.push(Ref {
                path: vec![name.clone()],
                range: e.range,
                required: true,
            });
            true
        }
        ExprKind::Member {
            object,
            property,
            optional,
            ..
        } => {
            let Some(key) = property.const_key() else {
                return false;
            };
            let n = out.len();
            if !chain(object, guarded, out) {
                out.truncate(n);
                return false;
            }
            let Some(parent) = out.last().map(|r| r.path.clone()) else {
                return false;
            };
            let parent_required = out.last().is_some_and(|r| r.required);
            let mut path = parent;
            path.push(key.to_string());
            out.push(Ref {
                path,
                range: e.range,
                required: parent_required && !guarded && !*optional,
            });
            true
        }
        ExprKind::Chain(inner) => chain(inner, guarded, out),
        _ => false,
    }
}

fn walk(e: &Expr, guarded: bool, out: &mut Vec<Ref>) {
    match &e.kind {
        ExprKind::Ident(_) | ExprKind::Member { .. } | ExprKind::Chain(_) => {
            let n = out.len();
            if chain(e, guarded, out) {
                return;
            }
            out.truncate(n);
            for c in e.children() {
                walk(c, guarded, out);
            }
        }
        ExprKind::Binary {
            op: BinaryOp::Coalesce,
            lhs,
            rhs,
        } => {
            walk(lhs, true, out);
            walk(rhs, guarded, out);
        }
        ExprKind::Call { callee, args } => {
            match &callee.kind {
                ExprKind::Ident(name) if builtins::signature(name, false).is_some() => {}
                ExprKind::Member { object, .. } if !matches!(object.kind, ExprKind::Ident(_)) => {
                    // A method call on a value (`date(x).Year()`): only the receiver matters.
                    walk(object, guarded, out);
                }
                _ => walk(callee, guarded, out),
            }
            for a in args {
                walk(a, guarded, out);
            }
        }
        _ => {
            for c in e.children() {
                walk(c, guarded, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::{Limits, parse};

    fn refs(src: &str) -> Vec<(String, bool)> {
        let e = parse(src, &Limits::default()).expect("parses");
        collect(&e)
            .into_iter()
            .map(|r| (r.dotted(), r.required))
            .collect()
    }

    #[test]
    fn constant_chains_yield_every_prefix() {
        assert_eq!(
            refs("steps['a'].outputs.result"),
            vec![
                ("steps".into(), true),
                ("steps.a".into(), true),
                ("steps.a.outputs".into(), true),
                ("steps.a.outputs.result".into(), true)
            ]
        );
    }

    #[test]
    fn coalesce_and_optional_chains_guard_children() {
        assert_eq!(
            refs("item.k ?? 'x'"),
            vec![("item".into(), true), ("item.k".into(), false)]
        );
        assert_eq!(
            refs("a?.b"),
            vec![("a".into(), true), ("a.b".into(), false)]
        );
    }

    #[test]
    fn builtins_are_not_references_but_helpers_and_sprig_are() {
        assert_eq!(refs("filter(x, # > 1)"), vec![("x".into(), true)]);
        assert_eq!(
            refs("sprig.env('HOME')"),
            vec![("sprig".into(), true), ("sprig.env".into(), true)]
        );
        assert_eq!(
            refs("asInt(y)"),
            vec![("asInt".into(), true), ("y".into(), true)]
        );
    }
}
