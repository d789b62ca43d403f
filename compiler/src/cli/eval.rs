//! `bosun eval TEXT`: evaluates a field value with tags, a raw expression, a `when` condition or
//! a `depends` expression the way Argo does, with variables from `--set NAME=VALUE`.
//!
//! The result goes to standard output. An evaluation error is printed to standard error with
//! a caret under its position and exits 1; it is not a tool failure.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::args::{EvalArgs, EvalKind};
use super::{Error, ExitStatus, ignore_broken_pipe};
use crate::expr::depends::{self, TaskStatus};
use crate::expr::template::{Mode, evaluate_raw, substitute};
use crate::expr::when::{self, WhenOptions};
use crate::expr::{Bindings, Env, Limits};

/// The outcome of one evaluation: the printed value, or a message and a byte range in TEXT.
pub(crate) fn evaluate(args: &EvalArgs) -> Result<String, (String, std::ops::Range<usize>)> {
    let limits = Limits::default();
    let mut bindings = Bindings::new();
    for s in &args.set {
        let (k, v) = s.split_once('=').unwrap_or((s.as_str(), ""));
        bindings.insert(k.trim().to_string(), Some(v.to_string()));
    }
    let text = args.text.as_str();
    match args.kind {
        EvalKind::Tags => {
            substitute(text, &bindings, &Mode::Strict, &limits).map_err(|e| (e.message, e.range))
        }
        EvalKind::Expression => {
            let env = Env::from_flat(&bindings);
            evaluate_raw(text, &env, &limits).map_err(|e| (e.message, e.range.range()))
        }
        EvalKind::When => {
            let substituted = substitute(text, &bindings, &Mode::Strict, &limits)
                .map_err(|e| (e.message, e.range))?;
            when::evaluate(&substituted, WhenOptions::default(), &limits)
                .map(|b| b.to_string())
                .map_err(|e| {
                    let r = if substituted == text {
                        e.range.range()
                    } else {
                        0..text.len()
                    };
                    (format!("{} (in `{substituted}`)", e.message), r)
                })
        }
        EvalKind::Depends => {
            let tree = depends::parse(text, &limits).map_err(|e| (e.message, e.range.range()))?;
            let tasks: BTreeMap<String, TaskStatus> = bindings
                .iter()
                .map(|(k, v)| {
                    let status = TaskStatus {
                        phase: v.clone().unwrap_or_default(),
                        ..TaskStatus::default()
                    };
                    (k.clone(), status)
                })
                .collect();
            depends::evaluate(&tree, &tasks)
                .map(|b| b.to_string())
                .map_err(|e| (e.message, e.range.range()))
        }
    }
}

pub(crate) fn run(args: &EvalArgs) -> Result<ExitStatus, Error> {
    match evaluate(args) {
        Ok(v) => {
            let mut out = io::stdout().lock();
            ignore_broken_pipe(writeln!(out, "{v}"))?;
            Ok(ExitStatus::Success)
        }
        Err((message, range)) => {
            let mut err = io::stderr().lock();
            let text = args.text.as_str();
            let start = range.start.min(text.len());
            let width = text[start..range.end.clamp(start, text.len())]
                .chars()
                .count()
                .max(1);
            let pad = text[..start].chars().count();
            let _ = writeln!(
                err,
                "error: {message}\n  {text}\n  {}{}",
                " ".repeat(pad),
                "^".repeat(width)
            );
            Ok(ExitStatus::Failure)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(kind: EvalKind, text: &str, set: &[&str]) -> Result<String, String> {
        let args = EvalArgs {
            text: text.to_string(),
            kind,
            set: set.iter().map(|s| s.to_string()).collect(),
        };
        evaluate(&args).map_err(|(m, _)| m)
    }

    #[test]
    fn evaluates_the_seed_metrics_labels() {
        let name = ["workflow.name=sample-module-wf-abc12-def34"];
        assert_eq!(
            eval(
                EvalKind::Tags,
                r#"{{= sprig.regexReplaceAll("(.*)-[^-]*-[^-]*$", workflow.name, "$1") }}"#,
                &name
            ),
            Ok("sample-module-wf".to_string())
        );
        let t = "{{= sprig.ternary('0', '1', workflow.status == 'Succeeded') }}";
        assert_eq!(
            eval(EvalKind::Tags, t, &["workflow.status=Succeeded"]),
            Ok("0".into())
        );
        assert_eq!(
            eval(EvalKind::Tags, t, &["workflow.status=Failed"]),
            Ok("1".into())
        );
    }

    #[test]
    fn evaluates_when_expressions_and_depends() {
        assert_eq!(
            eval(
                EvalKind::When,
                "{{steps.flip.outputs.result}} == heads",
                &["steps.flip.outputs.result=heads"]
            ),
            Ok("true".into())
        );
        assert_eq!(
            eval(EvalKind::Expression, "asInt(retries) < 3", &["retries=1"]),
            Ok("true".into())
        );
        assert_eq!(
            eval(
                EvalKind::Depends,
                "a && !b.Failed",
                &["a=Succeeded", "b=Succeeded"]
            ),
            Ok("true".into())
        );
        assert!(eval(EvalKind::Tags, "{{inputs.parameters.x}}", &[]).is_err());
    }
}
