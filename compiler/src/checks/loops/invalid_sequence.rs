//! AW323: a `withSequence` with both or neither of `count` and `end`, or a bound that is not an
//! integer.

use crate::checks::CheckContext;
use crate::checks::scalar::has_template_tag;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;
use crate::parse::NodeRef;

declare_rule! {
    /// ## What it does
    /// Reports a `withSequence` that sets both `count` and `end`, or neither, and a `start`,
    /// `end` or `count` that is not an integer (template tags are accepted: their value is only
    /// known at run time).
    ///
    /// Argo rule: ARGO-LOOP-002 (both); the rest is beyond parity (§2.15: `withSequence`
    /// numbers are not checked).
    ///
    /// ## Why is this bad?
    /// Argo rejects both (`only one of count or end can be defined in withSequence`); a missing
    /// bound or a bound like `ten` fails the step when the loop expands
    /// (`strconv.Atoi: parsing "ten": invalid syntax`).
    ///
    /// ## Example
    /// ```yaml
    /// withSequence:
    ///   count: "10"
    ///   end: "10"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// withSequence:
    ///   count: "10"
    /// ```
    pub(crate) static RULE = ("AW323", "invalid-sequence", Error, "a withSequence without exactly one of count and end, or with a bound that is not an integer");
}

fn report(out: &mut Vec<Diagnostic>, at: NodeRef<'_>, message: String, help: &str) {
    out.push(
        Diagnostic::new(&RULE, at.key_span(), message)
            .with_pointer(at.pointer())
            .with_help(help.to_string()),
    );
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    for call in super::steps_and_tasks(obj) {
        let Some(seq) = call.node.get("withSequence").filter(|s| s.is_map()) else {
            continue;
        };
        let field = |k: &str| seq.get(k).filter(|n| !n.is_null());
        match (field("count"), field("end")) {
            (Some(_), Some(end)) => report(
                out,
                end,
                "`withSequence` has both `count` and `end`".into(),
                "keep `count` (how many items) or `end` (the last number)",
            ),
            (None, None) => report(
                out,
                seq,
                "`withSequence` has neither `count` nor `end`".into(),
                "set `count` (how many items) or `end` (the last number)",
            ),
            _ => {}
        }
        for k in ["start", "end", "count"] {
            let Some(n) = field(k) else { continue };
            let Some(text) = n.scalar_text() else {
                continue;
            };
            if has_template_tag(&text) || text.parse::<i64>().is_ok() {
                continue;
            }
            out.push(
                Diagnostic::new(
                    &RULE,
                    n.span(),
                    format!("`withSequence.{k}` is `{text}`, not an integer"),
                )
                .with_pointer(n.pointer())
                .with_help("write a whole number, e.g. \"5\""),
            );
        }
    }
}
