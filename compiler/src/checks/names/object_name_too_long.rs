//! AW201: an object name (or `generateName` prefix) longer than Argo allows for its kind.

use super::Input;
use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Kind;
use crate::parse::NodeRef;

declare_rule! {
    /// ## What it does
    /// Reports a `metadata.name` longer than 63 characters for a Workflow, WorkflowTemplate or
    /// ClusterWorkflowTemplate, or longer than 52 characters for a CronWorkflow. For
    /// `generateName`, Kubernetes appends 5 random characters: a CronWorkflow prefix longer than
    /// 47 characters is an error. (Other kinds are fine: Kubernetes cuts longer prefixes to 58
    /// characters, so generated names always fit in 63.)
    ///
    /// Argo rule: ARGO-META-001, ARGO-META-002, ARGO-META-003, ARGO-META-004.
    ///
    /// ## Why is this bad?
    /// Argo uses the workflow name as a label value, which Kubernetes limits to 63 characters.
    /// A CronWorkflow's name gets a `-<timestamp>` suffix for each run: with a longer name the API
    /// server accepts the CronWorkflow, and then it never runs.
    ///
    /// ## Example
    /// ```yaml
    /// kind: CronWorkflow
    /// metadata:
    ///   name: nightly-database-backup-for-the-production-cluster-eu
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// kind: CronWorkflow
    /// metadata:
    ///   name: nightly-db-backup-prod-eu
    /// ```
    pub(crate) static RULE = ("AW201", "object-name-too-long", Error, "an object name longer than Argo allows for its kind");
}

/// Characters Kubernetes appends to a `generateName` prefix.
const GENERATED_SUFFIX: usize = 5;
/// Kubernetes cuts longer `generateName` prefixes to this length.
const MAX_GENERATED_PREFIX: usize = 63 - GENERATED_SUFFIX;

fn limit(kind: Kind) -> usize {
    match kind {
        Kind::CronWorkflow => 52,
        _ => 63,
    }
}

fn too_long(node: NodeRef<'_>, kind: Kind, len: usize, max: usize) -> Diagnostic {
    let why = if kind == Kind::CronWorkflow {
        "each run appends a timestamp to it"
    } else {
        "Argo stores it in a label value"
    };
    Diagnostic::new(
        &RULE,
        node.span(),
        format!(
            "{} name is {len} characters long, more than {max}",
            kind.as_str()
        ),
    )
    .with_pointer(node.pointer())
    .with_note(format!(
        "{why}; the API server accepts the object but Argo rejects it"
    ))
    .with_help(format!("shorten the name to at most {max} characters"))
}

pub(super) fn check(_ctx: &CheckContext<'_>, obj: &Input<'_>, out: &mut Vec<Diagnostic>) {
    let Some(meta) = obj.root.get("metadata") else {
        return;
    };
    let max = limit(obj.kind);
    if let Some(node) = meta.get("name") {
        match node.as_str() {
            Some(name) if name.len() > max => {
                out.push(too_long(node, obj.kind, name.len(), max));
            }
            _ => {}
        }
    }
    let Some(node) = meta.get("generateName") else {
        return;
    };
    let Some(prefix) = node.as_str() else {
        return;
    };
    if meta.get("name").is_some_and(|n| !n.is_null()) {
        return;
    }
    if obj.kind == Kind::CronWorkflow && prefix.len() + GENERATED_SUFFIX > max {
        out.push(
            Diagnostic::new(
                &RULE,
                node.span(),
                format!(
                    "generated CronWorkflow names will be {} characters long, more than {max}",
                    prefix.len().min(MAX_GENERATED_PREFIX) + GENERATED_SUFFIX
                ),
            )
            .with_pointer(node.pointer())
            .with_note("Kubernetes appends 5 random characters to `generateName`, and each run appends a timestamp")
            .with_help(format!(
                "shorten the prefix to at most {} characters",
                max - GENERATED_SUFFIX
            )),
        );
    }
}
