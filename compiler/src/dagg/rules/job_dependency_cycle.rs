//! AG006: jobs of a DAG file depend on each other in a cycle.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports jobs whose `dependencies` form a cycle, with the whole cycle in order
    /// (`a → b → a`, read "a depends on b, which depends on a") and a label on each dependency
    /// of it. A job that depends on itself is a cycle of one.
    ///
    /// ## Why is this bad?
    /// No job of the cycle can ever start; Argo rejects the workflow with a message that names
    /// no job.
    ///
    /// ## Example
    /// ```yaml
    /// jobs:
    ///   - {name: build, commands: [make], dependencies: [test]}
    ///   - {name: test, commands: [make, test], dependencies: [build]}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// jobs:
    ///   - {name: build, commands: [make]}
    ///   - {name: test, commands: [make, test], dependencies: [build]}
    /// ```
    pub(crate) static RULE = ("AG006", "job-dependency-cycle", Error, "jobs of a DAG file depend on each other in a cycle");
}

/// `path` is the cycle's job names in order, without repeating the first; `edges` the span of
/// each dependency entry of the cycle (the first is the primary span).
pub(crate) fn diagnostic(path: &[&str], edges: &[Span]) -> Diagnostic {
    let mut shown: Vec<&str> = path.to_vec();
    if let Some(first) = path.first() {
        shown.push(first);
    }
    let primary = edges.first().copied().unwrap_or_default();
    let mut d = Diagnostic::new(
        &RULE,
        primary,
        format!("dependency cycle: {}", shown.join(" → ")),
    )
    .with_label("this dependency closes the cycle")
    .with_help("remove one dependency of the cycle");
    for (i, span) in edges.iter().enumerate().skip(1) {
        let from = path.get(i).copied().unwrap_or("");
        d = d.with_secondary(*span, format!("`{from}` depends on this"));
    }
    d
}
