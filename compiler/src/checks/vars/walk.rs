//! Visits every field of a workflow spec with the scope of that field (argo-rules §3.4):
//! spec-level fields see the globals; template fields see the template's variables; a step or
//! task sees earlier step groups or its DAG ancestors, its loop `item`, and itself in its own
//! hooks; outputs and metrics see every step or task; inline templates see their own inputs
//! and then the scope of the step or task that declares them. Raw expression fields get their
//! own environment (`retryStrategy.expression` only `retries`/`lastRetry.*`, HTTP conditions
//! only `request`/`response`, data transformations only `data`).

use super::classify::Place;
use super::field::{FieldKind, Sink};
use crate::model::view::View;
use crate::model::views::{Template, WorkflowSpec};
use crate::model::walk::calls_in;
use crate::parse::{NodeId, NodeRef};
use crate::scope::nodes::{Refs, Visibility};
use crate::scope::template::{TemplateScope, retry_tree};
use crate::scope::tree::VarTree;
use crate::scope::{FieldScope, item_tree};
use std::collections::HashSet;

/// The trees shared by every field of an object.
pub(crate) struct Shared {
    pub globals: VarTree,
    /// `workflow.failures`.
    pub failures: VarTree,
    /// Added in workflow-level metrics.
    pub wf_metrics: VarTree,
}

/// Everything built once per object.
pub(crate) struct Walker<'c, 'o, 'a> {
    pub sink: Sink<'c, 'o>,
    pub spec: WorkflowSpec<'a>,
    /// Templates that may run as exit handlers; `None` when every template may.
    pub exit: Option<HashSet<NodeId>>,
    pub default_retry: bool,
    /// Resolves `templateRef` callees (their declared outputs).
    pub refs: Refs<'o, 'a>,
}

const EXPR: FieldKind = FieldKind::Expr { helpers: true };

/// Whether a resource manifest creates an Argo object whose own tags are for that object.
fn child_workflow_manifest(manifest: &str) -> bool {
    manifest.contains("argoproj.io/")
        && [
            "Workflow",
            "WorkflowTemplate",
            "CronWorkflow",
            "ClusterWorkflowTemplate",
        ]
        .iter()
        .any(|k| {
            manifest.contains(&format!("kind: {k}\n"))
                || manifest.contains(&format!("kind: {k}\r"))
                || manifest.contains(&format!("\"kind\": \"{k}\""))
        })
}

impl<'a> Walker<'_, '_, 'a> {
    /// Every string below `node`, as plain values.
    fn values(&mut self, node: NodeRef<'_>, scope: &FieldScope<'_>, place: &Place<'_, '_>) {
        if node.is_map() {
            for (_, child) in node.entries() {
                self.values(child, scope, place);
            }
        } else if node.is_seq() {
            for child in node.items() {
                self.values(child, scope, place);
            }
        } else {
            self.sink.field(node, FieldKind::Value, scope, place);
        }
    }

    /// The workflow spec.
    pub(crate) fn spec(&mut self, spec: WorkflowSpec<'a>, sh: &Shared) {
        let (globals, failures, wf_metrics) = (&sh.globals, &sh.failures, &sh.wf_metrics);
        let g = FieldScope::new(vec![globals]);
        let place = Place::new(None);
        for (e, child) in spec.node().entries() {
            match &*e.key {
                "templates" => {
                    for t in child.items() {
                        self.template(Template::wrap(t), sh, None);
                    }
                }
                "templateDefaults" | "entrypoint" | "onExit" => {}
                "metrics" => {
                    let s = FieldScope::new(vec![wf_metrics, failures, globals]);
                    let p = Place {
                        metrics: true,
                        ..place
                    };
                    self.metrics(child, &s, &p);
                }
                "hooks" => {
                    let s = FieldScope::new(vec![failures, globals]);
                    for (_, hook) in child.entries() {
                        self.hook(hook, &s, &place);
                    }
                }
                "retryStrategy" => {
                    let retry = retry_tree();
                    self.retry(child, &g, &FieldScope::new(vec![&retry]), &place);
                }
                "workflowMetadata" => {
                    for (k, v) in child.entries() {
                        if &*k.key == "labelsFrom" {
                            for (_, from) in v.entries() {
                                for (fk, fv) in from.entries() {
                                    let kind = if &*fk.key == "expression" {
                                        EXPR
                                    } else {
                                        FieldKind::Value
                                    };
                                    self.sink.field(fv, kind, &g, &place);
                                }
                            }
                        } else {
                            self.values(v, &g, &place);
                        }
                    }
                }
                _ => self.values(child, &g, &place),
            }
        }
    }

