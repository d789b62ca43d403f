//! AW811: a number outside the range its field allows.

use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;
use crate::model::view::View;
use crate::model::walk;
use crate::parse::NodeRef;

declare_rule! {
    /// ## What it does
    /// Checks numeric fields against the ranges Argo and Kubernetes accept. Integers written as
    /// strings (`"3"`) are read as numbers; template tags are skipped.
    ///
    /// | Field | Range |
    /// |---|---|
    /// | `activeDeadlineSeconds` (workflow and template) | ≥ 0 |
    /// | `parallelism` (workflow and template) | ≥ 1 |
    /// | `retryStrategy.limit` (workflow and template) | ≥ 0 |
    /// | `containerSet.retryStrategy.retries` | ≥ 0 |
    /// | `ttlStrategy.secondsAfter*` | ≥ 0 |
    /// | `http.timeoutSeconds` | ≥ 0 |
    /// | artifact `mode` | 0–511 (`0777`) |
    ///
    /// Argo rule: ARGO-TMPL-008 (template `activeDeadlineSeconds`); the others are CRD limits
    /// that `argo lint` does not check (§2.15, §2.16).
    ///
    /// ## Why is this bad?
    /// Argo rejects a negative template deadline; the API server rejects the other values when
    /// the full CRDs are installed, and otherwise they misbehave at runtime (a negative retry
    /// limit never retries, a negative TTL deletes the workflow at once).
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   parallelism: 0
    ///   templates:
    ///     - name: main
    ///       activeDeadlineSeconds: -1
    ///       container: {image: alpine}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// spec:
    ///   parallelism: 1
    ///   templates:
    ///     - name: main
    ///       activeDeadlineSeconds: 300
    ///       container: {image: alpine}
    /// ```
    pub(crate) static RULE = ("AW811", "out-of-range-value", Error, "a number outside the range its field allows");
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    let Some(spec) = obj.workflow_spec() else {
        return;
    };
    let s = spec.node();
    let mut bounded: Vec<(Option<NodeRef<'_>>, i64, i64)> = vec![
        (s.get("activeDeadlineSeconds"), 0, i64::MAX),
        (s.get("parallelism"), 1, i64::MAX),
        (path(s, &["retryStrategy", "limit"]), 0, i64::MAX),
    ];
    for key in [
        "secondsAfterCompletion",
        "secondsAfterSuccess",
        "secondsAfterFailure",
    ] {
        bounded.push((path(s, &["ttlStrategy", key]), 0, i64::MAX));
    }
    for site in walk::templates(spec) {
        let t = site.template.node();
        bounded.push((t.get("activeDeadlineSeconds"), 0, i64::MAX));
        bounded.push((t.get("parallelism"), 1, i64::MAX));
        bounded.push((path(t, &["retryStrategy", "limit"]), 0, i64::MAX));
        bounded.push((
            path(t, &["containerSet", "retryStrategy", "retries"]),
            0,
            i64::MAX,
        ));
        bounded.push((path(t, &["http", "timeoutSeconds"]), 0, i64::MAX));
        for io in ["inputs", "outputs"] {
            for a in path(t, &[io, "artifacts"])
                .into_iter()
                .flat_map(|a| a.items().collect::<Vec<_>>())
            {
                bounded.push((a.get("mode"), 0, 0o777));
            }
        }
    }
    for (node, min, max) in bounded {
        let Some(node) = node else { continue };
        let Some(value) = integer(node) else { continue };
        if (min..=max).contains(&value) {
            continue;
        }
        let field = node.parent_entry().map_or("value", |e| &*e.key);
        let expected = if max == i64::MAX {
            format!("at least {min}")
        } else {
            format!("between {min} and {max}")
        };
        out.push(
            Diagnostic::new(&RULE, node.span(), format!("`{field}` must be {expected}"))
                .with_label(format!("{value} is out of range"))
                .with_pointer(node.pointer())
                .with_help(help(field, min)),
        );
    }
}

fn path<'a>(node: NodeRef<'a>, keys: &[&str]) -> Option<NodeRef<'a>> {
    keys.iter().try_fold(node, |n, k| n.get(k))
}

/// An integer, or a string holding one (Argo reads `IntOrString` values with `strconv.Atoi`).
fn integer(node: NodeRef<'_>) -> Option<i64> {
    node.as_i64()
        .or_else(|| node.as_str().and_then(|s| s.trim().parse().ok()))
}

fn help(field: &str, min: i64) -> String {
    match field {
        "mode" => "write the mode in octal, e.g. `0755` (at most `0777`)".to_string(),
        "parallelism" => "use 1 or more; remove the field for no limit".to_string(),
        _ => format!("use {min} or more"),
    }
}
