//! AW820: a resource template whose action needs a manifest but has none.

use super::{manifest, manifest_from, resources};
use crate::checks::CheckContext;
use crate::checks::scalar::literal_str;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;
use crate::model::view::View;

declare_rule! {
    /// ## What it does
    /// Reports a resource template whose `action` is `create`, `apply`, `replace` or `patch` but
    /// which has neither `manifest` nor `manifestFrom`. (`get` and `delete` can name the object
    /// with `flags` instead.)
    ///
    /// Argo rule: ARGO-LEAF-011.
    ///
    /// ## Why is this bad?
    /// Argo rejects the workflow: `either templates.<T>.resource.manifest or
    /// templates.<T>.resource.manifestFrom must be specified`.
    ///
    /// ## Example
    /// ```yaml
    /// resource:
    ///   action: create
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// resource:
    ///   action: create
    ///   manifest: |
    ///     apiVersion: v1
    ///     kind: ConfigMap
    ///     metadata:
    ///       generateName: example-
    /// ```
    pub(crate) static RULE = ("AW820", "missing-resource-manifest", Error, "a resource template without the manifest its action needs");
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    let Some(spec) = obj.workflow_spec() else {
        return;
    };
    for (_, r) in resources(spec) {
        let Some(action) = r.action() else { continue };
        let Some(a) = literal_str(action) else {
            continue;
        };
        if matches!(a, "get" | "delete") || manifest(&r).is_some() || manifest_from(&r).is_some() {
            continue;
        }
        out.push(
            Diagnostic::new(
                &RULE,
                r.node().key_span(),
                format!("resource action `{a}` needs a manifest"),
            )
            .with_pointer(r.node().pointer())
            .with_secondary(action.span(), "action set here")
            .with_help("add `manifest` with the object, or `manifestFrom` with an input artifact"),
        );
    }
}
