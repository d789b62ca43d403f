//! Checks of the two non-expr condition languages: DAG `depends` (unknown tasks, invalid
//! results, loop-only results on plain tasks) and `when` (tags that are not quoted, constant
//! conditions that cannot evaluate).

use crate::diagnostics::Severity;
use crate::expr::depends::{self, RESULTS};
use crate::expr::error::ErrorKind;
use crate::expr::lang::ast::TextRange;
use crate::expr::tags::{Piece, TagKind, tokenize};
use crate::expr::when::{self, WhenOptions};
use crate::suggest::did_you_mean;

use super::{CheckOptions, Finding, FindingKind, Scope, check_value};

/// A task of the DAG, as `depends` needs to know it.
#[derive(Clone, Copy, Debug)]
pub struct DagTask<'a> {
    pub name: &'a str,
    /// Has `withItems`, `withParam` or `withSequence` (allows `.AnySucceeded`/`.AllFailed`).
    pub looped: bool,
}

fn finding(kind: FindingKind, message: String, range: TextRange, help: Option<String>) -> Finding {
    Finding {
        kind,
        severity: Severity::Error,
        message,
        range,
        help,
    }
}

/// Checks a `depends` string against the tasks of its DAG.
pub fn check_depends(src: &str, tasks: &[DagTask<'_>], opts: CheckOptions) -> Vec<Finding> {
    let tree = match depends::parse(src, &opts.limits) {
        Ok(t) => t,
        Err(e) => {
            let kind = if e.kind == ErrorKind::TooComplex {
                FindingKind::TooComplex
            } else {
                FindingKind::Syntax
            };
            return vec![finding(kind, e.message, e.range, None)];
        }
    };
    let mut out = Vec::new();
    for r in tree.refs() {
        let Some(task) = tasks.iter().find(|t| t.name == r.task) else {
            let help = did_you_mean(&r.task, tasks.iter().map(|t| t.name))
                .map(|s| format!("did you mean `{s}`?"));
            out.push(finding(
                FindingKind::UnknownVariable,
                format!("dependency '{}' not defined", r.task),
                r.task_range,
                help,
            ));
            continue;
        };
        let (Some(res), Some(range)) = (&r.result, r.result_range) else {
            continue;
        };
        if !RESULTS.contains(&res.as_str()) {
            let help =
                did_you_mean(res, RESULTS.iter().copied()).map(|s| format!("did you mean `{s}`?"));
            let message = if res.starts_with(|c: char| c.is_ascii_uppercase()) {
                format!("task result '{res}' for task '{}' is invalid", r.task)
            } else {
                format!(
                    "`{}.{res}` passes Argo's validation but fails when the DAG runs: results are capitalised",
                    r.task
                )
            };
            out.push(finding(FindingKind::UnknownVariable, message, range, help));
        } else if matches!(res.as_str(), "AnySucceeded" | "AllFailed") && !task.looped {
            out.push(finding(
                FindingKind::TypeError,
                format!("`{res}` applies only to tasks with withItems, withParam or withSequence; `{}` has none", r.task),
                range,
                None,
            ));
        }
        let twin = r.task.replace('-', "_");
        if twin != r.task && tasks.iter().any(|t| t.name == twin) {
            out.push(Finding {
                kind: FindingKind::ArgoQuirk,
                severity: Severity::Warning,
                message: format!(
                    "Argo reads `{}` and `{twin}` as the same task in depends",
                    r.task
                ),
                range: r.task_range,
                help: Some("rename one of the tasks".into()),
            });
        }
    }
    out
}

/// Checks a `when` value: its tags (like any field), simple tags that are not quoted, and a
/// condition without tags that govaluate cannot evaluate.
pub fn check_when(value: &str, scope: &dyn Scope, opts: CheckOptions) -> Vec<Finding> {
    let mut out = check_value(value, scope, opts);
    let Ok(pieces) = tokenize(value) else {
        return out;
    };
    let mut any_tag = false;
    for p in &pieces {
        let Piece::Tag(tag) = p else { continue };
        any_tag = true;
        if tag.kind != TagKind::Simple {
            continue;
        }
        let before = value[..tag.range.start].chars().next_back();
        let after = value[tag.range.end..].chars().next();
        let quoted = matches!(
            (before, after),
            (Some('\''), Some('\'')) | (Some('"'), Some('"'))
        );
        if !quoted {
            out.push(Finding {
                kind: FindingKind::LikelyTypeError,
                severity: Severity::Warning,
                message: format!(
                    "`{{{{{}}}}}` is not quoted: a value with spaces, `-`, `.`, `/`, quotes or a leading digit breaks or changes the condition",
                    tag.key()
                ),
                range: TextRange::new(tag.range.start, tag.range.end),
                help: Some("quote it ('{{…}}') or compare in an expression tag ({{= … }})".into()),
            });
        }
    }
    if !any_tag && let Err(e) = when::evaluate(value, WhenOptions::default(), &opts.limits) {
        let kind = match e.kind {
            ErrorKind::TooComplex => FindingKind::TooComplex,
            ErrorKind::Runtime => FindingKind::TypeError,
            _ => FindingKind::Syntax,
        };
        out.push(finding(
            kind,
            format!("this condition fails in Argo: {}", e.message),
            e.range,
            None,
        ));
    }
    out
}
