//! The steps of a steps template or the tasks of a DAG, as variables: `steps.<S>.*` /
//! `tasks.<N>.*`, built once per template, and which of them a given position may see.
//!
//! What a node exposes depends on its callee: `outputs.result` and `exitCode` only for
//! templates that produce them, declared `outputs.parameters.<P>`/`outputs.artifacts.<A>`, `ip`
//! for daemons, loop aggregates for looped nodes. A callee that cannot be resolved here
//! (`templateRef` to another object, a missing template) makes its outputs dynamic.

use std::collections::HashMap;

use super::ancestry::Ancestry;
use super::tree::VarTree;
use crate::expr::check::Resolution;
use crate::model::view::View;
use crate::model::views::{Template, WorkflowSpec};
use crate::model::walk::{Call, TemplateType};
use crate::parse::NodeRef;

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
    pub callee_name: Option<&'a str>,
}

/// All nodes of one template.
#[derive(Debug)]
pub(crate) struct Nodes<'a> {
    pub kind: NodeKind,
    pub list: Vec<NodeInfo<'a>>,
    pub index: HashMap<&'a str, usize>,
    /// The DAG's closure; `None` for steps and for DAGs too large for one.
    pub ancestry: Option<Ancestry>,
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

/// The callee of a call, when it can be resolved inside this object. This is the one place
/// to extend when `templateRef` resolution lands.
pub(crate) fn callee<'a>(spec: WorkflowSpec<'a>, call: &Call<'a>) -> Option<Template<'a>> {
    if let Some(inline) = call.inline {
        return Some(inline);
    }
    if call.template_ref.is_some() {
        return None;
    }
    crate::model::walk::find_template(spec, call.template_name()?)
}

/// Whether a template type sets `outputs.result` and `exitCode`.
pub(crate) fn produces_result(t: Template<'_>) -> bool {
    match t.template_type() {
        Some(
            TemplateType::Container
            | TemplateType::Script
            | TemplateType::Data
            | TemplateType::Http
            | TemplateType::Plugin,
        ) => true,
        Some(TemplateType::ContainerSet) => t
            .container_set()
            .and_then(|cs| cs.containers())
            .is_some_and(|cs| {
                cs.iter()
                    .any(|c| c.node().get("name").and_then(|n| n.as_str()) == Some("main"))
            }),
        _ => false,
    }
}

fn looped(node: NodeRef<'_>) -> bool {
    ["withItems", "withParam", "withSequence"]
        .iter()
        .any(|k| node.get(k).is_some_and(|n| !n.is_null()))
}

/// The variables one step or task exposes.
fn node_vars(call: &Call<'_>, callee: Option<Template<'_>>) -> VarTree {
    let mut t = VarTree::new();
    for v in ["id", "status", "startedAt", "finishedAt", "hostNodeName"] {
        t.leaf(v);
    }
    let Some(callee) = callee else {
        t.leaf("exitCode").leaf("ip").dynamic("outputs");
        return t;
    };
    if callee.daemon().and_then(|d| d.as_bool()) == Some(true) {
        t.leaf("ip");
    }
    t.map("outputs");
    if produces_result(callee) || looped(call.node) {
        t.leaf("exitCode").leaf("outputs.result");
    }
    let outputs = callee.outputs();
    if let Some(ps) = outputs.and_then(|o| o.parameters()) {
        t.map("outputs.parameters");
        for p in ps.iter() {
            if let Some(name) = p.name().and_then(|n| n.as_str()) {
                t.leaf_at(&["outputs", "parameters", name]);
            }
        }
    }
    if looped(call.node) {
        t.leaf("outputs.parameters");
    }
    if let Some(arts) = outputs.and_then(|o| o.artifacts()) {
        t.map("outputs.artifacts");
        for a in arts.iter() {
            if let Some(name) = a.name().and_then(|n| n.as_str()) {
                t.leaf_at(&["outputs", "artifacts", name]);
            }
        }
    }
    t
}

impl<'a> Nodes<'a> {
    /// The nodes of a steps or DAG template; `None` for other types.
    pub(crate) fn of(
        spec: WorkflowSpec<'a>,
        template: Template<'a>,
        calls: &[Call<'a>],
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
        let mut tasks = Vec::new();
        for call in calls {
            let group = match call.kind {
                CallKind::Step { group, .. } => group,
                CallKind::Task { index } => index,
                _ => continue,
            };
            let name = call.name().unwrap_or_default();
            let callee = callee(spec, call);
            if !name.is_empty() {
                index.entry(name).or_insert(list.len());
            }
            list.push(NodeInfo {
                name,
                group,
                vars: node_vars(call, callee),
                callee_name: call.template_name(),
            });
        }
        let ancestry = if kind == NodeKind::Tasks {
            if let Some(ts) = template.dag().and_then(|d| d.tasks()) {
                tasks.extend(ts.iter());
            }
            Ancestry::new(&tasks, &index)
        } else {
            None
        };
        Some(Nodes {
            kind,
            list,
            index,
            ancestry,
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
                match (self.kind, &self.ancestry) {
                    (NodeKind::Steps, _) => {
                        let g = |i: usize| self.list.get(i).map_or(usize::MAX, |n| n.group);
                        g(j) < g(this)
                    }
                    (NodeKind::Tasks, Some(a)) => a.is_ancestor(j, this),
                    // A DAG too large for its closure: any task of it may be referenced.
                    (NodeKind::Tasks, None) => true,
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
