//! Workflow-level settings (AW86x): executor plugins, the pod GC label selector, pod-level
//! resources, synchronization and memoization.

pub(crate) mod incomplete_executor_plugin;
pub(crate) mod invalid_label_selector;
pub(crate) mod invalid_memoize;
pub(crate) mod invalid_synchronization;
pub(crate) mod unsupported_pod_resource;

use crate::checks::artifacts::filled;
use crate::diagnostics::{Diagnostic, Rule};
use crate::model::Object;
use crate::model::view::View;
use crate::model::walk;
use crate::parse::NodeRef;

/// The mapping `field` of the workflow spec, then of every template that sets it.
pub(crate) fn spec_and_templates<'a>(obj: &Object<'a>, field: &str) -> Vec<NodeRef<'a>> {
    let Some(spec) = obj.workflow_spec() else {
        return Vec::new();
    };
    std::iter::once(spec.node())
        .chain(walk::templates(spec).into_iter().map(|s| s.template.node()))
        .filter_map(|n| n.get(field).filter(|f| f.is_map()))
        .collect()
}

/// A diagnostic at `at` (its key when it has one, so a missing child points at its parent's
/// key), with a pointer and help.
pub(crate) fn at_key(
    rule: &'static Rule,
    at: NodeRef<'_>,
    message: String,
    help: &str,
) -> Diagnostic {
    let span = if at.parent_entry().is_some() {
        at.key_span()
    } else {
        at.span()
    };
    Diagnostic::new(rule, span, message)
        .with_pointer(at.pointer())
        .with_help(help.to_string())
}

/// Whether `node.key` is set to something (see [`filled`]).
pub(crate) fn has(node: NodeRef<'_>, key: &str) -> bool {
    filled(node.get(key))
}
