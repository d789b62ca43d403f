//! The [`Registry`]: every reference of the run, resolved once before the checks run.
//!
//! [`Registry::new`] indexes the run ([`RunIndex`]), then resolves every `templateRef` and
//! `workflowTemplateRef` of every linted object through a [`Memo`]: each target is looked up
//! once (the external [`Resolver`] is asked at most once per target), each referenced template's
//! [`Interface`] is built once, each reference site is resolved once, and the cycle analysis
//! runs once. The result is immutable, so checks share it freely and pay a hash lookup per
//! question. [`RefStats`] counts the work so tests can prove the memoization.

use std::collections::HashMap;
use std::rc::Rc;

use super::cycles::Cycles;
use super::index::RunIndex;
use super::interface::Interface;
use super::memo::{Memo, NodeKey, node_key};
use super::{Origin, Resolver, Target};
use crate::config::RefSettings;
use crate::model::Object;
use crate::model::view::View;
use crate::model::views::{Template, TemplateRef, WorkflowSpec, WorkflowTemplateRef};
use crate::model::walk::{Call, all_calls};
use crate::parse::NodeRef;
use crate::suggest::did_you_mean;

/// A resolved (Cluster)WorkflowTemplate and where it came from.
#[derive(Clone, Copy)]
pub struct Found<'a> {
    pub object: Object<'a>,
    pub origin: Origin,
}

impl<'a> Found<'a> {
    /// `metadata.name` (always present: unnamed objects are not indexed).
    pub fn name(&self) -> &'a str {
        self.object.name().unwrap_or_default()
    }

    /// `WorkflowTemplate `x`` / `ClusterWorkflowTemplate `x``.
    pub fn label(&self) -> String {
        format!("{} `{}`", self.object.kind.as_str(), self.name())
    }

    /// The names of `spec.templates[*]`.
    pub fn template_names(&self) -> Vec<&'a str> {
        self.object
            .workflow_spec()
            .and_then(|s| s.templates())
            .map(|ts| ts.iter().filter_map(|t| t.name_str()).collect())
            .unwrap_or_default()
    }
}

/// A template reached through a reference: the object, the template and its interface.
#[derive(Clone)]
pub struct ResolvedTemplate<'a> {
    pub found: Found<'a>,
    pub interface: Rc<Interface<'a>>,
}

impl<'a> ResolvedTemplate<'a> {
    pub fn template(&self) -> Template<'a> {
        self.interface.template
    }

    /// `object.template`, as Argo names references.
    pub fn display(&self) -> String {
        format!(
            "{}.{}",
            self.found.name(),
            self.template().name_str().unwrap_or_default()
        )
    }
}

/// What a `templateRef` resolves to.
#[derive(Clone)]
pub enum Resolution<'a> {
    /// Not a reference: no `templateRef`, or an inline template that takes precedence.
    NotARef,
    /// `name` or `template` is missing or not a string (the structural checks report it).
    Incomplete,
    /// A name holds a tag whose value is only known at run time.
    Dynamic {
        node: NodeRef<'a>,
        tag: String,
    },
    /// Declared external in the settings: not checked.
    External {
        target: Target,
    },
    /// No such (Cluster)WorkflowTemplate; `node` is `templateRef.name`.
    MissingObject {
        target: Target,
        node: NodeRef<'a>,
    },
    /// The object exists but has no template `name`; `node` is `templateRef.template`.
    MissingTemplate {
        found: Found<'a>,
        name: String,
        node: NodeRef<'a>,
    },
    Resolved(ResolvedTemplate<'a>),
}

