//! AW210: two parameters (or two artifacts) with the same name in one list.

use std::collections::HashMap;

use super::Input;
use super::io_lists;
use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;

declare_rule! {
    /// ## What it does
    /// Reports a parameter or artifact whose name repeats an earlier one in the same list:
    /// `spec.arguments`, a template's `inputs` or `outputs`, or the `arguments` of a step, task
    /// or hook.
    ///
    /// Argo rule: ARGO-NAME-002 (inputs), ARGO-ARG-001 (arguments); for outputs Argo has no
    /// rule, and the later output silently overwrites the earlier one.
    ///
    /// ## Why is this bad?
    /// Argo refuses duplicate inputs and arguments. For outputs, only one value survives, so a
    /// caller may read a different value than the one you meant.
    ///
    /// ## Example
    /// ```yaml
    /// arguments:
    ///   parameters:
    ///     - {name: env, value: dev}
    ///     - {name: env, value: prod}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// arguments:
    ///   parameters:
    ///     - {name: env, value: prod}
    /// ```
    pub(crate) static RULE = ("AW210", "duplicate-parameter-name", Error, "two parameters or artifacts with the same name in one list");
}

pub(super) fn check(_ctx: &CheckContext<'_>, obj: &Input<'_>, out: &mut Vec<Diagnostic>) {
    for list in io_lists(obj) {
        let mut seen = HashMap::new();
        for item in list.items.items() {
            let Some(node) = item.get("name") else {
                continue;
            };
            let Some(name) = node.as_str() else {
                continue;
            };
            match seen.get(name) {
                None => {
                    seen.insert(name, node);
                }
                Some(first) => out.push(
                    Diagnostic::new(
                        &RULE,
                        node.span(),
                        format!(
                            "{} {} `{name}` is declared twice",
                            list.role,
                            list.kind.as_str()
                        ),
                    )
                    .with_pointer(node.pointer())
                    .with_secondary(first.span(), "first declared here")
                    .with_help("remove or rename one of them"),
                ),
            }
        }
    }
}
