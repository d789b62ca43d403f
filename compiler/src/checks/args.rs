//! Arguments against inputs (AW420–AW424): every caller of a template (steps, DAG tasks,
//! lifecycle hooks, `onExit`, and the entrypoint through `spec.arguments`) supplies its
//! required inputs, names only inputs that exist, and respects their `enum`; output parameters
//! name exactly one source, of a kind their template type can provide.
//!
//! Only callees of the same object are checked here (the lookup is
//! [`crate::scope::nodes::callee`]); callees reached through `templateRef` are the reference
//! checks' (AW503–AW505).

mod argument_not_in_enum;
pub(crate) mod empty_parameter_enum;
pub(crate) mod invalid_argument_value_from;
pub(crate) mod invalid_artifact_argument;
mod invalid_output_parameter_source;
pub(crate) mod missing_argument_value;
mod missing_input_argument;
mod unknown_argument;
mod unsupported_output_source;

use crate::checks::CheckContext;
use crate::diagnostics::{Diagnostic, Rule};
use crate::model::view::View;
use crate::model::views::{Arguments, Parameter, Template, WorkflowSpec};
use crate::model::walk::{CallKind, all_calls, templates};
use crate::model::{Kind, Object};
use crate::parse::NodeRef;
use crate::scope::items;
use crate::scope::nodes::callee;
use crate::suggest::did_you_mean;

/// The rules of the arguments check, sorted by code.
pub(crate) static RULES: &[&Rule] = &[
    &missing_input_argument::RULE,
    &unknown_argument::RULE,
    &argument_not_in_enum::RULE,
    &invalid_output_parameter_source::RULE,
    &unsupported_output_source::RULE,
];

/// Input artifact fields that give it a value without an argument.
const LOCATIONS: &[&str] = &[
    "s3",
    "git",
    "http",
    "artifactory",
    "hdfs",
    "raw",
    "oss",
    "gcs",
    "azure",
    "plugin",
    "key",
];

fn name_of(n: NodeRef<'_>) -> Option<&str> {
    n.get("name").and_then(|n| n.as_str())
}

fn present(n: NodeRef<'_>, key: &str) -> bool {
    n.get(key).is_some_and(|v| !v.is_null())
}

/// The argument parameter mappings of `spec.arguments`, then of every call (steps, tasks,
/// hooks).
fn every_argument_parameter<'a>(spec: WorkflowSpec<'a>) -> Vec<NodeRef<'a>> {
    let mut out = argument_parameters(spec.arguments());
    for call in all_calls(spec) {
        out.extend(argument_parameters(call.arguments));
    }
    out
}

/// The parameter mappings of an argument list.
fn argument_parameters(args: Option<Arguments<'_>>) -> Vec<NodeRef<'_>> {
    items(args.and_then(|a| a.parameters()))
        .into_iter()
        .map(|p| p.node())
        .filter(|p| p.is_map())
        .collect()
}

/// One caller: where to point, what it passes, whether it is the workflow's own arguments.
struct Caller<'a> {
    at: NodeRef<'a>,
    span: crate::source::Span,
    arguments: Option<Arguments<'a>>,
    workflow_arguments: bool,
}

/// Checks every call of one object.
pub(crate) fn run(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    let Some(spec) = obj.workflow_spec() else {
        return;
    };
    for site in templates(spec) {
        output_sources(site.template, out);
    }
    for call in all_calls(spec) {
        let Some(t) = callee(spec, &call) else {
            continue;
        };
        let (at, span) = match (call.template, call.node.get("inline")) {
            (Some(t), _) => (t, t.span()),
            (None, Some(i)) => (i, i.key_span()),
            (None, None) => (call.node, call.node.span()),
        };
        let c = Caller {
            at,
            span,
            arguments: call.arguments,
            workflow_arguments: false,
        };
        // A step's or task's `onExit` names a template only: it has no arguments.
        if call.kind == CallKind::OnExit && call.caller.is_none() {
            let c = Caller {
                arguments: spec.arguments(),
                workflow_arguments: true,
                ..c
            };
            check_call(&c, t, out);
        } else {
            check_call(&c, t, out);
        }
    }
    // The entrypoint gets `spec.arguments`; WorkflowTemplates are submitted with arguments
    // Bosun cannot see.
    if matches!(obj.kind, Kind::Workflow | Kind::CronWorkflow)
        && spec.workflow_template_ref().is_none()
        && let Some(ep) = spec.entrypoint()
        && let Some(t) = ep
            .as_str()
            .and_then(|n| crate::model::walk::find_template(spec, n))
    {
        let c = Caller {
            at: ep,
            span: ep.span(),
            arguments: spec.arguments(),
            workflow_arguments: true,
        };
        check_call(&c, t, out);
    }
}

