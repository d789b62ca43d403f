//! Pure computation of the copies an owner wants: names from the template, Bosun's ownership
//! labels and annotations (plus rigger's labels for Plans), data and type from the source.
//! No I/O: unit-tested without a cluster.
//!
//! Ownership: the owner's UID is a label (`sync.bosun.dev/owner-uid`, 36 characters, fits the
//! 63-character label limit) so copies can be listed by owner server-side; the owner's
//! kind/namespace/name and the full source reference live in annotations, which have no length
//! limit. rigger's `src-name` label is shortened with a hash when the source name is over 63
//! characters.

use std::collections::{BTreeMap, HashMap};

use k8s_openapi::api::core::v1::Secret;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::api::SyncConflict;
use super::owner::{CopyStyle, SyncPlan};

/// Label on every copy: who manages it.
pub const MANAGED_BY_LABEL: &str = "app.kubernetes.io/managed-by";
/// Value of [`MANAGED_BY_LABEL`].
pub const MANAGED_BY: &str = "bosun-webhook";
/// Label: UID of the owning SecretSync or Plan.
pub const OWNER_UID_LABEL: &str = "sync.bosun.dev/owner-uid";
/// Annotation: `Kind/namespace/name` of the owner.
pub const OWNER_ANNOTATION: &str = "sync.bosun.dev/owner";
/// Annotation: `namespace/name` of the source Secret.
pub const SOURCE_ANNOTATION: &str = "sync.bosun.dev/source";
/// rigger's labels.
pub const RIGGER_CREATED_LABEL: &str = "created-by-rigger";
pub const RIGGER_SRC_NAMESPACE_LABEL: &str = "src-namespace";
pub const RIGGER_SRC_NAME_LABEL: &str = "src-name";
/// Never copied: holds the whole Secret, data included, when it was applied with kubectl.
pub const LAST_APPLIED_ANNOTATION: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// The desired state for one owner.
#[derive(Debug, Default)]
pub struct Desired {
    pub copies: Vec<Secret>,
    /// Sources that cannot be copied (invalid or duplicate destination names).
    pub problems: Vec<SyncConflict>,
}

/// Checks that a template only uses `{namespace}` and `{name}`.
pub fn validate_template(t: &str) -> Result<(), String> {
    let rest = t.replace("{namespace}", "").replace("{name}", "");
    if rest.contains('{') || rest.contains('}') {
        return Err(format!(
            "nameTemplate `{t}` may only use {{namespace}} and {{name}}"
        ));
    }
    if !t.contains("{name}") {
        return Err(format!("nameTemplate `{t}` must contain {{name}}"));
    }
    Ok(())
}

/// Renders a copy name and checks it is a valid Secret name (DNS subdomain, ≤ 253 characters).
pub fn copy_name(template: &str, namespace: &str, name: &str) -> Result<String, String> {
    let out = template
        .replace("{namespace}", namespace)
        .replace("{name}", name);
    let valid_chars = out
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.');
    let ends_ok = out.starts_with(|c: char| c.is_ascii_alphanumeric())
        && out.ends_with(|c: char| c.is_ascii_alphanumeric());
    if out.is_empty() || out.len() > 253 || !valid_chars || !ends_ok {
        return Err(format!("`{out}` is not a valid Secret name"));
    }
    Ok(out)
}

/// Splits a rigger copy name into (namespace, name) at the *first* dot: namespaces cannot
/// contain dots, Secret names can (rigger split at every dot).
pub fn split_copy_name(copy: &str) -> Option<(&str, &str)> {
    copy.split_once('.')
        .filter(|(ns, name)| !ns.is_empty() && !name.is_empty())
}

