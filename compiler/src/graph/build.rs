//! The compiler's model → a [`Graph`]: the entrypoint (or a chosen template) with every nested
//! DAG and steps template expanded into a block, `templateRef`s followed through the
//! [`Registry`], lifecycle hooks and exit handlers attached to their callers.
//!
//! Expansion is bounded three ways: a template already being expanded is drawn as a recursion
//! marker (this also stops `templateRef` cycles), nesting deeper than
//! [`GraphOptions::max_depth`] is drawn collapsed, and once [`GraphOptions::max_nodes`] items
//! exist the rest of each block is summarised by one "… more" node.

use std::collections::BTreeMap;

use super::{Block, BlockKind, Edge, EdgeKind, Graph, Item, Node, NodeKind, Note};
use crate::model::dag::DagGraph;
use crate::model::view::{MapOf, View};
use crate::model::views::{
    DagTask, LifecycleHook, Template, TemplateRef, WorkflowSpec, WorkflowStep,
};
use crate::model::walk::{TemplateType, find_template};
use crate::model::{Kind, Object};
use crate::parse::{NodeId, NodeRef, Tree};
use crate::resolve::{Registry, Resolution, WorkflowTemplateResolution, entrypoint_with_ref};

/// Bounds on what is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GraphOptions {
    /// Most nodes and blocks drawn; the rest of each block becomes one "… more" node.
    pub max_nodes: usize,
    /// Deepest nesting of expanded templates; deeper calls are drawn collapsed.
    pub max_depth: usize,
}

impl Default for GraphOptions {
    fn default() -> Self {
        GraphOptions {
            max_nodes: 2_000,
            max_depth: 12,
        }
    }
}

/// Why no picture could be built.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BuildError {
    #[error("no Workflow, CronWorkflow or WorkflowTemplate found")]
    NoObject,
    #[error("{object} has no workflow spec to draw")]
    NoSpec { object: String },
    #[error("{object} has no template `{name}`{}", list(.available))]
    UnknownTemplate {
        object: String,
        name: String,
        available: Vec<String>,
    },
    #[error("{object} runs {why}")]
    UnresolvedWorkflowTemplate { object: String, why: String },
    #[error("{object} has no entrypoint; choose a template with `--template`{}", list(.available))]
    NoEntrypoint {
        object: String,
        available: Vec<String>,
    },
}

fn list(names: &[String]) -> String {
    if names.is_empty() {
        String::new()
    } else {
        format!(" (templates: {})", names.join(", "))
    }
}

