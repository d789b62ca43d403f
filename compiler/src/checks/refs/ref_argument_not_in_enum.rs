//! AW504: a value passed across a reference is not one of the values the receiving parameter's
//! `enum` allows.

use super::{list, literal, ref_calls};
use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;
use crate::model::view::View;
use crate::model::views::{Arguments, Parameter};
use crate::resolve::{Resolution, WorkflowTemplateResolution, enum_values};
use crate::suggest::did_you_mean;

declare_rule! {
    /// ## What it does
    /// Reports a literal argument value passed through a `templateRef` that is not in the `enum`
    /// of the referenced template's input parameter, and a Workflow's `spec.arguments` value that
    /// is not in the `enum` of the same parameter of its `workflowTemplateRef` target.
    ///
    /// ## Why is this bad?
    /// Argo never checks input parameter enums, and when a Workflow overrides a parameter of its
    /// WorkflowTemplate the override replaces the whole parameter, enum included (FN-13): the
    /// template runs with a value its author ruled out. Values holding `{{...}}` are not checked.
    ///
    /// ## Example
    /// ```yaml
    /// # deploy-tools: inputs.parameters: [{name: env, enum: [staging, production]}]
    /// templateRef: {name: deploy-tools, template: deploy}
    /// arguments:
    ///   parameters: [{name: env, value: prod}]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// templateRef: {name: deploy-tools, template: deploy}
    /// arguments:
    ///   parameters: [{name: env, value: production}]
    /// ```
    pub(crate) static RULE = ("AW504", "ref-argument-not-in-enum", Error, "a value passed through a template reference that its parameter's enum does not allow");
}

pub(crate) fn check(ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    for call in ref_calls(obj) {
        let Resolution::Resolved(rt) = ctx.refs.resolve(obj, &call) else {
            continue;
        };
        let callee = format!("`{}`", rt.display());
        for (arg, name) in arguments(call.arguments) {
            if let Some(p) = rt.interface.parameter(name)
                && let Some(allowed) = &p.enum_values
            {
                report(
                    arg,
                    name,
                    allowed,
                    p.decl,
                    rt.found.origin.is_local(),
                    &callee,
                    out,
                );
            }
        }
    }
    let Some((_, WorkflowTemplateResolution::Resolved(found))) =
        ctx.refs.workflow_template_ref(obj)
    else {
        return;
    };
    let Some(inherited) = found
        .object
        .workflow_spec()
        .and_then(|s| s.arguments())
        .and_then(|a| a.parameters())
    else {
        return;
    };
    let callee = found.label();
    for (arg, name) in arguments(obj.workflow_spec().and_then(|s| s.arguments())) {
        let decl = inherited
            .iter()
            .find(|p| p.name().and_then(|n| n.as_str()) == Some(name));
        if let Some(decl) = decl
            && let Some(allowed) = enum_values(decl)
        {
            report(
                arg,
                name,
                &allowed,
                decl,
                found.origin.is_local(),
                &callee,
                out,
            );
        }
    }
}

fn arguments<'a>(args: Option<Arguments<'a>>) -> Vec<(Parameter<'a>, &'a str)> {
    args.and_then(|a| a.parameters())
        .map(|ps| {
            ps.iter()
                .filter_map(|p| Some((p, p.name()?.as_str()?)))
                .collect()
        })
        .unwrap_or_default()
}

fn report(
    arg: Parameter<'_>,
    name: &str,
    allowed: &[String],
    decl: Parameter<'_>,
    local: bool,
    callee: &str,
    out: &mut Vec<Diagnostic>,
) {
    let Some(value_node) = arg.value() else {
        return;
    };
    let Some(value) = literal(Some(value_node)) else {
        return;
    };
    if allowed.contains(&value) {
        return;
    }
    let mut d = Diagnostic::new(
        &RULE,
        value_node.span(),
        format!("`{value}` is not an allowed value of `{name}` in {callee}"),
    )
    .with_pointer(value_node.pointer());
    if local && let Some(e) = decl.r#enum() {
        d = d.with_secondary(e.span(), "allowed values declared here");
    }
    // Suggestions for short values (`2` → `1`) are noise: list the values instead.
    let suggestion = (value.chars().count() > 3)
        .then(|| did_you_mean(&value, allowed.iter().map(String::as_str)))
        .flatten();
    out.push(match suggestion {
        Some(s) => d.with_help(format!("did you mean `{s}`?")),
        None => d.with_note(format!(
            "allowed values: {}",
            list(allowed.iter().map(String::as_str))
        )),
    });
}
