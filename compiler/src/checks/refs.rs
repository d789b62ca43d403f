//! Template-reference checks (AW501–AW510): every `templateRef` and `workflowTemplateRef` is
//! resolved through the run's [`crate::resolve::Registry`] (memoized, so the eight checks share
//! one resolution per reference) and checked against what the referenced template declares.
//!
//! One rule per file; the helpers here are what several of them share.

pub(crate) mod duplicate_template_definition;
pub(crate) mod dynamic_template_ref;
pub(crate) mod incomplete_template_ref;
pub(crate) mod missing_ref_input;
pub(crate) mod ref_argument_not_in_enum;
pub(crate) mod template_ref_cycle;
pub(crate) mod templates_with_workflow_template_ref;
pub(crate) mod undefined_ref_template;
pub(crate) mod unknown_ref_argument;
pub(crate) mod unresolved_template_ref;

use crate::model::Object;
use crate::model::walk::{Call, all_calls};
use crate::parse::NodeRef;

/// Lists at most this many names in a note.
const LIST_UP_TO: usize = 12;

/// Every call of `obj` that goes through a `templateRef` (an inline template takes precedence
/// over a reference, so such calls are left out).
pub(super) fn ref_calls<'a>(obj: &Object<'a>) -> Vec<Call<'a>> {
    obj.workflow_spec()
        .map(all_calls)
        .unwrap_or_default()
        .into_iter()
        .filter(|c| c.template_ref.is_some() && c.inline.is_none())
        .collect()
}

/// `metadata.name` of an object, as a node.
pub(super) fn name_node<'a>(obj: &Object<'a>) -> Option<NodeRef<'a>> {
    obj.root.get("metadata")?.get("name")
}

/// `` `a`, `b`, `c` `` (with `, …` past [`LIST_UP_TO`]).
pub(super) fn list<'s>(names: impl IntoIterator<Item = &'s str>) -> String {
    let names: Vec<&str> = names.into_iter().collect();
    let mut out: Vec<String> = names
        .iter()
        .take(LIST_UP_TO)
        .map(|n| format!("`{n}`"))
        .collect();
    if names.len() > LIST_UP_TO {
        out.push("…".to_string());
    }
    out.join(", ")
}

/// A literal string value: a scalar without template tags.
pub(super) fn literal(node: Option<NodeRef<'_>>) -> Option<String> {
    node.and_then(|n| n.scalar_text())
        .filter(|s| !s.contains("{{"))
}
