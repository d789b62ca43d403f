//! AW815: a containerSet dependency that names no container of the set.

use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;
use crate::suggest::did_you_mean;

declare_rule! {
    /// ## What it does
    /// Reports a name in a containerSet container's `dependencies` that is not the name of a
    /// container of the same set.
    ///
    /// Argo rule: ARGO-LEAF-007.
    ///
    /// ## Why is this bad?
    /// The container would wait for something that never runs. Argo rejects the workflow:
    /// `containerSet.containers.b dependency 'c' not defined`.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - {name: build, image: golang:1.23}
    ///   - {name: main, image: alpine:3.20, dependencies: [biuld]}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///   - {name: main, image: alpine:3.20, dependencies: [build]}
    /// ```
    pub(crate) static RULE = ("AW815", "undefined-container-dependency", Error, "a containerSet dependency that names no container");
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    for set in super::sets(obj) {
        let names: Vec<&str> = set.containers.iter().filter_map(|(n, _)| *n).collect();
        for i in 0..set.containers.len() {
            let me = set.containers[i].0.unwrap_or("?");
            for (dep, node) in set.dependencies(i) {
                if set.index(dep).is_some() {
                    continue;
                }
                let d = Diagnostic::new(
                    &RULE,
                    node.span(),
                    format!(
                        "container `{me}` depends on `{dep}`, which is not in the containerSet"
                    ),
                )
                .with_pointer(node.pointer());
                out.push(match did_you_mean(dep, names.iter().copied()) {
                    Some(s) => d.with_help(format!("did you mean `{s}`?")),
                    None => d.with_help("name a container of the same containerSet"),
                });
            }
        }
    }
}
