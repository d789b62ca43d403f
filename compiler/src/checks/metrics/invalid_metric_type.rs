//! AW843: a metric that is not exactly one of gauge, counter or histogram.

use super::{display, metrics};
use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;
use crate::model::view::View;

declare_rule! {
    /// ## What it does
    /// Reports a metric that sets none of `gauge`, `counter` and `histogram`, or more than one.
    ///
    /// Argo rule: none (§2.15: not checked by `argo lint`).
    ///
    /// ## Why is this bad?
    /// A metric without a type is never emitted; with several, Argo uses one and silently
    /// ignores the others.
    ///
    /// ## Example
    /// ```yaml
    /// - name: builds
    ///   help: Number of builds
    ///   counter: {value: "1"}
    ///   gauge: {value: "1"}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// - name: builds
    ///   help: Number of builds
    ///   counter: {value: "1"}
    /// ```
    pub(crate) static RULE = ("AW843", "invalid-metric-type", Error, "a metric that is not exactly one of gauge, counter or histogram");
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    for m in metrics(obj) {
        let node = m.node();
        let mut set: Vec<_> = ["gauge", "counter", "histogram"]
            .into_iter()
            .filter_map(|k| Some((k, node.get(k).filter(|v| !v.is_null())?)))
            .collect();
        set.sort_by_key(|(_, v)| v.key_span().start);
        let name = display(&m);
        let d = match set.as_slice() {
            [_] => continue,
            [] => Diagnostic::new(
                &RULE,
                m.name().map_or_else(|| node.span(), |n| n.span()),
                format!("metric `{name}` has no type"),
            )
            .with_pointer(node.pointer())
            .with_help("add one of `gauge`, `counter` or `histogram`"),
            [(_, _), rest @ ..] => {
                let mut d = Diagnostic::new(
                    &RULE,
                    rest[0].1.key_span(),
                    format!("metric `{name}` has more than one type"),
                )
                .with_pointer(rest[0].1.pointer())
                .with_help("keep one of `gauge`, `counter` or `histogram`");
                for (k, v) in set.iter().filter(|(_, v)| *v != rest[0].1) {
                    d = d.with_secondary(v.key_span(), format!("`{k}` set here"));
                }
                d
            }
        };
        out.push(d);
    }
}
