//! AW202: an object name or `generateName` prefix that is not a DNS-1123 subdomain.

use super::Input;
use super::syntax::dns_subdomain;
use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;

declare_rule! {
    /// ## What it does
    /// Reports a `metadata.name` that is not a DNS-1123 subdomain (lowercase letters, digits,
    /// `-` and `.`, starting and ending with a letter or digit), and a `generateName` prefix
    /// that cannot start such a name.
    ///
    /// Argo rule: none (Argo does not check name syntax, see §2.1); the Kubernetes API server
    /// does.
    ///
    /// ## Why is this bad?
    /// `kubectl apply` and `argo submit` are refused by the API server, after `argo lint`
    /// said the manifest was fine.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   name: Build_Images
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// metadata:
    ///   name: build-images
    /// ```
    pub(crate) static RULE = ("AW202", "invalid-object-name", Error, "an object name that Kubernetes rejects");
}

pub(super) fn check(_ctx: &CheckContext<'_>, obj: &Input<'_>, out: &mut Vec<Diagnostic>) {
    let Some(meta) = obj.root.get("metadata") else {
        return;
    };
    let name = meta.get("name").and_then(|n| Some((n, n.as_str()?)));
    if let Some((node, Err(why))) = name.map(|(n, s)| (n, dns_subdomain(s))) {
        let name = node.as_str().unwrap_or_default();
        out.push(
            Diagnostic::new(
                &RULE,
                node.span(),
                format!("name `{name}` is not a valid Kubernetes object name: {why}"),
            )
            .with_pointer(node.pointer())
            .with_help(suggestion(name)),
        );
    }
    generate_name(meta, out);
}

fn generate_name(meta: crate::parse::NodeRef<'_>, out: &mut Vec<Diagnostic>) {
    let Some((node, prefix)) = meta
        .get("generateName")
        .and_then(|n| Some((n, n.as_str()?)))
    else {
        return;
    };
    // The random suffix makes a trailing `-` or `.` fine.
    if let Err(why) = dns_subdomain(&format!("{prefix}x")) {
        out.push(
            Diagnostic::new(
                &RULE,
                node.span(),
                format!(
                    "`generateName` `{prefix}` cannot start a valid Kubernetes object name: {why}"
                ),
            )
            .with_pointer(node.pointer())
            .with_help(suggestion(prefix)),
        );
    }
}

fn suggestion(name: &str) -> String {
    let fixed: String = name
        .chars()
        .map(|c| match c {
            'A'..='Z' => c.to_ascii_lowercase(),
            'a'..='z' | '0'..='9' | '-' | '.' => c,
            _ => '-',
        })
        .collect();
    let fixed = fixed.trim_start_matches(['-', '.']);
    if !fixed.is_empty() && fixed != name {
        format!("use lowercase letters, digits, `-` and `.`, e.g. `{fixed}`")
    } else {
        "use lowercase letters, digits, `-` and `.`".to_string()
    }
}
