//! The steps of a steps template or the tasks of a DAG, as variables: `steps.<S>.*` /
//! `tasks.<N>.*`, built once per template, and which of them a given position may see.
//!
//! What a node exposes depends on its callee: `outputs.result` and `exitCode` only for
//! templates that produce them, declared `outputs.parameters.<P>`/`outputs.artifacts.<A>`, `ip`
//! for daemons, loop aggregates for looped nodes. `templateRef` callees are resolved through
//! the run's [`Registry`] and read from the referenced template's memoized [`Interface`]; a
//! callee that cannot be resolved (dynamic or external reference, missing template) makes its
//! outputs dynamic.

use std::borrow::Cow;
use std::collections::HashMap;
use std::rc::Rc;

use super::tree::VarTree;
use crate::expr::check::Resolution;
use crate::model::Object;
use crate::model::dag::DagGraph;
use crate::model::view::View;
use crate::model::views::{Template, WorkflowSpec};
use crate::model::walk::Call;
use crate::parse::NodeRef;
use crate::resolve::{Interface, Outputs, Registry, Resolution as RefResolution};
use crate::source::Span;

/// Steps or tasks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NodeKind {
    Steps,
    Tasks,
}

impl NodeKind {
    pub(crate) fn root(self) -> &'static str {
        match self {
            NodeKind::Steps => "steps",
            NodeKind::Tasks => "tasks",
        }
    }
}

/// One step or task.
#[derive(Debug)]
pub(crate) struct NodeInfo<'a> {
    pub name: &'a str,
    /// Group index for steps; position for tasks.
    pub group: usize,
    pub vars: VarTree,
    /// `template` name, or `object.template` through a `templateRef`.
    pub callee_name: Option<Cow<'a, str>>,
    /// Where the callee is declared (its `name`), when that is in the run's sources.
    pub callee_decl: Option<Span>,
}

/// All nodes of one template.
#[derive(Debug)]
pub(crate) struct Nodes<'a> {
    pub kind: NodeKind,
    pub list: Vec<NodeInfo<'a>>,
    pub index: HashMap<&'a str, usize>,
    /// The DAG's graph, for ancestry (tasks only).
    pub dag: Option<DagGraph<'a>>,
}

/// Which nodes a position sees.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Visibility {
    /// None (fields of the template that run before any node).
    Nothing,
    /// Every node (the template's outputs and metrics, evaluated at the end).
    All,
    /// From node `this` (step index in `list`, or task index): earlier groups for steps,
    /// ancestors for tasks; `itself` adds the node itself (its lifecycle hooks).
    From { this: usize, itself: bool },
}

/// The callee of a call, when it is a template of this object (a `spec.templates` entry or an
/// inline template). `templateRef` callees are resolved by [`Callee::of`].
pub(crate) fn callee<'a>(spec: WorkflowSpec<'a>, call: &Call<'a>) -> Option<Template<'a>> {
    if let Some(inline) = call.inline {
        return Some(inline);
    }
    if call.template_ref.is_some() {
        return None;
    }
    crate::model::walk::find_template(spec, call.template_name()?)
}

/// Template references of the object being checked, resolved through the run's
/// [`Registry`].
#[derive(Clone, Copy)]
pub(crate) struct Refs<'r, 'a> {
    pub registry: &'r Registry<'a>,
    pub obj: &'r Object<'a>,
}

