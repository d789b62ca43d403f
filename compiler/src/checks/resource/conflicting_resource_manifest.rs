//! AW821: a resource template with both `manifest` and `manifestFrom`.

use super::{manifest, manifest_from, resources};
use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;

declare_rule! {
    /// ## What it does
    /// Reports a resource template that sets both `manifest` and `manifestFrom`.
    ///
    /// Argo rule: ARGO-LEAF-012.
    ///
    /// ## Why is this bad?
    /// Argo rejects the workflow: ``shouldn't have both `manifest` and `manifestFrom` specified
    /// in `Manifest` for resource template``.
    ///
    /// ## Example
    /// ```yaml
    /// resource:
    ///   action: apply
    ///   manifest: "{{inputs.parameters.manifest}}"
    ///   manifestFrom:
    ///     artifact:
    ///       name: manifest
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// resource:
    ///   action: apply
    ///   manifestFrom:
    ///     artifact:
    ///       name: manifest
    /// ```
    pub(crate) static RULE = ("AW821", "conflicting-resource-manifest", Error, "a resource template with both manifest and manifestFrom");
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    let Some(spec) = obj.workflow_spec() else {
        return;
    };
    for (_, r) in resources(spec) {
        let (Some(m), Some(from)) = (manifest(&r), manifest_from(&r)) else {
            continue;
        };
        out.push(
            Diagnostic::new(
                &RULE,
                from.key_span(),
                "resource has both `manifest` and `manifestFrom`",
            )
            .with_pointer(from.pointer())
            .with_secondary(m.key_span(), "`manifest` set here")
            .with_help("keep only one of them"),
        );
    }
}