/// What a `spec.workflowTemplateRef` resolves to.
#[derive(Clone)]
pub enum WorkflowTemplateResolution<'a> {
    Incomplete,
    Dynamic { node: NodeRef<'a>, tag: String },
    External { target: Target },
    Missing { target: Target, node: NodeRef<'a> },
    Resolved(Found<'a>),
}

/// Work done by the registry in one run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RefStats {
    /// Distinct reference sites resolved (`templateRef`s and `workflowTemplateRef`s).
    pub references: usize,
    /// Distinct targets looked up.
    pub lookups: usize,
    /// Calls to the external resolver (at most one per target not found in the run).
    pub resolver_calls: usize,
    /// Template interfaces built (one per distinct referenced template).
    pub templates_resolved: usize,
}

/// Every template reference of the run, resolved.
pub struct Registry<'a> {
    index: RunIndex<'a>,
    external: &'a dyn Resolver,
    refs: &'a RefSettings,
    lookups: HashMap<Target, Option<Found<'a>>>,
    interfaces: HashMap<NodeKey, Rc<Interface<'a>>>,
    calls: HashMap<NodeKey, Resolution<'a>>,
    workflow_refs: HashMap<NodeKey, WorkflowTemplateResolution<'a>>,
    cycles: Cycles,
    stats: RefStats,
}

impl<'a> Registry<'a> {
    /// Indexes the run's objects (linted and library ones, in run order) and resolves every
    /// reference made by the linted ones.
    pub fn new(
        objects: Vec<(Object<'a>, Origin)>,
        refs: &'a RefSettings,
        external: &'a dyn Resolver,
    ) -> Self {
        let index = RunIndex::new(objects.iter().copied(), refs);
        let mut memo = Memo::new(&index, refs, external);
        for (obj, origin) in &objects {
            if *origin != Origin::Run {
                continue;
            }
            for call in all_calls_of(obj) {
                if let (Some(tr), None) = (call.template_ref, call.inline) {
                    memo.resolve_template_ref(obj, tr);
                }
            }
            if let Some((_, WorkflowTemplateResolution::Resolved(found))) =
                memo.workflow_template_ref(obj)
                && let Some(entry) = entrypoint_with_ref(obj, &found)
            {
                memo.interface(entry);
            }
        }
        let cycles = Cycles::find(&objects, &mut memo);
        let parts = memo.into_parts();
        Registry {
            index,
            external,
            refs,
            lookups: parts.lookups,
            interfaces: parts.interfaces,
            calls: parts.calls,
            workflow_refs: parts.workflow_refs,
            cycles,
            stats: parts.stats,
        }
    }

    pub fn stats(&self) -> RefStats {
        self.stats
    }

    pub fn settings(&self) -> &'a RefSettings {
        self.refs
    }

    /// The namespace references from `obj` resolve in.
    pub fn namespace_of(&self, obj: &Object<'_>) -> String {
        namespace_of(self.refs, obj)
    }

    /// For a reference made outside the linted objects (not resolved in advance).
    fn memo(&self) -> Memo<'_, 'a> {
        Memo::new(&self.index, self.refs, self.external)
    }

