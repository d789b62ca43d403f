//! AW216: a step, task or hook that names no template at all.

use super::Input;
use crate::checks::CheckContext;
use crate::checks::scalar_span::head_span;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::walk::CallKind;

declare_rule! {
    /// ## What it does
    /// Reports a step, DAG task or lifecycle hook with none of `template`, `templateRef` and
    /// `inline`.
    ///
    /// Argo rule: ARGO-TREF-007 (`failed to get a template`).
    ///
    /// ## Why is this bad?
    /// Argo refuses the workflow; for hooks (which Argo does not resolve) the workflow starts and
    /// the hook fails when it fires. Often the field is misspelled or indented wrongly.
    ///
    /// ## Example
    /// ```yaml
    /// - name: build
    ///   arguments:
    ///     parameters: [{name: target, value: linux}]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// - name: build
    ///   template: build
    ///   arguments:
    ///     parameters: [{name: target, value: linux}]
    /// ```
    pub(crate) static RULE = ("AW216", "missing-template-reference", Error, "a step, task or hook that names no template");
}

pub(super) fn check(_ctx: &CheckContext<'_>, obj: &Input<'_>, out: &mut Vec<Diagnostic>) {
    for call in &obj.calls {
        let node = call.node;
        if !node.is_map() {
            continue;
        }
        let set = |f: &str| node.get(f).is_some_and(|n| !n.is_null());
        if set("template") || set("templateRef") || set("inline") {
            continue;
        }
        let (span, label) = match call.kind {
            CallKind::Step { .. } | CallKind::Task { .. } => {
                let what = if matches!(call.kind, CallKind::Task { .. }) {
                    "task"
                } else {
                    "step"
                };
                match (node.get("name"), call.name()) {
                    (Some(n), Some(name)) => (n.span(), format!("{what} `{name}`")),
                    _ => (head_span(node), what.to_string()),
                }
            }
            CallKind::Hook => (
                node.key_span(),
                format!("hook `{}`", node.parent_entry().map_or("?", |e| &*e.key)),
            ),
            CallKind::OnExit => continue,
        };
        let help = if call.kind == CallKind::Hook {
            "add `template: NAME` or a `templateRef`"
        } else {
            "add `template: NAME`, a `templateRef`, or an `inline` template"
        };
        out.push(
            Diagnostic::new(
                &RULE,
                span,
                format!("{label} does not say which template to run"),
            )
            .with_pointer(node.pointer())
            .with_help(help),
        );
    }
}
