//! The run-backed [`Resolver`]: every WorkflowTemplate and ClusterWorkflowTemplate of the lint
//! run, keyed the way Argo resolves them.
//!
//! WorkflowTemplates are keyed by `(namespace, name)`, where a document without
//! `metadata.namespace` gets the configured default namespace (`""` when none: all such
//! documents share one namespace). ClusterWorkflowTemplates are keyed by name. Documents being
//! linted take precedence over library manifests; among documents being linted the first
//! definition wins and later ones are recorded as duplicates (AW508). Every document of every
//! file counts, so the second template of a multi-document file is found (FP-03).

use std::collections::HashMap;

use super::{Origin, Resolver, Target};
use crate::config::RefSettings;
use crate::model::{Kind, Object};
use crate::parse::Document;

/// Identity of a document within one run.
pub(crate) fn doc_key(obj: &Object<'_>) -> usize {
    obj.doc as *const Document as usize
}

/// An indexed object and where it came from.
#[derive(Clone, Copy)]
pub(crate) struct Entry<'a> {
    pub(crate) object: Object<'a>,
    pub(crate) origin: Origin,
}

/// The templates of one lint run.
#[derive(Default)]
pub struct RunIndex<'a> {
    namespaced: HashMap<(String, String), Entry<'a>>,
    cluster: HashMap<String, Entry<'a>>,
    /// Later definitions of an already indexed key: document → the first definition.
    duplicates: HashMap<usize, Object<'a>>,
}

impl<'a> RunIndex<'a> {
    /// Indexes `objects` (in run order). Objects without a string `metadata.name` cannot be
    /// referenced and are left out.
    pub fn new(
        objects: impl IntoIterator<Item = (Object<'a>, Origin)>,
        refs: &RefSettings,
    ) -> Self {
        let mut index = RunIndex::default();
        for (object, origin) in objects {
            let Some(name) = object.name() else { continue };
            let entry = Entry { object, origin };
            let first = match object.kind {
                Kind::WorkflowTemplate => {
                    let ns = refs.namespace_of(object.namespace()).to_string();
                    insert(&mut index.namespaced, (ns, name.to_string()), entry)
                }
                Kind::ClusterWorkflowTemplate => {
                    insert(&mut index.cluster, name.to_string(), entry)
                }
                Kind::Workflow | Kind::CronWorkflow => None,
            };
            if let Some(first) = first {
                index.duplicates.insert(doc_key(&object), first);
            }
        }
        index
    }

    pub(crate) fn get(&self, target: &Target) -> Option<Entry<'a>> {
        match target {
            Target::Namespaced { namespace, name } => self
                .namespaced
                .get(&(namespace.clone(), name.clone()))
                .copied(),
            Target::Cluster { name } => self.cluster.get(name).copied(),
        }
    }

    /// The first definition of the key `obj` was indexed under, when `obj` is a later one.
    pub(crate) fn duplicate_of(&self, obj: &Object<'_>) -> Option<Object<'a>> {
        self.duplicates.get(&doc_key(obj)).copied()
    }

    /// Names defined for `target`'s kind and namespace, for suggestions.
    pub(crate) fn names_like(&self, target: &Target) -> Vec<&str> {
        let mut names: Vec<&str> = match target {
            Target::Namespaced { namespace, .. } => self
                .namespaced
                .keys()
                .filter(|(ns, _)| ns == namespace)
                .map(|(_, n)| n.as_str())
                .collect(),
            Target::Cluster { .. } => self.cluster.keys().map(|n| n.as_str()).collect(),
        };
        names.sort_unstable();
        names
    }

    /// Objects with `target`'s name under another kind or namespace (near misses).
    pub(crate) fn same_name_elsewhere(&self, target: &Target) -> Vec<Entry<'a>> {
        let name = target.name();
        let mut out: Vec<Entry<'a>> = self
            .namespaced
            .iter()
            .filter(|((ns, n), _)| {
                n == name
                    && !matches!(target, Target::Namespaced { namespace, .. } if namespace == ns)
            })
            .map(|(_, e)| *e)
            .collect();
        if !matches!(target, Target::Cluster { .. })
            && let Some(e) = self.cluster.get(name)
        {
            out.push(*e);
        }
        out.sort_by_key(|e| (e.object.doc.file, e.object.doc.index));
        out
    }
}

impl Resolver for RunIndex<'_> {
    fn workflow_template(&self, namespace: &str, name: &str) -> Option<Object<'_>> {
        self.namespaced
            .get(&(namespace.to_string(), name.to_string()))
            .map(|e| e.object)
    }

    fn cluster_workflow_template(&self, name: &str) -> Option<Object<'_>> {
        self.cluster.get(name).map(|e| e.object)
    }

    fn workflow_template_names(&self, namespace: &str) -> Vec<String> {
        self.names_like(&Target::Namespaced {
            namespace: namespace.to_string(),
            name: String::new(),
        })
        .into_iter()
        .map(str::to_string)
        .collect()
    }

    fn cluster_workflow_template_names(&self) -> Vec<String> {
        self.cluster.keys().cloned().collect()
    }
}

/// Inserts `entry` unless `key` is taken. A linted document replaces a library one; a second
/// linted document is a duplicate: the first definition is returned.
fn insert<'a, K: std::hash::Hash + Eq>(
    map: &mut HashMap<K, Entry<'a>>,
    key: K,
    entry: Entry<'a>,
) -> Option<Object<'a>> {
    use std::collections::hash_map::Entry as Slot;
    match map.entry(key) {
        Slot::Vacant(v) => {
            v.insert(entry);
            None
        }
        Slot::Occupied(mut o) => match (o.get().origin, entry.origin) {
            (Origin::Library, Origin::Run) => {
                o.insert(entry);
                None
            }
            (Origin::Run, Origin::Run) => Some(o.get().object),
            _ => None,
        },
    }
}
