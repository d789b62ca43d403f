//! AW852: an HDFS artifact location that misses what Argo requires.

use super::filled;
use crate::checks::CheckContext;
use crate::checks::scalar::literal_str;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;
use crate::model::view::View;
use crate::model::walk;
use crate::parse::NodeRef;

declare_rule! {
    /// ## What it does
    /// Checks the `hdfs` location of input artifacts and of `archiveLocation` like Argo does:
    /// `addresses` is required, `path` is required and absolute, one of `hdfsUser`,
    /// `krbCCacheSecret` or `krbKeytabSecret` is required, `krbKeytabSecret` needs
    /// `krbServicePrincipalName`, `krbConfigConfigMap`, `krbUsername` and `krbRealm`, and
    /// `krbCCacheSecret` needs `krbServicePrincipalName` and `krbConfigConfigMap`. Every problem
    /// is reported, not only the first. (A `git` location without `repo` is a missing required
    /// field.)
    ///
    /// Argo rule: ARGO-ART-002, ARGO-TMPL-010 (HDFS part).
    ///
    /// ## Why is this bad?
    /// Argo rejects the workflow (`hdfs.addresses is required`, `hdfs.path must be a absolute
    /// file path`, …): without them the executor cannot reach the file system or log in.
    ///
    /// ## Example
    /// ```yaml
    /// hdfs:
    ///   path: data/input
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// hdfs:
    ///   addresses: [namenode:8020]
    ///   path: /data/input
    ///   hdfsUser: root
    /// ```
    pub(crate) static RULE = ("AW852", "invalid-hdfs-location", Error, "an HDFS artifact location without what Argo requires");
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    let Some(spec) = obj.workflow_spec() else {
        return;
    };
    for site in walk::templates(spec) {
        let t = site.template;
        let inputs = t.inputs().and_then(|i| i.artifacts());
        for a in crate::scope::items(inputs) {
            if let Some(h) = a.node().get("hdfs").filter(|h| h.is_map()) {
                hdfs(h, out);
            }
        }
        let archive = t.node().get("archiveLocation");
        if let Some(h) = archive.and_then(|a| a.get("hdfs")).filter(|h| h.is_map()) {
            hdfs(h, out);
        }
    }
}

fn hdfs(h: NodeRef<'_>, out: &mut Vec<Diagnostic>) {
    let report = |out: &mut Vec<Diagnostic>, at: NodeRef<'_>, message: String, help: &str| {
        out.push(
            Diagnostic::new(&RULE, at.key_span(), message)
                .with_pointer(at.pointer())
                .with_help(help.to_string()),
        );
    };
    let has = |k: &str| filled(h.get(k));
    if !has("addresses") {
        report(
            out,
            h.get("addresses").unwrap_or(h),
            "`hdfs.addresses` is required".into(),
            "list the name nodes, e.g. `addresses: [namenode:8020]`",
        );
    }
    match h.get("path") {
        Some(p) if filled(Some(p)) => {
            if literal_str(p).is_some_and(|s| !s.starts_with('/')) {
                out.push(
                    Diagnostic::new(&RULE, p.span(), "`hdfs.path` must be an absolute path")
                        .with_pointer(p.pointer())
                        .with_help("start the path with `/`"),
                );
            }
        }
        p => report(
            out,
            p.unwrap_or(h),
            "`hdfs.path` is required".into(),
            "set the absolute path of the file or directory in HDFS",
        ),
    }
    let keytab = has("krbKeytabSecret");
    let ccache = has("krbCCacheSecret");
    if !has("hdfsUser") && !keytab && !ccache {
        report(
            out,
            h,
            "`hdfs` needs one of `hdfsUser`, `krbCCacheSecret` or `krbKeytabSecret`".into(),
            "set `hdfsUser`, or configure Kerberos",
        );
    }
    let needs: &[(&str, bool, &[&str])] = &[
        (
            "krbKeytabSecret",
            keytab,
            &[
                "krbServicePrincipalName",
                "krbConfigConfigMap",
                "krbUsername",
                "krbRealm",
            ],
        ),
        (
            "krbCCacheSecret",
            ccache,
            &["krbServicePrincipalName", "krbConfigConfigMap"],
        ),
    ];
    for (secret, set, required) in needs {
        if !set {
            continue;
        }
        let missing: Vec<String> = required
            .iter()
            .filter(|k| !has(k))
            .map(|k| format!("`{k}`"))
            .collect();
        if let (false, Some(at)) = (missing.is_empty(), h.get(secret)) {
            report(
                out,
                at,
                format!("`{secret}` also needs {}", missing.join(", ")),
                "set the Kerberos fields that go with the secret",
            );
        }
    }
}
