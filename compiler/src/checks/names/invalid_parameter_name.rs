//! AW209: a parameter, artifact or `globalName` with characters Argo rejects.

use super::Input;
use super::syntax::{artifact_name, parameter_name};
use super::{IoKind, io_lists};
use crate::checks::CheckContext;
use crate::checks::schema::has_template_tag;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;

declare_rule! {
    /// ## What it does
    /// Reports an input, output or argument parameter whose name is not letters, digits, `-`
    /// and `_`, an artifact whose name is not letters, digits, `-`, `_`, `.`, `{` and `}`, and
    /// an output `globalName` that is not a valid parameter name (unless it holds `{{...}}`).
    /// A missing `name` is reported by AW103.
    ///
    /// Argo rule: ARGO-NAME-002, ARGO-NAME-003, ARGO-NAME-004, ARGO-NAME-005, ARGO-NAME-009,
    /// ARGO-ARG-001, ARGO-ARG-002. Fixes: FP-18 (Argo's Go validator rejects `.`, `{` and `}`
    /// in artifact names, which its CRD allows and which run fine; Bosun accepts them).
    ///
    /// ## Why is this bad?
    /// Argo refuses the workflow, and such names cannot be written in
    /// `{{inputs.parameters.NAME}}` references.
    ///
    /// ## Example
    /// ```yaml
    /// inputs:
    ///   parameters:
    ///     - name: message+1
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// inputs:
    ///   parameters:
    ///     - name: message-1
    /// ```
    pub(crate) static RULE = ("AW209", "invalid-parameter-name", Error, "a parameter or artifact name with characters Argo rejects");
}

pub(super) fn check(_ctx: &CheckContext<'_>, obj: &Input<'_>, out: &mut Vec<Diagnostic>) {
    for list in io_lists(obj) {
        for item in list.items.items() {
            if let Some((node, name)) = item.get("name").and_then(|n| Some((n, n.as_str()?))) {
                let rule = match list.kind {
                    IoKind::Parameter => parameter_name(name),
                    IoKind::Artifact => artifact_name(name),
                };
                if let Err(why) = rule {
                    out.push(
                        Diagnostic::new(
                            &RULE,
                            node.span(),
                            format!(
                                "{} {} name `{}` is invalid: {why}",
                                list.role,
                                list.kind.as_str(),
                                name.escape_default()
                            ),
                        )
                        .with_pointer(node.pointer())
                        .with_help(format!("rename it, e.g. `{}`", fixed(name))),
                    );
                }
            }
            let global = item
                .get("globalName")
                .filter(|_| list.role == "output")
                .and_then(|n| Some((n, n.as_str()?)))
                .filter(|(_, g)| !has_template_tag(g));
            let Some((node, global)) = global else {
                continue;
            };
            if let Err(why) = parameter_name(global) {
                out.push(
                    Diagnostic::new(
                        &RULE,
                        node.span(),
                        format!(
                            "`globalName` `{}` is invalid: {why}",
                            global.escape_default()
                        ),
                    )
                    .with_pointer(node.pointer())
                    .with_help(format!("rename it, e.g. `{}`", fixed(global))),
                );
            }
        }
    }
}

fn fixed(name: &str) -> String {
    let f: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if f.is_empty() { "my-param".into() } else { f }
}