/// Builds the picture of `template` (default: the entrypoint) of `obj`.
///
/// With the entrypoint, the workflow's exit handler and workflow-level hooks are drawn too.
pub fn build<'a>(
    obj: &Object<'a>,
    registry: &Registry<'a>,
    template: Option<&str>,
    options: &GraphOptions,
) -> Result<Graph, BuildError> {
    let object = obj.display_name();
    let own_spec = obj.workflow_spec().ok_or_else(|| BuildError::NoSpec {
        object: object.clone(),
    })?;
    // A Workflow running a WorkflowTemplate draws the referenced template's templates.
    let unresolved = |why: String| BuildError::UnresolvedWorkflowTemplate {
        object: object.clone(),
        why,
    };
    let (base_obj, base_spec, via_ref) = match registry.workflow_template_ref(obj) {
        Some((_, WorkflowTemplateResolution::Resolved(found))) => {
            match found.object.workflow_spec() {
                Some(spec) => (found.object, spec, Some(found)),
                None => (*obj, own_spec, None),
            }
        }
        Some((_, WorkflowTemplateResolution::Missing { target, .. })) => {
            return Err(unresolved(format!(
                "{target} through `workflowTemplateRef`, which is not among the inputs: pass \
                 it as a file or with `--templates`"
            )));
        }
        Some((_, WorkflowTemplateResolution::Dynamic { tag, .. })) => {
            return Err(unresolved(format!(
                "a WorkflowTemplate chosen at run time (`{tag}`): nothing to draw before it runs"
            )));
        }
        Some((_, WorkflowTemplateResolution::External { target })) => {
            return Err(unresolved(format!(
                "{target}, declared external: pass it with `--templates` to draw it"
            )));
        }
        _ => (*obj, own_spec, None),
    };
    let available = || template_names(base_spec);
    let entry = match template {
        Some(name) => {
            find_template(base_spec, name).ok_or_else(|| BuildError::UnknownTemplate {
                object: object.clone(),
                name: name.to_string(),
                available: available(),
            })?
        }
        None => {
            let found = match via_ref {
                Some(found) => entrypoint_with_ref(obj, &found),
                None => own_spec
                    .entrypoint()
                    .and_then(|e| e.as_str())
                    .and_then(|name| find_template(own_spec, name)),
            };
            match (found, base_spec.entrypoint().and_then(|e| e.as_str())) {
                (Some(t), _) => t,
                (None, Some(name)) if !name.contains("{{") => {
                    return Err(BuildError::UnknownTemplate {
                        object: object.clone(),
                        name: name.to_string(),
                        available: available(),
                    });
                }
                (None, _) => {
                    return Err(BuildError::NoEntrypoint {
                        object: object.clone(),
                        available: available(),
                    });
                }
            }
        }
    };
    let entry_name = entry.name_str().unwrap_or("?").to_string();
    let mut b = Builder {
        registry,
        options: *options,
        graph: Graph {
            title: format!("{object} · {entry_name}"),
            ..Graph::default()
        },
        stack: Vec::new(),
        truncated_note: false,
        depth_note: false,
    };
    let ctx = Ctx {
        obj: base_obj,
        spec: base_spec,
    };
    // Workflow-level handlers: the object's own, else the referenced template's.
    let handler_spec = |get: fn(&WorkflowSpec<'a>) -> bool| {
        if get(&own_spec) { own_spec } else { base_spec }
    };
    let hooks_spec = handler_spec(|s| s.hooks().is_some());
    let exit_spec = handler_spec(|s| s.on_exit().is_some_and(|n| !n.is_null()));
    let has_handlers = template.is_none()
        && (hooks_spec
            .hooks()
            .is_some_and(|h| h.iter().next().is_some())
            || exit_spec.on_exit().is_some_and(|n| !n.is_null()));

    let entry_target = Target::Template {
        ctx,
        template: entry,
        display: entry_name.clone(),
    };
    if has_handlers {
        b.graph.blocks.push(Block {
            kind: BlockKind::Workflow,
            label: object.clone(),
            detail: Vec::new(),
            loop_marker: None,
            parent: None,
            items: Vec::new(),
        });
        let site = Site::named(entry_name, entry.node(), NodeKind::Call);
        let mut skipped = 0;
        if let Some(main) = b.place(site, entry_target, 0, 1, &mut skipped) {
            let hook_ctx = Ctx {
                obj: if hooks_spec.node() == own_spec.node() {
                    *obj
                } else {
                    base_obj
                },
                spec: hooks_spec,
            };
            b.handlers(hook_ctx, hooks_spec.hooks(), None, main, 0, 1, &mut skipped);
            let exit_ctx = Ctx {
                obj: if exit_spec.node() == own_spec.node() {
                    *obj
                } else {
                    base_obj
                },
                spec: exit_spec,
            };
            b.handlers(
                exit_ctx,
                None,
                exit_spec.on_exit(),
                main,
                0,
                1,
                &mut skipped,
            );
        }
        b.truncated(0, skipped);
    } else {
        let (kind, stacked) = match entry.template_type() {
            Some(TemplateType::Dag) => (BlockKind::Dag, true),
            Some(TemplateType::Steps) => (BlockKind::Steps, true),
            _ => (BlockKind::Workflow, false),
        };
        b.graph.blocks.push(Block {
            kind,
            label: entry_name.clone(),
            detail: vec![object.clone()],
            loop_marker: None,
            parent: None,
            items: Vec::new(),
        });
        if stacked {
            b.stack.push(key(entry.node()));
            b.expand(ctx, entry, 0, 1);
            b.stack.pop();
        } else {
            let site = Site::named(entry_name, entry.node(), NodeKind::Call);
            let mut skipped = 0;
            b.place(site, entry_target, 0, 1, &mut skipped);
        }
    }
    Ok(b.graph)
}

