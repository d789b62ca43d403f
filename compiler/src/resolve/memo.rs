//! [`Memo`]: the resolution logic, with the memo tables that make it run once per target,
//! template and reference site. [`super::Registry::new`] drives it over the whole run, then
//! keeps its tables.

use std::collections::HashMap;
use std::rc::Rc;

use super::dynamic::{Name, substitute};
use super::index::RunIndex;
use super::interface::Interface;
use super::registry::{
    Found, RefStats, Resolution, ResolvedTemplate, WorkflowTemplateResolution, namespace_of,
    workflow_template_ref_of,
};
use super::{Origin, Resolver, Target};
use crate::config::RefSettings;
use crate::model::Object;
use crate::model::view::View;
use crate::model::views::{Template, TemplateRef, WorkflowTemplateRef};
use crate::model::walk::find_template;
use crate::parse::{NodeId, NodeRef, Tree};

/// Identity of a node within one run: its tree and its id.
pub(crate) type NodeKey = (usize, NodeId);

pub(crate) fn node_key(node: NodeRef<'_>) -> NodeKey {
    (node.tree() as *const Tree as usize, node.id())
}

/// Resolution with memo tables.
pub(crate) struct Memo<'r, 'a> {
    index: &'r RunIndex<'a>,
    refs: &'a RefSettings,
    external: &'a dyn Resolver,
    parts: Parts<'a>,
}

/// The memo tables and counters, kept by the registry once the run is resolved.
#[derive(Default)]
pub(crate) struct Parts<'a> {
    pub(crate) lookups: HashMap<Target, Option<Found<'a>>>,
    pub(crate) interfaces: HashMap<NodeKey, Rc<Interface<'a>>>,
    pub(crate) calls: HashMap<NodeKey, Resolution<'a>>,
    pub(crate) workflow_refs: HashMap<NodeKey, WorkflowTemplateResolution<'a>>,
    pub(crate) stats: RefStats,
}

impl<'r, 'a> Memo<'r, 'a> {
    pub(crate) fn new(
        index: &'r RunIndex<'a>,
        refs: &'a RefSettings,
        external: &'a dyn Resolver,
    ) -> Self {
        Memo {
            index,
            refs,
            external,
            parts: Parts::default(),
        }
    }

