//! Resource template checks (AW82x): the manifest (present, parsable, one source) and the
//! artifact it may come from, and the success/failure conditions.

pub(crate) mod conflicting_resource_manifest;
pub(crate) mod invalid_resource_condition;
pub(crate) mod invalid_resource_manifest;
pub(crate) mod missing_resource_manifest;
pub(crate) mod undefined_manifest_artifact;

use crate::model::views::{ResourceTemplate, Template, WorkflowSpec};
use crate::model::walk;
use crate::parse::NodeRef;

/// Every resource template of a spec, with its `resource` body.
fn resources<'a>(spec: WorkflowSpec<'a>) -> Vec<(Template<'a>, ResourceTemplate<'a>)> {
    walk::templates(spec)
        .into_iter()
        .filter_map(|s| Some((s.template, s.template.resource()?)))
        .collect()
}

/// `manifest` when it is a non-empty string.
fn manifest<'a>(r: &ResourceTemplate<'a>) -> Option<NodeRef<'a>> {
    r.manifest()
        .filter(|m| m.as_str().is_some_and(|s| !s.is_empty()))
}

/// `manifestFrom` when it is set.
fn manifest_from<'a>(r: &ResourceTemplate<'a>) -> Option<NodeRef<'a>> {
    use crate::model::view::View;
    r.manifest_from().map(|m| m.node()).filter(|m| !m.is_null())
}
