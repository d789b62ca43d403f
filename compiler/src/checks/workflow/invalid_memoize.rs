//! AW864: memoization without a key or without a cache ConfigMap name.

use super::{at_key, has};
use crate::checks::CheckContext;
use crate::checks::names::syntax::dns_subdomain;
use crate::checks::scalar::literal_str;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;
use crate::model::view::View;
use crate::model::walk;

declare_rule! {
    /// ## What it does
    /// Checks a template's `memoize`: `key` is not empty, and `cache.configMap.name` is set and
    /// is a valid ConfigMap name (a DNS-1123 subdomain).
    ///
    /// Argo rule: none (§2.15: `memoize` is not checked).
    ///
    /// ## Why is this bad?
    /// With an empty key every run shares one cache entry; without a valid ConfigMap name the
    /// controller cannot store or read the cache and the node errors.
    ///
    /// ## Example
    /// ```yaml
    /// memoize:
    ///   key: ""
    ///   maxAge: 1h
    ///   cache:
    ///     configMap: {name: My_Cache}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// memoize:
    ///   key: "{{inputs.parameters.input}}"
    ///   maxAge: 1h
    ///   cache:
    ///     configMap: {name: my-cache}
    /// ```
    pub(crate) static RULE = ("AW864", "invalid-memoize", Error, "memoization without a key or a valid cache ConfigMap name");
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    let Some(spec) = obj.workflow_spec() else {
        return;
    };
    for site in walk::templates(spec) {
        let Some(m) = site.template.node().get("memoize").filter(|m| m.is_map()) else {
            continue;
        };
        // A missing `key` or `cache` is a missing required field (AW103).
        if let Some(k) = m
            .get("key")
            .filter(|k| k.as_str().is_some_and(|s| s.trim().is_empty()))
        {
            out.push(at_key(
                &RULE,
                k,
                "`memoize.key` is empty".into(),
                "derive the key from the inputs, e.g. `{{inputs.parameters.x}}`",
            ));
        }
        let Some(cm) = m
            .get("cache")
            .and_then(|c| c.get("configMap"))
            .filter(|c| c.is_map())
        else {
            continue;
        };
        match cm.get("name") {
            Some(n) if has(cm, "name") => {
                if let Some(Err(e)) = literal_str(n).map(dns_subdomain) {
                    out.push(
                        Diagnostic::new(
                            &RULE,
                            n.span(),
                            format!(
                                "cache ConfigMap name `{}` is invalid: {e}",
                                n.as_str().unwrap_or_default()
                            ),
                        )
                        .with_pointer(n.pointer())
                        .with_help("use lowercase letters, digits, `-` and `.`"),
                    );
                }
            }
            n => out.push(at_key(
                &RULE,
                n.unwrap_or(cm),
                "`memoize.cache.configMap` has no `name`".into(),
                "name the ConfigMap that stores the cache",
            )),
        }
    }
}
