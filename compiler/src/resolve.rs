//! Template references: which (Cluster)WorkflowTemplate a `templateRef` or
//! `spec.workflowTemplateRef` names, and what the referenced template declares.
//!
//! A [`Resolver`] answers lookups by `(namespace, name)` for WorkflowTemplates and by name for
//! ClusterWorkflowTemplates, returning an [`Object`] the checks can walk. [`RunIndex`] is the
//! implementation over the documents of one lint run (library manifests from `--templates`
//! included); the webhook adds one over its in-memory cluster cache. The [`Registry`] sits in
//! front of both: it resolves every reference form (steps, DAG tasks, hooks, the workflow's
//! `workflowTemplateRef`, dynamic names), memoizes every lookup and every template
//! [`Interface`] so each referenced template is looked up and summarised once per run however
//! many references point at it, and counts its work in [`RefStats`].
//!
//! Nothing here reports diagnostics (the AW5xx checks in `checks/refs/` do) and nothing does
//! I/O: a resolver only hands out objects it already holds.

mod cycles;
mod dynamic;
mod index;
mod interface;
mod memo;
mod registry;

use std::fmt;

use crate::model::Object;

pub use index::RunIndex;
pub use interface::{
    InputArtifact, InputParameter, Interface, Outputs, enum_values, merged_parameters,
    produces_result,
};
pub use registry::{
    Found, RefStats, Registry, Resolution, ResolvedTemplate, WorkflowTemplateResolution,
    entrypoint_with_ref,
};

/// Looks up the objects that references name. Implementations hold the objects already (parsed
/// from the run's files, or from a cluster cache): lookups never do I/O.
///
/// Returned objects borrow from the resolver. Their spans belong to the resolver's own
/// [`crate::source::SourceMap`], so diagnostics never point into objects with
/// [`Origin::External`].
pub trait Resolver {
    /// The WorkflowTemplate `name` in `namespace`.
    fn workflow_template(&self, namespace: &str, name: &str) -> Option<Object<'_>>;

    /// The ClusterWorkflowTemplate `name`.
    fn cluster_workflow_template(&self, name: &str) -> Option<Object<'_>>;

    /// WorkflowTemplate names known in `namespace`, for did-you-mean suggestions.
    fn workflow_template_names(&self, _namespace: &str) -> Vec<String> {
        Vec::new()
    }

    /// ClusterWorkflowTemplate names known, for did-you-mean suggestions.
    fn cluster_workflow_template_names(&self) -> Vec<String> {
        Vec::new()
    }
}

/// A resolver that knows nothing: the run's own documents are the only templates.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoResolver;

impl Resolver for NoResolver {
    fn workflow_template(&self, _namespace: &str, _name: &str) -> Option<Object<'_>> {
        None
    }

    fn cluster_workflow_template(&self, _name: &str) -> Option<Object<'_>> {
        None
    }
}

/// Where a resolved object comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A document being linted.
    Run,
    /// A library manifest (`--templates DIR`): in the run's sources, never reported on.
    Library,
    /// The external resolver (a cluster cache): spans are not in the run's sources.
    External,
}

impl Origin {
    /// Whether spans of the object can be shown (they are in the run's sources).
    pub fn is_local(self) -> bool {
        self != Origin::External
    }
}

/// What a reference names.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// A WorkflowTemplate, looked up in the namespace of the referring object.
    Namespaced { namespace: String, name: String },
    /// A ClusterWorkflowTemplate (`clusterScope: true`).
    Cluster { name: String },
}

impl Target {
    pub fn name(&self) -> &str {
        match self {
            Target::Namespaced { name, .. } | Target::Cluster { name } => name,
        }
    }

    /// `WorkflowTemplate` or `ClusterWorkflowTemplate`.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Target::Namespaced { .. } => "WorkflowTemplate",
            Target::Cluster { .. } => "ClusterWorkflowTemplate",
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} `{}`", self.kind_name(), self.name())
    }
}
