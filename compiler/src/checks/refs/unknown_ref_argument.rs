//! AW505: a reference passes an argument that the referenced template does not declare.

use super::{list, ref_calls};
use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;
use crate::resolve::Resolution;
use crate::suggest::did_you_mean;

declare_rule! {
    /// ## What it does
    /// Reports an argument parameter or artifact passed through a `templateRef` that the
    /// referenced template does not declare among its inputs.
    ///
    /// ## Why is this bad?
    /// Argo silently drops arguments that match no input (upstream issue 1574, closed as won't
    /// fix). A misspelled argument name therefore leaves the input at its default, or fails with
    /// `was not supplied` when it has none, far from the typo.
    ///
    /// ## Example
    /// ```yaml
    /// templateRef: {name: printer, template: print-message}   # declares `message`
    /// arguments:
    ///   parameters: [{name: mesage, value: hello}]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// templateRef: {name: printer, template: print-message}
    /// arguments:
    ///   parameters: [{name: message, value: hello}]
    /// ```
    pub(crate) static RULE = ("AW505", "unknown-ref-argument", Warning, "an argument that the referenced template does not declare");
}

pub(crate) fn check(ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    for call in ref_calls(obj) {
        let Resolution::Resolved(rt) = ctx.refs.resolve(obj, &call) else {
            continue;
        };
        let Some(args) = call.arguments else {
            continue;
        };
        let declared_params: Vec<&str> = rt.interface.parameters.iter().map(|p| p.name).collect();
        let declared_artifacts: Vec<&str> = rt.interface.artifacts.iter().map(|a| a.name).collect();
        let params: Vec<_> = args
            .parameters()
            .map(|ps| ps.iter().filter_map(|p| p.name()).collect())
            .unwrap_or_default();
        let artifacts: Vec<_> = args
            .artifacts()
            .map(|arts| arts.iter().filter_map(|a| a.name()).collect())
            .unwrap_or_default();
        let params = params
            .into_iter()
            .map(|n| ("parameter", n, &declared_params));
        let artifacts = artifacts
            .into_iter()
            .map(|n| ("artifact", n, &declared_artifacts));
        for (what, node, declared) in params.chain(artifacts) {
            let Some(name) = node.as_str() else { continue };
            if declared.contains(&name) {
                continue;
            }
            let d = Diagnostic::new(
                &RULE,
                node.span(),
                format!("`{}` has no input {what} `{name}`", rt.display()),
            )
            .with_pointer(node.pointer());
            out.push(match did_you_mean(name, declared.iter().copied()) {
                Some(s) => d.with_help(format!("did you mean `{s}`?")),
                None if declared.is_empty() => d.with_note(format!("it declares no input {what}s")),
                None => d.with_note(format!("it declares {}", list(declared.iter().copied()))),
            });
        }
    }
}
