//! AW846: histogram buckets that are empty or not strictly increasing.

use super::{display, metrics};
use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;
use crate::model::view::View;
use crate::parse::{NodeRef, Value};

declare_rule! {
    /// ## What it does
    /// Reports a histogram whose `buckets` list is empty, or whose bounds are not strictly
    /// increasing.
    ///
    /// Argo rule: none (§2.15: histogram buckets are not checked by `argo lint`).
    ///
    /// ## Why is this bad?
    /// The metrics SDK refuses non-monotonic bucket boundaries, so the metric is not emitted;
    /// an empty list leaves a histogram with a single bucket, which records nothing useful.
    ///
    /// ## Example
    /// ```yaml
    /// histogram:
    ///   value: "{{duration}}"
    ///   buckets: [10, 5, 60]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// histogram:
    ///   value: "{{duration}}"
    ///   buckets: [5, 10, 60]
    /// ```
    pub(crate) static RULE = ("AW846", "invalid-histogram-buckets", Error, "histogram buckets that are empty or not increasing");
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    for m in metrics(obj) {
        let Some(buckets) = m.histogram().and_then(|h| h.buckets()) else {
            continue;
        };
        if !buckets.node().is_seq() {
            continue;
        }
        if buckets.is_empty() {
            out.push(
                Diagnostic::new(
                    &RULE,
                    buckets.span(),
                    format!("histogram `{}` has no buckets", display(&m)),
                )
                .with_pointer(buckets.pointer())
                .with_help("list the upper bounds of the buckets, e.g. `[1, 5, 30, 120]`"),
            );
            continue;
        }
        let mut previous: Option<(f64, NodeRef<'_>)> = None;
        for node in buckets.iter() {
            let Some(value) = number(node) else { continue };
            if let Some((p, pnode)) = previous
                && value <= p
            {
                out.push(
                    Diagnostic::new(
                        &RULE,
                        node.span(),
                        format!("histogram `{}` buckets are not increasing", display(&m)),
                    )
                    .with_pointer(node.pointer())
                    .with_secondary(pnode.span(), "previous bound")
                    .with_help("list each bound once, in increasing order"),
                );
            }
            previous = Some((value, node));
        }
    }
}

fn number(node: NodeRef<'_>) -> Option<f64> {
    match node.value() {
        Value::Int(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        Value::Str(s) => s.trim().parse().ok(),
        _ => None,
    }
}
