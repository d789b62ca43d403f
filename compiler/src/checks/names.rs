//! Names and structure (AW201–AW216): object names and metadata, template, step, task,
//! parameter and artifact names, the entrypoint, local template references (steps, tasks, hooks,
//! exit handlers) and the shape of each template and each call site.
//!
//! Each rule is one file with its docs and its own walk over the typed model (via
//! [`crate::model::walk`]); this module only runs them in code order. References through
//! `templateRef` and `workflowTemplateRef` are not resolved here (that is template-reference
//! resolution's job), and `{{...}}` variables are not checked.

mod conflicting_template_reference;
mod duplicate_parameter_name;
mod duplicate_step_name;
mod duplicate_template_name;
mod invalid_label_value;
mod invalid_metadata_key;
mod invalid_object_name;
mod invalid_parameter_name;
mod invalid_step_name;
mod invalid_template_name;
mod missing_entrypoint;
mod missing_template_reference;
mod missing_template_type;
mod multiple_template_types;
mod object_name_too_long;
pub(crate) mod syntax;
mod undefined_template;

use crate::checks::CheckContext;
use crate::diagnostics::{Diagnostic, Rule};
use crate::model::{Object, walk};

/// The rules of this group, sorted by code.
pub(crate) static RULES: &[&Rule] = &[
    &object_name_too_long::RULE,
    &invalid_object_name::RULE,
    &invalid_metadata_key::RULE,
    &invalid_label_value::RULE,
    &invalid_template_name::RULE,
    &duplicate_template_name::RULE,
    &invalid_step_name::RULE,
    &duplicate_step_name::RULE,
    &invalid_parameter_name::RULE,
    &duplicate_parameter_name::RULE,
    &missing_entrypoint::RULE,
    &undefined_template::RULE,
    &multiple_template_types::RULE,
    &missing_template_type::RULE,
    &conflicting_template_reference::RULE,
    &missing_template_reference::RULE,
];

type CheckFn = fn(&CheckContext<'_>, &Input<'_>, &mut Vec<Diagnostic>);

/// What every rule of the group reads: the object, with its templates (inline ones included)
/// and call sites walked once rather than once per rule.
pub(super) struct Input<'a> {
    obj: Object<'a>,
    templates: Vec<walk::TemplateSite<'a>>,
    calls: Vec<walk::Call<'a>>,
}

impl<'a> std::ops::Deref for Input<'a> {
    type Target = Object<'a>;

    fn deref(&self) -> &Object<'a> {
        &self.obj
    }
}

/// Each rule's check, in the order of [`RULES`].
const CHECKS: &[(&Rule, CheckFn)] = &[
    (&object_name_too_long::RULE, object_name_too_long::check),
    (&invalid_object_name::RULE, invalid_object_name::check),
    (&invalid_metadata_key::RULE, invalid_metadata_key::check),
    (&invalid_label_value::RULE, invalid_label_value::check),
    (&invalid_template_name::RULE, invalid_template_name::check),
    (
        &duplicate_template_name::RULE,
        duplicate_template_name::check,
    ),
    (&invalid_step_name::RULE, invalid_step_name::check),
    (&duplicate_step_name::RULE, duplicate_step_name::check),
    (&invalid_parameter_name::RULE, invalid_parameter_name::check),
    (
        &duplicate_parameter_name::RULE,
        duplicate_parameter_name::check,
    ),
    (&missing_entrypoint::RULE, missing_entrypoint::check),
    (&undefined_template::RULE, undefined_template::check),
    (
        &multiple_template_types::RULE,
        multiple_template_types::check,
    ),
    (&missing_template_type::RULE, missing_template_type::check),
    (
        &conflicting_template_reference::RULE,
        conflicting_template_reference::check,
    ),
    (
        &missing_template_reference::RULE,
        missing_template_reference::check,
    ),
];

