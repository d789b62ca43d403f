//! `bosun eval TEXT`: evaluates a field value with tags, a raw expression, a `when` condition or
//! a `depends` expression the way Argo does, with variables from a manifest's sample run
//! (`--from-workflow FILE [--template T] [--task X | --step X]`), structured values
//! (`--set-json NAME=JSON`) and plain ones (`--set NAME=VALUE`), later sources overriding
//! earlier ones.
//!
//! The result goes to standard output. An evaluation error is printed to standard error with
//! a caret under its position and exits 1; it is not a tool failure. A bad flag value (invalid
//! JSON, an unknown template) is (exit 2).

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde_json::Value as Json;

use super::args::{EvalArgs, EvalKind};
use super::{Error, ExitStatus, ignore_broken_pipe};
use crate::error::Error as ConfigError;
use crate::expr::depends::{self, TaskStatus};
use crate::expr::sample::{self, find_call, find_template, first_item, template_locals};
use crate::expr::template::{Mode, evaluate_raw, substitute};
use crate::expr::vars::{bind_json, bind_json_arg};
use crate::expr::when::{self, WhenOptions};
use crate::expr::{Bindings, Env, Limits};
use crate::load::{Input, Loaded, load};
use crate::model::{Classified, Kind, classify};
use crate::parse::{self, parse_file};

/// One Argo object read for a preview, as JSON.
pub(crate) struct Manifest {
    /// `file: Kind/name`.
    pub label: String,
    pub kind: Kind,
    pub root: Json,
}

/// Reads every Argo object of the inputs, and how many documents could not be read (parse
/// errors; `bosun lint` reports them).
pub(crate) fn read_manifests(inputs: &[Input]) -> Result<(Vec<Manifest>, usize), Error> {
    let loaded = load(inputs, &parse::Limits::default())?;
    Ok(manifests_of(&loaded))
}

/// Every Argo object of already loaded files, library files (`--templates`) excepted (see
/// [`read_manifests`]).
pub(crate) fn manifests_of(loaded: &Loaded) -> (Vec<Manifest>, usize) {
    let limits = parse::Limits::default();
    let mut out = Vec::new();
    let mut diagnostics = loaded.diagnostics.clone();
    for file in loaded.sources.files() {
        if loaded.unparsable.contains(&file.id()) || loaded.library.contains(&file.id()) {
            continue;
        }
        for doc in parse_file(file, &limits, &mut diagnostics) {
            if let Classified::Argo(obj) = classify(&doc) {
                out.push(Manifest {
                    label: format!("{}: {}", file.name(), obj.display_name()),
                    kind: obj.kind,
                    root: obj.root.to_json(),
                });
            }
        }
    }
    let unreadable = diagnostics
        .iter()
        .filter(|d| d.severity == crate::Severity::Error)
        .count();
    (out, unreadable)
}

fn usage(message: String) -> Error {
    Error::Compiler(ConfigError::Config(message))
}

/// `--set-json` then `--set`, in that order of precedence, over `base`.
pub(crate) fn apply_overrides(
    base: &mut Bindings,
    set_json: &[String],
    set: &[String],
) -> Result<(), Error> {
    for arg in set_json {
        bind_json_arg(base, arg).map_err(|e| usage(format!("`--set-json`: {e}")))?;
    }
    for s in set {
        let (k, v) = s.split_once('=').unwrap_or((s.as_str(), ""));
        base.insert(k.trim().to_string(), Some(v.to_string()));
    }
    Ok(())
}

