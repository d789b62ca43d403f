//! AW510: a `templateRef` without `name` or `template`.

use super::ref_calls;
use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;
use crate::model::view::View;

declare_rule! {
    /// ## What it does
    /// Reports a `templateRef` (of a step, DAG task or hook) that lacks `name` (the
    /// WorkflowTemplate) or `template` (the template inside it), or leaves one empty.
    ///
    /// Argo rule: ARGO-TREF-002, ARGO-TREF-003.
    ///
    /// ## Why is this bad?
    /// The reference cannot be resolved. Argo rejects the workflow: `resource name is required`,
    /// `template name is required`.
    ///
    /// ## Example
    /// ```yaml
    /// - name: build
    ///   templateRef:
    ///     template: build
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// - name: build
    ///   templateRef:
    ///     name: ci-templates
    ///     template: build
    /// ```
    pub(crate) static RULE = ("AW510", "incomplete-template-ref", Error, "a `templateRef` without `name` or `template`");
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    for call in ref_calls(obj) {
        let Some(tr) = call.template_ref.map(|t| t.node()).filter(|t| t.is_map()) else {
            continue;
        };
        for (field, what) in [
            ("name", "the (Cluster)WorkflowTemplate"),
            ("template", "the template inside it"),
        ] {
            let value = tr.get(field).filter(|v| !v.is_null());
            if value.is_some_and(|v| v.as_str().is_none_or(|s| !s.trim().is_empty())) {
                continue;
            }
            out.push(
                Diagnostic::new(
                    &RULE,
                    value.map_or(tr.key_span(), |v| v.span()),
                    format!("`templateRef` has no `{field}`"),
                )
                .with_pointer(tr.child_pointer(field))
                .with_help(format!("set `templateRef.{field}` to {what}")),
            );
        }
    }
}
