//! Least-privilege RBAC derived from one list: [`API_ACCESS`], every (group, resource, verbs)
//! the code uses, with where it uses them. The ClusterRoles and the Role are built from it, and
//! `webhook/tests/manifests.rs` runs the watches and the syncer against the fake API server and
//! checks that every request they make is in this list (and the chart's templates grant the
//! same rules).
//!
//! RBAC cannot grant "metadata only": `list`/`watch` on Secrets lets the holder read their data
//! although Bosun's admission watches request metadata only (`PartialObjectMetadata`).

use k8s_openapi::api::rbac::v1::PolicyRule;

/// Who needs a permission.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Feature {
    /// `serve` (admission caches); always granted.
    Admission,
    /// The Secret syncer (`serve --sync` or `sync`); granted with `sync.enabled`.
    Sync,
}

/// Where a permission applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Every namespace (ClusterRole + ClusterRoleBinding).
    Cluster,
    /// Bosun's own namespace only (Role + RoleBinding).
    OwnNamespace,
}

/// One permission the code needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Access {
    pub feature: Feature,
    pub scope: Scope,
    pub group: &'static str,
    /// Resource, or `resource/subresource`.
    pub resource: &'static str,
    pub verbs: &'static [&'static str],
    /// Restricts `get`/`update` to these names (`create` cannot be restricted by name).
    pub resource_names: &'static [&'static str],
    /// Where the code makes the calls.
    pub used_by: &'static str,
}

const fn access(
    feature: Feature,
    group: &'static str,
    resource: &'static str,
    verbs: &'static [&'static str],
    used_by: &'static str,
) -> Access {
    Access {
        feature,
        scope: Scope::Cluster,
        group,
        resource,
        verbs,
        resource_names: &[],
        used_by,
    }
}

/// Default Lease name of the syncer (`--lease-name`, `BOSUN_LEASE_NAME`).
pub const LEASE_NAME: &str = "bosun-webhook-sync";

/// Every API permission `bosun-webhook serve [--sync]` uses.
pub const API_ACCESS: &[Access] = &[
    access(
        Feature::Admission,
        "argoproj.io",
        "workflowtemplates",
        &["list", "watch"],
        "cluster/watch.rs templates()",
    ),
    access(
        Feature::Admission,
        "argoproj.io",
        "clusterworkflowtemplates",
        &["list", "watch"],
        "cluster/watch.rs cluster_templates()",
    ),
    access(
        Feature::Admission,
        "",
        "configmaps",
        &["list", "watch"],
        "cluster/watch.rs names::<ConfigMap>() (metadata only)",
    ),
    access(
        Feature::Admission,
        "",
        "serviceaccounts",
        &["list", "watch"],
        "cluster/watch.rs names::<ServiceAccount>() (metadata only)",
    ),
    access(
        Feature::Admission,
        "",
        "namespaces",
        &["list", "watch"],
        "cluster/watch.rs namespaces(); sync/controller.rs namespace reflector (metadata only)",
    ),
    access(
        Feature::Admission,
        "",
        "secrets",
        &["list", "watch"],
        "cluster/watch.rs names::<Secret>() (metadata only); sync: copy reflector, source watches",
    ),
    access(
        Feature::Admission,
        "bosun.dev",
        "secretsyncs",
        &["list", "watch"],
        "cluster/watch.rs owners::<SecretSync>(); sync/controller.rs Controller",
    ),
    access(
        Feature::Admission,
        "rigger.k8s.wantedly.com",
        "plans",
        &["list", "watch"],
        "cluster/watch.rs owners::<Plan>(); sync/controller.rs Controller",
    ),
    access(
        Feature::Sync,
        "",
        "secrets",
        &["get", "create", "update", "delete"],
        "sync/write.rs write_copy() (create, get after a 409, guarded replace), delete_copy()",
    ),
    access(
        Feature::Sync,
        "bosun.dev",
        "secretsyncs",
        &["patch"],
        "sync/controller.rs set_finalizers() (merge patch of metadata.finalizers)",
    ),
    access(
        Feature::Sync,
        "bosun.dev",
        "secretsyncs/status",
        &["patch"],
        "sync/status.rs write() (server-side apply of status)",
    ),
    access(
        Feature::Sync,
        "rigger.k8s.wantedly.com",
        "plans",
        &["patch"],
        "sync/controller.rs set_finalizers()",
    ),
    access(
        Feature::Sync,
        "rigger.k8s.wantedly.com",
        "plans/status",
        &["patch"],
        "sync/status.rs write()",
    ),
    access(
        Feature::Sync,
        "events.k8s.io",
        "events",
        &["create", "patch"],
        "sync/status.rs warn_event() (kube Recorder: create, patch for a repeated event)",
    ),
    Access {
        feature: Feature::Sync,
        scope: Scope::OwnNamespace,
        group: "coordination.k8s.io",
        resource: "leases",
        verbs: &["create"],
        resource_names: &[],
        used_by: "sync/leader.rs (first acquisition)",
    },
    Access {
        feature: Feature::Sync,
        scope: Scope::OwnNamespace,
        group: "coordination.k8s.io",
        resource: "leases",
        verbs: &["get", "update"],
        resource_names: &[LEASE_NAME],
        used_by: "sync/leader.rs (renew, take over, release); sync/mod.rs probe()",
    },
];

/// The permissions of one feature and scope, in [`API_ACCESS`] order.
pub fn granted(feature: Feature, scope: Scope) -> Vec<Access> {
    API_ACCESS
        .iter()
        .filter(|a| a.scope == scope && a.feature == feature)
        .copied()
        .collect()
}

/// Rules for [`granted`]: one rule per (group, verbs, resource names) with its resources, in
/// first-seen order.
pub fn rules(feature: Feature, scope: Scope) -> Vec<PolicyRule> {
    let mut out: Vec<PolicyRule> = Vec::new();
    for a in granted(feature, scope) {
        let group = vec![a.group.to_owned()];
        let verbs: Vec<String> = a.verbs.iter().map(|s| (*s).to_owned()).collect();
        let names: Vec<String> = a.resource_names.iter().map(|s| (*s).to_owned()).collect();
        let names = (!names.is_empty()).then_some(names);
        match out.iter_mut().find(|r| {
            r.api_groups.as_ref() == Some(&group) && r.verbs == verbs && r.resource_names == names
        }) {
            Some(r) => r
                .resources
                .get_or_insert_default()
                .push(a.resource.to_owned()),
            None => out.push(PolicyRule {
                api_groups: Some(group),
                resources: Some(vec![a.resource.to_owned()]),
                resource_names: names,
                verbs,
                non_resource_urls: None,
            }),
        }
    }
    out
}
