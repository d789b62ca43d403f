//! AW215: a step, task or hook that sets more than one of `template`, `templateRef` and
//! `inline`.

use super::Input;
use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::walk::CallKind;

declare_rule! {
    /// ## What it does
    /// Reports a step, DAG task or lifecycle hook that names what to run in more than one way:
    /// two or three of `template`, `templateRef` and `inline`.
    ///
    /// Argo rule: ARGO-TREF-001 (`template` with `templateRef`). Fixes: FN-17 (with `inline`,
    /// Argo silently runs the inline template and ignores the other field).
    ///
    /// ## Why is this bad?
    /// `template` with `templateRef` is refused. With `inline`, the other reference is ignored
    /// without a word: what runs is not what the reader of the manifest expects.
    ///
    /// ## Example
    /// ```yaml
    /// - name: build
    ///   template: build
    ///   inline:
    ///     container: {image: golang:1.23}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// - name: build
    ///   template: build
    /// ```
    pub(crate) static RULE = ("AW215", "conflicting-template-reference", Error, "a step, task or hook that names its template in more than one way");
}

const FIELDS: [&str; 3] = ["template", "templateRef", "inline"];

pub(super) fn check(_ctx: &CheckContext<'_>, obj: &Input<'_>, out: &mut Vec<Diagnostic>) {
    for call in &obj.calls {
        let what = match call.kind {
            CallKind::Step { .. } => "step",
            CallKind::Task { .. } => "task",
            CallKind::Hook => "hook",
            CallKind::OnExit => continue,
        };
        let node = call.node;
        let present: Vec<_> = FIELDS
            .iter()
            .filter_map(|f| {
                let e = node.entry(f)?;
                (!node.get(f)?.is_null()).then_some((*f, e.key_span))
            })
            .collect();
        let [(first, first_span), rest @ ..] = present.as_slice() else {
            continue;
        };
        let label = match call.name() {
            Some(n) => format!("{what} `{n}`"),
            None => format!("{what} `{}`", node.parent_entry().map_or("?", |e| &*e.key)),
        };
        for (field, span) in rest {
            let note = if *field == "inline" {
                Some(format!(
                    "Argo runs the inline template and ignores `{first}`"
                ))
            } else {
                None
            };
            let d = Diagnostic::new(
                &RULE,
                *span,
                format!("{label} sets both `{first}` and `{field}`"),
            )
            .with_pointer(node.child_pointer(field))
            .with_secondary(*first_span, format!("`{first}` set here"))
            .with_help("keep exactly one of `template`, `templateRef` and `inline`");
            out.push(match note {
                Some(n) => d.with_note(n),
                None => d,
            });
        }
    }
}
