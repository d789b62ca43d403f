//! One internal description of "what to sync" ([`SyncPlan`]) built from either a `SecretSync` or
//! a rigger `Plan`, and the [`SyncOwner`] trait that lets one generic reconciler serve both kinds.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use kube::{Resource, ResourceExt};

use super::api::{DEFAULT_NAME_TEMPLATE, Plan, PlanStatus, SecretSync, SecretSyncStatus};

/// How copies are named and labelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyStyle {
    /// Bosun labels only.
    Bosun,
    /// Bosun labels plus rigger's `created-by-rigger`, `src-namespace`, `src-name`.
    Rigger,
}

/// The owning object of a set of copies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnerId {
    /// `SecretSync` or `Plan`.
    pub kind: &'static str,
    pub namespace: String,
    pub name: String,
    pub uid: String,
}

impl OwnerId {
    /// `Kind/namespace/name`, the value of the owner annotation on copies.
    pub fn annotation(&self) -> String {
        format!("{}/{}/{}", self.kind, self.namespace, self.name)
    }

    /// Parses [`OwnerId::annotation`] back into (kind, namespace, name).
    pub fn parse_annotation(s: &str) -> Option<(&str, &str, &str)> {
        let mut it = s.splitn(3, '/');
        Some((it.next()?, it.next()?, it.next()?))
    }
}

/// Which namespaces are sources.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NamespaceFilter {
    pub selector: Option<LabelSelector>,
    pub names: Vec<String>,
    pub ignore: Vec<String>,
}

/// Everything the reconciler needs to know about one owner, independent of its kind.
#[derive(Debug, Clone, PartialEq)]
pub struct SyncPlan {
    pub owner: OwnerId,
    pub dest_namespace: String,
    pub secret_names: Vec<String>,
    pub sources: NamespaceFilter,
    pub name_template: String,
    pub style: CopyStyle,
    pub copy_labels: bool,
    pub copy_annotations: bool,
}

/// A kind that owns copies: SecretSync or Plan.
pub trait SyncOwner:
    Resource<DynamicType = (), Scope = k8s_openapi::NamespaceResourceScope>
    + Clone
    + std::fmt::Debug
    + serde::de::DeserializeOwned
    + serde::Serialize
    + Send
    + Sync
    + 'static
{
    /// `SecretSync` or `Plan` (also the metric label).
    const KIND: &'static str;
    /// The internal plan; `Err` describes an invalid spec.
    fn plan(&self) -> Result<SyncPlan, String>;
    /// The sync part of the current status.
    fn sync_status(&self) -> Option<&SecretSyncStatus>;
    /// The full `status` value to write for this sync status.
    fn status_value(&self, sync: SecretSyncStatus) -> serde_json::Value;
    /// Secret names this owner collects (cheap; used to route source events).
    fn secret_names(&self) -> Vec<String>;
}

fn owner_id<K: Resource<DynamicType = ()>>(obj: &K, kind: &'static str) -> OwnerId {
    OwnerId {
        kind,
        namespace: obj.namespace().unwrap_or_default(),
        name: obj.name_any(),
        uid: obj.uid().unwrap_or_default(),
    }
}

impl SyncOwner for SecretSync {
    const KIND: &'static str = "SecretSync";

    fn plan(&self) -> Result<SyncPlan, String> {
        let owner = owner_id(self, Self::KIND);
        let s = &self.spec;
        if s.secret_names.is_empty() {
            return Err("spec.secretNames is empty".into());
        }
        let template = s
            .name_template
            .clone()
            .unwrap_or_else(|| DEFAULT_NAME_TEMPLATE.to_owned());
        super::desired::validate_template(&template)?;
        Ok(SyncPlan {
            dest_namespace: owner.namespace.clone(),
            owner,
            secret_names: s.secret_names.clone(),
            sources: NamespaceFilter {
                selector: s.source_namespaces.selector.clone(),
                names: s.source_namespaces.names.clone(),
                ignore: s.source_namespaces.ignore.clone(),
            },
            name_template: template,
            style: CopyStyle::Bosun,
            copy_labels: s.copy_labels,
            copy_annotations: s.copy_annotations,
        })
    }

    fn sync_status(&self) -> Option<&SecretSyncStatus> {
        self.status.as_ref()
    }

    fn status_value(&self, sync: SecretSyncStatus) -> serde_json::Value {
        serde_json::to_value(sync).unwrap_or_default()
    }

    fn secret_names(&self) -> Vec<String> {
        self.spec.secret_names.clone()
    }
}

impl SyncOwner for Plan {
    const KIND: &'static str = "Plan";

    fn plan(&self) -> Result<SyncPlan, String> {
        let owner = owner_id(self, Self::KIND);
        let s = &self.spec;
        if s.sync_target_secret_name.is_empty() {
            return Err("spec.syncTargetSecretName is empty".into());
        }
        if s.sync_dest_namespace.is_empty() {
            return Err("spec.syncDestNamespace is empty".into());
        }
        Ok(SyncPlan {
            owner,
            dest_namespace: s.sync_dest_namespace.clone(),
            secret_names: vec![s.sync_target_secret_name.clone()],
            sources: NamespaceFilter {
                selector: None,
                names: Vec::new(),
                ignore: s.ignore_namespaces.clone(),
            },
            name_template: DEFAULT_NAME_TEMPLATE.to_owned(),
            style: CopyStyle::Rigger,
            copy_labels: false,
            copy_annotations: false,
        })
    }

    fn sync_status(&self) -> Option<&SecretSyncStatus> {
        self.status.as_ref().map(|s| &s.sync)
    }

    fn status_value(&self, sync: SecretSyncStatus) -> serde_json::Value {
        let s = PlanStatus {
            sync_target_secret_name: Some(self.spec.sync_target_secret_name.clone()),
            sync_dest_namespace: Some(self.spec.sync_dest_namespace.clone()),
            ignore_namespaces: self.spec.ignore_namespaces.clone(),
            sync,
        };
        serde_json::to_value(s).unwrap_or_default()
    }

    fn secret_names(&self) -> Vec<String> {
        vec![self.spec.sync_target_secret_name.clone()]
    }
}

/// Whether a namespace (by name and labels) is a source for `filter`, given the destination.
pub fn namespace_selected(
    filter: &NamespaceFilter,
    dest: &str,
    ns: &str,
    labels: &BTreeMap<String, String>,
) -> bool {
    if ns == dest || filter.ignore.iter().any(|i| i == ns) {
        return false;
    }
    if filter.selector.is_none() && filter.names.is_empty() {
        return true;
    }
    filter.names.iter().any(|n| n == ns)
        || filter
            .selector
            .as_ref()
            .is_some_and(|s| selector_matches(s, labels))
}

/// `metav1.LabelSelector` semantics (matchLabels AND matchExpressions; an empty selector matches all).
pub fn selector_matches(sel: &LabelSelector, labels: &BTreeMap<String, String>) -> bool {
    let labels_ok = sel
        .match_labels
        .as_ref()
        .is_none_or(|m| m.iter().all(|(k, v)| labels.get(k) == Some(v)));
    let exprs_ok = sel.match_expressions.as_ref().is_none_or(|exprs| {
        exprs.iter().all(|e| {
            let values = e.values.as_deref().unwrap_or_default();
            let got = labels.get(&e.key);
            match e.operator.as_str() {
                "In" => got.is_some_and(|g| values.contains(g)),
                "NotIn" => got.is_none_or(|g| !values.contains(g)),
                "Exists" => got.is_some(),
                "DoesNotExist" => got.is_none(),
                _ => false,
            }
        })
    });
    labels_ok && exprs_ok
}
