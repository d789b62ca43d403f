//! AW322: a step or task with more than one of `withItems`, `withParam`, `withSequence`.

use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;

declare_rule! {
    /// ## What it does
    /// Reports a step or DAG task that sets more than one of `withItems`, `withParam` and
    /// `withSequence`.
    ///
    /// Argo rule: ARGO-LOOP-001, ARGO-STEP-003.
    ///
    /// ## Why is this bad?
    /// A step loops over one list. Argo rejects the workflow: `only one of withItems,
    /// withParam, withSequence can be specified`.
    ///
    /// ## Example
    /// ```yaml
    /// - name: each
    ///   template: print
    ///   withItems: [a, b]
    ///   withParam: "{{steps.list.outputs.result}}"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// - name: each
    ///   template: print
    ///   withParam: "{{steps.list.outputs.result}}"
    /// ```
    pub(crate) static RULE = ("AW322", "conflicting-loop-fields", Error, "a step or task with several loop fields");
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    for call in super::steps_and_tasks(obj) {
        let set: Vec<_> = ["withItems", "withParam", "withSequence"]
            .into_iter()
            .filter_map(|k| Some((k, call.node.get(k).filter(|n| !n.is_null())?)))
            .collect();
        let [(first, _), rest @ ..] = set.as_slice() else {
            continue;
        };
        for (k, node) in rest {
            out.push(
                Diagnostic::new(
                    &RULE,
                    node.key_span(),
                    format!("`{k}` is set together with `{first}`"),
                )
                .with_pointer(node.pointer())
                .with_help("keep one of `withItems`, `withParam` and `withSequence`"),
            );
        }
    }
}