    /// Looks `target` up: the run first, then the external resolver.
    pub fn lookup(&self, target: &Target) -> Option<Found<'a>> {
        match self.lookups.get(target) {
            Some(hit) => *hit,
            None => self.memo().lookup(target),
        }
    }

    /// The interface of `template` (shared with every reference to it).
    pub fn interface(&self, template: Template<'a>) -> Rc<Interface<'a>> {
        match self.interfaces.get(&node_key(template.node())) {
            Some(i) => Rc::clone(i),
            None => Rc::new(Interface::of(template)),
        }
    }

    /// Resolves the `templateRef` of a call made in `obj` ([`Resolution::NotARef`] without one,
    /// or when an inline template takes precedence).
    pub fn resolve(&self, obj: &Object<'a>, call: &Call<'a>) -> Resolution<'a> {
        match (call.template_ref, call.inline) {
            (Some(tr), None) => self.resolve_template_ref(obj, tr),
            _ => Resolution::NotARef,
        }
    }

    /// Resolves one `templateRef` written in `obj`.
    pub fn resolve_template_ref(&self, obj: &Object<'a>, tr: TemplateRef<'a>) -> Resolution<'a> {
        match self.calls.get(&node_key(tr.node())) {
            Some(r) => r.clone(),
            None => self.memo().resolve_template_ref(obj, tr),
        }
    }

    /// Resolves `spec.workflowTemplateRef` of a Workflow or CronWorkflow (`None` when absent).
    pub fn workflow_template_ref(
        &self,
        obj: &Object<'a>,
    ) -> Option<(WorkflowTemplateRef<'a>, WorkflowTemplateResolution<'a>)> {
        let wtr = workflow_template_ref_of(obj)?;
        match self.workflow_refs.get(&node_key(wtr.node())) {
            Some(r) => Some((wtr, r.clone())),
            None => self.memo().workflow_template_ref(obj),
        }
    }

    /// The spec whose `templates` the top-level names of `obj` (`entrypoint`, `onExit`,
    /// workflow hooks) resolve in: the referenced template's for a resolved
    /// `workflowTemplateRef`, else the object's own.
    pub fn base_spec(&self, obj: &Object<'a>) -> Option<WorkflowSpec<'a>> {
        match self.workflow_template_ref(obj) {
            Some((_, WorkflowTemplateResolution::Resolved(found))) => found.object.workflow_spec(),
            _ => obj.workflow_spec(),
        }
    }

    /// For a later definition of an already defined (Cluster)WorkflowTemplate, the first one.
    pub fn duplicate_of(&self, obj: &Object<'_>) -> Option<Object<'a>> {
        self.index.duplicate_of(obj)
    }

    /// The closest known name of `target`'s kind and namespace.
    pub fn suggest(&self, target: &Target) -> Option<String> {
        let external = match target {
            Target::Namespaced { namespace, .. } => {
                self.external.workflow_template_names(namespace)
            }
            Target::Cluster { .. } => self.external.cluster_workflow_template_names(),
        };
        let run = self.index.names_like(target);
        did_you_mean(
            target.name(),
            run.into_iter().chain(external.iter().map(String::as_str)),
        )
        .map(str::to_string)
    }

    /// Run objects named like `target` but of the other kind or in another namespace.
    pub fn same_name_elsewhere(&self, target: &Target) -> Vec<Found<'a>> {
        self.index
            .same_name_elsewhere(target)
            .into_iter()
            .map(|e| Found {
                object: e.object,
                origin: e.origin,
            })
            .collect()
    }

    /// When `tr` is a call on a cycle of unconditional calls that passes through a
    /// `templateRef`, the cycle as text (`` `a.x` → `b.y` → `a.x` ``).
    pub fn cycle_through(&self, tr: TemplateRef<'_>) -> Option<&str> {
        self.cycles.through(node_key(tr.node()))
    }
}

/// The entrypoint template of a Workflow with a resolved `workflowTemplateRef`: its own
/// `spec.entrypoint`, else the referenced template's, looked up in the referenced template.
pub fn entrypoint_with_ref<'a>(obj: &Object<'a>, found: &Found<'a>) -> Option<Template<'a>> {
    let wft_spec = found.object.workflow_spec()?;
    let own = obj.workflow_spec().and_then(|s| s.entrypoint());
    let name = own
        .filter(|e| e.as_str().is_some())
        .or(wft_spec.entrypoint())?
        .as_str()
        .filter(|e| !e.contains("{{"))?;
    crate::model::walk::find_template(wft_spec, name)
}

/// Every call of an object's workflow spec.
fn all_calls_of<'a>(obj: &Object<'a>) -> Vec<Call<'a>> {
    obj.workflow_spec().map(all_calls).unwrap_or_default()
}

/// The namespace references from `obj` resolve in: its own, else the configured default.
pub(crate) fn namespace_of(refs: &RefSettings, obj: &Object<'_>) -> String {
    let own = obj.kind.is_namespaced().then(|| obj.namespace()).flatten();
    refs.namespace_of(own).to_string()
}

/// `spec.workflowTemplateRef` of a Workflow or CronWorkflow, when set.
pub(crate) fn workflow_template_ref_of<'a>(obj: &Object<'a>) -> Option<WorkflowTemplateRef<'a>> {
    if !matches!(
        obj.kind,
        crate::model::Kind::Workflow | crate::model::Kind::CronWorkflow
    ) {
        return None;
    }
    obj.workflow_spec()?
        .workflow_template_ref()
        .filter(|w| !w.node().is_null())
}
