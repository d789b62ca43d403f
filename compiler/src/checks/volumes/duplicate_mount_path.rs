//! AW803: two volume mounts at the same path in one container.

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
    /// Reports two `volumeMounts` with the same `mountPath` in one container. For a
    /// `containerSet`, the set's own `volumeMounts` are mounted into every container and count
    /// as that container's mounts.
    ///
    /// Argo rule: ARGO-LEAF-001, ARGO-LEAF-006 (extended to scripts, init containers and
    /// sidecars).
    ///
    /// ## Why is this bad?
    /// Kubernetes rejects the pod (`mountPath: Invalid value: "/src": must be unique`).
    ///
    /// ## Example
    /// ```yaml
    /// container:
    ///   image: alpine
    ///   volumeMounts:
    ///     - {name: src, mountPath: /src}
    ///     - {name: cache, mountPath: /src}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// container:
    ///   image: alpine
    ///   volumeMounts:
    ///     - {name: src, mountPath: /src}
    ///     - {name: cache, mountPath: /cache}
    /// ```
    pub(crate) static RULE = ("AW803", "duplicate-mount-path", Error, "two volume mounts at the same path in one container");
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    let Some(spec) = obj.workflow_spec() else {
        return;
    };
    for site in walk::templates(spec) {
        let t = site.template.node();
        let set_mounts: Vec<NodeRef<'_>> = t
            .get("containerSet")
            .and_then(|s| s.get("volumeMounts"))
            .map(|m| m.items().collect())
            .unwrap_or_default();
        report(&set_mounts, "`containerSet`", out);
        for c in containers(site.template) {
            let mut mounts = c.list("volumeMounts");
            if c.role == Role::SetMember {
                let mut all = set_mounts.clone();
                all.append(&mut mounts);
                report_new(&all, set_mounts.len(), &c.describe(), out);
            } else {
                report(&mounts, &c.describe(), out);
            }
        }
    }
}

fn report(mounts: &[NodeRef<'_>], owner: &str, out: &mut Vec<Diagnostic>) {
    report_new(mounts, 0, owner, out);
}

/// Reports duplicates among `mounts` whose later occurrence is at index `from` or beyond.
fn report_new(mounts: &[NodeRef<'_>], from: usize, owner: &str, out: &mut Vec<Diagnostic>) {
    fn path<'a>(m: &NodeRef<'a>) -> Option<NodeRef<'a>> {
        m.get("mountPath")
    }
    for (i, mount) in mounts.iter().enumerate().skip(from) {
        let Some(node) = path(mount) else { continue };
        let Some(p) = literal_str(node) else { continue };
        let Some(first) = mounts[..i]
            .iter()
            .filter_map(path)
            .find(|n| n.as_str() == Some(p))
        else {
            continue;
        };
        out.push(
            Diagnostic::new(
                &RULE,
                node.span(),
                format!("`{p}` is mounted twice in {owner}"),
            )
            .with_pointer(node.pointer())
            .with_secondary(first.span(), "first mounted here")
            .with_help("mount each volume at its own path"),
        );
    }
}