    fn hook(&mut self, hook: NodeRef<'_>, scope: &FieldScope<'_>, place: &Place<'_, '_>) {
        for (k, v) in hook.entries() {
            match &*k.key {
                "expression" => self.sink.field(v, EXPR, scope, place),
                "template" => {}
                _ => self.values(v, scope, place),
            }
        }
    }

    fn retry(
        &mut self,
        node: NodeRef<'_>,
        body: &FieldScope<'_>,
        retry: &FieldScope<'_>,
        place: &Place<'_, '_>,
    ) {
        for (k, v) in node.entries() {
            if &*k.key == "expression" {
                // Tags are substituted with the template's scope first.
                self.sink.expression(v, true, body, retry, place);
            } else {
                self.values(v, body, place);
            }
        }
    }

    fn metrics(&mut self, node: NodeRef<'_>, scope: &FieldScope<'_>, place: &Place<'_, '_>) {
        let Some(prometheus) = node.get("prometheus") else {
            return;
        };
        for m in prometheus.items() {
            for (k, v) in m.entries() {
                let kind = if &*k.key == "when" {
                    FieldKind::When
                } else {
                    FieldKind::Value
                };
                if kind == FieldKind::When {
                    self.sink.field(v, kind, scope, place);
                } else {
                    self.values(v, scope, place);
                }
            }
        }
    }

