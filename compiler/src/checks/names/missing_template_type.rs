//! AW214: a template that declares no template type.

use super::Input;
use crate::checks::CheckContext;
use crate::checks::scalar_span::head_span;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::view::View;

declare_rule! {
    /// ## What it does
    /// Reports a template (in `spec.templates` or inline in a step or task) that sets none of
    /// `container`, `containerSet`, `steps`, `dag`, `script`, `resource`, `data`, `http`,
    /// `plugin` and `suspend`.
    ///
    /// Argo rule: ARGO-TREF-008 (`template '<T>' type is unknown`), ARGO-TMPL-001 (zero types).
    ///
    /// ## Why is this bad?
    /// Argo refuses the workflow: the template does nothing it could run. Often the type key is
    /// misspelled or indented under another field.
    ///
    /// ## Example
    /// ```yaml
    /// - name: hello
    ///   inputs:
    ///     parameters: [{name: msg}]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// - name: hello
    ///   inputs:
    ///     parameters: [{name: msg}]
    ///   container:
    ///     image: alpine:3.20
    ///     command: [echo, "{{inputs.parameters.msg}}"]
    /// ```
    pub(crate) static RULE = ("AW214", "missing-template-type", Error, "a template without a template type");
}

pub(super) fn check(_ctx: &CheckContext<'_>, obj: &Input<'_>, out: &mut Vec<Diagnostic>) {
    for site in obj.templates.iter().copied() {
        let t = site.template;
        let node = t.node();
        if !node.is_map() || !t.types().is_empty() {
            continue;
        }
        let (span, message) = match (t.name(), t.name_str()) {
            (Some(n), Some(name)) => (n.span(), format!("template `{name}` has no type")),
            _ if site.inline_in.is_some() => {
                (node.key_span(), "inline template has no type".to_string())
            }
            _ => (head_span(node), "template has no type".to_string()),
        };
        out.push(
            Diagnostic::new(&RULE, span, message)
                .with_pointer(node.pointer())
                .with_help("add one of `container`, `script`, `steps`, `dag`, `resource`, `suspend`, `containerSet`, `data`, `http` or `plugin`"),
        );
    }
}
