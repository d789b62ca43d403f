//! AW306: a DAG that uses both `depends` and `dependencies`.

use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::dag::DagGraph;
use crate::model::view::View;

declare_rule! {
    /// ## What it does
    /// Reports a DAG in which some task uses `depends` and some task (the same or another) uses
    /// `dependencies`. Argo's rule applies to the whole DAG, not only to each task.
    ///
    /// Argo rule: ARGO-DAG-006 (and the CRD's per-task CEL rule).
    ///
    /// ## Why is this bad?
    /// Argo refuses the workflow: `cannot use both 'depends' and 'dependencies' in the same DAG
    /// template`.
    ///
    /// ## Example
    /// ```yaml
    /// - {name: b, template: t, dependencies: [a]}
    /// - {name: c, template: t, depends: "a && b"}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// - {name: b, template: t, depends: a}
    /// - {name: c, template: t, depends: "a && b"}
    /// ```
    pub(crate) static RULE = ("AW306", "mixed-dependency-fields", Error, "a DAG that uses both `depends` and `dependencies`");
}

pub(super) fn check(_ctx: &CheckContext<'_>, g: &DagGraph<'_>, out: &mut Vec<Diagnostic>) {
    let key = |i: usize, field: &str| {
        g.tasks[i]
            .task
            .node()
            .entry(field)
            .map(|e| (e.key_span, g.tasks[i].task.node().child_pointer(field)))
    };
    let depends = (0..g.tasks.len()).find(|&i| g.uses_depends(i));
    let dependencies = (0..g.tasks.len()).find(|&i| g.uses_dependencies(i));
    let (Some(a), Some(b)) = (depends, dependencies) else {
        return;
    };
    let (Some(a_key), Some(b_key)) = (key(a, "depends"), key(b, "dependencies")) else {
        return;
    };
    // Point at whichever comes second; label the first.
    let ((span, pointer, this), (other_span, _, other)) = if b_key.0.start > a_key.0.start {
        (
            (b_key.0, b_key.1, "dependencies"),
            (a_key.0, a_key.1, "depends"),
        )
    } else {
        (
            (a_key.0, a_key.1, "depends"),
            (b_key.0, b_key.1, "dependencies"),
        )
    };
    out.push(
        Diagnostic::new(
            &RULE,
            span,
            format!("this DAG uses both `{other}` and `{this}`"),
        )
        .with_pointer(pointer)
        .with_secondary(other_span, format!("`{other}` used here"))
        .with_help("use `depends` everywhere: `dependencies: [a, b]` is `depends: \"a && b\"`"),
    );
}
