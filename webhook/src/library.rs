//! A file-backed template library for local mode (`serve --templates DIR`): every
//! WorkflowTemplate and ClusterWorkflowTemplate under `DIR`, read with the compiler's loader
//! (the same walk and limits as `bosun lint --templates`), parsed once at start-up and served
//! through the compiler's [`Resolver`] trait, so a review resolves `templateRef`s from memory
//! exactly as it would from the cluster cache.
//!
//! A WorkflowTemplate with `metadata.namespace` is found only from that namespace; one without
//! a namespace is found from any namespace (a directory of templates usually has none, and the
//! laptop user reviews workflows for whatever namespace they type). The first definition of a
//! name wins; later ones are counted in [`Library::duplicates`].

use std::collections::HashMap;
use std::path::Path;

use compiler::diagnostics::Severity;
use compiler::load::{Input, load};
use compiler::model::{Classified, Kind, Object, classify};
use compiler::parse::{Document, Limits, parse_file};
use compiler::resolve::Resolver;

/// The library could not be read.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("--templates {path}: {source}")]
    Load {
        path: String,
        source: compiler::error::Error,
    },
}

/// Parsed templates by how they are looked up.
#[derive(Default)]
pub struct Library {
    docs: Vec<Document>,
    namespaced: HashMap<(String, String), usize>,
    any_namespace: HashMap<String, usize>,
    cluster: HashMap<String, usize>,
    /// Files read.
    pub files: usize,
    /// Documents that define an already defined name (ignored).
    pub duplicates: usize,
    /// Load and parse errors in the library's files (those documents are skipped).
    pub errors: usize,
}

fn object(doc: &Document) -> Option<Object<'_>> {
    match classify(doc) {
        Classified::Argo(o) => Some(o),
        _ => None,
    }
}

impl Library {
    /// Reads every manifest under `dir` (a file also works).
    pub fn load(dir: &Path) -> Result<Library, Error> {
        let limits = Limits::default();
        let loaded =
            load(&[Input::Path(dir.to_owned())], &limits).map_err(|source| Error::Load {
                path: dir.display().to_string(),
                source,
            })?;
        let mut lib = Library {
            files: loaded.sources.len(),
            ..Library::default()
        };
        let mut diagnostics = loaded.diagnostics.clone();
        for file in loaded.sources.files() {
            if loaded.unparsable.contains(&file.id()) {
                continue;
            }
            for doc in parse_file(file, &limits, &mut diagnostics) {
                lib.insert(doc);
            }
        }
        lib.errors = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        Ok(lib)
    }

    fn insert(&mut self, doc: Document) {
        let Some(obj) = object(&doc) else { return };
        let Some(name) = obj.name().map(str::to_owned) else {
            return;
        };
        let index = self.docs.len();
        let slot = match (obj.kind, obj.namespace()) {
            (Kind::WorkflowTemplate, Some(ns)) => self
                .namespaced
                .entry((ns.to_owned(), name))
                .or_insert(index),
            (Kind::WorkflowTemplate, None) => self.any_namespace.entry(name).or_insert(index),
            (Kind::ClusterWorkflowTemplate, _) => self.cluster.entry(name).or_insert(index),
            (Kind::Workflow | Kind::CronWorkflow, _) => return,
        };
        if *slot == index {
            self.docs.push(doc);
        } else {
            self.duplicates += 1;
        }
    }

    /// WorkflowTemplates (any namespace) and ClusterWorkflowTemplates held.
    pub fn counts(&self) -> (usize, usize) {
        (
            self.namespaced.len() + self.any_namespace.len(),
            self.cluster.len(),
        )
    }

    fn get(&self, index: Option<&usize>) -> Option<Object<'_>> {
        object(self.docs.get(*index?)?)
    }
}

impl Resolver for Library {
    fn workflow_template(&self, namespace: &str, name: &str) -> Option<Object<'_>> {
        self.get(
            self.namespaced
                .get(&(namespace.to_owned(), name.to_owned()))
                .or_else(|| self.any_namespace.get(name)),
        )
    }

    fn cluster_workflow_template(&self, name: &str) -> Option<Object<'_>> {
        self.get(self.cluster.get(name))
    }

    fn workflow_template_names(&self, namespace: &str) -> Vec<String> {
        let mut names: Vec<String> = self
            .namespaced
            .keys()
            .filter(|(ns, _)| ns == namespace)
            .map(|(_, n)| n.clone())
            .chain(self.any_namespace.keys().cloned())
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    fn cluster_workflow_template_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.cluster.keys().cloned().collect();
        names.sort_unstable();
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_resolve_by_namespace_and_duplicates_are_counted() {
        let dir = tempfile::tempdir().unwrap();
        let t = |name: &str, ns: Option<&str>, kind: &str| {
            let ns = ns
                .map(|n| format!("\n  namespace: {n}"))
                .unwrap_or_default();
            format!(
                "apiVersion: argoproj.io/v1alpha1\nkind: {kind}\nmetadata:\n  name: {name}{ns}\nspec:\n  templates:\n  - name: say\n    container: {{image: alpine:3.20}}\n"
            )
        };
        std::fs::write(
            dir.path().join("a.yaml"),
            format!(
                "{}---\n{}---\n{}---\n{}",
                t("anywhere", None, "WorkflowTemplate"),
                t("pinned", Some("team-a"), "WorkflowTemplate"),
                t("global", None, "ClusterWorkflowTemplate"),
                t("anywhere", None, "WorkflowTemplate"),
            ),
        )
        .unwrap();
        std::fs::write(dir.path().join("notes.txt"), "not a manifest").unwrap();
        let lib = Library::load(dir.path()).unwrap();
        assert_eq!((lib.files, lib.duplicates, lib.counts()), (1, 1, (2, 1)));
        assert!(lib.workflow_template("argo", "anywhere").is_some());
        assert!(lib.workflow_template("team-a", "pinned").is_some());
        assert!(lib.workflow_template("argo", "pinned").is_none());
        assert!(lib.cluster_workflow_template("global").is_some());
        assert_eq!(
            lib.workflow_template_names("team-a"),
            ["anywhere", "pinned"]
        );
        assert!(Library::load(&dir.path().join("missing")).is_err());
    }
}
