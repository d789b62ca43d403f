//! The syncer's custom resources: Bosun's own `SecretSync` (`bosun.dev/v1alpha1`) and rigger's
//! `Plan` (`rigger.k8s.wantedly.com/v1beta1`), served unchanged so existing Plans keep working.
//!
//! These types are the source of truth for `chart/crds/*.yaml` and `schemas/secretsync.json`
//! (see [`crate::crds`]); a test keeps the committed files fresh.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{Condition, LabelSelector, Time};
use kube::CustomResource;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Default destination name template: rigger's `<namespace>.<name>`.
pub const DEFAULT_NAME_TEMPLATE: &str = "{namespace}.{name}";

/// Copies named Secrets from many source namespaces into this object's namespace.
///
/// A namespace is a source when it is listed in `sourceNamespaces.names`, or matches
/// `sourceNamespaces.selector`, or (when neither is given) always; minus `sourceNamespaces.ignore`
/// and the destination namespace itself.
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, PartialEq, JsonSchema)]
#[kube(
    group = "bosun.dev",
    version = "v1alpha1",
    kind = "SecretSync",
    namespaced,
    status = "SecretSyncStatus",
    shortname = "ssync",
    printcolumn = r#"{"name":"Ready","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].status"}"#,
    printcolumn = r#"{"name":"Copies","type":"integer","jsonPath":".status.copies"}"#,
    printcolumn = r#"{"name":"Conflicts","type":"integer","jsonPath":".status.conflictCount"}"#,
    printcolumn = r#"{"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"}"#
)]
#[serde(rename_all = "camelCase")]
pub struct SecretSyncSpec {
    /// Names of the Secrets to collect from every source namespace.
    #[schemars(length(min = 1))]
    pub secret_names: Vec<String>,
    /// Which namespaces to collect from. Empty means every namespace.
    #[serde(default)]
    pub source_namespaces: SourceNamespaces,
    /// Name of each copy; `{namespace}` and `{name}` are replaced by the source's namespace and
    /// name. Defaults to `{namespace}.{name}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_template: Option<String>,
    /// Copy the source's labels onto the copy (Bosun's own labels win).
    #[serde(default)]
    pub copy_labels: bool,
    /// Copy the source's annotations onto the copy (never `kubectl.kubernetes.io/last-applied-configuration`).
    #[serde(default)]
    pub copy_annotations: bool,
}

/// Source namespace selection.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SourceNamespaces {
    /// Namespaces whose labels match this selector are sources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<LabelSelector>,
    /// These namespaces are sources.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<String>,
    /// These namespaces are never sources.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore: Vec<String>,
}

/// Observed state of a SecretSync (and, with rigger's echo fields, of a Plan).
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SecretSyncStatus {
    /// `Ready`, `Conflict` and `Degraded`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
    /// The `metadata.generation` this status describes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
    /// Source Secrets found.
    #[serde(default)]
    pub sources: i32,
    /// Copies this object currently owns.
    #[serde(default)]
    pub copies: i32,
    /// Number of entries in `conflicts`.
    #[serde(default)]
    pub conflict_count: i32,
    /// Copies that could not be written (at most 50 listed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<SyncConflict>,
    /// When the copies last matched the sources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_sync_time: Option<Time>,
}

/// A copy that could not be written.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SyncConflict {
    /// Destination namespace.
    pub namespace: String,
    /// Destination Secret name.
    pub name: String,
    /// `<namespace>/<name>` of the source Secret.
    pub source: String,
    /// `Unmanaged` (a Secret Bosun did not create), `OwnedByOther` (another SecretSync or Plan's
    /// copy), `DuplicateName` (two sources map to one name), `InvalidName`.
    pub reason: String,
}

/// rigger's Plan: copies `syncTargetSecretName` from every namespace except `ignoreNamespaces`
/// into `syncDestNamespace` as `<namespace>.<name>`.
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, PartialEq, JsonSchema)]
#[kube(
    group = "rigger.k8s.wantedly.com",
    version = "v1beta1",
    kind = "Plan",
    namespaced,
    status = "PlanStatus"
)]
#[serde(rename_all = "camelCase")]
pub struct PlanSpec {
    pub sync_target_secret_name: String,
    pub sync_dest_namespace: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore_namespaces: Vec<String>,
}

/// rigger's status (echo of the last applied spec) plus Bosun's sync status.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PlanStatus {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sync_target_secret_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sync_dest_namespace: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore_namespaces: Vec<String>,
    #[serde(flatten)]
    pub sync: SecretSyncStatus,
}
