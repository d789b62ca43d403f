//! AW804: an input artifact path that is also a volume mount path, or another artifact's path.

use crate::checks::CheckContext;
use crate::checks::pod::{Role, containers};
use crate::checks::scalar::literal_str;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;
use crate::model::view::View;
use crate::model::walk;
use crate::parse::NodeRef;

declare_rule! {
    /// ## What it does
    /// In a `container` or `script` template, reports an input artifact whose `path` is the
    /// `mountPath` of a volume mount of the main container, or the `path` of another input
    /// artifact.
    ///
    /// Argo rule: ARGO-LEAF-002 (extended to script templates).
    ///
    /// ## Why is this bad?
    /// Input artifacts are mounted into the main container at their path; two mounts at one path
    /// make Kubernetes reject the pod. Argo rejects it for container templates.
    ///
    /// ## Example
    /// ```yaml
    /// inputs:
    ///   artifacts:
    ///     - name: source
    ///       path: /src
    /// container:
    ///   image: alpine
    ///   volumeMounts:
    ///     - {name: workdir, mountPath: /src}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// inputs:
    ///   artifacts:
    ///     - name: source
    ///       path: /src/input
    /// container:
    ///   image: alpine
    ///   volumeMounts:
    ///     - {name: workdir, mountPath: /src}
    /// ```
    pub(crate) static RULE = ("AW804", "artifact-path-collides-with-mount", Error, "an input artifact path already used by a mount or another artifact");
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    let Some(spec) = obj.workflow_spec() else {
        return;
    };
    for site in walk::templates(spec) {
        let Some(main) = containers(site.template)
            .into_iter()
            .find(|c| c.role == Role::Main)
        else {
            continue;
        };
        let mounts: Vec<NodeRef<'_>> = main
            .list("volumeMounts")
            .into_iter()
            .filter_map(|m| m.get("mountPath"))
            .collect();
        let artifacts: Vec<(NodeRef<'_>, NodeRef<'_>)> = site
            .template
            .inputs()
            .and_then(|i| i.artifacts())
            .map(|a| {
                a.iter()
                    .filter_map(|a| Some((a.node(), a.path()?)))
                    .collect()
            })
            .unwrap_or_default();
        for (i, (_, path)) in artifacts.iter().enumerate() {
            let Some(p) = literal_str(*path) else {
                continue;
            };
            let mount = mounts.iter().find(|m| m.as_str() == Some(p));
            let earlier = artifacts[..i].iter().find(|(_, q)| q.as_str() == Some(p));
            let (other, what) = match (mount, earlier) {
                (Some(m), _) => (*m, "volume mounted here"),
                (None, Some((_, q))) => (*q, "artifact placed here"),
                (None, None) => continue,
            };
            out.push(
                Diagnostic::new(
                    &RULE,
                    path.span(),
                    format!("input artifact path `{p}` is already mounted"),
                )
                .with_pointer(path.pointer())
                .with_secondary(other.span(), what)
                .with_help("place the artifact at a path of its own"),
            );
        }
    }
}
