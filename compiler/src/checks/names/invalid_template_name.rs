//! AW205: a template without a name, or with a name Argo rejects.

use super::Input;
use super::syntax::field_name;
use crate::checks::CheckContext;
use crate::checks::scalar_span::head_span;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::view::View;

declare_rule! {
    /// ## What it does
    /// Reports an entry of `spec.templates` without a `name`, or whose name is not 1 to 128
    /// letters, digits and `-`, starting with a letter or digit (inline templates need no
    /// name).
    ///
    /// Argo rule: ARGO-NAME-001 (name rules and "required").
    ///
    /// ## Why is this bad?
    /// Argo refuses the workflow: `spec.templates[0].name: 'build_image' is invalid`. A template
    /// without a name cannot be called at all.
    ///
    /// ## Example
    /// ```yaml
    /// templates:
    ///   - name: build_image
    ///     container: {image: docker:27}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// templates:
    ///   - name: build-image
    ///     container: {image: docker:27}
    /// ```
    pub(crate) static RULE = ("AW205", "invalid-template-name", Error, "a template name that is missing or not letters, digits and dashes");
}

pub(super) fn check(_ctx: &CheckContext<'_>, obj: &Input<'_>, out: &mut Vec<Diagnostic>) {
    let Some(templates) = obj.workflow_spec().and_then(|s| s.templates()) else {
        return;
    };
    for t in templates.iter() {
        if !t.node().is_map() {
            continue;
        }
        match t.name() {
            None => out.push(
                Diagnostic::new(&RULE, head_span(t.node()), "template has no name")
                    .with_pointer(t.node().child_pointer("name"))
                    .with_help("add `name:` so that steps, tasks and the entrypoint can call it"),
            ),
            Some(node) => {
                let Some(name) = node.as_str() else {
                    continue;
                };
                if let Err(why) = field_name(name) {
                    out.push(
                        Diagnostic::new(
                            &RULE,
                            node.span(),
                            format!(
                                "template name `{}` is invalid: {why}",
                                name.escape_default()
                            ),
                        )
                        .with_pointer(node.pointer())
                        .with_help(help(name)),
                    );
                }
            }
        }
    }
}

/// A fix hint shared by the template, step and task name rules.
pub(super) fn help(name: &str) -> String {
    let fixed: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .take(super::syntax::MAX_FIELD_NAME)
        .collect();
    let fixed = fixed.trim_matches('-');
    if fixed.is_empty() || fixed == name || name.contains("{{") {
        "use 1 to 128 letters, digits and `-`, starting with a letter or digit".to_string()
    } else {
        format!("use letters, digits and `-`, e.g. `{fixed}`")
    }
}
