//! AW322: a step that reads `steps.X` where step X runs in the same group or later.
//!
//! Tags are found with a narrow scan (the expression engine that tokenizes tags is not on this
//! branch): inside every `{{...}}` of a step's `arguments`, `when`, `withParam`, `withItems` and
//! `withSequence`, each `steps.NAME` (or `steps['NAME']`) naming a step of the same template is
//! checked against the group order. Names that are not steps of the template are left to
//! variable scoping.

use std::collections::HashMap;

use crate::checks::CheckContext;
use crate::checks::scalar_span::value_span;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::view::View;
use crate::model::walk::TemplateSite;
use crate::parse::NodeRef;

declare_rule! {
    /// ## What it does
    /// Reports a `{{steps.NAME...}}` reference in a step's `arguments`, `when`, `withParam`,
    /// `withItems` or `withSequence` where step `NAME` is in the same parallel group (a sibling,
    /// or the step itself) or in a later group. Hooks and exit handlers, which run after the
    /// step, are not checked.
    ///
    /// Argo rule: ARGO-VAR-003. Fixes: FN-04 (Argo accepts references to earlier siblings of
    /// the same parallel group).
    ///
    /// ## Why is this bad?
    /// Steps of one group run at the same time, and later groups have not started: the value
    /// does not exist yet. The workflow fails at runtime with `failed to resolve`.
    ///
    /// ## Example
    /// ```yaml
    /// steps:
    ///   - - name: generate
    ///       template: generate
    ///     - name: consume
    ///       template: consume
    ///       arguments:
    ///         parameters:
    ///           - {name: data, value: "{{steps.generate.outputs.result}}"}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// steps:
    ///   - - name: generate
    ///       template: generate
    ///   - - name: consume
    ///       template: consume
    ///       arguments:
    ///         parameters:
    ///           - {name: data, value: "{{steps.generate.outputs.result}}"}
    /// ```
    pub(crate) static RULE = ("AW322", "reference-to-unfinished-step", Error, "a step that reads the outputs of a step that has not finished");
}

/// The fields of a step evaluated before it starts.
const FIELDS: [&str; 5] = [
    "arguments",
    "when",
    "withParam",
    "withItems",
    "withSequence",
];

pub(super) fn check(
    ctx: &CheckContext<'_>,
    templates: &[TemplateSite<'_>],
    out: &mut Vec<Diagnostic>,
) {
    for site in templates {
        let Some(groups) = site.template.steps() else {
            continue;
        };
        let mut group_of: HashMap<&str, (usize, NodeRef<'_>)> = HashMap::new();
        for (g, group) in groups.iter().enumerate() {
            for step in group.iter() {
                if let Some((n, name)) = step.name().and_then(|n| Some((n, n.as_str()?))) {
                    group_of.entry(name).or_insert((g, n));
                }
            }
        }
        if group_of.is_empty() {
            continue;
        }
        for (g, group) in groups.iter().enumerate() {
            for step in group.iter() {
                let self_name = step.name().and_then(|n| n.as_str());
                for field in FIELDS {
                    if let Some(node) = step.node().get(field) {
                        scan(node, &mut |s, name, range| {
                            let Some(&(at, decl)) = group_of.get(name) else {
                                return;
                            };
                            if at < g {
                                return;
                            }
                            let itself = Some(name) == self_name;
                            let why = if itself {
                                "the step itself has not finished when it starts"
                            } else if at == g {
                                "it runs in parallel, in the same group"
                            } else {
                                "it runs in a later group"
                            };
                            let help = if itself {
                                "read it in a later step, or in a hook or `onExit` of this step"
                                    .to_string()
                            } else {
                                format!(
                                    "move this step to a group after the one that runs `{name}`"
                                )
                            };
                            out.push(
                                Diagnostic::new(
                                    &RULE,
                                    value_span(ctx, s, range),
                                    format!("step `{name}` has not finished here: {why}"),
                                )
                                .with_pointer(s.pointer())
                                .with_secondary(decl.span(), format!("`{name}` is defined here"))
                                .with_help(help),
                            );
                        });
                    }
                }
            }
        }
    }
}

/// Calls `found(scalar, step_name, range)` for each `steps.NAME` inside a tag of any string
/// under `node`.
fn scan<'a>(node: NodeRef<'a>, found: &mut impl FnMut(NodeRef<'a>, &'a str, (usize, usize))) {
    if let Some(text) = node.as_str() {
        let mut from = 0;
        while let Some(open) = text[from..].find("{{").map(|i| from + i) {
            let Some(close) = text[open..].find("}}").map(|i| open + i) else {
                break;
            };
            refs_in(text, open + 2, close, &mut |name, range| {
                found(node, name, range)
            });
            from = close + 2;
        }
        return;
    }
    for child in node.items() {
        scan(child, found);
    }
    for (_, child) in node.entries() {
        scan(child, found);
    }
}

/// `steps.NAME` and `steps['NAME']` / `steps["NAME"]` in `text[start..end]`.
fn refs_in<'a>(
    text: &'a str,
    start: usize,
    end: usize,
    found: &mut impl FnMut(&'a str, (usize, usize)),
) {
    let b = text.as_bytes();
    let mut i = start;
    while let Some(at) = text[i..end].find("steps").map(|k| i + k) {
        i = at + 5;
        let boundary = at == 0
            || !(b[at - 1].is_ascii_alphanumeric() || matches!(b[at - 1], b'_' | b'.' | b'-'));
        if !boundary || i >= end {
            continue;
        }
        let (name_start, quoted) = match b[i] {
            b'.' => (i + 1, None),
            b'[' if i + 1 < end && matches!(b[i + 1], b'\'' | b'"') => (i + 2, Some(b[i + 1])),
            _ => continue,
        };
        let mut j = name_start;
        match quoted {
            Some(q) => {
                while j < end && b[j] != q {
                    j += 1;
                }
            }
            None => {
                while j < end && (b[j].is_ascii_alphanumeric() || matches!(b[j], b'-' | b'_')) {
                    j += 1;
                }
            }
        }
        if j > name_start {
            found(&text[name_start..j], (name_start, j));
        }
        i = j;
    }
}