/// The source (`namespace/name`) whose copy `plan` names `dest_name` in `dest_namespace`, if
/// any: for the admission webhook, which treats a Secret a SecretSync or Plan will produce as
/// present and names the owner. `namespace_labels` returns a namespace's labels, or `None` when
/// the namespace does not exist. Whether the source Secret exists is left to the caller. With a
/// template lacking `{namespace}` the answer is `*/<name>` (any source namespace).
pub fn source_of(
    plan: &SyncPlan,
    dest_namespace: &str,
    dest_name: &str,
    namespace_labels: impl Fn(&str) -> Option<BTreeMap<String, String>>,
) -> Option<String> {
    if dest_namespace != plan.dest_namespace {
        return None;
    }
    for secret in &plan.secret_names {
        let partial = plan.name_template.replace("{name}", secret);
        let candidates: Vec<String> = match partial.find("{namespace}") {
            // Every source namespace maps to this one name (the first source wins).
            None if partial == dest_name => return Some(format!("*/{secret}")),
            None => Vec::new(),
            Some(start) if dest_name.len() > start && dest_name.starts_with(&partial[..start]) => {
                // A namespace is a DNS label (≤ 63 characters): try each length, verify by rendering.
                (1..=63.min(dest_name.len() - start))
                    .map(|len| dest_name[start..start + len].to_owned())
                    .collect()
            }
            Some(_) => Vec::new(),
        };
        for ns in candidates {
            if copy_name(&plan.name_template, &ns, secret).as_deref() != Ok(dest_name) {
                continue;
            }
            if let Some(labels) = namespace_labels(&ns)
                && super::owner::namespace_selected(
                    &plan.sources,
                    &plan.dest_namespace,
                    &ns,
                    &labels,
                )
            {
                return Some(format!("{ns}/{secret}"));
            }
        }
    }
    None
}

/// FNV-1a, enough to make shortened label values unique.
fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A valid label value for `v`: itself when it fits in 63 characters, otherwise a prefix plus a
/// hash (the full value is kept in the `sync.bosun.dev/source` annotation).
pub fn label_value(v: &str) -> String {
    if v.len() <= 63 {
        return v.to_owned();
    }
    let prefix: String = v.chars().take(46).collect();
    let prefix = prefix.trim_end_matches(|c: char| !c.is_ascii_alphanumeric());
    format!("{prefix}-{:016x}", fnv1a(v))
}

/// Builds the copies of `sources` (already filtered to this plan's namespaces and names).
pub fn desired_copies(plan: &SyncPlan, sources: &[&Secret]) -> Desired {
    let mut out = Desired::default();
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut sorted: Vec<&Secret> = sources.to_vec();
    sorted.sort_by(|a, b| {
        (&a.metadata.namespace, &a.metadata.name).cmp(&(&b.metadata.namespace, &b.metadata.name))
    });
    for src in sorted {
        let (Some(ns), Some(name)) = (
            src.metadata.namespace.as_deref(),
            src.metadata.name.as_deref(),
        ) else {
            continue;
        };
        let source = format!("{ns}/{name}");
        let conflict = |dest: &str, reason: &str| SyncConflict {
            namespace: plan.dest_namespace.clone(),
            name: dest.to_owned(),
            source: source.clone(),
            reason: reason.to_owned(),
        };
        let dest = match copy_name(&plan.name_template, ns, name) {
            Ok(d) => d,
            Err(_) => {
                out.problems.push(conflict(
                    &plan
                        .name_template
                        .replace("{namespace}", ns)
                        .replace("{name}", name),
                    "InvalidName",
                ));
                continue;
            }
        };
        if let Some(first) = seen.get(&dest) {
            let mut c = conflict(&dest, "DuplicateName");
            c.source = format!("{source} (also {first})");
            out.problems.push(c);
            continue;
        }
        seen.insert(dest.clone(), source.clone());
        out.copies.push(build_copy(plan, src, ns, name, dest));
    }
    out
}

