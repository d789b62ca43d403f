//! Volume checks (AW80x): volume declarations, the mounts that use them, and mount paths.

pub(crate) mod artifact_path_collides_with_mount;
pub(crate) mod duplicate_mount_path;
pub(crate) mod duplicate_volume_name;
pub(crate) mod undefined_volume;

use crate::model::view::View;
use crate::model::views::{Template, WorkflowSpec};
use crate::parse::NodeRef;

/// The `name` nodes of a list of volumes (`volumes[*].name`).
fn volume_names<'a>(list: Option<NodeRef<'a>>) -> Vec<NodeRef<'a>> {
    list.into_iter()
        .flat_map(|l| l.items().collect::<Vec<_>>())
        .filter_map(|v| v.get("name"))
        .collect()
}

/// The `metadata.name` nodes of `volumeClaimTemplates`.
fn claim_names<'a>(spec: &WorkflowSpec<'a>) -> Vec<NodeRef<'a>> {
    spec.node()
        .get("volumeClaimTemplates")
        .into_iter()
        .flat_map(|l| l.items().collect::<Vec<_>>())
        .filter_map(|c| c.get("metadata")?.get("name"))
        .collect()
}

/// Whether a `podSpecPatch` (workflow- or template-level) may add volumes we cannot see.
fn patched(spec: &WorkflowSpec<'_>, template: Option<&Template<'_>>) -> bool {
    let has = |n: Option<NodeRef<'_>>| n.is_some_and(|n| !n.is_null());
    has(spec.pod_spec_patch()) || template.is_some_and(|t| has(t.pod_spec_patch()))
}
