//! AW830: a plugin template whose body does not name exactly one plugin.

use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;
use crate::model::view::View;
use crate::model::walk;

declare_rule! {
    /// ## What it does
    /// Reports a `plugin` template whose `plugin` mapping does not have exactly one key (the
    /// name of the executor plugin, holding its configuration).
    ///
    /// Argo rule: ARGO-PARSE-006.
    ///
    /// ## Why is this bad?
    /// Argo cannot tell which plugin to call and refuses the manifest while decoding it:
    /// `expected exactly one key, got 2`.
    ///
    /// ## Example
    /// ```yaml
    /// plugin:
    ///   hello: {text: hi}
    ///   slack: {text: hi}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// plugin:
    ///   hello: {text: hi}
    /// ```
    pub(crate) static RULE = ("AW830", "invalid-plugin-template", Error, "a plugin template that does not name exactly one plugin");
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    let Some(spec) = obj.workflow_spec() else {
        return;
    };
    for site in walk::templates(spec) {
        let Some(plugin) = site.template.node().get("plugin").filter(|p| p.is_map()) else {
            continue;
        };
        let keys: Vec<&str> = plugin.entries().map(|(e, _)| &*e.key).collect();
        if keys.len() == 1 {
            continue;
        }
        let message = if keys.is_empty() {
            "`plugin` names no plugin".to_string()
        } else {
            format!(
                "`plugin` names {} plugins ({}); a template calls exactly one",
                keys.len(),
                keys.iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        out.push(
            Diagnostic::new(&RULE, plugin.key_span(), message)
                .with_pointer(plugin.pointer())
                .with_help("write one template per plugin, each with one key under `plugin`"),
        );
    }
}