fn build_copy(plan: &SyncPlan, src: &Secret, ns: &str, name: &str, dest: String) -> Secret {
    let mut labels = BTreeMap::new();
    let mut annotations = BTreeMap::new();
    if plan.copy_labels {
        labels.extend(src.metadata.labels.clone().unwrap_or_default());
    }
    if plan.copy_annotations {
        annotations.extend(
            src.metadata
                .annotations
                .clone()
                .unwrap_or_default()
                .into_iter()
                .filter(|(k, _)| k != LAST_APPLIED_ANNOTATION),
        );
    }
    labels.insert(MANAGED_BY_LABEL.to_owned(), MANAGED_BY.to_owned());
    labels.insert(OWNER_UID_LABEL.to_owned(), plan.owner.uid.clone());
    if plan.style == CopyStyle::Rigger {
        labels.insert(RIGGER_CREATED_LABEL.to_owned(), "true".to_owned());
        labels.insert(RIGGER_SRC_NAMESPACE_LABEL.to_owned(), label_value(ns));
        labels.insert(RIGGER_SRC_NAME_LABEL.to_owned(), label_value(name));
    }
    annotations.insert(OWNER_ANNOTATION.to_owned(), plan.owner.annotation());
    annotations.insert(SOURCE_ANNOTATION.to_owned(), format!("{ns}/{name}"));
    Secret {
        metadata: ObjectMeta {
            name: Some(dest),
            namespace: Some(plan.dest_namespace.clone()),
            labels: Some(labels),
            annotations: Some(annotations),
            ..ObjectMeta::default()
        },
        type_: src.type_.clone(),
        data: src.data.clone().filter(|d| !d.is_empty()),
        ..Secret::default()
    }
}

