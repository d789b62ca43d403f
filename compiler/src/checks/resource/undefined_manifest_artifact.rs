//! AW822: `manifestFrom` names an artifact that is not an input of the template.

use super::resources;
use crate::checks::CheckContext;
use crate::checks::scalar::literal_str;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;
use crate::suggest::did_you_mean;

declare_rule! {
    /// ## What it does
    /// Checks that `resource.manifestFrom.artifact.name` names one of the template's input
    /// artifacts.
    ///
    /// Argo rule: ARGO-LEAF-013.
    ///
    /// ## Why is this bad?
    /// Argo rejects the workflow: ``artifact <A> in `manifestFrom` refer to a non-exist
    /// artifact``.
    ///
    /// ## Example
    /// ```yaml
    /// inputs:
    ///   artifacts:
    ///     - {name: manifest, path: /tmp/manifest.yaml}
    /// resource:
    ///   action: apply
    ///   manifestFrom:
    ///     artifact:
    ///       name: manifests
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// inputs:
    ///   artifacts:
    ///     - {name: manifest, path: /tmp/manifest.yaml}
    /// resource:
    ///   action: apply
    ///   manifestFrom:
    ///     artifact:
    ///       name: manifest
    /// ```
    pub(crate) static RULE = ("AW822", "undefined-manifest-artifact", Error, "manifestFrom names an artifact the template does not take as input");
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    let Some(spec) = obj.workflow_spec() else {
        return;
    };
    for (template, r) in resources(spec) {
        let Some(node) = r
            .manifest_from()
            .and_then(|m| m.artifact())
            .and_then(|a| a.name())
        else {
            continue;
        };
        let Some(name) = literal_str(node) else {
            continue;
        };
        let inputs: Vec<&str> = template
            .inputs()
            .and_then(|i| i.artifacts())
            .map(|a| a.iter().filter_map(|a| a.name()?.as_str()).collect())
            .unwrap_or_default();
        if inputs.contains(&name) {
            continue;
        }
        let d = Diagnostic::new(
            &RULE,
            node.span(),
            format!("`{name}` is not an input artifact of this template"),
        )
        .with_pointer(node.pointer());
        out.push(match did_you_mean(name, inputs.iter().copied()) {
            Some(s) => d.with_help(format!("did you mean `{s}`?")),
            None => d.with_help(format!("declare `{name}` in `inputs.artifacts`")),
        });
    }
}
