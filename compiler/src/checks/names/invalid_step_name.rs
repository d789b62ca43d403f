//! AW207: a step without a name, or a step or DAG task whose name Argo rejects.

use super::Input;
use super::invalid_template_name::help;
use super::syntax::{field_name, without_tags};
use crate::checks::CheckContext;
use crate::checks::scalar_span::head_span;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::view::View;
use crate::parse::NodeRef;

declare_rule! {
    /// ## What it does
    /// Reports a step without a `name`, and a step or DAG task whose name is not 1 to 128
    /// letters, digits and `-`, starting with a letter or digit. In step names each `{{...}}` tag
    /// counts as one letter, as in Argo. (A task without a name is reported by AW103.)
    ///
    /// Argo rule: ARGO-NAME-006, ARGO-NAME-007, ARGO-STEP-001, ARGO-DAG-004.
    ///
    /// ## Why is this bad?
    /// Argo refuses the workflow. Step and task names become node names and are used in
    /// `{{steps.NAME...}}` and `depends`, where other characters do not parse.
    ///
    /// ## Example
    /// ```yaml
    /// steps:
    ///   - - name: run_tests
    ///       template: test
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// steps:
    ///   - - name: run-tests
    ///       template: test
    /// ```
    pub(crate) static RULE = ("AW207", "invalid-step-name", Error, "a step or task name that is missing or not letters, digits and dashes");
}

pub(super) fn check(_ctx: &CheckContext<'_>, obj: &Input<'_>, out: &mut Vec<Diagnostic>) {
    for site in obj.templates.iter().copied() {
        let t = site.template;
        if let Some(groups) = t.steps() {
            for group in groups.iter() {
                for step in group.iter() {
                    let node = step.node();
                    if !node.is_map() {
                        continue;
                    }
                    match step.name() {
                        None => out.push(
                            Diagnostic::new(&RULE, head_span(node), "step has no name")
                                .with_pointer(node.child_pointer("name"))
                                .with_help("add `name:`; later steps refer to it as `steps.NAME`"),
                        ),
                        Some(name) => {
                            let sanitized = name.as_str().map(without_tags);
                            name_rule(name, "step", sanitized.as_deref(), out);
                        }
                    }
                }
            }
        }
        if let Some(tasks) = t.dag().and_then(|d| d.tasks()) {
            for task in tasks.iter() {
                if let Some(name) = task.name() {
                    name_rule(name, "task", name.as_str(), out);
                }
            }
        }
    }
}

fn name_rule(node: NodeRef<'_>, what: &str, checked: Option<&str>, out: &mut Vec<Diagnostic>) {
    let (Some(name), Some(checked)) = (node.as_str(), checked) else {
        return;
    };
    if let Err(why) = field_name(checked) {
        out.push(
            Diagnostic::new(
                &RULE,
                node.span(),
                format!("{what} name `{}` is invalid: {why}", name.escape_default()),
            )
            .with_pointer(node.pointer())
            .with_help(help(name)),
        );
    }
}
