//! BP003: an image with `:latest` or no tag, when the policy forbids them.

use crate::checks::CheckContext;
use crate::checks::pod::containers;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;
use crate::model::walk;

declare_rule! {
    /// ## What it does
    /// Opt-in (policy `require.noLatestTag: true`). Reports a container image (main container or
    /// script, containerSet containers, init containers, sidecars) whose tag is `latest` or that
    /// has no tag. Digests (`@sha256:…`) and templated images (`{{…}}`) are accepted.
    ///
    /// ## Why is this bad?
    /// `latest` changes under the workflow: a rerun, a retry or the next cron run may execute
    /// different code than the run that was reviewed, and a failure cannot be reproduced.
    ///
    /// ## Example
    /// ```yaml
    /// container:
    ///   image: python
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// container:
    ///   image: python:3.12-slim
    /// ```
    pub(crate) static RULE = ("BP003", "unpinned-image", Error, "an image uses `:latest` or no tag");
}

/// Whether the image reference has no tag or the tag `latest` (digests and templates pass).
pub(crate) fn untagged_or_latest(image: &str) -> bool {
    if image.contains('@') || image.contains("{{") {
        return false;
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.rsplit_once(':') {
        None => true,
        Some((_, tag)) => tag == "latest",
    }
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    let Some(spec) = obj.workflow_spec() else {
        return;
    };
    for site in walk::templates(spec) {
        for c in containers(site.template) {
            let Some(node) = c.node.get("image") else {
                continue;
            };
            let Some(image) = node.as_str().filter(|i| untagged_or_latest(i)) else {
                continue;
            };
            out.push(
                Diagnostic::new(
                    &RULE,
                    node.span(),
                    format!("image `{image}` uses `:latest` or no tag"),
                )
                .with_pointer(node.pointer())
                .with_help("pin a version tag or a digest"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::untagged_or_latest;

    #[test]
    fn latest_and_untagged_images_are_flagged() {
        assert!(untagged_or_latest("alpine"));
        assert!(untagged_or_latest("ghcr.io/a/b:latest"));
        assert!(untagged_or_latest("localhost:5000/a"));
        assert!(!untagged_or_latest("localhost:5000/a:1.2"));
        assert!(!untagged_or_latest("a@sha256:abc"));
        assert!(!untagged_or_latest("{{inputs.parameters.image}}"));
    }
}