/// The variables of `--from-workflow` (with `--template`, `--task`, `--step`).
fn from_workflow(args: &EvalArgs) -> Result<Bindings, Error> {
    let Some(path) = &args.from_workflow else {
        return Ok(Bindings::new());
    };
    let (manifests, _) = read_manifests(&[Input::Path(path.clone())])?;
    let m = manifests.into_iter().next().ok_or_else(|| {
        usage(format!(
            "`{}` has no Workflow, WorkflowTemplate, ClusterWorkflowTemplate or CronWorkflow",
            path.display()
        ))
    })?;
    let mut b = sample::globals(&m.root, m.kind);
    let spec = sample::workflow_spec(&m.root, m.kind).unwrap_or(&Json::Null);
    let unknown_template = |name: &str| {
        let names = sample::template_names(spec);
        let hint = crate::suggest::did_you_mean(name, names.iter().copied())
            .map_or_else(String::new, |s| format!("; did you mean `{s}`?"));
        usage(format!("{}: no template `{name}`{hint}", m.label))
    };
    let call = match (&args.task, &args.step) {
        (Some(name), _) => Some((name, false)),
        (None, Some(name)) => Some((name, true)),
        _ => None,
    };
    if let Some((name, steps)) = call {
        let what = if steps { "step" } else { "DAG task" };
        let (template, call) = find_call(spec, args.template.as_deref(), name, steps)
            .ok_or_else(|| usage(format!("{}: no {what} `{name}`", m.label)))?;
        template_locals(template, &mut b);
        let key = if steps { "steps.name" } else { "tasks.name" };
        b.insert(key.into(), Some(name.clone()));
        if let Some(item) = first_item(call) {
            bind_json(&mut b, "item", &item);
        }
    } else if let Some(name) = &args.template {
        let template = find_template(spec, name).ok_or_else(|| unknown_template(name))?;
        template_locals(template, &mut b);
    }
    Ok(b)
}

/// The outcome of one evaluation: the printed value, or a message and a byte range in TEXT.
type Evaluated = Result<String, (String, std::ops::Range<usize>)>;

/// Builds the variables from the flags, then evaluates TEXT.
pub(crate) fn evaluate(args: &EvalArgs) -> Result<Evaluated, Error> {
    let mut bindings = from_workflow(args)?;
    apply_overrides(&mut bindings, &args.set_json, &args.set)?;
    Ok(evaluate_with(args.kind, &args.text, &bindings))
}

fn evaluate_with(kind: EvalKind, text: &str, bindings: &Bindings) -> Evaluated {
    let limits = Limits::default();
    match kind {
        EvalKind::Tags => {
            substitute(text, bindings, &Mode::Strict, &limits).map_err(|e| (e.message, e.range))
        }
        EvalKind::Expression => {
            let env = Env::from_flat(bindings);
            evaluate_raw(text, &env, &limits).map_err(|e| (e.message, e.range.range()))
        }
        EvalKind::When => {
            let substituted = substitute(text, bindings, &Mode::Strict, &limits)
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
    match evaluate(args)? {
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

    fn eval_json(kind: EvalKind, text: &str, json: &[&str], set: &[&str]) -> Evaluated {
        let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let mut b = Bindings::new();
        apply_overrides(&mut b, &strings(json), &strings(set)).expect("valid flags");
        evaluate_with(kind, text, &b)
    }

    fn eval(kind: EvalKind, text: &str, set: &[&str]) -> Result<String, String> {
        eval_json(kind, text, &[], set).map_err(|(m, _)| m)
    }

    #[test]
    fn set_json_binds_structured_values_and_set_overrides_them() {
        let item = [r#"item={"name":"a","n":2}"#];
        let got = eval_json(
            EvalKind::Tags,
            "{{item.name}}-{{= asInt(item.n) * 2 }} {{item}}",
            &item,
            &[],
        );
        assert_eq!(got, Ok(r#"a-4 {"n":2,"name":"a"}"#.into()));
        let got = eval_json(EvalKind::Tags, "{{item.name}}", &item, &["item.name=b"]);
        assert_eq!(got, Ok("b".into()));
        let list = [r#"item=[1,2,3]"#];
        let got = eval_json(EvalKind::Expression, "len(fromJSON(item))", &list, &[]);
        assert_eq!(got, Ok("3".into()));
        let mut b = Bindings::new();
        let err = apply_overrides(&mut b, &["item=[1,".into()], &[]).unwrap_err();
        assert!(err.to_string().contains("invalid JSON"), "{err}");
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
