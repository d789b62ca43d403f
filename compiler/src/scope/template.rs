//! The variables of one template, built once per template (argo-rules §3.4): its inputs, the
//! pod-side paths of its outputs, `pod.name`, `node.name`, `retries`/`lastRetry.*`, the
//! metrics-only variables, and its steps or tasks.

use super::nodes::{Nodes, Refs};
use super::tree::VarTree;
use crate::model::view::View;
use crate::model::views::{Template, WorkflowSpec};
use crate::model::walk::{Call, TemplateType};

/// What a template contributes to the scopes of its fields.
#[derive(Debug)]
pub(crate) struct TemplateScope<'a> {
    /// Inputs, outputs paths, pod/node names, retries: visible in every field of the template.
    pub body: VarTree,
    /// Added in metrics (`status`, `duration`, `outputs.result`, …).
    pub metrics: VarTree,
    /// `retries`/`lastRetry.*`, the whole environment of `retryStrategy.expression`.
    pub retry: VarTree,
    pub has_retry: bool,
    pub runs_pod: bool,
    pub nodes: Option<Nodes<'a>>,
}

/// The variables of `retries`/`lastRetry`.
pub(crate) fn retry_tree() -> VarTree {
    let mut t = VarTree::new();
    t.leaf("retries");
    for v in ["exitCode", "status", "duration", "message"] {
        t.leaf_at(&["lastRetry", v]);
    }
    t
}

impl<'a> TemplateScope<'a> {
    /// Builds the scope of `template`. `default_retry` is true when `spec.retryStrategy` or
    /// `templateDefaults.retryStrategy` applies to every template; `refs` resolves the
    /// `templateRef` callees of its steps or tasks.
    pub(crate) fn new(
        spec: WorkflowSpec<'a>,
        template: Template<'a>,
        calls: &[Call<'a>],
        default_retry: bool,
        refs: Option<Refs<'_, 'a>>,
    ) -> Self {
        let ty = template.template_type();
        let leaf = !matches!(
            ty,
            Some(TemplateType::Steps | TemplateType::Dag | TemplateType::Suspend)
        );
        let runs_pod = ty.is_some_and(TemplateType::runs_pod);
        let has_retry = default_retry
            || template
                .retry_strategy()
                .is_some_and(|r| !r.node().is_null());
        let mut body = VarTree::new();
        body.leaf("inputs.parameters").map("inputs.artifacts");
        let inputs = template.inputs();
        for p in crate::scope::items(inputs.and_then(|i| i.parameters())) {
            if let Some(name) = p.name().and_then(|n| n.as_str()) {
                body.leaf_at(&["inputs", "parameters", name]);
            }
        }
        for a in crate::scope::items(inputs.and_then(|i| i.artifacts())) {
            if let Some(name) = a.name().and_then(|n| n.as_str()) {
                body.leaf_at(&["inputs", "artifacts", name]);
                if leaf {
                    body.leaf_at(&["inputs", "artifacts", name, "path"]);
                }
            }
        }
        let outputs = template.outputs();
        if leaf {
            for p in crate::scope::items(outputs.and_then(|o| o.parameters())) {
                if let Some(name) = p.name().and_then(|n| n.as_str()) {
                    body.leaf_at(&["outputs", "parameters", name, "path"]);
                }
            }
            for a in crate::scope::items(outputs.and_then(|o| o.artifacts())) {
                if let Some(name) = a.name().and_then(|n| n.as_str()) {
                    body.leaf_at(&["outputs", "artifacts", name, "path"]);
                }
            }
        }
        if runs_pod {
            body.leaf("pod.name");
        }
        body.leaf("node.name").leaf("steps.name").leaf("tasks.name");
        let retry = retry_tree();

        let mut metrics = VarTree::new();
        for v in ["status", "duration", "exitCode", "retries"] {
            metrics.leaf(v);
        }
        metrics.dynamic("resourcesDuration");
        metrics.leaf("outputs.result").leaf("outputs.exitCode");
        for p in crate::scope::items(outputs.and_then(|o| o.parameters())) {
            if let Some(name) = p.name().and_then(|n| n.as_str()) {
                metrics.leaf_at(&["outputs", "parameters", name]);
            }
        }
        TemplateScope {
            body,
            metrics,
            retry,
            has_retry,
            runs_pod,
            nodes: Nodes::of(spec, template, calls, refs),
        }
    }
}
