//! Artifact checks (AW85x): where input and output artifacts of a template may be placed, and
//! what their locations must say.

pub(crate) mod artifact_path_on_non_leaf;
pub(crate) mod artifact_path_traversal;
pub(crate) mod input_artifact_with_from;
pub(crate) mod invalid_hdfs_location;
pub(crate) mod missing_artifact_path;

use crate::model::views::{Artifact, Template};
use crate::model::walk::TemplateType;
use crate::parse::NodeRef;

/// Whether a field is set to something: not absent, `null`, `""`, `[]` or `{}`.
pub(crate) fn filled(node: Option<NodeRef<'_>>) -> bool {
    node.is_some_and(|n| {
        let empty = n.is_null()
            || n.as_str().is_some_and(str::is_empty)
            || (n.is_seq() && n.items().len() == 0)
            || (n.is_map() && n.entries().next().is_none());
        !empty
    })
}

/// Argo's `IsLeaf`: every type but steps, dag and suspend.
fn is_leaf(ty: TemplateType) -> bool {
    !matches!(
        ty,
        TemplateType::Steps | TemplateType::Dag | TemplateType::Suspend
    )
}

/// The template's input and output artifacts, each with `inputs` or `outputs`.
fn artifacts<'a>(t: &Template<'a>) -> Vec<(&'static str, Artifact<'a>)> {
    let inputs = t.inputs().and_then(|i| i.artifacts());
    let outputs = t.outputs().and_then(|o| o.artifacts());
    let tag = |io: &'static str| move |a| (io, a);
    inputs
        .into_iter()
        .flat_map(|a| a.iter().map(tag("inputs")).collect::<Vec<_>>())
        .chain(
            outputs
                .into_iter()
                .flat_map(|a| a.iter().map(tag("outputs")).collect::<Vec<_>>()),
        )
        .collect()
}

/// `input` or `output`, for messages.
fn singular(io: &str) -> &'static str {
    if io == "inputs" { "input" } else { "output" }
}