fn check_call(c: &Caller<'_>, t: Template<'_>, out: &mut Vec<Diagnostic>) {
    let tname = t.name_str().unwrap_or("(inline)");
    let inputs = t.inputs();
    let params: Vec<Parameter<'_>> = items(inputs.and_then(|i| i.parameters()));
    let arts: Vec<NodeRef<'_>> = items(inputs.and_then(|i| i.artifacts()))
        .into_iter()
        .map(|a| a.node())
        .collect();
    let arg_params: Vec<NodeRef<'_>> = items(c.arguments.and_then(|a| a.parameters()))
        .into_iter()
        .map(|p| p.node())
        .collect();
    let arg_arts: Vec<NodeRef<'_>> = items(c.arguments.and_then(|a| a.artifacts()))
        .into_iter()
        .map(|p| p.node())
        .collect();
    for p in &params {
        let n = p.node();
        let Some(name) = name_of(n) else { continue };
        let supplied = arg_params.iter().find(|a| name_of(**a) == Some(name));
        let required = !present(n, "value") && !present(n, "default") && !present(n, "valueFrom");
        if required && supplied.is_none() {
            out.push(missing_input_argument::diagnostic(
                c.span,
                c.at.pointer(),
                "parameter",
                name,
                tname,
                n.get("name").map_or(n.span(), |x| x.span()),
                c.workflow_arguments,
            ));
        }
        if let (Some(arg), Some(allowed)) = (supplied, n.get("enum").filter(|e| e.is_seq())) {
            enum_check(*arg, allowed, name, tname, out);
        }
    }
    for a in &arts {
        let Some(name) = name_of(*a) else { continue };
        let optional = a.get("optional").and_then(|o| o.as_bool()) == Some(true);
        let located = LOCATIONS.iter().any(|k| present(*a, k));
        if !optional && !located && !arg_arts.iter().any(|x| name_of(*x) == Some(name)) {
            out.push(missing_input_argument::diagnostic(
                c.span,
                c.at.pointer(),
                "artifact",
                name,
                tname,
                a.get("name").map_or(a.span(), |x| x.span()),
                c.workflow_arguments,
            ));
        }
    }
    if c.workflow_arguments {
        // Workflow parameters are globals too: unused ones are not unknown.
        return;
    }
    let names = |list: &[NodeRef<'_>]| -> Vec<String> {
        list.iter()
            .filter_map(|n| name_of(*n))
            .map(str::to_string)
            .collect()
    };
    let declared_p = names(&params.iter().map(|p| p.node()).collect::<Vec<_>>());
    let declared_a = names(&arts);
    for (kind, given, declared) in [
        ("parameter", &arg_params, &declared_p),
        ("artifact", &arg_arts, &declared_a),
    ] {
        for arg in given {
            let Some(name_node) = arg.get("name") else {
                continue;
            };
            let Some(name) = name_node.as_str() else {
                continue;
            };
            if name.contains("{{") || declared.iter().any(|d| d == name) {
                continue;
            }
            let help = did_you_mean(name, declared.iter().map(String::as_str));
            out.push(unknown_argument::diagnostic(
                name_node.span(),
                name_node.pointer(),
                kind,
                name,
                tname,
                help,
            ));
        }
    }
}

fn enum_check(
    arg: NodeRef<'_>,
    allowed: NodeRef<'_>,
    input: &str,
    tname: &str,
    out: &mut Vec<Diagnostic>,
) {
    let Some(value_node) = arg.get("value") else {
        return;
    };
    let Some(value) = value_node.scalar_text() else {
        return;
    };
    if value.contains("{{") {
        return;
    }
    let values: Vec<String> = allowed.items().filter_map(|v| v.scalar_text()).collect();
    if values.is_empty() || values.contains(&value) {
        return;
    }
    out.push(argument_not_in_enum::diagnostic(
        value_node.span(),
        value_node.pointer(),
        &value,
        input,
        tname,
        &values,
    ));
}

/// Output parameters: exactly one of `value`/`valueFrom`, and a `valueFrom` with exactly one
/// source.
fn output_sources(t: Template<'_>, out: &mut Vec<Diagnostic>) {
    const SOURCES: &[&str] = &[
        "path",
        "jqFilter",
        "jsonPath",
        "parameter",
        "expression",
        "supplied",
    ];
    for p in items(t.outputs().and_then(|o| o.parameters())) {
        let n = p.node();
        let Some(name) = name_of(n) else { continue };
        let at = n.get("name").unwrap_or(n);
        let has_value = present(n, "value");
        match n.get("valueFrom").filter(|v| !v.is_null()) {
            Some(vf) if has_value => out.push(invalid_output_parameter_source::diagnostic(
                vf.key_span(),
                vf.pointer(),
                format!("output parameter `{name}` has both `value` and `valueFrom`"),
                "remove one of them",
            )),
            None if !has_value => out.push(invalid_output_parameter_source::diagnostic(
                at.span(),
                at.pointer(),
                format!("output parameter `{name}` has neither `value` nor `valueFrom`"),
                "add `valueFrom` (e.g. `path` for a container's file) or a `value`",
            )),
            Some(vf) => {
                let given: Vec<&str> = SOURCES.iter().copied().filter(|k| present(vf, k)).collect();
                if let Some(ty) = t.template_type() {
                    unsupported_output_source::check(ty, name, vf, &given, out);
                }
                if given.len() > 1 {
                    out.push(invalid_output_parameter_source::diagnostic(
                        vf.key_span(),
                        vf.pointer(),
                        format!(
                            "`valueFrom` of output parameter `{name}` has several sources: {}",
                            given
                                .iter()
                                .map(|g| format!("`{g}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        "keep exactly one",
                    ));
                } else if given.is_empty() {
                    out.push(invalid_output_parameter_source::diagnostic(
                        vf.key_span(),
                        vf.pointer(),
                        format!("`valueFrom` of output parameter `{name}` has no source"),
                        "set one of `path`, `jqFilter`, `jsonPath`, `parameter`, `expression`, `supplied`",
                    ));
                }
            }
            None => {}
        }
    }
}
