//! The Argo object model: which documents are Argo objects, and typed views over them.
//!
//! [`classify`] recognises the four kinds Bosun checks from `apiVersion` and `kind`.
//! [`Object`] is a recognised document; the typed views in [`views`] (one per API type,
//! generated from Argo's API schema) give checks span-carrying, never-failing access to every
//! field. [`catalog`] describes every type for the structural checks and the JSON Schemas.

pub mod catalog;
pub(crate) mod dag;
mod generated;
pub(crate) mod rules;
pub mod view;
pub mod walk;

pub use generated::views;

use crate::diagnostics::Diagnostic;
use crate::parse::{Document, NodeRef, Value};
use crate::source::Span;
use crate::suggest::did_you_mean;

/// The API group and version of every Argo kind.
pub const ARGO_API_VERSION: &str = "argoproj.io/v1alpha1";

/// The kinds Bosun checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Workflow,
    WorkflowTemplate,
    ClusterWorkflowTemplate,
    CronWorkflow,
}

impl Kind {
    pub const ALL: [Kind; 4] = [
        Kind::Workflow,
        Kind::WorkflowTemplate,
        Kind::ClusterWorkflowTemplate,
        Kind::CronWorkflow,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Workflow => "Workflow",
            Kind::WorkflowTemplate => "WorkflowTemplate",
            Kind::ClusterWorkflowTemplate => "ClusterWorkflowTemplate",
            Kind::CronWorkflow => "CronWorkflow",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether objects of this kind live in a namespace.
    pub fn is_namespaced(self) -> bool {
        self != Kind::ClusterWorkflowTemplate
    }
}

/// A document recognised as one of the Argo kinds.
#[derive(Clone, Copy)]
pub struct Object<'a> {
    pub doc: &'a Document,
    pub kind: Kind,
    pub root: NodeRef<'a>,
}

impl<'a> Object<'a> {
    /// `metadata.name`, if it is a string.
    pub fn name(&self) -> Option<&'a str> {
        self.root.get("metadata")?.get("name")?.as_str()
    }

    /// `metadata.generateName`, if it is a string.
    pub fn generate_name(&self) -> Option<&'a str> {
        self.root.get("metadata")?.get("generateName")?.as_str()
    }

    /// `metadata.namespace`, if it is a string.
    pub fn namespace(&self) -> Option<&'a str> {
        self.root.get("metadata")?.get("namespace")?.as_str()
    }

    /// The typed root view (`views::Root::Workflow(..)` and so on).
    pub fn typed(&self) -> views::Root<'a> {
        views::Root::new(self.kind, self.root)
    }

    /// A short label for messages: `Workflow/hello` or `Workflow/hello-*`.
    pub fn display_name(&self) -> String {
        match (self.name(), self.generate_name()) {
            (Some(n), _) => format!("{}/{n}", self.kind.as_str()),
            (None, Some(g)) => format!("{}/{g}*", self.kind.as_str()),
            _ => self.kind.as_str().to_string(),
        }
    }
}

/// What a document turned out to be.
pub enum Classified<'a> {
    Argo(Object<'a>),
    /// Empty document (only comments, or `---` alone): nothing to check, nothing to say.
    Empty,
    /// Another kind, or a document that cannot be classified; the diagnostic says which.
    Skipped(Diagnostic),
}

/// Recognises an Argo object from `apiVersion` and `kind`.
pub fn classify(doc: &Document) -> Classified<'_> {
    let Some(root) = doc.root() else {
        return Classified::Empty;
    };
    if !root.is_map() {
        if root.is_null() {
            return Classified::Empty;
        }
        let found = match root.value() {
            Value::Seq(_) => "sequence",
            _ => "scalar",
        };
        return Classified::Skipped(
            rules::not_a_mapping::diagnostic(root.span(), found).in_document(doc.index),
        );
    }
    let kind_node = root.get("kind");
    let Some(kind) = kind_node.and_then(|k| k.as_str()) else {
        let span = kind_node.map_or(Span::point(root.span().file, root.span().start), |k| {
            k.span()
        });
        return Classified::Skipped(
            rules::missing_type_meta::diagnostic(span, "kind", "/kind").in_document(doc.index),
        );
    };
    let kind_span = kind_node.map(|k| k.span()).unwrap_or_default();
    let api = root.get("apiVersion");
    let Some(argo_kind) = Kind::parse(kind) else {
        let suggestion = did_you_mean(kind, Kind::ALL.iter().map(|k| k.as_str()));
        return Classified::Skipped(
            rules::unsupported_kind::diagnostic(kind_span, kind, suggestion).in_document(doc.index),
        );
    };
    match api.and_then(|a| a.as_str()) {
        Some(ARGO_API_VERSION) => Classified::Argo(Object {
            doc,
            kind: argo_kind,
            root,
        }),
        Some(other) => Classified::Skipped(
            rules::unsupported_api_version::diagnostic(
                api.map(|a| a.span()).unwrap_or(kind_span),
                kind,
                other,
            )
            .in_document(doc.index),
        ),
        None => Classified::Skipped(
            rules::missing_type_meta::diagnostic(
                api.map(|a| a.span()).unwrap_or(kind_span),
                "apiVersion",
                "/apiVersion",
            )
            .in_document(doc.index),
        ),
    }
}