fn template_names(spec: WorkflowSpec<'_>) -> Vec<String> {
    spec.templates()
        .map(|ts| {
            ts.iter()
                .filter_map(|t| t.name_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

type Key = (usize, NodeId);

fn key(node: NodeRef<'_>) -> Key {
    (node.tree() as *const Tree as usize, node.id())
}

/// Where local template names resolve: an object and its workflow spec.
#[derive(Clone, Copy)]
struct Ctx<'a> {
    obj: Object<'a>,
    spec: WorkflowSpec<'a>,
}

/// What a call runs.
enum Target<'a> {
    Template {
        ctx: Ctx<'a>,
        template: Template<'a>,
        display: String,
    },
    /// Known only at run time, or declared external: drawn as a plain node.
    Opaque(String),
    /// Nothing to run: drawn as a missing node (short text) with a note (long text).
    Missing(String, String),
}

/// A call being drawn: its label, annotations and where it is written.
struct Site<'a> {
    label: String,
    node: NodeRef<'a>,
    kind: NodeKind,
    detail: Vec<String>,
    loop_marker: Option<String>,
    conditional: bool,
}

impl<'a> Site<'a> {
    fn named(label: String, node: NodeRef<'a>, kind: NodeKind) -> Self {
        Site {
            label,
            node,
            kind,
            detail: Vec::new(),
            loop_marker: None,
            conditional: false,
        }
    }
}

struct Builder<'r, 'a> {
    registry: &'r Registry<'a>,
    options: GraphOptions,
    graph: Graph,
    /// Templates being expanded (recursion guard).
    stack: Vec<Key>,
    truncated_note: bool,
    depth_note: bool,
}

impl<'a> Builder<'_, 'a> {
    fn note(&mut self, message: String, node: Option<NodeRef<'_>>) {
        let note = Note {
            message,
            span: node.map(|n| n.span()),
        };
        if !self.graph.notes.contains(&note) {
            self.graph.notes.push(note);
        }
    }

    fn full(&self) -> bool {
        self.graph.size() >= self.options.max_nodes
    }

    fn add_node(&mut self, block: usize, node: Node) -> Item {
        let id = self.graph.nodes.len();
        self.graph.nodes.push(Node { block, ..node });
        let item = Item::Node(id);
        if let Some(b) = self.graph.blocks.get_mut(block) {
            b.items.push(item);
        }
        item
    }

    fn edge(&mut self, from: Item, to: Item, kind: EdgeKind, label: Option<String>) {
        self.graph.edges.push(Edge {
            from,
            to,
            kind,
            label,
        });
    }

    /// Adds the "… N more" node of a block whose members did not all fit.
    fn truncated(&mut self, block: usize, skipped: usize) {
        if skipped == 0 {
            return;
        }
        if !self.truncated_note {
            self.truncated_note = true;
            let max = self.options.max_nodes;
            self.note(
                format!("the picture is cut at {max} nodes (`--max-nodes` draws more)"),
                None,
            );
        }
        self.graph.nodes.push(Node {
            kind: NodeKind::Truncated,
            label: format!("… {skipped} more"),
            detail: vec!["not drawn".to_string()],
            loop_marker: None,
            conditional: false,
            block,
        });
        let item = Item::Node(self.graph.nodes.len() - 1);
        if let Some(b) = self.graph.blocks.get_mut(block) {
            b.items.push(item);
        }
    }

    /// Draws one call in `block`: a node, or a block when it runs a DAG or steps template.
    /// `None` (and `skipped` counts it) when the node budget is spent.
    fn place(
        &mut self,
        mut site: Site<'a>,
        target: Target<'a>,
        block: usize,
        depth: usize,
        skipped: &mut usize,
    ) -> Option<Item> {
        if self.full() {
            *skipped += 1;
            return None;
        }
        let mut kind = site.kind;
        match target {
            Target::Missing(short, why) => {
                self.note(format!("`{}`: {why}", site.label), Some(site.node));
                site.detail.insert(0, short);
                kind = NodeKind::Missing;
            }
            Target::Opaque(display) => site.detail.insert(0, display),
            Target::Template {
                ctx,
                template,
                display,
            } => {
                let nested = match template.template_type() {
                    Some(TemplateType::Dag) => Some(BlockKind::Dag),
                    Some(TemplateType::Steps) => Some(BlockKind::Steps),
                    Some(other) if !matches!(other, TemplateType::Container) => {
                        site.detail
                            .insert(0, format!("{display} · {}", other.field()));
                        None
                    }
                    _ => {
                        if display != site.label {
                            site.detail.insert(0, display.clone());
                        }
                        None
                    }
                };
                if let Some(block_kind) = nested {
                    let k = key(template.node());
                    if self.stack.contains(&k) {
                        self.note(
                            format!(
                                "`{}` calls `{display}` again while expanding it (recursion): drawn once",
                                site.label
                            ),
                            Some(site.node),
                        );
                        site.detail.insert(0, format!("↻ {display} (recursion)"));
                        kind = NodeKind::Recursion;
                    } else if depth >= self.options.max_depth {
                        if !self.depth_note {
                            self.depth_note = true;
                            self.note(
                                format!(
                                    "templates nested deeper than {} are drawn collapsed",
                                    self.options.max_depth
                                ),
                                Some(site.node),
                            );
                        }
                        site.detail.insert(0, format!("{display} (not expanded)"));
                    } else {
                        if display != site.label {
                            site.detail.insert(0, display);
                        }
                        let id = self.graph.blocks.len();
                        self.graph.blocks.push(Block {
                            kind: block_kind,
                            label: site.label,
                            detail: site.detail,
                            loop_marker: site.loop_marker,
                            parent: Some(block),
                            items: Vec::new(),
                        });
                        if let Some(b) = self.graph.blocks.get_mut(block) {
                            b.items.push(Item::Block(id));
                        }
                        self.stack.push(k);
                        self.expand(ctx, template, id, depth + 1);
                        self.stack.pop();
                        return Some(Item::Block(id));
                    }
                }
            }
        }
        Some(self.add_node(
            block,
            Node {
                kind,
                label: site.label,
                detail: site.detail,
                loop_marker: site.loop_marker,
                conditional: site.conditional,
                block,
            },
        ))
    }

    /// Fills `block` with the members of a DAG or steps template.
    fn expand(&mut self, ctx: Ctx<'a>, template: Template<'a>, block: usize, depth: usize) {
        match template.template_type() {
            Some(TemplateType::Dag) => self.expand_dag(ctx, template, block, depth),
            Some(TemplateType::Steps) => self.expand_steps(ctx, template, block, depth),
            _ => {}
        }
        if self.graph.items(block).is_empty() {
            self.add_node(
                block,
                Node {
                    kind: NodeKind::Missing,
                    label: "(empty)".to_string(),
                    detail: vec!["no tasks or steps".to_string()],
                    loop_marker: None,
                    conditional: false,
                    block,
                },
            );
        }
    }

    fn expand_dag(&mut self, ctx: Ctx<'a>, template: Template<'a>, block: usize, depth: usize) {
        let Some(g) = DagGraph::build(template) else {
            return;
        };
        let mut skipped = 0;
        let mut items: Vec<Option<Item>> = Vec::with_capacity(g.tasks.len());
        for (i, t) in g.tasks.iter().enumerate() {
            let label = t
                .name
                .map(str::to_string)
                .or_else(|| t.task.name().and_then(|n| n.scalar_text()))
                .unwrap_or_else(|| "?".to_string());
            let mut site = call_site(label, t.task.node(), t.task.when(), loop_of_task(t.task));
            if let Some((node, parsed)) = &g.depends[i]
                && let Some(text) = node.as_str()
                && (text.contains("||") || text.contains('!') || parsed.tree.is_err())
            {
                site.detail.push(format!("depends: {}", text.trim()));
            }
            let target = self.target_of(
                ctx,
                t.task.template(),
                t.task.template_ref(),
                t.task.inline(),
            );
            let item = self.place(site, target, block, depth, &mut skipped);
            if let Some(item) = item {
                self.handlers(
                    ctx,
                    t.task.hooks(),
                    t.task.on_exit(),
                    item,
                    block,
                    depth,
                    &mut skipped,
                );
            }
            items.push(item);
        }
        // One edge per (dependency, task) pair, labelled with the results it tests.
        let mut pairs: BTreeMap<(usize, usize), Vec<String>> = BTreeMap::new();
        for e in &g.edges {
            let labels = pairs.entry((e.to, e.from)).or_default();
            if let Some(result) = e.decl.result {
                let negated = e.decl.range.as_ref().is_some_and(|r| {
                    e.decl
                        .node
                        .as_str()
                        .and_then(|text| text.get(..r.start))
                        .is_some_and(|before| before.trim_end().ends_with('!'))
                });
                let label = if negated {
                    format!("!{result}")
                } else {
                    result.to_string()
                };
                if !labels.contains(&label) {
                    labels.push(label);
                }
            }
        }
        for ((dep, task), labels) in pairs {
            if let (Some(Some(from)), Some(Some(to))) = (items.get(dep), items.get(task)) {
                let label = (!labels.is_empty()).then(|| labels.join(" | "));
                self.edge(*from, *to, EdgeKind::Flow, label);
            }
        }
        for u in &g.unresolved {
            let Some(Some(task)) = items.get(u.task) else {
                continue;
            };
            if self.full() {
                skipped += 1;
                continue;
            }
            let owner = g.tasks[u.task].name.unwrap_or("?");
            self.note(
                format!(
                    "task `{owner}` depends on `{}`, which is no task",
                    u.decl.name
                ),
                Some(u.decl.node),
            );
            let missing = self.add_node(
                block,
                Node {
                    kind: NodeKind::Missing,
                    label: u.decl.name.to_string(),
                    detail: vec!["no such task".to_string()],
                    loop_marker: None,
                    conditional: false,
                    block,
                },
            );
            self.edge(missing, *task, EdgeKind::Missing, None);
        }
        for scc in petgraph::algo::tarjan_scc(&g.graph) {
            let cyclic =
                scc.len() > 1 || scc.first().is_some_and(|n| g.graph.contains_edge(*n, *n));
            if !cyclic {
                continue;
            }
            let mut members: Vec<usize> = scc.iter().map(|n| n.index()).collect();
            members.sort_unstable();
            let names: Vec<String> = members
                .iter()
                .map(|&m| format!("`{}`", g.tasks[m].name.unwrap_or("?")))
                .collect();
            let node = members.first().map(|&m| g.tasks[m].task.node());
            let message = if names.len() == 1 {
                format!("task {} depends on itself", names.join(""))
            } else {
                format!("tasks {} depend on each other in a cycle", names.join(", "))
            };
            self.note(
                format!("{message}: Argo rejects this DAG (`bosun lint` shows the path)"),
                node,
            );
        }
        self.truncated(block, skipped);
    }

    fn expand_steps(&mut self, ctx: Ctx<'a>, template: Template<'a>, block: usize, depth: usize) {
        let Some(groups) = template.steps() else {
            return;
        };
        if !groups.node().is_seq() {
            return;
        }
        let mut skipped = 0;
        let mut previous: Vec<Item> = Vec::new();
        for group in groups.iter() {
            if !group.node().is_seq() {
                continue;
            }
            let mut current = Vec::new();
            for step in group.iter() {
                let label = step
                    .name()
                    .and_then(|n| n.as_str())
                    .unwrap_or("?")
                    .to_string();
                let site = call_site(label, step.node(), step.when(), loop_of_step(step));
                let target =
                    self.target_of(ctx, step.template(), step.template_ref(), step.inline());
                if let Some(item) = self.place(site, target, block, depth, &mut skipped) {
                    self.handlers(
                        ctx,
                        step.hooks(),
                        step.on_exit(),
                        item,
                        block,
                        depth,
                        &mut skipped,
                    );
                    current.push(item);
                }
            }
            if current.is_empty() {
                continue;
            }
            if previous.len() > 1 && current.len() > 1 {
                // A join point keeps the edges between two parallel groups linear.
                let join = self.add_node(
                    block,
                    Node {
                        kind: NodeKind::Junction,
                        label: String::new(),
                        detail: Vec::new(),
                        loop_marker: None,
                        conditional: false,
                        block,
                    },
                );
                for &p in &previous {
                    self.edge(p, join, EdgeKind::Flow, None);
                }
                for &c in &current {
                    self.edge(join, c, EdgeKind::Flow, None);
                }
            } else {
                for &p in &previous {
                    for &c in &current {
                        self.edge(p, c, EdgeKind::Flow, None);
                    }
                }
            }
            previous = current;
        }
        self.truncated(block, skipped);
    }

    /// Draws the lifecycle hooks and the exit handler of `from`.
    #[allow(
        clippy::too_many_arguments,
        reason = "the walk state travels with each call"
    )]
    fn handlers(
        &mut self,
        ctx: Ctx<'a>,
        hooks: Option<MapOf<'a, LifecycleHook<'a>>>,
        on_exit: Option<NodeRef<'a>>,
        from: Item,
        block: usize,
        depth: usize,
        skipped: &mut usize,
    ) {
        if let Some(hooks) = hooks {
            for (entry, hook) in hooks.iter() {
                let mut site =
                    Site::named(format!("hook: {}", entry.key), hook.node(), NodeKind::Hook);
                if let Some(expr) = hook.expression().and_then(|e| e.as_str()) {
                    site.detail.push(format!("if {expr}"));
                }
                let target = self.target_of(ctx, hook.template(), hook.template_ref(), None);
                if let Some(item) = self.place(site, target, block, depth, skipped) {
                    self.edge(from, item, EdgeKind::Hook, None);
                }
            }
        }
        if let Some(exit) = on_exit.filter(|n| !n.is_null()) {
            let site = Site::named("onExit".to_string(), exit, NodeKind::Exit);
            let target = self.target_of(ctx, Some(exit), None, None);
            if let Some(item) = self.place(site, target, block, depth, skipped) {
                self.edge(from, item, EdgeKind::Exit, None);
            }
        }
    }

    /// What a call runs: an inline template, a local template, or a `templateRef`.
    fn target_of(
        &self,
        ctx: Ctx<'a>,
        template: Option<NodeRef<'a>>,
        template_ref: Option<TemplateRef<'a>>,
        inline: Option<Template<'a>>,
    ) -> Target<'a> {
        if let Some(inline) = inline {
            return Target::Template {
                ctx,
                template: inline,
                display: "(inline)".to_string(),
            };
        }
        if let Some(tr) = template_ref.filter(|t| !t.node().is_null()) {
            return self.resolve_ref(ctx, tr);
        }
        let Some(node) = template else {
            return missing("no template", "calls no template");
        };
        let Some(name) = node.as_str() else {
            return missing("bad template name", "the template name is not a string");
        };
        if name.contains("{{") {
            return Target::Opaque(format!("{name} (chosen at run time)"));
        }
        match find_template(ctx.spec, name) {
            Some(template) => Target::Template {
                ctx,
                template,
                display: name.to_string(),
            },
            None => missing(
                format!("missing: {name}"),
                format!("template `{name}` not found"),
            ),
        }
    }

    fn resolve_ref(&self, ctx: Ctx<'a>, tr: TemplateRef<'a>) -> Target<'a> {
        let text = |n: Option<NodeRef<'a>>| n.and_then(|n| n.as_str()).unwrap_or("?");
        let written = format!("{}.{}", text(tr.name()), text(tr.template()));
        match self.registry.resolve_template_ref(&ctx.obj, tr) {
            Resolution::Resolved(rt) => match rt.found.object.workflow_spec() {
                Some(spec) => Target::Template {
                    ctx: Ctx {
                        obj: rt.found.object,
                        spec,
                    },
                    template: rt.template(),
                    display: format!("ref: {}", rt.display()),
                },
                None => missing(
                    format!("missing: {written}"),
                    format!("{} has no spec", rt.found.label()),
                ),
            },
            Resolution::Dynamic { tag, .. } => {
                Target::Opaque(format!("ref: {written} ({tag} chosen at run time)"))
            }
            Resolution::External { .. } => Target::Opaque(format!("ref: {written} (external)")),
            Resolution::MissingObject { target, .. } => missing(
                format!("missing: {written}"),
                format!("{target} not found (pass it as a file or with `--templates`)"),
            ),
            Resolution::MissingTemplate { found, name, .. } => missing(
                format!("missing: {written}"),
                format!("{} has no template `{name}`", found.label()),
            ),
            Resolution::Incomplete | Resolution::NotARef => missing(
                "bad templateRef",
                "the templateRef needs a name and a template",
            ),
        }
    }
}

