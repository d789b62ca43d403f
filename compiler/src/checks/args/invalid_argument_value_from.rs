//! AW426: an argument `valueFrom` with a source only outputs may use.

use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;
use crate::parse::NodeRef;

declare_rule! {
    /// ## What it does
    /// Reports argument parameters (workflow `spec.arguments`, steps, tasks, hooks) whose
    /// `valueFrom` uses `path`, `jsonPath`, `parameter` or `expression`, or names none of
    /// `configMapKeyRef`, `event` and `supplied`.
    ///
    /// Argo rule: ARGO-ARG-004.
    ///
    /// ## Why is this bad?
    /// Those sources read a file, a resource or a step output: they only make sense in
    /// `outputs`. Argo rejects the workflow: `valueFrom only allows: default, configMapKeyRef
    /// and supplied`.
    ///
    /// ## Example
    /// ```yaml
    /// arguments:
    ///   parameters:
    ///     - name: data
    ///       valueFrom:
    ///         parameter: "{{tasks.gen.outputs.parameters.data}}"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// arguments:
    ///   parameters:
    ///     - name: data
    ///       value: "{{tasks.gen.outputs.parameters.data}}"
    /// ```
    pub(crate) static RULE = ("AW426", "invalid-argument-value-from", Error, "an argument `valueFrom` with a source only outputs may use");
}

const OUTPUT_ONLY: &[&str] = &["path", "jsonPath", "parameter", "expression"];
const ALLOWED: &[&str] = &["configMapKeyRef", "event", "supplied"];

fn check_list(params: Vec<NodeRef<'_>>, out: &mut Vec<Diagnostic>) {
    for p in params {
        let Some(vf) = p.get("valueFrom").filter(|v| v.is_map()) else {
            continue;
        };
        let name = super::name_of(p).unwrap_or_default();
        let bad: Vec<&str> = OUTPUT_ONLY
            .iter()
            .copied()
            .filter(|k| super::present(vf, k))
            .collect();
        let message = match bad.first() {
            Some(first) => {
                let at = vf.get(first).unwrap_or(vf);
                out.push(
                    Diagnostic::new(
                        &RULE,
                        at.key_span(),
                        format!("argument `{name}` takes its value from `{first}`, which only outputs may use"),
                    )
                    .with_pointer(at.pointer())
                    .with_help("pass the value with `value:` (tags such as `{{steps.x.outputs.parameters.p}}` are allowed)"),
                );
                continue;
            }
            None if !ALLOWED.iter().any(|k| super::present(vf, k)) => {
                format!("`valueFrom` of argument `{name}` names no source")
            }
            None => continue,
        };
        out.push(
            Diagnostic::new(&RULE, vf.key_span(), message)
                .with_pointer(vf.pointer())
                .with_help("use `configMapKeyRef`, `supplied` or `event`, or a plain `value`"),
        );
    }
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    let Some(spec) = obj.workflow_spec() else {
        return;
    };
    check_list(super::every_argument_parameter(spec), out);
}
