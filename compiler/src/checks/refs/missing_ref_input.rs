//! AW503: a reference does not pass an input that the referenced template requires.

use super::ref_calls;
use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;
use crate::model::view::View;
use crate::model::views::Arguments;
use crate::parse::NodeRef;
use crate::resolve::{
    Interface, Resolution, WorkflowTemplateResolution, entrypoint_with_ref, merged_parameters,
};

declare_rule! {
    /// ## What it does
    /// Reports a `templateRef` call that does not pass an input parameter or artifact which the
    /// referenced template requires (no `value`, `default` or `valueFrom`; for artifacts, not
    /// `optional` and without a source of its own). For a `workflowTemplateRef`, the entrypoint's
    /// inputs must be supplied by the Workflow's `spec.arguments` merged with the referenced
    /// template's, the way Argo merges them.
    ///
    /// ## Why is this bad?
    /// Argo fails the step with `inputs.parameters.<name> was not supplied`. The referenced
    /// template often lives in another file, so the mismatch is easy to miss in review.
    ///
    /// ## Example
    /// ```yaml
    /// - name: greet
    ///   templateRef: {name: printer, template: print-message}   # requires `message`
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// - name: greet
    ///   templateRef: {name: printer, template: print-message}
    ///   arguments:
    ///     parameters:
    ///       - {name: message, value: hello}
    /// ```
    pub(crate) static RULE = ("AW503", "missing-ref-input", Error, "a template reference that does not pass a required input");
}

pub(crate) fn check(ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    for call in ref_calls(obj) {
        let Resolution::Resolved(rt) = ctx.refs.resolve(obj, &call) else {
            continue;
        };
        let Some(at) = call.template_ref.and_then(|t| t.template()) else {
            continue;
        };
        let params = names(call.arguments, false);
        let artifacts = names(call.arguments, true);
        report(
            &rt.interface,
            &rt.display(),
            rt.found.origin.is_local(),
            &params,
            &artifacts,
            at,
            "arguments",
            out,
        );
    }

    let Some((wtr, WorkflowTemplateResolution::Resolved(found))) =
        ctx.refs.workflow_template_ref(obj)
    else {
        return;
    };
    let (Some(spec), Some(wft_spec)) = (obj.workflow_spec(), found.object.workflow_spec()) else {
        return;
    };
    let Some(template) = entrypoint_with_ref(obj, &found) else {
        return;
    };
    let entry_name = template.name_str().unwrap_or_default();
    let entry = spec.entrypoint().filter(|e| e.as_str().is_some());
    let interface = ctx.refs.interface(template);
    let params: Vec<&str> = merged_parameters(spec.arguments(), wft_spec.arguments())
        .iter()
        .filter_map(|p| p.name()?.as_str())
        .collect();
    let mut artifacts = names(spec.arguments(), true);
    artifacts.extend(names(wft_spec.arguments(), true));
    let at = entry.or(wtr.name()).unwrap_or(wtr.node());
    report(
        &interface,
        &format!("{}.{entry_name}", found.name()),
        found.origin.is_local(),
        &params,
        &artifacts,
        at,
        "spec.arguments",
        out,
    );
}

/// Parameter (or artifact) names passed in `args`.
fn names<'a>(args: Option<Arguments<'a>>, artifacts: bool) -> Vec<&'a str> {
    let Some(args) = args else {
        return Vec::new();
    };
    if artifacts {
        args.artifacts()
            .map(|s| s.iter().filter_map(|a| a.name()?.as_str()).collect())
            .unwrap_or_default()
    } else {
        args.parameters()
            .map(|s| s.iter().filter_map(|p| p.name()?.as_str()).collect())
            .unwrap_or_default()
    }
}

#[allow(clippy::too_many_arguments)]
fn report(
    interface: &Interface<'_>,
    callee: &str,
    local: bool,
    params: &[&str],
    artifacts: &[&str],
    at: NodeRef<'_>,
    where_: &str,
    out: &mut Vec<Diagnostic>,
) {
    let missing_params = interface
        .parameters
        .iter()
        .filter(|p| p.required && !params.contains(&p.name))
        .map(|p| ("parameter", p.name, p.decl.node()));
    let missing_artifacts = interface
        .artifacts
        .iter()
        .filter(|a| a.required && !artifacts.contains(&a.name))
        .map(|a| ("artifact", a.name, a.decl.node()));
    for (what, name, decl) in missing_params.chain(missing_artifacts) {
        let mut d = Diagnostic::new(
            &RULE,
            at.span(),
            format!("input {what} `{name}` of `{callee}` is not supplied"),
        )
        .with_pointer(at.pointer())
        .with_help(format!("pass `{name}` in `{where_}.{what}s`"));
        if local {
            let span = decl.get("name").map_or(decl.span(), |n| n.span());
            d = d.with_secondary(span, "required here: no value, default or source");
        }
        out.push(d);
    }
}