fn missing<'a>(short: impl Into<String>, long: impl Into<String>) -> Target<'a> {
    Target::Missing(short.into(), long.into())
}

/// A task or step: its label, its `when` and its loop.
fn call_site<'a>(
    label: String,
    node: NodeRef<'a>,
    when: Option<NodeRef<'a>>,
    loop_marker: Option<String>,
) -> Site<'a> {
    let mut site = Site::named(label, node, NodeKind::Call);
    if let Some(when) = when.and_then(|w| w.scalar_text()) {
        site.detail.push(format!("when {when}"));
        site.conditional = true;
    }
    site.loop_marker = loop_marker;
    site
}

fn loop_of_task(task: DagTask<'_>) -> Option<String> {
    loop_marker(
        task.node().get("withItems"),
        task.with_param(),
        task.node().get("withSequence"),
    )
}

fn loop_of_step(step: WorkflowStep<'_>) -> Option<String> {
    loop_marker(
        step.node().get("withItems"),
        step.node().get("withParam"),
        step.node().get("withSequence"),
    )
}

/// `×3` for static loops, `×?` for loops sized at run time.
fn loop_marker(
    items: Option<NodeRef<'_>>,
    param: Option<NodeRef<'_>>,
    sequence: Option<NodeRef<'_>>,
) -> Option<String> {
    if let Some(items) = items.filter(|n| !n.is_null()) {
        return Some(if items.is_seq() {
            format!("×{}", items.items().len())
        } else {
            "×?".to_string()
        });
    }
    if param.is_some_and(|n| !n.is_null()) {
        return Some("×?".to_string());
    }
    let sequence = sequence.filter(|n| !n.is_null())?;
    let int = |field: &str| {
        sequence.get(field).and_then(|n| {
            n.as_i64()
                .or_else(|| n.as_str().and_then(|s| s.trim().parse::<i64>().ok()))
        })
    };
    let count = match (int("count"), int("start"), int("end")) {
        (Some(c), _, _) if sequence.get("end").is_none() => Some(c.max(0)),
        (None, start, Some(end)) => Some(end.abs_diff(start.unwrap_or(0)).saturating_add(1) as i64),
        _ => None,
    };
    Some(count.map_or_else(|| "×?".to_string(), |c| format!("×{c}")))
}

