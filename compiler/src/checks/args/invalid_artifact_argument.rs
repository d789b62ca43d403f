//! AW427: an artifact argument without a source, or with both `from` and `fromExpression`.

use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;
use crate::model::view::View;
use crate::model::walk::all_calls;

declare_rule! {
    /// ## What it does
    /// Reports artifact arguments of steps, tasks and hooks that have no source (`from`,
    /// `fromExpression`, a location such as `s3` or `raw`, or a repository `key`), and those
    /// with both `from` and `fromExpression`. An argument with only `fromExpression` is
    /// accepted (Argo rejects it at lint time but it runs: FP-17).
    ///
    /// Argo rule: ARGO-ARG-008, ARGO-ARG-009.
    ///
    /// ## Why is this bad?
    /// The artifact has nothing to load, or two competing sources. Argo rejects the workflow:
    /// `from, artifact location, or key is required`, ``shouldn't have both `from` and
    /// `fromExpression` ``.
    ///
    /// ## Example
    /// ```yaml
    /// arguments:
    ///   artifacts:
    ///     - name: data
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// arguments:
    ///   artifacts:
    ///     - name: data
    ///       from: "{{steps.gen.outputs.artifacts.data}}"
    /// ```
    pub(crate) static RULE = ("AW427", "invalid-artifact-argument", Error, "an artifact argument without a source or with two");
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    let Some(spec) = obj.workflow_spec() else {
        return;
    };
    for call in all_calls(spec) {
        let arts = call.arguments.and_then(|a| a.artifacts());
        for a in crate::scope::items(arts) {
            let n = a.node();
            let Some(name) = super::name_of(n) else {
                continue;
            };
            let at = n.get("name").unwrap_or(n);
            let from = super::present(n, "from");
            let from_expr = super::present(n, "fromExpression");
            if from && from_expr {
                out.push(
                    Diagnostic::new(
                        &RULE,
                        at.span(),
                        format!("artifact argument `{name}` has both `from` and `fromExpression`"),
                    )
                    .with_pointer(n.pointer())
                    .with_help("keep one of them"),
                );
            } else if !from && !from_expr && !super::LOCATIONS.iter().any(|k| super::present(n, k))
            {
                out.push(
                    Diagnostic::new(
                        &RULE,
                        at.span(),
                        format!("artifact argument `{name}` has no source"),
                    )
                    .with_pointer(n.pointer())
                    .with_help("set `from` (another step's output), a location such as `s3` or `raw`, or a repository `key`"),
                );
            }
        }
    }
}
