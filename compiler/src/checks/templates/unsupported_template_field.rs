//! AW810: a template field that the template's type does not support.

use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;
use crate::model::view::View;
use crate::model::walk::{self, TemplateType};
use crate::parse::NodeRef;

declare_rule! {
    /// ## What it does
    /// Reports a template field that has no effect, or is rejected, on the template's type:
    ///
    /// | Field | Not supported on |
    /// |---|---|
    /// | `timeout` | steps, dag, suspend |
    /// | `pendingTimeout` | steps, dag |
    /// | `activeDeadlineSeconds` | steps, dag |
    /// | `parallelism` | every type but steps and dag |
    /// | `resourceClaims` | types that run no pod: steps, dag, suspend, http, plugin |
    /// | `podResources` | http, plugin |
    ///
    /// Argo rule: ARGO-TMPL-002, ARGO-TMPL-003, ARGO-TMPL-004, ARGO-TMPL-006, ARGO-TMPL-007,
    /// ARGO-TMPL-009, ARGO-DAG-001.
    ///
    /// ## Why is this bad?
    /// Argo rejects the workflow (`DAG template doesn't support timeout field`,
    /// `templates.main.parallelism is only valid for steps and dag templates`, ...).
    ///
    /// ## Example
    /// ```yaml
    /// - name: main
    ///   timeout: 1h
    ///   dag:
    ///     tasks:
    ///       - {name: a, template: work}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// - name: main
    ///   dag:
    ///     tasks:
    ///       - {name: a, template: work}
    /// - name: work
    ///   timeout: 1h
    ///   container: {image: alpine}
    /// ```
    pub(crate) static RULE = ("AW810", "unsupported-template-field", Error, "a template field that the template's type does not support");
}

use TemplateType::*;

/// Each field with the types it may not appear on.
const UNSUPPORTED: &[(&str, &[TemplateType])] = &[
    ("timeout", &[Steps, Dag, Suspend]),
    ("pendingTimeout", &[Steps, Dag]),
    ("activeDeadlineSeconds", &[Steps, Dag]),
    (
        "parallelism",
        &[
            Container,
            ContainerSet,
            Script,
            Resource,
            Data,
            Http,
            Plugin,
            Suspend,
        ],
    ),
    ("resourceClaims", &[Steps, Dag, Suspend, Http, Plugin]),
    ("podResources", &[Http, Plugin]),
];

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    let Some(spec) = obj.workflow_spec() else {
        return;
    };
    for site in walk::templates(spec) {
        let Some(ty) = site.template.template_type() else {
            continue;
        };
        let node = site.template.node();
        for (field, types) in UNSUPPORTED {
            let Some(value) = node.get(field).filter(|v| is_set(*v)) else {
                continue;
            };
            if !types.contains(&ty) {
                continue;
            }
            out.push(
                Diagnostic::new(
                    &RULE,
                    value.key_span(),
                    format!("`{field}` is not supported on {} templates", ty.field()),
                )
                .with_pointer(value.pointer())
                .with_help(help(field)),
            );
        }
    }
}

/// Null and empty values are what Go's zero value looks like: Argo ignores them.
fn is_set(v: NodeRef<'_>) -> bool {
    !(v.is_null() || v.as_str() == Some("") || v.is_seq() && v.items().len() == 0)
}

fn help(field: &str) -> &'static str {
    match field {
        "parallelism" => "limit parallelism on the steps or dag template that calls this one",
        "resourceClaims" | "podResources" => "set it on a template that runs a pod",
        _ => "set it on the leaf templates this template calls",
    }
}
