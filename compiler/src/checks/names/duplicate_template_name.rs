//! AW206: two templates with the same name.

use std::collections::HashMap;

use super::Input;
use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;

declare_rule! {
    /// ## What it does
    /// Reports an entry of `spec.templates` whose name is already used by an earlier template.
    ///
    /// Argo rule: ARGO-NAME-001 (uniqueness).
    ///
    /// ## Why is this bad?
    /// Argo refuses the workflow (`spec.templates[1].name 'build' is not unique`). Tools that do
    /// accept it pick one of the two silently, so a step may run a different template than the
    /// one you edited.
    ///
    /// ## Example
    /// ```yaml
    /// templates:
    ///   - name: build
    ///     container: {image: golang:1.23}
    ///   - name: build
    ///     container: {image: node:22}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// templates:
    ///   - name: build-go
    ///     container: {image: golang:1.23}
    ///   - name: build-js
    ///     container: {image: node:22}
    /// ```
    pub(crate) static RULE = ("AW206", "duplicate-template-name", Error, "two templates with the same name");
}

pub(super) fn check(_ctx: &CheckContext<'_>, obj: &Input<'_>, out: &mut Vec<Diagnostic>) {
    let Some(templates) = obj.workflow_spec().and_then(|s| s.templates()) else {
        return;
    };
    let mut seen = HashMap::new();
    for t in templates.iter() {
        let Some(node) = t.name() else {
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
                    format!("template `{name}` is defined twice"),
                )
                .with_pointer(node.pointer())
                .with_secondary(first.span(), "first defined here")
                .with_help("rename one of the templates"),
            ),
        }
    }
}
