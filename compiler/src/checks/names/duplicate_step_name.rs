//! AW208: two steps of one steps template, or two tasks of one DAG, with the same name.

use std::collections::HashMap;

use super::Input;
use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::parse::NodeRef;

declare_rule! {
    /// ## What it does
    /// Reports a step whose name is already used by another step of the same template (in any
    /// group), and a DAG task whose name is already used in the same DAG.
    ///
    /// Argo rule: ARGO-NAME-006 (uniqueness across all groups), ARGO-NAME-007 and ARGO-DAG-003
    /// (`sorting failed: duplicated nodeName`).
    ///
    /// ## Why is this bad?
    /// Argo refuses the workflow. `{{steps.NAME...}}`, `{{tasks.NAME...}}` and `depends` could
    /// not tell the two apart.
    ///
    /// ## Example
    /// ```yaml
    /// steps:
    ///   - - name: test
    ///       template: unit-tests
    ///   - - name: test
    ///       template: e2e-tests
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// steps:
    ///   - - name: unit-test
    ///       template: unit-tests
    ///   - - name: e2e-test
    ///       template: e2e-tests
    /// ```
    pub(crate) static RULE = ("AW208", "duplicate-step-name", Error, "two steps or tasks with the same name in one template");
}

pub(super) fn check(_ctx: &CheckContext<'_>, obj: &Input<'_>, out: &mut Vec<Diagnostic>) {
    for site in obj.templates.iter().copied() {
        let t = site.template;
        if let Some(groups) = t.steps() {
            let names = groups
                .iter()
                .flat_map(|g| g.iter().collect::<Vec<_>>())
                .filter_map(|s| s.name());
            report(names, "step", "template", out);
        }
        if let Some(tasks) = t.dag().and_then(|d| d.tasks()) {
            report(tasks.iter().filter_map(|s| s.name()), "task", "DAG", out);
        }
    }
}

fn report<'a>(
    names: impl Iterator<Item = NodeRef<'a>>,
    what: &str,
    within: &str,
    out: &mut Vec<Diagnostic>,
) {
    let mut seen: HashMap<&str, NodeRef<'a>> = HashMap::new();
    for node in names {
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
                    format!("{what} `{name}` is defined twice in this {within}"),
                )
                .with_pointer(node.pointer())
                .with_secondary(first.span(), "first defined here")
                .with_help(format!("rename one of the {what}s")),
            ),
        }
    }
}