    pub(crate) fn into_parts(self) -> Parts<'a> {
        self.parts
    }

    /// Looks `target` up: the run first, then the external resolver. Memoized.
    pub(crate) fn lookup(&mut self, target: &Target) -> Option<Found<'a>> {
        if let Some(hit) = self.parts.lookups.get(target) {
            return *hit;
        }
        self.parts.stats.lookups += 1;
        let found = match self.index.get(target) {
            Some(e) => Some(Found {
                object: e.object,
                origin: e.origin,
            }),
            None => {
                self.parts.stats.resolver_calls += 1;
                let external: &'a dyn Resolver = self.external;
                match target {
                    Target::Namespaced { namespace, name } => {
                        external.workflow_template(namespace, name)
                    }
                    Target::Cluster { name } => external.cluster_workflow_template(name),
                }
                .map(|object| Found {
                    object,
                    origin: Origin::External,
                })
            }
        };
        self.parts.lookups.insert(target.clone(), found);
        found
    }

    /// The interface of `template`, built once.
    pub(crate) fn interface(&mut self, template: Template<'a>) -> Rc<Interface<'a>> {
        let key = node_key(template.node());
        if let Some(i) = self.parts.interfaces.get(&key) {
            return Rc::clone(i);
        }
        self.parts.stats.templates_resolved += 1;
        let interface = Rc::new(Interface::of(template));
        self.parts.interfaces.insert(key, Rc::clone(&interface));
        interface
    }

    /// Resolves one `templateRef` written in `obj`, once.
    pub(crate) fn resolve_template_ref(
        &mut self,
        obj: &Object<'a>,
        tr: TemplateRef<'a>,
    ) -> Resolution<'a> {
        let key = node_key(tr.node());
        if let Some(r) = self.parts.calls.get(&key) {
            return r.clone();
        }
        self.parts.stats.references += 1;
        let r = self.resolve_uncached(obj, tr);
        self.parts.calls.insert(key, r.clone());
        r
    }

    fn resolve_uncached(&mut self, obj: &Object<'a>, tr: TemplateRef<'a>) -> Resolution<'a> {
        let (Some(name_node), Some(template_node)) = (tr.name(), tr.template()) else {
            return Resolution::Incomplete;
        };
        let (Some(name), Some(template)) = (name_node.as_str(), template_node.as_str()) else {
            return Resolution::Incomplete;
        };
        let spec = obj.workflow_spec();
        let name = match substitute(name, spec) {
            Name::Static(n) => n,
            Name::Dynamic { tag } => {
                return Resolution::Dynamic {
                    node: name_node,
                    tag,
                };
            }
        };
        let cluster = tr.cluster_scope().and_then(|c| c.as_bool()) == Some(true);
        let target = self.target(obj, &name, cluster);
        if self.refs.is_external(&name) {
            return Resolution::External { target };
        }
        let Some(found) = self.lookup(&target) else {
            return Resolution::MissingObject {
                target,
                node: name_node,
            };
        };
        let template = match substitute(template, spec) {
            Name::Static(t) => t,
            Name::Dynamic { tag } => {
                return Resolution::Dynamic {
                    node: template_node,
                    tag,
                };
            }
        };
        match found
            .object
            .workflow_spec()
            .and_then(|s| find_template(s, &template))
        {
            Some(t) => Resolution::Resolved(ResolvedTemplate {
                found,
                interface: self.interface(t),
            }),
            None => Resolution::MissingTemplate {
                found,
                name: template.into_owned(),
                node: template_node,
            },
        }
    }

    fn target(&self, obj: &Object<'_>, name: &str, cluster: bool) -> Target {
        if cluster {
            Target::Cluster {
                name: name.to_string(),
            }
        } else {
            Target::Namespaced {
                namespace: namespace_of(self.refs, obj),
                name: name.to_string(),
            }
        }
    }

    /// Resolves `spec.workflowTemplateRef` of a Workflow or CronWorkflow, once.
    pub(crate) fn workflow_template_ref(
        &mut self,
        obj: &Object<'a>,
    ) -> Option<(WorkflowTemplateRef<'a>, WorkflowTemplateResolution<'a>)> {
        let wtr = workflow_template_ref_of(obj)?;
        let key = node_key(wtr.node());
        if let Some(r) = self.parts.workflow_refs.get(&key) {
            return Some((wtr, r.clone()));
        }
        self.parts.stats.references += 1;
        let r = self.workflow_template_ref_uncached(obj, wtr);
        self.parts.workflow_refs.insert(key, r.clone());
        Some((wtr, r))
    }

    fn workflow_template_ref_uncached(
        &mut self,
        obj: &Object<'a>,
        wtr: WorkflowTemplateRef<'a>,
    ) -> WorkflowTemplateResolution<'a> {
        let Some(node) = wtr.name() else {
            return WorkflowTemplateResolution::Incomplete;
        };
        let Some(name) = node.as_str() else {
            return WorkflowTemplateResolution::Incomplete;
        };
        let name = match substitute(name, obj.workflow_spec()) {
            Name::Static(n) => n,
            Name::Dynamic { tag } => return WorkflowTemplateResolution::Dynamic { node, tag },
        };
        let cluster = wtr.cluster_scope().and_then(|c| c.as_bool()) == Some(true);
        let target = self.target(obj, &name, cluster);
        if self.refs.is_external(&name) {
            return WorkflowTemplateResolution::External { target };
        }
        match self.lookup(&target) {
            Some(found) => WorkflowTemplateResolution::Resolved(found),
            None => WorkflowTemplateResolution::Missing { target, node },
        }
    }
}
