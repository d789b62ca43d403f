//! BP002: a template that runs a pod without a retryStrategy, when the policy requires one.

use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;
use crate::model::view::View;
use crate::model::walk;

declare_rule! {
    /// ## What it does
    /// Opt-in (policy `require.retryStrategy: true`). Reports every template that runs a pod
    /// (container, script, containerSet, resource, data; inline templates included) without a
    /// `retryStrategy`, unless the workflow spec sets `retryStrategy` or
    /// `templateDefaults.retryStrategy` for every template.
    ///
    /// ## Why is this bad?
    /// Pods fail for reasons that have nothing to do with the work: node drains, spot
    /// pre-emption, image pulls. Without a retry one such failure fails the whole workflow.
    ///
    /// ## Example
    /// ```yaml
    /// - name: main
    ///   container: {image: alpine:3.20}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// - name: main
    ///   retryStrategy: {limit: 3, retryPolicy: OnError}
    ///   container: {image: alpine:3.20}
    /// ```
    pub(crate) static RULE = ("BP002", "require-retry-strategy", Error, "retryStrategy is required by policy");
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    let Some(spec) = obj.workflow_spec() else {
        return;
    };
    let node = spec.node();
    let defaults = node.get("templateDefaults");
    if node.get("retryStrategy").is_some()
        || defaults.is_some_and(|d| d.get("retryStrategy").is_some())
    {
        return;
    }
    for site in walk::templates(spec) {
        let t = site.template;
        if !t.types().iter().any(|ty| ty.runs_pod()) || t.node().get("retryStrategy").is_some() {
            continue;
        }
        let caller = site
            .inline_in
            .and_then(|c| c.get("name"))
            .and_then(|n| n.as_str());
        let what = match (t.name_str(), caller) {
            (Some(n), _) => format!("template `{n}`"),
            (None, Some(c)) => format!("the inline template of `{c}`"),
            (None, None) => "an inline template".to_string(),
        };
        out.push(
            Diagnostic::new(
                &RULE,
                t.node().key_span(),
                format!("{what} has no retryStrategy, which the policy requires"),
            )
            .with_pointer(t.pointer())
            .with_help("add retryStrategy (e.g. {limit: 3}) to the template or the spec"),
        );
    }
}