/// Whether an object of this kind is drawn by default (a runnable workflow).
pub fn is_runnable(kind: Kind) -> bool {
    matches!(kind, Kind::Workflow | Kind::CronWorkflow)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loop_markers_count_static_loops() {
        use crate::parse::{Limits, parse_file};
        use crate::source::{FileId, SourceFile};
        let file = SourceFile::new(
            FileId(0),
            "t.yaml",
            "a: [1, 2, 3]\nb: \"{{x}}\"\nc: {count: \"4\"}\nd: {start: 2, end: 5}\ne: {count: \"{{n}}\"}\n"
                .to_string(),
        );
        let docs = parse_file(&file, &Limits::default(), &mut Vec::new());
        let root = docs[0].root().unwrap();
        assert_eq!(
            loop_marker(root.get("a"), None, None).as_deref(),
            Some("×3")
        );
        assert_eq!(
            loop_marker(root.get("b"), None, None).as_deref(),
            Some("×?")
        );
        assert_eq!(
            loop_marker(None, root.get("b"), None).as_deref(),
            Some("×?")
        );
        assert_eq!(
            loop_marker(None, None, root.get("c")).as_deref(),
            Some("×4")
        );
        assert_eq!(
            loop_marker(None, None, root.get("d")).as_deref(),
            Some("×4")
        );
        assert_eq!(
            loop_marker(None, None, root.get("e")).as_deref(),
            Some("×?")
        );
        assert_eq!(loop_marker(None, None, None), None);
    }
}
