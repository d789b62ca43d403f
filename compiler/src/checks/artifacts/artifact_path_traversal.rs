//! AW853: an artifact path that climbs out of its directory with `..`.

use super::{artifacts, singular};
use crate::checks::CheckContext;
use crate::checks::scalar::substitute_tags;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;
use crate::model::walk;

declare_rule! {
    /// ## What it does
    /// Reports an input or output artifact `path` in which a `..` segment leaves the directory
    /// written before it (`/tmp/safe/../x`, `/work/../../etc`), the way Argo's `CleanPath`
    /// decides it: the path is cleaned lexically and must still start with the part before the
    /// first `/../`. Template tags count as one plain segment.
    ///
    /// Argo rule: ARGO-IN-002 (and the `..` part of ARGO-OUT-003).
    ///
    /// ## Why is this bad?
    /// Argo refuses directory traversal in artifact paths: `Artifact 'A' attempted to use a
    /// path containing '..'. Directory traversal is not permitted`.
    ///
    /// ## Example
    /// ```yaml
    /// inputs:
    ///   artifacts:
    ///     - name: config
    ///       path: /work/../etc/app.conf
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// inputs:
    ///   artifacts:
    ///     - name: config
    ///       path: /etc/app.conf
    /// ```
    pub(crate) static RULE = ("AW853", "artifact-path-traversal", Error, "an artifact path that leaves its directory with `..`");
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    let Some(spec) = obj.workflow_spec() else {
        return;
    };
    for site in walk::templates(spec) {
        for (io, a) in artifacts(&site.template) {
            let Some(path) = a.path() else { continue };
            let Some(text) = path.as_str() else { continue };
            if !escapes(&substitute_tags(text, "x")) {
                continue;
            }
            let name = a.name().and_then(|n| n.as_str()).unwrap_or_default();
            out.push(
                Diagnostic::new(
                    &RULE,
                    path.span(),
                    format!(
                        "{} artifact `{name}` uses `..` to leave its directory",
                        singular(io)
                    ),
                )
                .with_pointer(path.pointer())
                .with_help("write the path without `..` segments"),
            );
        }
    }
}

/// Argo's `Artifact.CleanPath` test: the safe directory is what precedes the first `/../` (or a
/// final `/..`); the cleaned path must start with it.
fn escapes(path: &str) -> bool {
    let safe = match path.find("/../") {
        Some(i) => &path[..i],
        None => match path.strip_suffix("/..") {
            Some(s) => s,
            None => return false,
        },
    };
    !safe.is_empty() && !clean(path).starts_with(safe)
}

/// Go's `filepath.Clean` (Unix): lexical processing of `.`, `..` and repeated slashes.
fn clean(path: &str) -> String {
    if path.is_empty() {
        return ".".into();
    }
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => match parts.last() {
                Some(&p) if p != ".." => {
                    parts.pop();
                }
                _ if rooted => {}
                _ => parts.push(".."),
            },
            s => parts.push(s),
        }
    }
    let body = parts.join("/");
    match (rooted, body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => ".".into(),
        (false, false) => body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_matches_go() {
        for (input, want) in [
            ("/a/../../etc", "/etc"),
            ("/tmp/safe/../x", "/tmp/x"),
            ("a/./b//c/", "a/b/c"),
            ("../a", "../a"),
            ("/..", "/"),
            ("", "."),
            ("a/..", "."),
        ] {
            assert_eq!(clean(input), want, "{input}");
        }
    }

    #[test]
    fn escapes_like_clean_path() {
        assert!(escapes("/tmp/safe/../x"));
        assert!(escapes("/a/../../etc"));
        assert!(escapes("/a/b/.."));
        assert!(!escapes("/tmp/a..b/c"));
        assert!(!escapes("/tmp/x"));
        // Argo compares strings: `/a/bc` starts with `/a/b`.
        assert!(!escapes("/a/b/../bc"));
    }
}