/// Runs every enabled rule of the group on one object.
pub(crate) fn run(ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    let spec = obj.workflow_spec();
    let input = Input {
        obj: *obj,
        templates: spec.map(walk::templates).unwrap_or_default(),
        calls: spec.map(walk::all_calls).unwrap_or_default(),
    };
    for (rule, check) in CHECKS {
        if ctx.settings.rules.is_enabled(rule) {
            check(ctx, &input, out);
        }
    }
}

/// Every labels/annotations mapping of an object with a description of where it sits:
/// `metadata`, `spec.workflowMetadata`, `spec.podMetadata`, a CronWorkflow's
/// `spec.workflowMetadata`, and each template's `metadata`.
fn metadata_maps<'a>(obj: &Input<'a>) -> Vec<MetadataMaps<'a>> {
    use crate::model::view::View;
    let mut out = Vec::new();
    let root = obj.root;
    let mut push = |node: Option<crate::parse::NodeRef<'a>>, templated: bool| {
        if let Some(node) = node.filter(|n| n.is_map()) {
            out.push(MetadataMaps {
                labels: node.get("labels").filter(|n| n.is_map()),
                annotations: node.get("annotations").filter(|n| n.is_map()),
                labels_from: node.get("labelsFrom").filter(|n| n.is_map()),
                templated,
            });
        }
    };
    push(root.get("metadata"), false);
    if let Some(cron) = root
        .get("spec")
        .filter(|_| obj.kind == crate::model::Kind::CronWorkflow)
    {
        push(cron.get("workflowMetadata"), true);
    }
    if let Some(spec) = obj.workflow_spec() {
        push(spec.workflow_metadata().map(|m| m.node()), true);
        push(spec.pod_metadata().map(|m| m.node()), true);
        for site in &obj.templates {
            push(site.template.metadata().map(|m| m.node()), true);
        }
    }
    out
}

/// The labels and annotations of one metadata mapping.
struct MetadataMaps<'a> {
    labels: Option<crate::parse::NodeRef<'a>>,
    annotations: Option<crate::parse::NodeRef<'a>>,
    /// `workflowMetadata.labelsFrom`: its keys are label keys.
    labels_from: Option<crate::parse::NodeRef<'a>>,
    /// Whether Argo substitutes `{{...}}` in it (everything but the object's own metadata).
    templated: bool,
}

/// Whether a list holds parameters or artifacts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum IoKind {
    Parameter,
    Artifact,
}

impl IoKind {
    fn as_str(self) -> &'static str {
        match self {
            IoKind::Parameter => "parameter",
            IoKind::Artifact => "artifact",
        }
    }
}

/// One list of named parameters or artifacts.
struct IoList<'a> {
    kind: IoKind,
    /// `input`, `output` or `argument`.
    role: &'static str,
    items: crate::parse::NodeRef<'a>,
}

/// Every parameter and artifact list of an object: `spec.arguments`, each template's `inputs`
/// and `outputs` (inline templates included) and the `arguments` of every step, task and hook.
fn io_lists<'a>(obj: &Input<'a>) -> Vec<IoList<'a>> {
    use crate::model::view::View;
    let mut out = Vec::new();
    let Some(spec) = obj.workflow_spec() else {
        return out;
    };
    let mut push = |node: Option<crate::parse::NodeRef<'a>>, role: &'static str| {
        let Some(node) = node else {
            return;
        };
        for (key, kind) in [
            ("parameters", IoKind::Parameter),
            ("artifacts", IoKind::Artifact),
        ] {
            if let Some(items) = node.get(key).filter(|n| n.is_seq()) {
                out.push(IoList { kind, role, items });
            }
        }
    };
    push(spec.arguments().map(|a| a.node()), "argument");
    for site in &obj.templates {
        push(site.template.inputs().map(|i| i.node()), "input");
        push(site.template.outputs().map(|o| o.node()), "output");
    }
    for call in &obj.calls {
        push(call.arguments.map(|a| a.node()), "argument");
    }
    out
}
