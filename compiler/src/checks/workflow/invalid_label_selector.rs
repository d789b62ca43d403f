//! AW861: a `podGC.labelSelector` that does not convert to a Kubernetes selector.

use super::at_key;
use crate::checks::CheckContext;
use crate::checks::names::syntax::{label_value, qualified_name};
use crate::checks::scalar::literal_str;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;
use crate::model::view::View;
use crate::parse::NodeRef;

declare_rule! {
    /// ## What it does
    /// Checks `spec.podGC.labelSelector` the way Kubernetes converts it to a selector: label
    /// keys are qualified names, values are label values, `In`/`NotIn` expressions list at
    /// least one value and `Exists`/`DoesNotExist` list none. (Unknown operators are invalid
    /// enum values.)
    ///
    /// Argo rule: ARGO-SPEC-010.
    ///
    /// ## Why is this bad?
    /// Argo rejects the workflow: `podGC.labelSelector invalid: …`.
    ///
    /// ## Example
    /// ```yaml
    /// podGC:
    ///   strategy: OnPodCompletion
    ///   labelSelector:
    ///     matchExpressions:
    ///       - {key: should-be-deleted, operator: In}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///     matchExpressions:
    ///       - {key: should-be-deleted, operator: In, values: ["true"]}
    /// ```
    pub(crate) static RULE = ("AW861", "invalid-label-selector", Error, "a pod GC label selector that Kubernetes cannot convert");
}

fn bad(out: &mut Vec<Diagnostic>, at: NodeRef<'_>, message: String, help: &str) {
    out.push(at_key(&RULE, at, message, help));
}

fn key(out: &mut Vec<Diagnostic>, node: NodeRef<'_>, text: &str) {
    if let Err(e) = qualified_name(text) {
        bad(
            out,
            node,
            format!("label key `{text}` is invalid: {e}"),
            "use a label key such as `app` or `example.com/role`",
        );
    }
}

fn value(out: &mut Vec<Diagnostic>, node: NodeRef<'_>) {
    if let Some(v) = literal_str(node)
        && let Err(e) = label_value(v)
    {
        out.push(
            Diagnostic::new(
                &RULE,
                node.span(),
                format!("label value `{v}` is invalid: {e}"),
            )
            .with_pointer(node.pointer())
            .with_help("use at most 63 letters, digits, `-`, `_` and `.`"),
        );
    }
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    let selector = obj
        .workflow_spec()
        .and_then(|s| s.node().get("podGC"))
        .and_then(|p| p.get("labelSelector"))
        .filter(|s| s.is_map());
    let Some(selector) = selector else { return };
    if let Some(labels) = selector.get("matchLabels") {
        for (e, v) in labels.entries() {
            if !crate::checks::scalar::has_template_tag(&e.key)
                && let Err(err) = qualified_name(&e.key)
            {
                out.push(
                    Diagnostic::new(
                        &RULE,
                        e.key_span,
                        format!("label key `{}` is invalid: {err}", e.key),
                    )
                    .with_pointer(v.pointer())
                    .with_help("use a label key such as `app` or `example.com/role`"),
                );
            }
            value(out, v);
        }
    }
    for expr in selector
        .get("matchExpressions")
        .iter()
        .flat_map(|l| l.items())
        .filter(|e| e.is_map())
    {
        if let Some(k) = expr.get("key")
            && let Some(text) = literal_str(k)
        {
            key(out, k, text);
        }
        let values: Vec<NodeRef<'_>> = expr
            .get("values")
            .map(|v| v.items().collect())
            .unwrap_or_default();
        for v in &values {
            value(out, *v);
        }
        let Some(op) = expr.get("operator") else {
            continue;
        };
        match op.as_str() {
            Some(o @ ("In" | "NotIn")) if values.is_empty() => bad(
                out,
                op,
                format!("operator `{o}` needs at least one value"),
                "list the accepted values in `values`",
            ),
            Some(o @ ("Exists" | "DoesNotExist")) if !values.is_empty() => bad(
                out,
                op,
                format!("operator `{o}` takes no values"),
                "remove `values`, or use `In`/`NotIn`",
            ),
            _ => {}
        }
    }
}
