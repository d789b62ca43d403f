//! AW213: a template that declares more than one template type.

use super::Input;
use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::view::View;

declare_rule! {
    /// ## What it does
    /// Reports a template (in `spec.templates` or inline in a step or task) that sets more than
    /// one of `container`, `containerSet`, `steps`, `dag`, `script`, `resource`, `data`, `http`,
    /// `plugin` and `suspend`.
    ///
    /// Argo rule: ARGO-TMPL-001 (multiple types).
    ///
    /// ## Why is this bad?
    /// Argo refuses the workflow: a template runs exactly one thing. Usually one of the two was
    /// meant for another template, or is a leftover of an edit.
    ///
    /// ## Example
    /// ```yaml
    /// - name: hello
    ///   container: {image: alpine:3.20, command: [echo, hi]}
    ///   script: {image: python:3.12, source: print("hi")}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// - name: hello
    ///   container: {image: alpine:3.20, command: [echo, hi]}
    /// ```
    pub(crate) static RULE = ("AW213", "multiple-template-types", Error, "a template with more than one template type");
}

pub(super) fn check(_ctx: &CheckContext<'_>, obj: &Input<'_>, out: &mut Vec<Diagnostic>) {
    for site in obj.templates.iter().copied() {
        let t = site.template;
        let mut types = t.types();
        if types.len() < 2 {
            continue;
        }
        let node = t.node();
        let span_of = |field: &str| node.entry(field).map(|e| e.key_span);
        // Source order: the first key written is "the" type.
        types.sort_by_key(|ty| span_of(ty.field()).map(|s| s.start));
        let first = types[0].field();
        let Some(first_span) = span_of(first) else {
            continue;
        };
        let label = t.name_str().map_or_else(
            || "inline template".to_string(),
            |n| format!("template `{n}`"),
        );
        for other in &types[1..] {
            let Some(span) = span_of(other.field()) else {
                continue;
            };
            out.push(
                Diagnostic::new(
                    &RULE,
                    span,
                    format!(
                        "{label} is both a `{first}` and a `{}` template",
                        other.field()
                    ),
                )
                .with_pointer(node.child_pointer(other.field()))
                .with_secondary(first_span, "first type declared here")
                .with_help("keep one type per template; move the other into a template of its own"),
            );
        }
    }
}