    /// One template; `parent` is the scope of the step or task declaring an inline template.
    fn template(
        &mut self,
        t: Template<'a>,
        sh: &Shared,
        parent: Option<(&FieldScope<'_>, &Place<'_, '_>)>,
    ) {
        let exit = self
            .exit
            .as_ref()
            .is_none_or(|e| e.contains(&t.node().id()));
        let calls = calls_in(t);
        let ts = TemplateScope::new(self.spec, t, &calls, self.default_retry, Some(self.refs));
        let mut trees: Vec<&VarTree> = vec![&ts.body];
        if ts.has_retry {
            trees.push(&ts.retry);
        }
        if exit {
            trees.push(&sh.failures);
        }
        trees.push(&sh.globals);
        let body = FieldScope {
            trees: trees.clone(),
            parent: parent.map(|(s, _)| s),
            ..FieldScope::default()
        };
        let place = Place::new(Some(&ts));
        let place = Place {
            looped: parent.is_some_and(|(_, p)| p.looped),
            outer: parent.map(|(_, p)| p),
            ..place
        };
        let all = FieldScope {
            trees: trees.clone(),
            nodes: ts.nodes.as_ref().map(|n| (n, Visibility::All)),
            parent: body.parent,
            placeholders: false,
        };
        let all_place = Place {
            vis: Visibility::All,
            ..place
        };
        for (e, child) in t.node().entries() {
            match &*e.key {
                "name" => {}
                "steps" => {
                    let mut k = 0;
                    for group in child.items() {
                        for step in group.items() {
                            self.call(step, k, &ts, &trees, sh, body.parent, place);
                            k += 1;
                        }
                    }
                }
                "dag" => {
                    for (dk, dv) in child.entries() {
                        match &*dk.key {
                            "tasks" => {
                                for (i, task) in dv.items().enumerate() {
                                    self.call(task, i, &ts, &trees, sh, body.parent, place);
                                }
                            }
                            "target" => {}
                            _ => self.values(dv, &body, &place),
                        }
                    }
                }
                "metrics" => {
                    let mut mtrees = vec![&ts.metrics];
                    mtrees.extend(trees.iter().copied());
                    let s = FieldScope {
                        trees: mtrees,
                        nodes: all.nodes,
                        parent: all.parent,
                        placeholders: false,
                    };
                    let p = Place {
                        metrics: true,
                        ..all_place
                    };
                    self.metrics(child, &s, &p);
                }
                "outputs" => self.outputs(child, &all, &all_place),
                "retryStrategy" => {
                    let s = FieldScope::new(vec![&ts.retry]);
                    self.retry(child, &body, &s, &place);
                }
                "http" => {
                    let mut rr = VarTree::new();
                    rr.dynamic("request").dynamic("response");
                    for (k, v) in child.entries() {
                        if &*k.key == "successCondition" {
                            self.sink.expression(
                                v,
                                false,
                                &body,
                                &FieldScope::new(vec![&rr]),
                                &place,
                            );
                        } else {
                            self.values(v, &body, &place);
                        }
                    }
                }
                "data" => {
                    let mut data = VarTree::new();
                    data.dynamic("data");
                    for (k, v) in child.entries() {
                        if &*k.key == "transformation" {
                            for step in v.items() {
                                for (sk, sv) in step.entries() {
                                    if &*sk.key == "expression" {
                                        self.sink.expression(
                                            sv,
                                            false,
                                            &body,
                                            &FieldScope::new(vec![&data]),
                                            &place,
                                        );
                                    } else {
                                        self.values(sv, &body, &place);
                                    }
                                }
                            }
                        } else {
                            self.values(v, &body, &place);
                        }
                    }
                }
                "resource" => {
                    for (k, v) in child.entries() {
                        let lenient = &*k.key == "manifest"
                            && v.as_str().is_some_and(child_workflow_manifest);
                        let p = Place { lenient, ..place };
                        self.values(v, &body, &p);
                    }
                }
                _ => self.values(child, &body, &place),
            }
        }
    }

    fn outputs(&mut self, node: NodeRef<'_>, scope: &FieldScope<'_>, place: &Place<'_, '_>) {
        for (k, v) in node.entries() {
            for item in v.items() {
                for (ik, iv) in item.entries() {
                    match (&*k.key, &*ik.key) {
                        ("parameters", "valueFrom") => {
                            for (vk, vv) in iv.entries() {
                                let kind = if &*vk.key == "expression" {
                                    EXPR
                                } else {
                                    FieldKind::Value
                                };
                                if kind == EXPR {
                                    self.sink.field(vv, kind, scope, place);
                                } else {
                                    self.values(vv, scope, place);
                                }
                            }
                        }
                        ("artifacts", "fromExpression") => self.sink.field(iv, EXPR, scope, place),
                        _ => self.values(iv, scope, place),
                    }
                }
            }
            if !v.is_seq() {
                self.values(v, scope, place);
            }
        }
    }

    /// One step (flat index `k`) or DAG task (index `k`).
    #[allow(clippy::too_many_arguments)]
    fn call(
        &mut self,
        node: NodeRef<'a>,
        k: usize,
        ts: &TemplateScope<'_>,
        trees: &[&VarTree],
        sh: &Shared,
        parent: Option<&FieldScope<'_>>,
        place: Place<'_, '_>,
    ) {
        let item = item_tree(node);
        let mut my_trees: Vec<&VarTree> = Vec::new();
        if let Some(i) = &item {
            my_trees.push(i);
        }
        my_trees.extend(trees.iter().copied());
        let vis = Visibility::From {
            this: k,
            itself: false,
        };
        let scope = FieldScope {
            trees: my_trees.clone(),
            nodes: ts.nodes.as_ref().map(|n| (n, vis)),
            parent,
            placeholders: false,
        };
        let place = Place {
            vis,
            this: Some(k),
            looped: item.is_some() || place.looped,
            ..place
        };
        let hook_vis = Visibility::From {
            this: k,
            itself: true,
        };
        let hook_scope = FieldScope {
            nodes: ts.nodes.as_ref().map(|n| (n, hook_vis)),
            trees: my_trees.clone(),
            parent,
            placeholders: false,
        };
        let hook_place = Place {
            vis: hook_vis,
            ..place
        };
        for (e, child) in node.entries() {
            match &*e.key {
                "inline" => self.template(Template::wrap(child), sh, Some((&scope, &place))),
                "hooks" => {
                    for (_, hook) in child.entries() {
                        self.hook(hook, &hook_scope, &hook_place);
                    }
                }
                "when" => self.sink.field(child, FieldKind::When, &scope, &place),
                // `depends` syntax and task names are the DAG checks' (AW301, AW302).
                "depends" => {}
                "dependencies" | "onExit" => {}
                _ => self.values(child, &scope, &place),
            }
        }
    }
}

impl Walker<'_, '_, '_> {
    /// A CronWorkflow's `when` (expression tags over `cronworkflow.*`) and
    /// `stopStrategy.expression` (expr over `cronworkflow.*`, without Argo's helpers).
    pub(crate) fn cron(&mut self, spec: NodeRef<'_>) {
        let mut cron = VarTree::new();
        for v in [
            "name",
            "namespace",
            "failed",
            "succeeded",
            "lastScheduledTime",
        ] {
            cron.leaf_at(&["cronworkflow", v]);
        }
        cron.dynamic("cronworkflow.labels")
            .dynamic("cronworkflow.annotations");
        let scope = FieldScope::new(vec![&cron]);
        let place = Place::new(None);
        if let Some(when) = spec.get("when") {
            self.sink.field(when, FieldKind::Value, &scope, &place);
        }
        if let Some(e) = spec.get("stopStrategy").and_then(|s| s.get("expression")) {
            self.sink
                .field(e, FieldKind::Expr { helpers: false }, &scope, &place);
        }
    }
}