/// What a step or task calls, as far as its callers' variables are concerned.
pub(crate) enum Callee<'a> {
    /// A template of this object.
    Local(Template<'a>),
    /// A template of another object, through a resolved `templateRef` (its interface is
    /// memoized by the registry and shared by every reference), its `object.template` label,
    /// and its declaration when it is in the run's sources.
    Ref(Rc<Interface<'a>>, String, Option<Span>),
    /// Unknown here: a dynamic or external reference, or a missing template (reported by the
    /// reference checks). Its outputs are dynamic.
    Unknown,
}

impl<'a> Callee<'a> {
    /// Resolves the callee of `call`; `refs` resolves `templateRef`s (without it they are
    /// [`Callee::Unknown`]).
    pub(crate) fn of(spec: WorkflowSpec<'a>, call: &Call<'a>, refs: Option<Refs<'_, 'a>>) -> Self {
        if let Some(t) = callee(spec, call) {
            return Callee::Local(t);
        }
        match (refs, call.template_ref, call.inline) {
            (Some(r), Some(tr), None) => match r.registry.resolve_template_ref(r.obj, tr) {
                RefResolution::Resolved(rt) => {
                    let label = rt.display();
                    let decl = rt.found.origin.is_local().then(|| decl_span(rt.template()));
                    Callee::Ref(rt.interface, label, decl)
                }
                _ => Callee::Unknown,
            },
            _ => Callee::Unknown,
        }
    }
}

/// The span naming a template: its `name`, else the whole template.
fn decl_span(t: Template<'_>) -> Span {
    t.node()
        .get("name")
        .map_or_else(|| t.node().span(), |n| n.span())
}

fn looped(node: NodeRef<'_>) -> bool {
    ["withItems", "withParam", "withSequence"]
        .iter()
        .any(|k| node.get(k).is_some_and(|n| !n.is_null()))
}

/// The variables one step or task exposes.
fn node_vars(call: &Call<'_>, callee: &Callee<'_>) -> VarTree {
    let mut t = VarTree::new();
    for v in ["id", "status", "startedAt", "finishedAt", "hostNodeName"] {
        t.leaf(v);
    }
    let local;
    let outputs = match callee {
        Callee::Local(template) => {
            local = Outputs::of(*template);
            &local
        }
        Callee::Ref(interface, ..) => &interface.outputs,
        Callee::Unknown => {
            t.leaf("exitCode").leaf("ip").dynamic("outputs");
            return t;
        }
    };
    if outputs.daemon {
        t.leaf("ip");
    }
    t.map("outputs");
    let looped = looped(call.node);
    if outputs.has_result || looped {
        t.leaf("exitCode").leaf("outputs.result");
    }
    if !outputs.parameters.is_empty() {
        t.map("outputs.parameters");
    }
    for name in &outputs.parameters {
        t.leaf_at(&["outputs", "parameters", name]);
    }
    if looped {
        t.leaf("outputs.parameters");
    }
    if !outputs.artifacts.is_empty() {
        t.map("outputs.artifacts");
    }
    for name in &outputs.artifacts {
        t.leaf_at(&["outputs", "artifacts", name]);
    }
    t
}

impl<'a> Nodes<'a> {
    /// The nodes of a steps or DAG template; `None` for other types.
    pub(crate) fn of(
        spec: WorkflowSpec<'a>,
        template: Template<'a>,
        calls: &[Call<'a>],
        refs: Option<Refs<'_, 'a>>,
    ) -> Option<Self> {
        use crate::model::walk::CallKind;
        let kind = if template.steps().is_some() {
            NodeKind::Steps
        } else if template.dag().is_some() {
            NodeKind::Tasks
        } else {
            return None;
        };
        let mut list = Vec::new();
        let mut index = HashMap::new();
        for call in calls {
            let group = match call.kind {
                CallKind::Step { group, .. } => group,
                CallKind::Task { index } => index,
                _ => continue,
            };
            let name = call.name().unwrap_or_default();
            let callee = Callee::of(spec, call, refs);
            if !name.is_empty() {
                index.entry(name).or_insert(list.len());
            }
            let (callee_name, callee_decl) = match &callee {
                Callee::Ref(_, label, decl) => (Some(Cow::Owned(label.clone())), *decl),
                Callee::Local(t) => (call.template_name().map(Cow::Borrowed), Some(decl_span(*t))),
                Callee::Unknown => (call.template_name().map(Cow::Borrowed), None),
            };
            list.push(NodeInfo {
                name,
                group,
                vars: node_vars(call, &callee),
                callee_name,
                callee_decl,
            });
        }
        let dag = match kind {
            NodeKind::Tasks => DagGraph::build(template),
            NodeKind::Steps => None,
        };
        Some(Nodes {
            kind,
            list,
            index,
            dag,
        })
    }

    /// Whether node `j` is visible under `vis`.
    pub(crate) fn visible(&self, j: usize, vis: Visibility) -> bool {
        match vis {
            Visibility::Nothing => false,
            Visibility::All => true,
            Visibility::From { this, itself } => {
                if j == this {
                    return itself;
                }
                let group = |i: usize| self.list.get(i).map(|n| n.group);
                match (self.kind, &self.dag, group(j), group(this)) {
                    (NodeKind::Steps, _, Some(gj), Some(gt)) => gj < gt,
                    // For tasks, `group` is the position in `dag.tasks`: the graph's index.
                    (NodeKind::Tasks, Some(g), Some(a), Some(t)) => g.is_ancestor(a, t),
                    _ => false,
                }
            }
        }
    }

    /// Resolves `path` (starting with `steps`/`tasks`) under `vis`.
    pub(crate) fn resolve(&self, path: &[&str], vis: Visibility) -> Resolution {
        match path {
            [root] if *root == self.kind.root() => Resolution::Map,
            [root, name, rest @ ..] if *root == self.kind.root() => match self.index.get(name) {
                Some(&j) if self.visible(j, vis) => {
                    if rest.is_empty() {
                        Resolution::Map
                    } else {
                        self.list[j].vars.resolve(rest)
                    }
                }
                _ => Resolution::Unknown,
            },
            _ => Resolution::Unknown,
        }
    }

    /// Names below `prefix` under `vis`.
    pub(crate) fn children(&self, prefix: &[&str], vis: Visibility) -> Vec<String> {
        match prefix {
            [root] if *root == self.kind.root() => self
                .list
                .iter()
                .enumerate()
                .filter(|(j, _)| self.visible(*j, vis))
                .map(|(_, n)| n.name.to_string())
                .collect(),
            [root, name, rest @ ..] if *root == self.kind.root() => match self.index.get(name) {
                Some(&j) if self.visible(j, vis) => self.list[j].vars.children(rest),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        }
    }
}