/// Whether `existing` differs from `desired` in anything Bosun controls: type, data (added,
/// changed or removed keys), `stringData` leftovers, and the labels/annotations it sets. Labels and
/// annotations added by others are left alone unless they are copied ones.
pub fn needs_update(existing: &Secret, desired: &Secret) -> bool {
    let norm_type = |t: &Option<String>| t.clone().unwrap_or_else(|| "Opaque".to_owned());
    let norm_data = |s: &Secret| s.data.clone().unwrap_or_default();
    let subset = |want: &Option<BTreeMap<String, String>>,
                  have: &Option<BTreeMap<String, String>>| {
        want.iter()
            .flatten()
            .all(|(k, v)| have.as_ref().and_then(|h| h.get(k)) == Some(v))
    };
    norm_type(&existing.type_) != norm_type(&desired.type_)
        || norm_data(existing) != norm_data(desired)
        || existing.string_data.as_ref().is_some_and(|s| !s.is_empty())
        || !subset(&desired.metadata.labels, &existing.metadata.labels)
        || !subset(
            &desired.metadata.annotations,
            &existing.metadata.annotations,
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::owner::{NamespaceFilter, OwnerId};
    use k8s_openapi::ByteString;

    fn plan(style: CopyStyle, template: &str) -> SyncPlan {
        SyncPlan {
            owner: OwnerId {
                kind: "SecretSync",
                namespace: "argo".into(),
                name: "s".into(),
                uid: "u-1".into(),
            },
            dest_namespace: "argo".into(),
            secret_names: vec!["creds".into()],
            sources: NamespaceFilter::default(),
            name_template: template.into(),
            style,
            copy_labels: true,
            copy_annotations: true,
        }
    }

    fn secret(ns: &str, name: &str) -> Secret {
        Secret {
            metadata: ObjectMeta {
                namespace: Some(ns.into()),
                name: Some(name.into()),
                labels: Some([("team".to_owned(), "a".to_owned())].into()),
                annotations: Some(
                    [
                        (LAST_APPLIED_ANNOTATION.to_owned(), "{...}".to_owned()),
                        ("note".to_owned(), "x".to_owned()),
                    ]
                    .into(),
                ),
                ..ObjectMeta::default()
            },
            type_: Some("Opaque".into()),
            data: Some([("k".to_owned(), ByteString(b"v".to_vec()))].into()),
            ..Secret::default()
        }
    }

    #[test]
    fn copies_are_named_labelled_and_never_carry_last_applied() {
        let (a, b) = (secret("team-a", "creds"), secret("team-b", "creds"));
        let d = desired_copies(&plan(CopyStyle::Bosun, DEFAULT), &[&b, &a]);
        assert!(d.problems.is_empty());
        let names: Vec<_> = d
            .copies
            .iter()
            .map(|c| c.metadata.name.clone().unwrap())
            .collect();
        assert_eq!(names, ["team-a.creds", "team-b.creds"]);
        let c = &d.copies[0];
        let labels = c.metadata.labels.as_ref().unwrap();
        assert_eq!(labels[OWNER_UID_LABEL], "u-1");
        assert_eq!(labels["team"], "a");
        let ann = c.metadata.annotations.as_ref().unwrap();
        assert!(!ann.contains_key(LAST_APPLIED_ANNOTATION));
        assert_eq!(ann[SOURCE_ANNOTATION], "team-a/creds");
        assert_eq!(ann[OWNER_ANNOTATION], "SecretSync/argo/s");
    }
    const DEFAULT: &str = crate::sync::api::DEFAULT_NAME_TEMPLATE;

    #[test]
    fn rigger_labels_are_shortened_past_63_characters() {
        let long = format!("a.{}", "b".repeat(80));
        let d = desired_copies(&plan(CopyStyle::Rigger, DEFAULT), &[&secret("ns", &long)]);
        let labels = d.copies[0].metadata.labels.as_ref().unwrap();
        assert_eq!(labels[RIGGER_CREATED_LABEL], "true");
        assert!(labels[RIGGER_SRC_NAME_LABEL].len() <= 63);
        assert_ne!(labels[RIGGER_SRC_NAME_LABEL], label_value("a.other"));
        assert_eq!(
            d.copies[0].metadata.annotations.as_ref().unwrap()[SOURCE_ANNOTATION],
            format!("ns/{long}")
        );
    }

    #[test]
    fn names_split_at_the_first_dot_only() {
        assert_eq!(
            split_copy_name("team-a.db.creds"),
            Some(("team-a", "db.creds"))
        );
        assert_eq!(split_copy_name("nodot"), None);
    }

    #[test]
    fn duplicate_and_invalid_destination_names_are_problems() {
        let d = desired_copies(
            &plan(CopyStyle::Bosun, "{name}"),
            &[&secret("a", "creds"), &secret("b", "creds")],
        );
        assert_eq!(d.copies.len(), 1);
        assert_eq!(d.problems[0].reason, "DuplicateName");
        let long_ns = "n".repeat(63);
        let d = desired_copies(
            &plan(CopyStyle::Bosun, DEFAULT),
            &[&secret(&long_ns, &"x".repeat(200))],
        );
        assert_eq!(d.problems[0].reason, "InvalidName");
        assert!(validate_template("{namespace}-{nam}").is_err());
        assert!(validate_template("{namespace}").is_err());
    }

    #[test]
    fn source_of_inverts_the_template_for_admission() {
        let p = plan(CopyStyle::Bosun, DEFAULT);
        let labels = |ns: &str| (ns != "missing").then(BTreeMap::new);
        assert_eq!(
            source_of(&p, "argo", "team-a.creds", labels),
            Some("team-a/creds".to_owned())
        );
        assert_eq!(source_of(&p, "argo", "missing.creds", labels), None);
        assert_eq!(source_of(&p, "other", "team-a.creds", labels), None);
        assert_eq!(source_of(&p, "argo", "team-a.token", labels), None);
        let p = plan(CopyStyle::Bosun, "{name}-from-{namespace}");
        assert_eq!(
            source_of(&p, "argo", "creds-from-team-b", labels),
            Some("team-b/creds".to_owned())
        );
    }

    #[test]
    fn removed_keys_and_type_changes_need_an_update() {
        let d = desired_copies(&plan(CopyStyle::Bosun, DEFAULT), &[&secret("a", "creds")])
            .copies
            .remove(0);
        let mut e = d.clone();
        assert!(!needs_update(&e, &d));
        e.data
            .as_mut()
            .unwrap()
            .insert("extra".into(), ByteString(vec![1]));
        assert!(needs_update(&e, &d));
        let mut e = d.clone();
        e.type_ = Some("kubernetes.io/tls".into());
        assert!(needs_update(&e, &d));
        let mut e = d.clone();
        e.metadata
            .labels
            .as_mut()
            .unwrap()
            .insert("added-by-human".into(), "x".into());
        assert!(!needs_update(&e, &d));
    }
}
