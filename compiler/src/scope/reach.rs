//! Which templates can run as exit handlers: those reachable, through local calls, from
//! `spec.onExit`, a workflow-level hook, or a step's or task's `onExit`/hook.
//!
//! Used for `workflow.failures`, which the controller sets only for exit handlers. In
//! WorkflowTemplates and ClusterWorkflowTemplates every template counts (another workflow may
//! call it from its exit handler).

use std::collections::HashSet;

use crate::model::view::View;
use crate::model::views::{Template, WorkflowSpec};
use crate::model::walk::{self, Call, CallKind};
use crate::parse::NodeId;

/// The node ids of templates (`spec.templates[*]` and inline ones) that may run as exit
/// handlers.
pub(crate) fn exit_handlers(spec: WorkflowSpec<'_>, calls: &[Call<'_>]) -> HashSet<NodeId> {
    let mut seen: HashSet<NodeId> = HashSet::new();
    let mut stack: Vec<Template<'_>> = Vec::new();
    for call in calls {
        if matches!(call.kind, CallKind::Hook | CallKind::OnExit)
            && let Some(t) = super::nodes::callee(spec, call)
        {
            stack.push(t);
        }
    }
    while let Some(t) = stack.pop() {
        if !seen.insert(t.node().id()) {
            continue;
        }
        for call in walk::calls_in(t) {
            if let Some(c) = super::nodes::callee(spec, &call) {
                stack.push(c);
            }
        }
    }
    seen
}
